import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// TLS decrypted from key logs, through the whole tool: the reference captures over TLS 1.3 and
/// mutual TLS 1.2 decode into the same calls as their plaintext twins; secrets inside a pcapng;
/// bad key logs; and a live capture whose key log is written while it runs.
@Suite(.timeLimit(.minutes(3))) struct TLSDecryptionTests {
    @Test(arguments: [("captures/reference-tls", "captures/reference-tls-twin"), ("captures/reference-mtls12", "captures/reference-mtls12-twin"),
                      // grpcio's client over TLS through a key-logging proxy, and the proxy's plaintext leg to the grpcio server.
                      ("Tests/TLSTests/Fixtures/grpc-python-tls-proxy", "Tests/TLSTests/Fixtures/grpc-python-tls-proxy-plaintext"),
                      // grpc-go's client and server over TLS 1.3 and 1.2, and the same calls over h2c.
                      ("Tests/TLSTests/Fixtures/grpc-go-tls13", "captures/grpc-go-h2c"), ("Tests/TLSTests/Fixtures/grpc-go-tls12", "captures/grpc-go-h2c")])
    func decryptedCallsEqualThePlaintextTwins(capture: String, twin: String) throws {
        // :scheme (https, http) and :authority (the ports) differ by construction; the messages
        // carry their sending time; grpc-timeout is what was left of a deadline when sent.
        let result = try CommandRunner.grpcdump([
            "diff", "\(twin).pcap", "\(capture).pcap", "--keylog", "\(capture).keys",
            "--ignore-header", ":scheme", "--ignore-header", ":authority", "--ignore-header", "grpc-timeout", "--ignore-field", "sent_at", "--latency-threshold", "1000000",
        ])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains(" same, 0 different), 0 only in A, 0 only in B"), "\(result.stdout)")
        // Without the key log, nothing is paired: the calls are inside TLS.
        let locked = try CommandRunner.grpcdump(["diff", "\(twin).pcap", "\(capture).pcap"])
        #expect(locked.status == 1 && locked.stdout.contains("0 paired"), "\(locked.stdout)")
    }

    @Test func secretsInsideAPcapngNeedNoKeyLog() throws {
        let result = try CommandRunner.grpcdump(["-r", "Tests/TLSTests/Fixtures/grpc-python-tls-proxy-dsb.pcapng"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").map { $0.hasSuffix("[TLS 1.3]") } == [true, true], "\(result.stdout)")
        #expect(result.stdout.contains("/grpc.health.v1.Health/Check OK") && result.stdout.contains("/grpc.health.v1.Health/Check NOT_FOUND"))
        #expect(result.stderr.contains("TLS: 1 connection, 1 decrypted"))
    }

    @Test func badKeyLogsAreReportedAndTheRestUsed() throws {
        let missing = try CommandRunner.grpcdump(["-r", "captures/reference-tls.pcap", "--keylog", "/nonexistent/keys.log"])
        #expect(missing.status == 2 && missing.stderr.contains("cannot read key log") && missing.stderr.contains("/nonexistent/keys.log"), "\(missing.stderr)")

        // Good lines among bad ones: each bad one named by its number, the calls still decrypted.
        var text = "# a key log with damage\nCLIENT_RANDOM zz 00\n"
        text += try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("captures/reference-tls.keys"), encoding: .utf8)
        text += "SERVER_TRAFFIC_SECRET_0 \(String(repeating: "ab", count: 32))\n"
        let keys = try CommandRunner.temporaryFile("damaged.keys", Array(text.utf8))
        defer { try? FileManager.default.removeItem(at: keys) }
        let result = try CommandRunner.grpcdump(["-r", "captures/reference-tls.pcap", "--keylog", keys.path])
        #expect(result.status == 0)
        #expect(result.stderr.contains("damaged.keys line 2: the client random is not 32 bytes of hex; line skipped"), "\(result.stderr)")
        #expect(result.stderr.contains("line \(text.split(separator: "\n").count): expected LABEL CLIENT_RANDOM SECRET, found 2 fields"))
        #expect(result.stdout.split(separator: "\n").count == 5 && result.stderr.contains("TLS: 4 connections, 4 decrypted"))

        // Keys for other sessions only: every connection says which random had no key.
        let others = try CommandRunner.grpcdump(["-r", "captures/reference-tls.pcap", "--keylog", "captures/reference-mtls12.keys", "--layer", "tls"])
        #expect(others.stdout.split(separator: "\n").allSatisfy { $0.contains("NOT DECRYPTED: no key for client random ") }, "\(others.stdout)")
    }

    @Test func tlsIsRecognisedByItsBytesNotItsPort() throws {
        // reference-tls runs on 50443, not 443; the plaintext capture's port 50051 is not taken for TLS.
        let plain = try CommandRunner.grpcdump(["-r", "captures/reference-lo.pcap", "--layer", "tls"])
        #expect(plain.stdout.isEmpty && !plain.stderr.contains("TLS:"), "\(plain.stdout)")
    }

    @Test func writingBundlesTheSessionsSecretsWithThePackets() throws {
        let directory = try CommandRunner.temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A key log with the secrets of these sessions and of others.
        let ours = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("captures/reference-tls.keys"), encoding: .utf8)
        let theirs = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("captures/reference-mtls12.keys"), encoding: .utf8)
        let keys = directory.appendingPathComponent("keys.log"), bundle = directory.appendingPathComponent("bundle.pcapng")
        try (ours + theirs).write(to: keys, atomically: true, encoding: .utf8)
        let original = try CommandRunner.grpcdump(["-r", "captures/reference-tls.pcap", "--keylog", keys.path, "-w", bundle.path])
        #expect(original.status == 0, "\(original.stderr)")
        // The bundle alone: the same calls, decrypted with its own secrets.
        let reread = try CommandRunner.grpcdump(["-r", bundle.path])
        #expect(reread.stdout == original.stdout && reread.stderr.contains("TLS: 4 connections, 4 decrypted"), "\(reread.stderr)")
        // Only the sessions in the file: no client random of the other key log.
        let written = String(decoding: try Data(contentsOf: bundle), as: UTF8.self)
        let otherRandoms = theirs.split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst().first }
        #expect(!otherRandoms.isEmpty && otherRandoms.allSatisfy { !written.contains($0) })
        #expect(ours.split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst().first }.allSatisfy { written.contains($0) })
        // Wireshark reads the secrets block too.
        if CommandRunner.which("tshark") != nil {
            let headers = try CommandRunner.tsharkFields(bundle.path, decodeAs: "tcp.port==50443,tls", filter: "http2.header.name == \":path\"",
                                                         fields: ["http2.header.value"])
            #expect(headers.contains { $0.joined().contains("/userservice.UserService/GetUser") }, "\(headers)")
        }
        let stdin = try CommandRunner.grpcdump(["-r", "-", "-w", bundle.path], stdin: try Data(contentsOf: CommandRunner.packageRoot.appendingPathComponent("captures/reference-tls.pcap")))
        #expect(stdin.status == 1 && stdin.stderr.contains("-w with -r needs a file to read again"))
    }

    /// `SSLKEYLOGFILE=keys ./app` beside `grpcdump -i lo --keylog keys`: the key log does not exist
    /// when the capture starts and is written as the connections are made, after their first
    /// records were captured; every call is decoded as it happens.
    @Test(.enabled(if: getuid() == 0, "live capture needs root"))
    func liveCaptureReadsTheKeyLogAsItGrows() throws {
        let directory = try CommandRunner.temporaryDirectory("live-tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = directory.appendingPathComponent("keys.log"), certificates = directory.appendingPathComponent("certs")
        let server = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet", "--tls", "--cert-dir", certificates.path],
                                    waitFor: "listening on", onStandardError: false)
        defer { server.stop() }
        let port = try #require(server.listeningPort)
        let sniffer = try LiveSniffTests.Sniffer(["-i", "lo", "--keylog", keys.path, "tcp", "port", "\(port)"], in: directory)
        #expect(sniffer.stderr.contains("no key log yet"), "\(sniffer.stderr)")
        let client = try CommandRunner.grpcdump(["call", "--target", "127.0.0.1:\(port)", "--tls", "--cert-dir", certificates.path,
                                                 "--keylog", keys.path, "--scenario", "unary", "--scenario", "server-streaming"])
        #expect(client.status == 0, "\(client.stdout)")
        usleep(700_000)
        #expect(sniffer.stop(with: SIGINT) == 0)
        let lines = sniffer.stdout.split(separator: "\n")
        #expect(lines.count >= 2 && lines.allSatisfy { $0.hasSuffix("[TLS 1.3]") }, "\(sniffer.stdout)\n\(sniffer.stderr)")
        #expect(sniffer.stdout.contains("/userservice.UserService/GetUser OK") && sniffer.stdout.contains("/userservice.UserService/ListUsers OK"))
    }
}
