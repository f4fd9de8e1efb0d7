import GRPCCore
import ReferenceProtos

extension Scenario {
    static let errorScenarios: [Scenario] = [
        Scenario(name: "invalid-argument", summary: "GetUser(-1) and CreateUsers with a bad username and a bad email: INVALID_ARGUMENT with BadRequest") { client in
            try await client.with { grpc in
                let users = Userservice_UserService.Client(wrapping: grpc)
                let byID = try await expectError(.invalidArgument) { _ = try await users.getUser(.with { $0.id = -1 }) }
                try expect(byID.detailDescriptions.count == 1, "expected one detail, got \(byID.detailDescriptions)")
                let created = try await expectError(.invalidArgument) {
                    _ = try await users.createUsers { writer in
                        try await writer.write(.with { $0.username = "Not Valid!"; $0.email = "a@example.org" })
                        try await writer.write(.with { $0.username = "okname"; $0.email = "no-at-sign" })
                    }
                }
                return ["GetUser(-1) → \(byID.code): \(byID.message) \(byID.detailDescriptions)",
                        "CreateUsers(bad) → \(created.code): \(created.message) \(created.detailDescriptions)"]
            }
        },
        Scenario(name: "not-found", summary: "GetUser(999): NOT_FOUND with ResourceInfo") { client in
            try await client.with { grpc in
                let error = try await expectError(.notFound) { _ = try await Userservice_UserService.Client(wrapping: grpc).getUser(.with { $0.id = 999 }) }
                return ["GetUser(999) → \(error.code): \(error.message) \(error.detailDescriptions)"]
            }
        },
        Scenario(name: "permission-denied", summary: "GetUser(7), a private user, with a user token: PERMISSION_DENIED with ErrorInfo; allowed with the admin token") { client in
            let denied = try await client.with { grpc in
                try await expectError(.permissionDenied) { _ = try await Userservice_UserService.Client(wrapping: grpc).getUser(.with { $0.id = 7 }) }
            }
            let user = try await client.with(token: Authorization.adminToken) { grpc in
                try await Userservice_UserService.Client(wrapping: grpc).getUser(.with { $0.id = 7 })
            }
            return ["GetUser(7) as user → \(denied.code): \(denied.message) \(denied.detailDescriptions)", "GetUser(7) as admin → \(user.username)"]
        },
        Scenario(name: "unauthenticated", summary: "GetUser(1) without a bearer token: UNAUTHENTICATED") { client in
            try await client.with(token: nil) { grpc in
                let error = try await expectError(.unauthenticated) { _ = try await Userservice_UserService.Client(wrapping: grpc).getUser(.with { $0.id = 1 }) }
                return ["GetUser(1) without token → \(error.code): \(error.message)"]
            }
        },
        Scenario(name: "deadline", summary: "GetUser(1) with a 100 ms deadline on a server told to pause 300 ms: DEADLINE_EXCEEDED") { client in
            try await client.with { grpc in
                var options = CallOptions.defaults
                options.timeout = .milliseconds(100)
                let error = try await expectError(.deadlineExceeded) {
                    _ = try await Userservice_UserService.Client(wrapping: grpc).getUser(.with { $0.id = 1 }, metadata: ["x-simulate-delay-ms": "300"], options: options)
                }
                return ["GetUser(1), timeout 100 ms, server pause 300 ms → \(error.code)"]
            }
        },
    ]
}
