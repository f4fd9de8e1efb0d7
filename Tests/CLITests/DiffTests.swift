import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `grpcdump diff`: committed captures that differ in known ways, a capture against itself, and
/// two fresh recordings of the same scenarios (different ports, times and latencies) that must
/// compare equal once their volatile values are ignored.
@Suite(.timeLimit(.minutes(3)))
struct DiffTests {
    @Test func aCaptureEqualsItself() throws {
        let result = try CommandRunner.grpcdump(["diff", "captures/reference-lo.pcap", "captures/reference-lo.pcap"])
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("summary: 76 paired (76 same, 0 different), 0 only in A, 0 only in B\n"), "\(result.stdout)")
    }

    @Test func knownDifferences() throws {
        // reference-any holds a subset of reference-lo's scenarios: the second GetUser of each is a
        // different call (an invalid id in one, an unknown one in the other), and so on.
        let result = try CommandRunner.grpcdump(["diff", "captures/reference-lo.pcap", "captures/reference-any.pcapng", "--ignore-field", "sent_at"])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("  status: INVALID_ARGUMENT \"invalid user id -1\" → NOT_FOUND \"user 999 not found\""))
        #expect(lines.contains("  request[0].id: -1 → 999"))
        #expect(lines.contains("  request header grpc-encoding: \"gzip\" → \"deflate\""))
        #expect(lines.filter { $0.hasPrefix("only in A: ") }.count == 65)
        #expect(!lines.contains { $0.contains("sent_at") })
        #expect(lines.last == "summary: 11 paired (9 same, 2 different), 65 only in A, 0 only in B")

        // Paired by request id instead: GetUser id=999 is the same call on both sides.
        let keyed = try CommandRunner.grpcdump(["diff", "--json", "captures/reference-lo.pcap", "captures/reference-any.pcapng", "--key", "id", "--ignore-field", "sent_at"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(keyed.stdout.utf8)) as? [String: Any])
        let onlyInA = try #require(object["only_in_a"] as? [[String: Any]])
        #expect(onlyInA.contains { $0["pairing"] as? String == "id=-1 #1" })
        #expect(!onlyInA.contains { ($0["pairing"] as? String)?.hasPrefix("id=999") == true })
        #expect(object["same"] as? Bool == false)
    }

    @Test func troubleIsExitStatusTwo() throws {
        let missing = try CommandRunner.grpcdump(["diff", "captures/reference-lo.pcap", "/nonexistent.pcap"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot open '/nonexistent.pcap'"))
        let notCapture = try CommandRunner.grpcdump(["diff", "captures/reference-lo.pcap", "captures/README.md"])
        #expect(notCapture.status == 2)
        #expect(notCapture.stderr.contains("captures/README.md: not a pcap or pcapng capture"))
        // Both are read at once; the first capture's trouble is the one reported.
        let both = try CommandRunner.grpcdump(["diff", "/nonexistent-a.pcap", "captures/README.md"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("cannot open '/nonexistent-a.pcap'") && !both.stderr.contains("README"))
    }

    @Test(.enabled(if: getuid() == 0, "live capture needs root"))
    func twoRecordingsOfTheSameScenariosAreEqual() throws {
        let directory = try CommandRunner.temporaryDirectory("diff")
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for run in 1...2 {
            let server = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet"], waitFor: "listening on", onStandardError: false)
            defer { server.stop() }
            let port = try #require(server.listeningPort)
            let file = directory.appendingPathComponent("run\(run).pcapng").path
            let sniffer = try LiveSniffTests.Sniffer(["-i", "lo", "-w", file, "tcp", "port", "\(port)"], in: directory)
            let client = try CommandRunner.grpcdump(["call", "--target", "127.0.0.1:\(port)", "--scenario", "unary", "--scenario", "server-streaming",
                                                     "--scenario", "client-streaming", "--scenario", "bidi-chat", "--scenario", "invalid-argument", "--scenario", "not-found"])
            #expect(client.status == 0, "\(client.stdout)")
            usleep(300_000)
            #expect(sniffer.stop(with: SIGINT) == 0)
            files.append(file)
        }
        let same = try CommandRunner.grpcdump(["diff", files[0], files[1], "--ignore-header", ":authority", "--ignore-field", "sent_at", "--latency-threshold", "100000"])
        #expect(same.status == 0, "\(same.stdout)")
        #expect(same.stdout.contains(" 0 different), 0 only in A, 0 only in B"))
    }
}
