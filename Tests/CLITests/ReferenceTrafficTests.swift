import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The reference client and server (`grpcdump call`, `grpcdump serve`): every scenario behaves as
/// specified, and traffic recorded live on loopback decodes to exactly the calls the scenarios made.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ReferenceTrafficTests {
    /// (method, status) of every call `grpcdump call --scenario all` makes, with how many times.
    static let expectedCalls: [String: Int] = [
        "/userservice.UserService/GetUser OK": 54,  // unary, admin read, keepalive (2), concurrent (50)
        "/userservice.UserService/GetUser INVALID_ARGUMENT": 1, "/userservice.UserService/GetUser NOT_FOUND": 1,
        "/userservice.UserService/GetUser PERMISSION_DENIED": 1, "/userservice.UserService/GetUser UNAUTHENTICATED": 1,
        "/userservice.UserService/GetUser DEADLINE_EXCEEDED": 1,
        "/userservice.UserService/ListUsers OK": 4, "/userservice.UserService/CreateUsers OK": 1,
        "/userservice.UserService/CreateUsers INVALID_ARGUMENT": 1, "/userservice.UserService/Chat OK": 2,
        "/reference.FileService/UploadFile OK": 2, "/reference.LogService/StreamLogs CANCELLED": 1,
        "/reference.MetricsService/RecordMetrics OK": 1, "/grpc.health.v1.Health/Check OK": 1,
        "/grpc.health.v1.Health/Check NOT_FOUND": 1, "/grpc.health.v1.Health/Watch CANCELLED": 1,
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo OK": 1,
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo OK": 1,
    ]

    @Test func everyScenarioPassesAgainstAnInProcessServer() throws {
        let names = try CommandRunner.grpcdump(["call", "--list"]).stdout.split(separator: "\n")
        #expect(names.count >= 18)
        let result = try CommandRunner.grpcdump(["call", "--scenario", "all"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\(names.count) of \(names.count) scenarios passed"))
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let unknown = try CommandRunner.grpcdump(["call", "--scenario", "nope"])
        #expect(unknown.status == 64 && unknown.stderr.contains("unknown scenario 'nope'"))
        let target = try CommandRunner.grpcdump(["call", "--target", "localhost"])
        #expect(target.status == 64 && target.stderr.contains("--target must be HOST:PORT"))
    }

    @Test func aServerThatIsNotThereFailsTheScenario() throws {
        // Port 1 on loopback: nothing listens there.
        let result = try CommandRunner.grpcdump(["call", "--target", "127.0.0.1:1", "--scenario", "unary"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL unary"))
    }

    @Test func aPortInUseIsAClearError() throws {
        let first = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet"], waitFor: "listening on", onStandardError: false)
        defer { first.stop() }
        let port = try #require(first.listeningPort.map(String.init))
        let second = try CommandRunner.grpcdump(["serve", "--port", port, "--duration", "1"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("cannot listen on 127.0.0.1:\(port): the port is in use"), "\(second.stderr)")
    }

    @Test(.enabled(if: CommandRunner.which("tcpdump") != nil && getuid() == 0, "needs tcpdump and root"))
    func liveLoopbackCaptureDecodesEveryCall() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grpcdump-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("reference.pcap")

        let server = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet"], waitFor: "listening on", onStandardError: false)
        defer { server.stop() }
        let port = try #require(server.listeningPort)
        // A 64 MiB kernel buffer (-B, in KiB): the 4.5 MiB upload comes in one burst, and with the
        // default 2 MiB a busy machine (the suite beside fuzzers) dropped some of it.
        let tcpdump = try Background(CommandRunner.which("tcpdump")!, ["-i", "lo", "-U", "--immediate-mode", "-B", "65536", "-w", file.path, "tcp port \(port)"],
                                     waitFor: "listening on", onStandardError: true)
        let client = try CommandRunner.grpcdump(["call", "--target", "127.0.0.1:\(port)", "--scenario", "all"])
        #expect(client.status == 0, "\(client.stdout)")
        usleep(500_000)
        tcpdump.stop()

        let decoded = try CommandRunner.grpcdump(["-r", file.path, "--json"])
        #expect(decoded.status == 0)
        let calls = try decoded.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        var seen: [String: Int] = [:]
        for call in calls {
            let status = (call["status"] as? [String: Any])?["name"] as? String ?? "none"
            seen["\(call["method"] as? String ?? "?") \(status)", default: 0] += 1
            #expect(call["incomplete"] as? Bool == false)
            #expect((call["warnings"] as? [String])?.isEmpty == true, "\(call["warnings"] ?? "")")
        }
        #expect(seen == Self.expectedCalls)

        func messages(_ method: String, _ key: String) -> [[[String: Any]]] {
            calls.filter { $0["method"] as? String == method }.map { $0[key] as? [[String: Any]] ?? [] }
        }
        // Message counts and sizes that the scenarios fix.
        #expect(messages("/userservice.UserService/ListUsers", "responses").map(\.count).sorted() == [4, 4, 5, 5])
        #expect(messages("/userservice.UserService/Chat", "requests").map(\.count) == [3, 3])
        #expect(messages("/reference.FileService/UploadFile", "requests").map(\.count).sorted() == [1, 4])
        let largest = messages("/reference.FileService/UploadFile", "requests").flatMap { $0 }.compactMap { $0["length"] as? Int }.max()
        #expect(largest ?? 0 > 4_718_592)
        #expect(messages("/reference.MetricsService/RecordMetrics", "requests").first?.count == 5)
        // Every error carrying google.rpc.Status details has them decoded.
        let detailed = calls.compactMap { $0["status"] as? [String: Any] }.filter { ($0["details"] as? [Any])?.isEmpty == false }
        #expect(detailed.count == 4)  // two INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED
    }
}
