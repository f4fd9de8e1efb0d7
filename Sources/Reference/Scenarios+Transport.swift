import GRPCCore
import ReferenceProtos
import SwiftProtobuf

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
        Scenario(name: "reflection", summary: "Server reflection v1: list services, the file of userservice.UserService with its imports, an unknown symbol; v1alpha: list services") { client in
            try await client.with { grpc in
                let answers = try await Grpc_Reflection_V1_ServerReflection.Client(wrapping: grpc).serverReflectionInfo { writer in
                    try await writer.write(.with { $0.listServices = "*" })
                    try await writer.write(.with { $0.fileContainingSymbol = "userservice.UserService" })
                    try await writer.write(.with { $0.fileContainingSymbol = "no.such.Symbol" })
                } onResponse: { response in
                    try await response.messages.reduce(into: [Grpc_Reflection_V1_ServerReflectionResponse]()) { $0.append($1) }
                }
                try expect(answers.count == 3, "expected 3 answers, got \(answers.count)")
                let services = answers[0].listServicesResponse.service.map(\.name)
                try expect(services.contains("userservice.UserService"), "services: \(services)")
                let files = try answers[1].fileDescriptorResponse.fileDescriptorProto.map { try Google_Protobuf_FileDescriptorProto(serializedBytes: $0).name }
                try expect(files.first == "reference/userservice.proto" && files.contains("google/protobuf/timestamp.proto"), "files: \(files)")
                try expect(answers[2].errorResponse.errorCode == 5, "unknown symbol: \(answers[2])")
                let alpha = try await Grpc_Reflection_V1alpha_ServerReflection.Client(wrapping: grpc).serverReflectionInfo { writer in
                    try await writer.write(.with { $0.listServices = "*" })
                } onResponse: { response in
                    try await response.messages.reduce(into: [String]()) { $0 += $1.listServicesResponse.service.map(\.name) }
                }
                try expect(alpha == services, "v1alpha lists \(alpha), v1 \(services)")
                return ["v1 list: \(services.count) services", "v1 file of userservice.UserService: \(files.joined(separator: ", "))",
                        "v1 no.such.Symbol → error \(answers[2].errorResponse.errorCode)", "v1alpha list: \(alpha.count) services"]
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
