import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `grpcdump -i lo` while the reference client runs its scenarios against the reference server:
/// every call appears, decoded, as it happens; SIGINT and SIGTERM stop it cleanly with libpcap's
/// counts; -w saves what was captured; -c stops after N calls; without the capability to
/// capture, a clear message.
@Suite(.serialized, .timeLimit(.minutes(4)), .enabled(if: getuid() == 0, "live capture needs root"))
struct LiveSniffTests {
    /// grpcdump running with its standard output and error going to files, read while it runs.
    final class Sniffer {
        let process = Process()
        let out: URL, err: URL

        init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
            out = directory.appendingPathComponent("out-\(UUID().uuidString).txt")
            err = directory.appendingPathComponent("err-\(UUID().uuidString).txt")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            process.executableURL = CommandRunner.grpcdump
            process.arguments = arguments
            if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
            let started = Date()
            while !stderr.contains("capturing on"), process.isRunning, Date().timeIntervalSince(started) < 20 { usleep(50_000) }
        }

        var stdout: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }

        /// Sends `signal` and waits (at most 10 s) for the exit status.
        func stop(with signal: Int32) -> Int32? {
            kill(process.processIdentifier, signal)
            let asked = Date()
            while process.isRunning, Date().timeIntervalSince(asked) < 10 { usleep(50_000) }
            guard !process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                return nil
            }
            return process.terminationStatus
        }
    }

    @Test func everyScenarioCallAppearsDecodedAndSIGINTStopsCleanly() throws {
        let directory = try CommandRunner.temporaryDirectory("live")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet"], waitFor: "listening on", onStandardError: false)
        defer { server.stop() }
        let port = try #require(server.listeningPort)
        let saved = directory.appendingPathComponent("live.pcapng")
        let sniffer = try Sniffer(["-i", "lo", "--json", "-w", saved.path, "tcp", "port", "\(port)"], in: directory)
        #expect(sniffer.stderr.contains("capturing on lo"), "\(sniffer.stderr)")
        let client = try CommandRunner.grpcdump(["call", "--target", "127.0.0.1:\(port)", "--scenario", "all"])
        #expect(client.status == 0, "\(client.stdout)")
        usleep(500_000)
        #expect(sniffer.stop(with: SIGINT) == 0)

        let calls = try sniffer.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        var seen: [String: Int] = [:]
        for call in calls {
            let status = (call["status"] as? [String: Any])?["name"] as? String ?? "none"
            seen["\(call["method"] as? String ?? "?") \(status)", default: 0] += 1
        }
        #expect(seen == ReferenceTrafficTests.expectedCalls)
        // Decoded with the bundled schemas: a User by its JSON field names.
        #expect(sniffer.stdout.contains(#""type":"userservice.User","json":{"id":"#))
        // The summary, with libpcap's counts.
        #expect(sniffer.stderr.contains("libpcap: "), "\(sniffer.stderr)")
        #expect(sniffer.stderr.contains(" dropped by kernel"))

        // -w: the same calls read back from the saved pcapng.
        let reread = try CommandRunner.grpcdump(["-r", saved.path])
        #expect(reread.status == 0)
        #expect(reread.stdout.split(separator: "\n").count == calls.count)
    }

    @Test func streamingMessagesShowAsTheyArriveAndCountStops() throws {
        let directory = try CommandRunner.temporaryDirectory("live")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet"], waitFor: "listening on", onStandardError: false)
        defer { server.stop() }
        let port = try #require(server.listeningPort)
        // Two chat calls: -c 2 stops the capture by itself once both are over.
        let sniffer = try Sniffer(["-i", "lo", "-v", "-c", "2", "tcp", "port", "\(port)"], in: directory)
        let client = try CommandRunner.grpcdump(["call", "--target", "127.0.0.1:\(port)", "--scenario", "bidi-chat"])
        #expect(client.status == 0, "\(client.stdout)")
        let started = Date()
        while sniffer.process.isRunning, Date().timeIntervalSince(started) < 10 { usleep(50_000) }
        #expect(!sniffer.process.isRunning)
        #expect(sniffer.process.terminationStatus == 0)
        let lines = sniffer.stdout.split(separator: "\n").map(String.init)
        let firstArrival = try #require(lines.firstIndex { $0.hasSuffix("/userservice.UserService/Chat (in progress)") })
        let firstCompletion = try #require(lines.firstIndex { $0.contains("/userservice.UserService/Chat OK") })
        #expect(firstArrival < firstCompletion)
        #expect(lines.contains("  request #1: userservice.ChatMessage, 23 bytes (packet 8, stream offset 203)") || lines.contains { $0.hasPrefix("  request #1: userservice.ChatMessage, ") })
        #expect(lines.contains("    kind: JOIN"))
        #expect(lines.contains("  messages: 3→5, shown as they arrived"))
    }

    @Test func aLiveReportIsWrittenWhenTheCaptureStops() throws {
        let directory = try CommandRunner.temporaryDirectory("live-report")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Background(CommandRunner.grpcdump, ["serve", "--port", "0", "--quiet"], waitFor: "listening on", onStandardError: false)
        defer { server.stop() }
        let port = try #require(server.listeningPort)
        let page = directory.appendingPathComponent("live.html")
        let sniffer = try Sniffer(["report", "-i", "lo", "--duration", "60", "-o", page.path, "tcp", "port", "\(port)"], in: directory)
        #expect(sniffer.stderr.contains("capturing on lo"), "\(sniffer.stderr)")
        let client = try CommandRunner.grpcdump(["call", "--target", "127.0.0.1:\(port)", "--scenario", "all"])
        #expect(client.status == 0, "\(client.stdout)")
        usleep(500_000)
        #expect(sniffer.stop(with: SIGINT) == 0)
        #expect(sniffer.stdout.isEmpty)
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("<title>live capture on lo — grpcdump report</title>"))
        let start = try #require(html.range(of: #"<script type="application/json" id="report-data">"#)).upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        let data = try #require(try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8)) as? [String: Any])
        #expect((data["calls"] as? [[Int]])?.count == ReferenceTrafficTests.expectedCalls.values.reduce(0, +))
        #expect(data["filter"] as? String == "tcp port \(port)")
        #expect(sniffer.stderr.contains("written to \(page.path)"), "\(sniffer.stderr)")
    }

    @Test func sigtermStopsAnIdleCapture() throws {
        let directory = try CommandRunner.temporaryDirectory("live")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A filter nothing matches: another test connects to port 1 at the same time.
        let sniffer = try Sniffer(["-i", "lo", "tcp", "port", "2", "and", "tcp", "port", "3"], in: directory)
        #expect(sniffer.stop(with: SIGTERM) == 0)
        #expect(sniffer.stderr.contains("0 packets"), "\(sniffer.stderr)")
    }

    /// Started as root, the capture becomes `nobody` (or the -Z user) before the first packet;
    /// the file -w writes belongs to the user who ran it through sudo.
    @Test func privilegesAreGivenUpOnceTheInterfaceIsOpen() throws {
        let directory = try CommandRunner.temporaryDirectory("live")
        defer { try? FileManager.default.removeItem(at: directory) }
        func uids(_ sniffer: Sniffer) throws -> String {
            let status = try String(contentsOfFile: "/proc/\(sniffer.process.processIdentifier)/status", encoding: .utf8)
            return try #require(status.split(separator: "\n").first { $0.hasPrefix("Uid:") }).split(separator: "\t").dropFirst().joined(separator: " ")
        }
        let idle = ["tcp", "port", "2", "and", "tcp", "port", "3"]
        let saved = directory.appendingPathComponent("owned.pcapng")
        let byDefault = try Sniffer(["-i", "lo", "-v", "-w", saved.path] + idle, in: directory, environment: ["SUDO_UID": "4321", "SUDO_GID": "4322"])
        #expect(try uids(byDefault) == "65534 65534 65534 65534")  // real, effective, saved, filesystem
        #expect(byDefault.stderr.contains("running as nobody (uid 65534)"), "\(byDefault.stderr)")
        #expect(byDefault.stop(with: SIGTERM) == 0)
        let owner = try FileManager.default.attributesOfItem(atPath: saved.path)
        #expect(owner[.ownerAccountID] as? Int == 4321 && owner[.groupOwnerAccountID] as? Int == 4322)

        let keptRoot = try Sniffer(["-i", "lo", "-Z", "root"] + idle, in: directory)
        #expect(try uids(keptRoot) == "0 0 0 0")
        #expect(keptRoot.stop(with: SIGTERM) == 0)

        let noSuchUser = try CommandRunner.grpcdump(["-i", "lo", "-Z", "no-such-user-here"] + idle)
        #expect(noSuchUser.status == 2)
        #expect(noSuchUser.stderr.contains("-Z no-such-user-here: no such user"), "\(noSuchUser.stderr)")
    }

    @Test func durationStopsByItself() throws {
        let started = Date()
        let result = try CommandRunner.grpcdump(["-i", "lo", "--duration", "1", "tcp", "port", "1"])
        #expect(result.status == 0)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(result.stderr.contains("libpcap: "), "\(result.stderr)")
    }

    @Test func withoutTheCapabilityTheMessageSaysWhatIsNeeded() throws {
        let setpriv = try #require(CommandRunner.which("setpriv"), "setpriv (util-linux) runs grpcdump without privileges")
        let result = try CommandRunner.run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                                                     CommandRunner.grpcdump.path, "-i", "lo"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("permission denied. Live capture needs root or the CAP_NET_RAW capability"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
        let noSuch = try CommandRunner.grpcdump(["-i", "no-such-interface0"])
        #expect(noSuch.status == 2)
        #expect(noSuch.stderr.contains("no interface 'no-such-interface0' (grpcdump -D lists them)"), "\(noSuch.stderr)")
    }
}
