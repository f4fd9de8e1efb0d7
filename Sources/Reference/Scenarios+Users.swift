import GRPCCore
import ReferenceProtos

extension Scenario {
    static let userScenarios: [Scenario] = [
        Scenario(name: "unary", summary: "GetUser(1): a User with every field kind, response headers and trailers (one -bin)") { client in
            try await client.with { grpc in
                try await Userservice_UserService.Client(wrapping: grpc).getUser(.with { $0.id = 1 }) { response in
                    let user = try response.message
                    try expect(user.username == "ada", "expected user ada, got \(user.username)")
                    try expect(response.metadata.firstString("server-version") != nil, "no server-version header")
                    try expect(response.trailingMetadata[binaryValues: "checksum-bin"].contains { !$0.isEmpty }, "no checksum-bin trailer")
                    return ["GetUser(1) → \(user.username) <\(user.email)>, role \(user.role), \(user.attributes.count) attributes"]
                }
            }
        },
        Scenario(name: "server-streaming", summary: "ListUsers: two pages of 5, the second from the first's next-page-token trailer") { client in
            try await client.with { grpc in
                let users = Userservice_UserService.Client(wrapping: grpc)
                var token = ""
                var lines: [String] = []
                for page in 1...2 {
                    let (names, next) = try await users.listUsers(.with { $0.pageSize = 5; $0.pageToken = token }) { response in
                        var names: [String] = []
                        var next = ""
                        for try await part in response.bodyParts {
                            switch part {
                            case let .message(user): names.append(user.username)
                            case let .trailingMetadata(trailers): next = trailers.firstString("next-page-token") ?? ""
                            }
                        }
                        return (names, next)
                    }
                    try expect(names.count == 5, "page \(page): expected 5 users, got \(names.count)")
                    lines.append("ListUsers page \(page): \(names.joined(separator: ", "))")
                    token = next
                }
                return lines
            }
        },
        Scenario(name: "client-streaming", summary: "CreateUsers: three users streamed, one response") { client in
            try await client.with { grpc in
                let created = try await Userservice_UserService.Client(wrapping: grpc).createUsers { writer in
                    for name in ["alan", "hedy", "tim"] {
                        try await writer.write(.with { $0.username = name; $0.email = "\(name)@example.org"; $0.role = .user })
                    }
                }
                try expect(created.created == 3, "expected 3 users created, got \(created.created)")
                return ["CreateUsers(3) → ids \(created.users.map { String($0.id) }.joined(separator: ", "))"]
            }
        },
        Scenario(name: "bidi-chat", summary: "Chat: two clients on two connections join, talk and leave; each sees the other") { client in
            async let alice = chat(client, user: "alice", startAfter: .zero)
            async let bob = chat(client, user: "bob", startAfter: .milliseconds(50))
            let (seenByAlice, seenByBob) = try await (alice, bob)
            try expect(seenByAlice.contains("bob: hello from bob"), "alice did not see bob's message: \(seenByAlice)")
            try expect(seenByBob.contains("alice: hello from alice"), "bob did not see alice's message: \(seenByBob)")
            return ["alice saw: " + seenByAlice.joined(separator: " | "), "bob saw: " + seenByBob.joined(separator: " | ")]
        },
    ]

    /// One chat participant: JOIN, TEXT, LEAVE with pauses; returns the messages it received.
    static func chat(_ client: ReferenceClient, user: String, startAfter delay: Duration) async throws -> [String] {
        try await Task.sleep(for: delay)
        return try await client.with { grpc in
            try await Userservice_UserService.Client(wrapping: grpc).chat { writer in
                for (kind, text) in [(Userservice_ChatMessage.Kind.join, ""), (.text, "hello from \(user)"), (.leave, "")] {
                    try await writer.write(.with { $0.kind = kind; $0.user = user; $0.text = text; $0.sentAt = .init(date: .now) })
                    try await Task.sleep(for: .milliseconds(150))
                }
            } onResponse: { response in
                var seen: [String] = []
                for try await message in response.messages {
                    seen.append(message.kind == .text ? "\(message.user): \(message.text)" : "\(message.user) \(message.kind)")
                }
                return seen
            }
        }
    }
}
