import Foundation
import Testing

/// `--threads`: the output is the same, byte for byte, for any number of decoding threads.
@Suite struct ThreadsTests {
    /// Every golden command on one thread and on three (the goldens themselves run with the
    /// default, one per core).
    @Test(arguments: GoldenTests.goldenFiles.filter { !$0.contains("-i ") }, [1, 3])
    func everyGoldenIsTheSameOnAnyNumberOfThreads(name: String, threads: Int) throws {
        let golden = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent(name), encoding: .utf8)
        let command = String(golden.prefix { $0 != "\n" })
        let words = command.split(separator: " ").map(String.init).dropFirst()
        guard words.contains("-r") else { return }
        let result = try CommandRunner.grpcdump(Array(words) + ["--threads", "\(threads)"])
        let actual = command + "\n" + result.stdout + "--- stderr ---\n" + result.stderr + (result.status == 0 ? "" : "--- exit status \(result.status) ---\n")
        #expect(actual == golden, "`\(command) --threads \(threads)` differs from \(name)")
    }

    /// Views the goldens do not all cover, on captures with many connections, TLS and
    /// diagnostics: one thread and four give the same standard output, error and status.
    @Test(arguments: [
        ["-r", "captures/reference-lo.pcap", "-vv", "-x", "--stats"],
        ["-r", "captures/reference-lo.pcap", "--json", "--json-raw", "--stats"],
        ["-r", "captures/grpcio-long-reordered.pcap", "--layer", "http2", "--json"],
        ["-r", "captures/http-lo-and-any.pcapng", "--layer", "tcp", "-v"],
        ["-r", "captures/reference-tls.pcap", "--keylog", "captures/reference-tls.keys", "--layer", "tls", "-v"],
        ["-r", "Tests/TLSTests/Fixtures/grpc-python-tls-proxy-midsession.pcap", "--keylog",
         "Tests/TLSTests/Fixtures/grpc-python-tls-proxy-midsession.keys", "-v", "--layer", "tcp"],
        ["-r", "Tests/TLSTests/Fixtures/grpc-python-tls-proxy-dsb.pcapng", "-vv"],
    ])
    func oneThreadAndFourAgree(arguments: [String]) throws {
        let one = try CommandRunner.grpcdump(arguments + ["--threads", "1"])
        let four = try CommandRunner.grpcdump(arguments + ["--threads", "4"])
        #expect(one.status == 0 && !one.stdout.isEmpty)
        #expect(four.stdout == one.stdout)
        #expect(four.stderr == one.stderr)
        #expect(four.status == one.status)
    }

    /// `-w` writes the TLS sessions' secrets in the order their ClientHellos were seen, whichever
    /// thread decoded them.
    @Test func theSavedCaptureIsTheSameOnAnyNumberOfThreads() throws {
        let directory = try CommandRunner.temporaryDirectory("threads")
        defer { try? FileManager.default.removeItem(at: directory) }
        var saved: [Data] = []
        for threads in [1, 3] {
            let file = directory.appendingPathComponent("saved-\(threads).pcapng")
            let result = try CommandRunner.grpcdump(["-r", "captures/reference-tls.pcap", "--keylog", "captures/reference-tls.keys",
                                                     "-w", file.path, "--threads", "\(threads)"])
            #expect(result.status == 0, "\(result.stderr)")
            saved.append(try Data(contentsOf: file))
        }
        #expect(saved[0].count > 1000 && saved[0] == saved[1])
    }

    @Test(arguments: ["0", "-2", "257", "many"])
    func aBadThreadCountIsAClearError(value: String) throws {
        let result = try CommandRunner.grpcdump(["-r", "captures/reference-lo.pcap", "--threads", value])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--threads"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
