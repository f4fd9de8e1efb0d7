import Foundation
import Testing

/// `grpcdump replay`: the reference capture's calls sent again to a reference server started for
/// the test (loopback, a free port, stopped at the end), and to one with a changed behaviour.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct ReplayTests {
    static func server(_ arguments: [String] = []) throws -> (Background, Int) {
        let server = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet", "--duration", "200"] + arguments,
                                    waitFor: "listening on", onStandardError: false)
        return (server, try #require(server.listeningPort))
    }

    @Test func theReferenceCaptureReplaysAsCapturedAgainstTheReferenceServer() throws {
        let (server, port) = try Self.server()
        defer { server.stop() }
        // Captured timing: the two chats of the capture talk to each other through the server's room
        // as they did; the log entries carry the server's clock, which no replay can match.
        let result = try CommandRunner.grpcdump(["replay", "captures/reference-lo.pcap", "--target", "127.0.0.1:\(port)",
                                                 "--timing", "captured", "--ignore-field", "time"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let calls = try CommandRunner.grpcdump(["-r", "captures/reference-lo.pcap"]).stdout.split(separator: "\n").count
        #expect(result.stdout.contains("replayed \(calls) of \(calls) calls to 127.0.0.1:\(port): \(calls) answered as captured"), "\(result.stdout)")
    }

    @Test func aChangedServerShowsExactlyWhatChanged() throws {
        let (server, port) = try Self.server(["--changed"])
        defer { server.stop() }
        let result = try CommandRunner.grpcdump(["replay", "captures/reference-lo.pcap", "--target", "127.0.0.1:\(port)",
                                                 "--method", "*UserService/GetUser", "--json"])
        #expect(result.status == 1, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let pairs = try #require(report["pairs"] as? [[String: Any]], "\(report.keys)")
        #expect(!pairs.isEmpty)
        for pair in pairs {
            let changes = try #require(pair["changes"] as? [[String: Any]])
            let paths = Set(changes.compactMap { $0["path"] as? String })
            // user 1: one field; user 2: not found any more (its status, and the answer it no longer has).
            if paths == ["response[0].email"] {
                #expect(changes.first?["a"] as? String == #""ada@example.com""#)
                #expect(changes.first?["b"] as? String == #""ada@example.org""#)
            } else {
                #expect(paths.contains("status"), "\(changes)")
                let status = try #require(changes.first { $0["path"] as? String == "status" })
                #expect(status["a"] as? String == "OK")
                #expect(status["b"] as? String == #"NOT_FOUND "user 2 not found""#)
            }
        }
    }

    /// Python grpcio (PyPI) with its dependencies, as scripts/setup.sh installs them.
    static let grpcioAvailable = (try? CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import grpc, grpc_status, google.rpc"]))?.status == 0
        && CommandRunner.which("protoc") != nil

    @Test(.enabled(if: grpcioAvailable, "Python grpcio, grpcio-status or protoc missing"))
    func aCaptureOfAGrpcioServerReplaysAsCapturedAgainstIt() throws {
        let server = try Background(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "captures/grpcio-server.py", "0", "120"],
                                    waitFor: "listening on", onStandardError: false)
        defer { server.stop() }
        let port = try #require(server.listeningPort)
        let result = try CommandRunner.grpcdump(["replay", "captures/reference-grpcio-server.pcap", "--target", "127.0.0.1:\(port)",
                                                 "--timing", "captured"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("replayed 12 of 12 calls to 127.0.0.1:\(port): 12 answered as captured"), "\(result.stdout)")
    }

    @Test func mutualTLSCallsReplayWithTheClientCertificate() throws {
        let directory = try CommandRunner.temporaryDirectory("replay-mtls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (server, port) = try Self.server(["--mtls", "--cert-dir", directory.path])
        defer { server.stop() }
        let pem = { (name: String) in directory.appendingPathComponent(name).path }
        let saved = directory.appendingPathComponent("replayed.pcapng").path
        let result = try CommandRunner.grpcdump(["replay", "captures/reference-mtls12.pcap", "--keylog", "captures/reference-mtls12.keys",
                                                 "--target", "127.0.0.1:\(port)", "--cacert", pem("ca.pem"), "--cert", pem("client.pem"),
                                                 "--key", pem("client-key.pem"), "--servername", "localhost", "--timing", "captured", "--save", saved])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("replayed 4 of 4 calls to 127.0.0.1:\(port): 4 answered as captured"), "\(result.stdout)")
        // --save: the replayed traffic as a capture with its TLS secrets, decrypted when read back.
        let reread = try CommandRunner.grpcdump(["-r", saved])
        #expect(reread.status == 0)
        let lines = reread.stdout.split(separator: "\n")
        #expect(lines.count == 4 && lines.allSatisfy { $0.hasSuffix("[TLS 1.3]") && $0.contains("→ 127.0.0.1:\(port) /userservice.UserService/") }, "\(reread.stdout)")
        #expect(reread.stderr.contains("TLS: 1 connection, 1 decrypted"), "\(reread.stderr)")
        // Without the client certificate the server refuses the handshake: every call fails the same way.
        let refused = try CommandRunner.grpcdump(["replay", "captures/reference-mtls12.pcap", "--keylog", "captures/reference-mtls12.keys",
                                                  "--target", "127.0.0.1:\(port)", "--cacert", pem("ca.pem"), "--servername", "localhost"])
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stdout.contains("status: OK → UNAVAILABLE"), "\(refused.stdout)")
    }

    @Test func compressedCallsGoUncompressedToATargetThatRefusesTheirCompression() throws {
        let (server, port) = try Self.server(["--no-compression"])
        defer { server.stop() }
        let result = try CommandRunner.grpcdump(["replay", "captures/reference-lo.pcap", "--target", "127.0.0.1:\(port)", "--method", "*ListUsers"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("sent uncompressed: the target does not accept gzip"), "\(result.stdout)")
        #expect(result.stdout.contains("sent uncompressed: the target does not accept deflate"))
        #expect(result.stdout.contains("replayed 4 of 4 calls to 127.0.0.1:\(port): 4 answered as captured"), "\(result.stdout)")
    }

    @Test func dryRunSendsNothingAndSaysWhatItWouldSend() throws {
        let result = try CommandRunner.grpcdump(["replay", "captures/reference-lo.pcap", "--target", "127.0.0.1:9", "--dry-run",
                                                 "--method", "*GetUser", "--status", "NOT_FOUND", "--header", "x-request-id: replay-1", "--strip-header", "authorization"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "/userservice.UserService/GetUser to 127.0.0.1:9: 1 message (3 bytes); x-request-id: replay-1\n")
    }

    @Test func anUnreachableTargetIsTrouble() throws {
        let result = try CommandRunner.grpcdump(["replay", "captures/reference-lo.pcap", "--target", "127.0.0.1:9", "--method", "*Check"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot replay to 127.0.0.1:9"), "\(result.stderr)")
    }

    @Test func badArgumentsAreUsageErrors() throws {
        for arguments in [["--target", "nowhere"], ["--target", "h:1", "--cert", "c.pem"], ["--target", "h:1", "--header", "no colon"],
                          ["--target", "h:1", "--plaintext", "--tls"], ["--target", "h:1", "--concurrency", "0"]] {
            let result = try CommandRunner.grpcdump(["replay", "captures/reference-lo.pcap"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }
}
