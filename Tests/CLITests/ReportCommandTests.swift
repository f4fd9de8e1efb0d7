import Foundation
import Testing

/// `grpcdump report`'s command line: what it says about bad input, without a browser.
struct ReportCommandTests {
    @Test func badInputGetsAClearMessage() throws {
        let directory = try CommandRunner.temporaryDirectory("report-errors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("page.html").path

        let missing = try CommandRunner.grpcdump(["report", "no-such.pcap", "-o", page])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-such.pcap"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: page))

        let notCapture = try CommandRunner.grpcdump(["report", "README.md", "-o", page])
        #expect(notCapture.status == 1)
        #expect(!FileManager.default.fileExists(atPath: page))

        let noOutput = try CommandRunner.grpcdump(["report", "captures/reference-lo.pcap"])
        #expect(noOutput.status == 64)
        #expect(noOutput.stderr.contains("--output"), "\(noOutput.stderr)")

        let threads = try CommandRunner.grpcdump(["report", "captures/reference-lo.pcap", "-o", page, "--threads", "2"])
        #expect(threads.status == 64)
        #expect(threads.stderr.contains("one thread"), "\(threads.stderr)")

        let unwritable = try CommandRunner.grpcdump(["report", "captures/reference-lo.pcap", "-o", directory.appendingPathComponent("no/such/dir.html").path])
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr.contains("cannot write"), "\(unwritable.stderr)")

        let badFilter = try CommandRunner.grpcdump(["report", "captures/reference-lo.pcap", "-o", page, "tcp", "port", "nonsense"])
        #expect(badFilter.status == 2)
    }

    @Test func theFileMayBeNamedWithDashROrFirstAndFiltersChooseTheCalls() throws {
        let directory = try CommandRunner.temporaryDirectory("report-args")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("a.html"), named = directory.appendingPathComponent("b.html")
        let a = try CommandRunner.grpcdump(["report", "captures/reference-lo.pcap", "-o", first.path, "--status", "NOT_FOUND"])
        let b = try CommandRunner.grpcdump(["report", "-o", named.path, "-r", "captures/reference-lo.pcap", "--status", "NOT_FOUND"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(a.stderr.contains("report: 2 calls written to"), "\(a.stderr)")
        #expect(try Data(contentsOf: first) == Data(contentsOf: named))
    }
}
