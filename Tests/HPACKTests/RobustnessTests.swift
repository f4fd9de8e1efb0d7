import Testing
@testable import HPACK

// No input traps, and every reported span stays inside its block.

/// A small deterministic generator (64-bit LCG), so failures reproduce.
private struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 11
    }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}

@Test(arguments: [false, true])
func randomBytesNeverTrap(startsMidConnection: Bool) {
    var generator = Generator(state: startsMidConnection ? 7 : 11)
    var decoder = HPACKDecoder(startsMidConnection: startsMidConnection)
    var offset = 0
    for round in 0..<20_000 {
        let count = Int(generator.next() % 48)
        let block = (0..<count).map { _ in generator.byte() }
        let decoded = decoder.decode(block: block, baseOffset: offset)
        #expect(decoded.span == offset..<(offset + count))
        expectSpansWithin(decoded)
        offset += count
        // Now and then, a new SETTINGS value, as a connection might see.
        if round % 1000 == 999 { decoder.setMaxTableSize(Int(generator.next() % 8192)) }
    }
}

/// Random sequences of valid-looking representations (biased towards the first-octet patterns)
/// reach deeper than uniform bytes.
@Test func structuredRandomBlocksNeverTrap() {
    var generator = Generator(state: 3)
    var decoder = HPACKDecoder(maxTableSize: 512, startsMidConnection: true)
    for _ in 0..<5000 {
        var block: [UInt8] = []
        for _ in 0..<Int(generator.next() % 6) {
            switch generator.next() % 5 {
            case 0: block += Wire.indexed(Int(generator.next() % 90))
            case 1: block += Wire.literal(.literalWithIncrementalIndexing, nameIndex: Int(generator.next() % 70), name: "n", value: "v", huffman: generator.next() % 2 == 0)
            case 2: block += Wire.literal(.literalNeverIndexed, name: "x", value: String(repeating: "y", count: Int(generator.next() % 40)))
            case 3: block += Wire.sizeUpdate(Int(generator.next() % 600))
            default: block += (0..<Int(generator.next() % 4)).map { _ in generator.byte() }
            }
        }
        let decoded = decoder.decode(block: block, baseOffset: 77)
        expectSpansWithin(decoded)
    }
}

/// Every truncation of every RFC 7541 Appendix C block, decoded in its sequence's context: the
/// fields that fit completely are decoded as in the full block, the cut one is reported as
/// truncated with the undecoded span running to the end, and nothing traps.
@Test(arguments: appendixCSequences)
func everyTruncationOfAppendixC(_ sequence: AppendixSequence) {
    var context = HPACKDecoder(maxTableSize: sequence.maxTableSize)
    for step in sequence.steps {
        let wire = hex(step.wire)
        var full = context
        let complete = full.decode(block: wire, baseOffset: 1000)
        for length in 0..<wire.count {
            var decoder = context
            let block = decoder.decode(block: wire[..<length], baseOffset: 1000)
            expectSpansWithin(block)
            let whole = complete.fields.filter { $0.span.upperBound <= 1000 + length }
            #expect(block.fields == whole, "\(step.section) cut at \(length)")
            if whole.last?.span.upperBound == 1000 + length || (whole.isEmpty && length == 0) {
                #expect(block.diagnostics.isEmpty, "\(step.section) cut at \(length) on a boundary")
                #expect(block.undecoded == nil)
            } else {
                let codes: Set<HPACKDiagnostic.Code> = [.truncatedInteger, .truncatedString]
                #expect(block.diagnostics.first.map { codes.contains($0.code) } == true, "\(step.section) cut at \(length)")
                #expect(block.undecoded?.span == (whole.last?.span.upperBound ?? 1000)..<(1000 + length))
                #expect(decoder.isTablePartlyKnown)
            }
        }
        context = full
    }
}

@Test func everyTruncationOfRandomCorpusBlocks() {
    // A few hundred real blocks from the corpus, each cut at every length.
    let story = Corpus.stories.first { $0.testDescription == "python-hpack/story_05.json" }
    #expect(story != nil)
    var context = HPACKDecoder()
    for testCase in story?.cases.prefix(60) ?? [] {
        let wire = hex(testCase.wire)
        for length in 0..<wire.count {
            var decoder = context
            expectSpansWithin(decoder.decode(block: wire[..<length], baseOffset: 5))
        }
        _ = context.decode(block: wire)
    }
}
