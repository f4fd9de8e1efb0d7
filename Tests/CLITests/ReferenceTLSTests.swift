import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The reference client and server over TLS and mutual TLS: a test CA made on demand, NSS key
/// logs written by both ends (checked line by line here, and by tshark decrypting captures with
/// them in TsharkTLSOracleTests).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ReferenceTLSTests {
    static let tls13Labels: Set<String> = [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET",
    ]

    /// NSS key log lines as (label, client random, secret), each checked for the format:
    /// `LABEL <32-byte client random in hex> <secret in hex>`.
    static func keyLog(_ url: URL) throws -> [(label: String, random: String, secret: String)] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let words = line.split(separator: " ").map(String.init)
            let isHex = { (text: String) in text.allSatisfy(\.isHexDigit) }
            try #require(words.count == 3 && words[1].count == 64 && isHex(words[1]) && isHex(words[2]) && words[2].count >= 64, "bad key log line: \(line)")
            return (words[0], words[1], words[2])
        }
    }

    @Test func tlsScenariosPassAndBothEndsLogEverySecret() throws {
        let directory = try CommandRunner.temporaryDirectory("tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificates = directory.appendingPathComponent("certs"), keys = directory.appendingPathComponent("keys.txt")
        let result = try CommandRunner.grpcdump(["call", "--tls", "--cert-dir", certificates.path, "--keylog", keys.path,
                                                 "--scenario", "unary", "--scenario", "bidi-chat", "--scenario", "large-message"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("3 of 3 scenarios passed"))
        let files = try FileManager.default.contentsOfDirectory(atPath: certificates.path).sorted()
        #expect(files == ["ca-key.pem", "ca.pem", "client-key.pem", "client.pem", "server-key.pem", "server.pem"])

        // In process, client and server write the same file: every connection's five TLS 1.3
        // secrets twice, with the same values on both ends.
        let lines = try Self.keyLog(keys)
        #expect(Set(lines.map(\.label)) == Self.tls13Labels)
        let byConnection = Dictionary(grouping: lines, by: \.random)
        #expect(byConnection.count >= 4)  // unary, two chat clients, the large message
        for (_, connection) in byConnection {
            #expect(connection.count == 10)
            for (_, secrets) in Dictionary(grouping: connection, by: \.label) {
                #expect(secrets.count == 2 && secrets[0].secret == secrets[1].secret)
            }
        }
        // A second run reuses the certificates.
        let ca = try Data(contentsOf: certificates.appendingPathComponent("ca.pem"))
        #expect(try CommandRunner.grpcdump(["call", "--tls", "--cert-dir", certificates.path, "--scenario", "health"]).status == 0)
        #expect(try Data(contentsOf: certificates.appendingPathComponent("ca.pem")) == ca)
    }

    @Test func tls12LogsTheClientRandom() throws {
        let directory = try CommandRunner.temporaryDirectory("tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = directory.appendingPathComponent("keys.txt")
        let result = try CommandRunner.grpcdump(["call", "--tls", "--tls-max", "1.2", "--cert-dir", directory.appendingPathComponent("certs").path,
                                                 "--keylog", keys.path, "--scenario", "unary"])
        #expect(result.status == 0, "\(result.stdout)")
        let lines = try Self.keyLog(keys)
        // One connection, both ends: the 48-byte master secret under CLIENT_RANDOM.
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.label == "CLIENT_RANDOM" && $0.secret.count == 96 })
        #expect(Set(lines.map(\.secret)).count == 1)
    }

    @Test func mutualTLSRequiresAClientCertificateFromTheCA() throws {
        let directory = try CommandRunner.temporaryDirectory("tls")
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificates = directory.appendingPathComponent("certs").path
        let server = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet", "--mtls", "--cert-dir", certificates],
                                    waitFor: "(mTLS)", onStandardError: false)
        defer { server.stop() }
        let target = "127.0.0.1:\(try #require(server.listeningPort))"

        let mutual = try CommandRunner.grpcdump(["call", "--target", target, "--mtls", "--cert-dir", certificates, "--scenario", "unary"])
        #expect(mutual.status == 0, "\(mutual.stdout)")
        let noCertificate = try CommandRunner.grpcdump(["call", "--target", target, "--tls", "--cert-dir", certificates, "--scenario", "unary"])
        #expect(noCertificate.status == 1)
        #expect(noCertificate.stdout.contains("CERTIFICATE_REQUIRED"), "\(noCertificate.stdout)")
        let plaintext = try CommandRunner.grpcdump(["call", "--target", target, "--scenario", "unary"])
        #expect(plaintext.status == 1 && plaintext.stdout.contains("FAIL unary"))
        // A client trusting another CA rejects the server's certificate.
        let otherCA = directory.appendingPathComponent("other").path
        let untrusted = try CommandRunner.grpcdump(["call", "--target", target, "--mtls", "--cert-dir", otherCA, "--scenario", "unary"])
        #expect(untrusted.status == 1 && untrusted.stdout.contains("FAIL unary"))
    }

    @Test func badTLSOptionsAreUsageErrors() throws {
        let version = try CommandRunner.grpcdump(["call", "--tls", "--tls-max", "1.1"])
        #expect(version.status == 64 && version.stderr.contains("--tls-max must be 1.2 or 1.3"))
        let directory = try CommandRunner.grpcdump(["serve", "--tls", "--cert-dir", "/proc/grpcdump-certs", "--duration", "1"])
        #expect(directory.status == 64 && directory.stderr.contains("cannot use the certificate directory '/proc/grpcdump-certs'"), "\(directory.stderr)")
        let keyLog = try CommandRunner.grpcdump(["call", "--tls", "--keylog", "/proc/keys.txt", "--cert-dir", FileManager.default.temporaryDirectory.appendingPathComponent("grpcdump-certs-\(getpid())").path])
        #expect(keyLog.status == 64 && keyLog.stderr.contains("cannot write the TLS key log /proc/keys.txt"), "\(keyLog.stderr)")
    }
}
