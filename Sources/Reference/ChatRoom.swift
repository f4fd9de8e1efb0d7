import ReferenceProtos

/// The broadcast room of UserService.Chat: every message a member sends goes to every member,
/// the sender included (so each client sees the room's order).
actor ChatRoom {
    private var members: [Int: AsyncStream<Userservice_ChatMessage>.Continuation] = [:]
    private var nextID = 0

    func join() -> (Int, AsyncStream<Userservice_ChatMessage>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Userservice_ChatMessage.self)
        nextID += 1
        members[nextID] = continuation
        return (nextID, stream)
    }

    func broadcast(_ message: Userservice_ChatMessage, from member: Int) {
        for continuation in members.values { continuation.yield(message) }
    }

    func leave(_ member: Int) {
        members.removeValue(forKey: member)?.finish()
    }
}
