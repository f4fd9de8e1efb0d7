import Foundation
import Reference
import Testing

/// The reference side's key log: a server and its clients (separate processes) append to one
/// file, as the benchmark's TLS twin records it.
@Suite struct KeyLogFileTests {
    @Test func twoWritersSharingOneFileKeepEveryLine() throws {
        let directory = try CommandRunner.temporaryDirectory("keylog")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("keys.log").path
        try Data("CLIENT_RANDOM 00 11\n".utf8).write(to: URL(fileURLWithPath: path))
        // Both opened before either writes, as two processes starting together would.
        let server = try KeyLogFile(path: path), client = try KeyLogFile(path: path)
        var expected = ["CLIENT_RANDOM 00 11"]
        for index in 0..<50 {
            let line = "CLIENT_TRAFFIC_SECRET_0 \(String(format: "%064x", index)) \(String(repeating: "ab", count: 32))"
            (index.isMultiple(of: 2) ? server : client).append(Array((line + "\n").utf8))
            expected.append(line)
        }
        let written = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(written == expected)
    }
}
