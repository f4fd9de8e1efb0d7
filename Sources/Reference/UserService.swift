import GRPCCore
import GRPCProtobuf
import ReferenceProtos

/// userservice.UserService: every RPC kind, response headers and trailers on every call, errors
/// carrying google.rpc.Status details.
struct UserService: Userservice_UserService.ServiceProtocol {
    let directory: UserDirectory
    let chatRoom: ChatRoom
    static let serverVersion = "grpcdump-reference/1.0"

    /// Response headers of every call.
    static func headers() -> Metadata { ["server-version": .string(serverVersion)] }

    /// Trailers of every call: rate limit, time spent, and a binary trailer (a checksum).
    static func trailers(queryTimeMs: Int, checksum: [UInt8]) -> Metadata {
        var metadata: Metadata = ["rate-limit-remaining": "99", "query-time-ms": .string(String(queryTimeMs))]
        metadata.addBinary(checksum, forKey: "checksum-bin")
        return metadata
    }

    func getUser(request: ServerRequest<Userservice_GetUserRequest>, context: ServerContext) async throws -> ServerResponse<Userservice_User> {
        let id = request.message.id
        guard id > 0 else {
            throw GoogleRPCStatus(code: .invalidArgument, message: "invalid user id \(id)", details: [
                .badRequest(violations: [.init(field: "id", description: "must be a positive integer")]),
            ])
        }
        if UserDirectory.privateIDs.contains(id), Authorization.role(request.metadata) != .admin {
            throw GoogleRPCStatus(code: .permissionDenied, message: "user \(id) is private", details: [
                .errorInfo(reason: "PRIVATE_USER", domain: "userservice.example", metadata: ["id": String(id)]),
            ])
        }
        guard let user = directory.user(id) else {
            throw GoogleRPCStatus(code: .notFound, message: "user \(id) not found", details: [
                .resourceInfo(type: "userservice.User", name: "users/\(id)", errorDescription: "no such user"),
            ])
        }
        return ServerResponse(message: user, metadata: Self.headers(), trailingMetadata: Self.trailers(queryTimeMs: 1, checksum: [UInt8(id & 0xFF), 0xC0, 0xFF, 0xEE]))
    }

    func listUsers(request: ServerRequest<Userservice_ListUsersRequest>, context: ServerContext) async throws -> StreamingServerResponse<Userservice_User> {
        let size = Int(request.message.pageSize)
        guard (0...100).contains(size) else {
            throw GoogleRPCStatus(code: .invalidArgument, message: "page_size out of range", details: [
                .badRequest(violations: [.init(field: "page_size", description: "must be between 0 and 100")]),
            ])
        }
        let token = request.message.pageToken
        guard token.isEmpty || Int64(token) != nil else {
            throw GoogleRPCStatus(code: .invalidArgument, message: "bad page_token", details: [
                .badRequest(violations: [.init(field: "page_token", description: "not a token from a previous page")]),
            ])
        }
        let users = directory.page(after: Int64(token) ?? 0, limit: size == 0 ? 10 : size)
        return StreamingServerResponse(metadata: Self.headers()) { writer in
            try await writer.write(contentsOf: users)
            var trailers = Self.trailers(queryTimeMs: 2, checksum: [UInt8(users.count)])
            if let last = users.last { trailers.addString(String(last.id), forKey: "next-page-token") }
            return trailers
        }
    }

    func createUsers(request: StreamingServerRequest<Userservice_CreateUserRequest>, context: ServerContext) async throws -> ServerResponse<Userservice_CreateUsersResponse> {
        var accepted: [Userservice_CreateUserRequest] = []
        var violations: [ErrorDetails.BadRequest.FieldViolation] = []
        for try await item in request.messages {
            let index = accepted.count + violations.count
            if !Validation.isUsername(item.username) {
                violations.append(.init(field: "users[\(index)].username", description: "3-20 lowercase letters or digits"))
            } else if !Validation.isEmail(item.email) {
                violations.append(.init(field: "users[\(index)].email", description: "not an email address"))
            } else {
                accepted.append(item)
            }
        }
        guard violations.isEmpty else {
            throw GoogleRPCStatus(code: .invalidArgument, message: "\(violations.count) invalid user(s)", details: [.badRequest(violations: violations)])
        }
        let users = accepted.map { directory.create(username: $0.username, email: $0.email, role: $0.role) }
        return ServerResponse(message: .with { $0.users = users; $0.created = Int32(users.count) },
                              metadata: Self.headers(), trailingMetadata: Self.trailers(queryTimeMs: 3, checksum: [UInt8(users.count)]))
    }

    func chat(request: StreamingServerRequest<Userservice_ChatMessage>, context: ServerContext) async throws -> StreamingServerResponse<Userservice_ChatMessage> {
        StreamingServerResponse(metadata: Self.headers()) { writer in
            let (member, inbox) = await chatRoom.join()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await message in inbox { try await writer.write(message) }
                }
                for try await message in request.messages {
                    await chatRoom.broadcast(message, from: member)
                    if message.kind == .leave { break }
                }
                await chatRoom.leave(member)
                try await group.waitForAll()
            }
            return Self.trailers(queryTimeMs: 0, checksum: [])
        }
    }
}

enum Validation {
    static func isUsername(_ text: String) -> Bool {
        (3...20).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}
