@testable import Reference
import ReferenceProtos
import Testing

/// The reference server's users stay valid however many are created: a long-running server
/// (the benchmark's recording) creates thousands.
@Suite struct ReferenceUserTests {
    @Test(arguments: [Int64(1), 255, 256, 999, 1000, 2147, 2148, 1 << 31, 1 << 40])
    func usersOfAnyIdAreValid(_ id: Int64) {
        let user = UserDirectory.makeUser(id: id, username: "ada", role: .user)
        #expect(user.id == id)
        #expect((0..<1_000_000_000).contains(user.createdAt.nanos))
        #expect(user.avatar.last == UInt8(truncatingIfNeeded: id))
        #expect(user.luckyNumbers.count == 3)
    }

    @Test func manyCreatedUsers() {
        let directory = UserDirectory()
        var last = Userservice_User()
        for index in 0..<3000 { last = directory.create(username: "user\(index)", email: "u\(index)@example.com", role: .user) }
        #expect(last.id == 3012)  // after the 12 seeded users
        #expect(directory.user(3012)?.email == "u2999@example.com")
    }
}
