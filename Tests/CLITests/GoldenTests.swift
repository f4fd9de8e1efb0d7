import Foundation
import Testing

/// Golden outputs: every `captures/*.txt` file starts with the grpcdump command that produced it
/// (run from the package root); the rest is its standard output, then `--- stderr ---` and its
/// standard error. `GRPCDUMP_RECORD=1` rewrites them from the current build: review with git diff.
@Suite struct GoldenTests {
    static let goldenFiles: [String] = {
        let directory = CommandRunner.packageRoot.appendingPathComponent("captures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }()

    @Test func thereAreGoldenFiles() {
        #expect(Self.goldenFiles.count >= 4)
    }

    @Test(arguments: goldenFiles)
    func matchesGolden(name: String) throws {
        let url = CommandRunner.packageRoot.appendingPathComponent("captures").appendingPathComponent(name)
        let golden = try String(contentsOf: url, encoding: .utf8)
        let command = String(golden.prefix { $0 != "\n" })
        let words = command.split(separator: " ").map(String.init)
        try #require(words.first == "grpcdump", "first line must be the grpcdump command: \(command)")
        let result = try CommandRunner.grpcdump(Array(words.dropFirst()))
        let actual = command + "\n" + result.stdout + "--- stderr ---\n" + result.stderr
        if ProcessInfo.processInfo.environment["GRPCDUMP_RECORD"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(result.status == 0)
        #expect(actual == golden, "output of `\(command)` differs from \(name); re-record with GRPCDUMP_RECORD=1 and review")
    }
}
