import Foundation
import Testing
import Zlib
@testable import HPACK

// The hpack-test-case corpus (https://github.com/http2jp/hpack-test-case, MIT), packed by
// scripts/pack-hpack-corpus.py into Fixtures/hpack-test-case/FOLDER.json.gz and read back with our
// own Zlib module. Each story shares one decoder across its cases, in order.

struct CorpusCase: Decodable, Sendable {
    var seqno: Int
    var header_table_size: Int?
    var wire: String
    var headers: [[String]]
}

struct CorpusStory: Decodable, Sendable, CustomTestStringConvertible {
    var folder = ""
    var story: String
    var cases: [CorpusCase]
    var testDescription: String { "\(folder)/\(story)" }

    private enum CodingKeys: String, CodingKey { case story, cases }
}

enum Corpus {
    static let folders = [
        "nghttp2", "nghttp2-16384-4096", "nghttp2-change-table-size", "node-http2-hpack", "python-hpack",
        "swift-nio-hpack-huffman", "swift-nio-hpack-plain-text",
    ]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hpack-test-case")

    /// Every story of every folder; empty (and `loadErrors` filled) if a fixture cannot be read, so
    /// that `corpusIsComplete` fails loudly instead of the parameterised tests running nothing.
    static let loaded: (stories: [CorpusStory], errors: [String]) = {
        var stories: [CorpusStory] = []
        var errors: [String] = []
        for folder in folders {
            let url = directory.appendingPathComponent("\(folder).json.gz")
            guard let data = try? Data(contentsOf: url) else {
                errors.append("cannot read \(url.path)")
                continue
            }
            switch Inflater.inflate(data, format: .gzip, maxOutput: 16 << 20) {
            case .failure(let error):
                errors.append("\(folder): \(error)")
            case .success(let json):
                do {
                    for var story in try JSONDecoder().decode([CorpusStory].self, from: Data(json)) {
                        story.folder = folder
                        stories.append(story)
                    }
                } catch {
                    errors.append("\(folder): \(error)")
                }
            }
        }
        return (stories, errors)
    }()

    static var stories: [CorpusStory] { loaded.stories }
}

@Test func corpusIsComplete() {
    #expect(Corpus.loaded.errors == [])
    #expect(Corpus.stories.count == 222)
    #expect(Corpus.stories.reduce(0) { $0 + $1.cases.count } == 23_454)
}

@Test(arguments: Corpus.stories)
func corpusStory(_ story: CorpusStory) {
    var decoder = HPACKDecoder()
    var offset = 0
    for testCase in story.cases {
        if let size = testCase.header_table_size { decoder.setMaxTableSize(size) }
        let wire = hex(testCase.wire)
        let block = decoder.decode(block: wire, baseOffset: offset)
        offset += wire.count
        let expected = testCase.headers.map { [bytes($0[0]), bytes($0[1])] }
        let decoded = block.fields.map { [$0.name ?? [], $0.value ?? []] }
        guard block.diagnostics.isEmpty, block.undecoded == nil, decoded == expected, !decoder.isTablePartlyKnown else {
            Issue.record("""
                case \(testCase.seqno): diagnostics \(block.diagnostics), undecoded \(String(describing: block.undecoded))
                  got      \(block.pairs)
                  expected \(testCase.headers)
                """)
            return
        }
        // Representations tile the block: fields and size updates, in order, without gaps.
        let spans = (block.fields.map(\.span) + block.sizeUpdates.map(\.span)).sorted { $0.lowerBound < $1.lowerBound }
        var position = block.span.lowerBound
        for span in spans {
            #expect(span.lowerBound == position, "case \(testCase.seqno): gap before \(span)")
            position = span.upperBound
        }
        #expect(position == block.span.upperBound, "case \(testCase.seqno)")
    }
}

/// The same stories as if the capture had started a third of the way in: a decoder that starts
/// mid-connection (after the last SETTINGS seen) must decode every field it can exactly, show
/// the rest as placeholders, and never report an error.
@Test(arguments: Corpus.stories)
func corpusStoryFromMidConnection(_ story: CorpusStory) {
    _ = decodeFromMidConnection(story)
}

@Test func midConnectionCorpusMostlyDecodesExactly() {
    let counts = Corpus.stories.map(decodeFromMidConnection)
    let placeholders = counts.reduce(0) { $0 + $1.placeholders }
    let exact = counts.reduce(0) { $0 + $1.exact }
    // Many fields refer to entries from before the start (about 11,000); far more (about
    // 169,000) are decoded exactly.
    #expect(placeholders > 1000)
    #expect(exact > 10 * placeholders)
}

/// Decodes the last two thirds of `story` with a mid-connection decoder, checking each field
/// against the corpus; returns how many fields were placeholders and how many were exact.
private func decodeFromMidConnection(_ story: CorpusStory) -> (placeholders: Int, exact: Int) {
    let start = story.cases.count / 3
    let tableSize = story.cases[..<start].last { $0.header_table_size != nil }?.header_table_size ?? 4096
    var decoder = HPACKDecoder(maxTableSize: tableSize, startsMidConnection: true)
    var placeholders = 0
    var exact = 0
    for testCase in story.cases[start...] {
        if let size = testCase.header_table_size { decoder.setMaxTableSize(size) }
        let partlyKnown = decoder.isTablePartlyKnown
        let block = decoder.decode(block: hex(testCase.wire))
        let errors = block.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, block.undecoded == nil, block.fields.count == testCase.headers.count else {
            Issue.record("\(story.testDescription) case \(testCase.seqno): \(block.diagnostics), \(block.fields.count) fields")
            break
        }
        for (field, expected) in zip(block.fields, testCase.headers) {
            if field.name == nil || field.value == nil {
                #expect(partlyKnown, "\(story.testDescription) case \(testCase.seqno): placeholder with a fully known table")
                placeholders += 1
            } else {
                exact += 1
            }
            if let name = field.name { #expect(name == bytes(expected[0]), "\(story.testDescription) case \(testCase.seqno)") }
            if let value = field.value { #expect(value == bytes(expected[1]), "\(story.testDescription) case \(testCase.seqno)") }
        }
    }
    return (placeholders, exact)
}
