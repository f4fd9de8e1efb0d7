import GRPCCore
import ReferenceProtos

extension Scenario {
    static let transportScenarios: [Scenario] = [
        Scenario(name: "health", summary: "Health.Check of the server and of an unknown service (NOT_FOUND), Health.Watch's first status") { client in
            try await client.with { grpc in
                let health = Grpc_Health_V1_Health.Client(wrapping: grpc)
                let overall = try await health.check(.with { $0.service = "" })
                try expect(overall.status == .serving, "expected SERVING, got \(overall.status)")
                _ = try await expectError(.notFound) { _ = try await health.check(.with { $0.service = "no.such.Service" }) }
                let watched = try await health.watch(.with { $0.service = "userservice.UserService" }) { response in
                    for try await status in response.messages { return status.status }
                    return .unknown
                }
                try expect(watched == .serving, "Watch: expected SERVING, got \(watched)")
                return ["Check(\"\") → \(overall.status)", "Check(no.such.Service) → NOT_FOUND", "Watch(userservice.UserService) → \(watched), then cancelled"]
            }
        },
        Scenario(name: "keepalive", summary: "A client sending keepalive PINGs every 200 ms, idle for 700 ms between two calls") { client in
            try await client.with(keepalive: .milliseconds(200)) { grpc in
                let users = Userservice_UserService.Client(wrapping: grpc)
                _ = try await users.getUser(.with { $0.id = 2 })
                try await Task.sleep(for: .milliseconds(700))
                let user = try await users.getUser(.with { $0.id = 3 })
                return ["GetUser(2), 700 ms idle with PINGs, GetUser(3) → \(user.username)"]
            }
        },
        Scenario(name: "concurrent", summary: "50 GetUser calls at once on one connection") { client in
            try await client.with { grpc in
                let users = Userservice_UserService.Client(wrapping: grpc)
                let names = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<50 { group.addTask { try await users.getUser(.with { $0.id = Int64(index % 6 + 1) }).username } }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
                try expect(names.count == 50, "expected 50 answers, got \(names.count)")
                return ["50 concurrent GetUser → \(Set(names).count) distinct users"]
            }
        },
    ]
}
