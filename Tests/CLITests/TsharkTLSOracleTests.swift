import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// tshark decrypts the reference TLS captures with the key logs the reference client and server
/// wrote, and finds every call the scenarios made: the key logs are complete and correct.
@Suite(.enabled(if: CommandRunner.which("tshark") != nil, "tshark is not installed"))
struct TsharkTLSOracleTests {
    static func decryptedPaths(_ capture: String, keys: String, port: Int) throws -> [String] {
        try CommandRunner.tsharkFields(capture, decodeAs: "tcp.port==\(port),tls", filter: "http2.headers.path",
                                       fields: ["http2.headers.path"], options: ["-o", "tls.keylog_file:\(keys)"])
            .flatMap { $0[0].split(separator: "|").map(String.init) }.sorted()
    }

    @Test(arguments: [
        ("reference-tls", 50443, ["GetUser", "GetUser", "ListUsers", "ListUsers", "ListUsers"]),
        ("reference-mtls12", 50444, ["Chat", "Chat", "CreateUsers", "GetUser"]),
    ])
    func committedCapturesDecryptWithTheirKeyLogs(name: String, port: Int, methods: [String]) throws {
        let paths = try Self.decryptedPaths("captures/\(name).pcap", keys: "captures/\(name).keys", port: port)
        #expect(paths == methods.map { "/userservice.UserService/\($0)" })
        // Without the key log nothing is readable.
        #expect(try Self.decryptedPaths("captures/\(name).pcap", keys: "/dev/null", port: port).isEmpty)
    }

    @Test(.enabled(if: CommandRunner.which("tcpdump") != nil && getuid() == 0, "needs tcpdump and root"), .timeLimit(.minutes(2)))
    func liveTLSTrafficDecryptsWithTheServersKeyLog() throws {
        let directory = try CommandRunner.temporaryDirectory("tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = directory.appendingPathComponent("server.keys").path, capture = directory.appendingPathComponent("tls.pcap").path
        let certificates = directory.appendingPathComponent("certs").path
        let server = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet", "--tls", "--cert-dir", certificates, "--keylog", keys],
                                    waitFor: "(TLS)", onStandardError: false)
        defer { server.stop() }
        let port = try #require(server.listeningPort)
        let tcpdump = try Background(CommandRunner.which("tcpdump")!, ["-i", "lo", "-U", "--immediate-mode", "-w", capture, "tcp port \(port)"],
                                     waitFor: "listening on", onStandardError: true)
        let client = try CommandRunner.grpcdump(["call", "--target", "127.0.0.1:\(port)", "--tls", "--cert-dir", certificates,
                                                 "--scenario", "unary", "--scenario", "health", "--scenario", "metrics"])
        #expect(client.status == 0, "\(client.stdout)")
        usleep(500_000)
        tcpdump.stop()
        #expect(try Self.decryptedPaths(capture, keys: keys, port: port)
            == ["/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch", "/reference.MetricsService/RecordMetrics", "/userservice.UserService/GetUser"])
    }
}
