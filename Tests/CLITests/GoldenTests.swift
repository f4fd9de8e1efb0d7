import Foundation
import Testing

/// Golden outputs: every `captures/*.txt` and `Tests/CLITests/Goldens/*.txt` file starts with the
/// grpcdump command that produced it (run from the package root); the rest is its standard output,
/// then `--- stderr ---` and its standard error, then `--- exit status N ---` when N is not 0.
/// `GRPCDUMP_RECORD=1` rewrites them from the current build: review with git diff.
@Suite struct GoldenTests {
    static let directories = ["captures", "Tests/CLITests/Goldens"]

    /// Paths relative to the package root.
    static let goldenFiles: [String] = directories.flatMap { directory in
        let names = (try? FileManager.default.contentsOfDirectory(atPath: CommandRunner.packageRoot.appendingPathComponent(directory).path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().map { directory + "/" + $0 }
    }

    @Test func thereAreGoldenFiles() {
        #expect(Self.goldenFiles.count >= 4)
    }

    @Test(arguments: goldenFiles)
    func matchesGolden(name: String) throws {
        let url = CommandRunner.packageRoot.appendingPathComponent(name)
        let golden = try String(contentsOf: url, encoding: .utf8)
        let command = String(golden.prefix { $0 != "\n" })
        let words = command.split(separator: " ").map(String.init)
        try #require(words.first == "grpcdump", "first line must be the grpcdump command: \(command)")
        let result = try CommandRunner.grpcdump(Array(words.dropFirst()))
        let actual = command + "\n" + result.stdout + "--- stderr ---\n" + result.stderr + (result.status == 0 ? "" : "--- exit status \(result.status) ---\n")
        if ProcessInfo.processInfo.environment["GRPCDUMP_RECORD"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(actual == golden, "output of `\(command)` differs from \(name); re-record with GRPCDUMP_RECORD=1 and review")
    }
}
