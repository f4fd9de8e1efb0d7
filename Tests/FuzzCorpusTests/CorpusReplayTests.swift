import Foundation
import FuzzTargets
import Testing

/// CI does not fuzz: it replays what fuzzing kept. Every committed corpus input (the archive
/// Corpus/TARGET.corpus.gz, written by `scripts/fuzz.sh merge`) and every input that once
/// crashed or hung a target (Regressions/TARGET/, each named after what it found) runs through
/// its target; a trap fails the whole run, as a fuzzer's finding would.
@Suite struct CorpusReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    @Test(arguments: FuzzTarget.allCases)
    func corpusReplays(_ target: FuzzTarget) throws {
        let archive = Self.root.appendingPathComponent("Corpus/\(target.rawValue).corpus.gz")
        let inputs = try #require(CorpusArchive.unpack([UInt8](try Data(contentsOf: archive))))
        #expect(inputs.count >= 5, "the committed corpus of \(target.rawValue) has \(inputs.count) inputs")
        for input in inputs { target.run(input) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func regressionsReplay(_ target: FuzzTarget) throws {
        let directory = Self.root.appendingPathComponent("Regressions/\(target.rawValue)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names.sorted() { target.run([UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))) }
    }

    /// The archive keeps every input, byte for byte.
    @Test func archivesRoundTrip() {
        let inputs: [[UInt8]] = [[], [0], Array(0...255), [UInt8](repeating: 7, count: 70_000)]
        #expect(CorpusArchive.unpack(CorpusArchive.pack(inputs)) == inputs)
        #expect(CorpusArchive.unpack([1, 2, 3]) == nil)
    }
}
