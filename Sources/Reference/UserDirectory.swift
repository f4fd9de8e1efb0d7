import Foundation
import ReferenceProtos
import SwiftProtobuf
import Synchronization

/// The reference server's users: a fixed set at start (so captures are reproducible), then those
/// created by CreateUsers.
final class UserDirectory: Sendable {
    /// Ids of users only an admin may read (PERMISSION_DENIED otherwise).
    static let privateIDs: Set<Int64> = [7]
    private let users: Mutex<[Int64: Userservice_User]>

    /// `changed`: the second behaviour of `grpcdump serve --changed`, for replay tests: user 1's
    /// email differs and user 2 does not exist.
    init(changed: Bool = false) {
        var seed: [Int64: Userservice_User] = [:]
        let names = ["ada", "grace", "linus", "barbara", "ken", "margaret", "root", "dennis", "frances", "edsger", "radia", "john"]
        for (index, name) in names.enumerated() {
            let id = Int64(index + 1)
            seed[id] = UserDirectory.makeUser(id: id, username: name, role: name == "root" ? .admin : (index % 4 == 3 ? .auditor : .user))
        }
        if changed {
            seed[1]?.email = "ada@example.org"
            seed[2] = nil
        }
        users = Mutex(seed)
    }

    static func makeUser(id: Int64, username: String, role: Userservice_Role) -> Userservice_User {
        .with {
            $0.id = id
            $0.username = username
            $0.email = "\(username)@example.com"
            $0.active = id % 5 != 0
            // 2024-01-01T00:00:00Z plus a day per id. Every value below stays in range however many
            // users are created (a long-running server passes id 255 and 2,147).
            $0.createdAt = Google_Protobuf_Timestamp(seconds: 1_704_067_200 + id * 86_400, nanos: Int32(id % 1000) * 1_000_000)
            $0.role = role
            $0.tags = id % 2 == 0 ? ["even", "early"] : ["odd"]
            if id % 3 == 0 { $0.nickname = String(username.prefix(2)) }
            $0.address = .with { $0.street = "\(id) Protocol Lane"; $0.city = "Mountain View"; $0.country = "US" }
            $0.attributes = ["team": id % 2 == 0 ? "core" : "edge", "level": String(id % 4)]
            $0.score = Double(id) * 1.25
            $0.avatar = Data([0x89, 0x50, 0x4E, 0x47, UInt8(truncatingIfNeeded: id)])
            let lucky = Int32(truncatingIfNeeded: id)
            $0.luckyNumbers = [lucky, lucky &* 7, 0 &- lucky]
        }
    }

    func user(_ id: Int64) -> Userservice_User? { users.withLock { $0[id] } }

    /// Users in id order after `afterID`, at most `limit`.
    func page(after afterID: Int64, limit: Int) -> [Userservice_User] {
        users.withLock { users in Array(users.keys.sorted().filter { $0 > afterID }.prefix(limit).map { users[$0]! }) }
    }

    func create(username: String, email: String, role: Userservice_Role) -> Userservice_User {
        users.withLock { users in
            let id = (users.keys.max() ?? 0) + 1
            var user = UserDirectory.makeUser(id: id, username: username, role: role)
            user.email = email
            users[id] = user
            return user
        }
    }
}
