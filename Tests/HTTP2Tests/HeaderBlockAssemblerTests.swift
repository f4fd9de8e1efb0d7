import HTTP2
import Testing

/// RFC 9113 §4.3, §6.10: a block joined from a HEADERS fragment and its CONTINUATION fragments
/// says where each fragment began, in the block and in the stream (the annotator places each
/// field's bytes with it).
@Test func joinedBlockKnowsWhereEachFragmentBegan() throws {
    var assembler = HeaderBlockAssembler()
    assembler.begin(stream: 1, startedBy: .headers, fragment: [0x82, 0x86], at: 9)
    #expect(assembler.continue(stream: 1, fragment: [0x84], at: 20) == .joined)
    #expect(assembler.continue(stream: 1, fragment: [0x87], at: 30) == .joined)
    let finished = assembler.finish()
    let (block, pieces) = try #require(finished)
    #expect(block.bytes == [0x82, 0x86, 0x84, 0x87])
    #expect(block.frames == 3)
    #expect(pieces.map(\.blockOffset) == [0, 2, 3])
    #expect(pieces.map(\.offset) == [9, 20, 30])
    #expect(block.decoded?.fields.map(\.valueString) == ["GET", "http", "/", "https"])
}

@Test func blockOfOneFragment() throws {
    var assembler = HeaderBlockAssembler()
    assembler.begin(stream: 3, startedBy: .headers, fragment: [0x88], at: 100)
    let finished = assembler.finish()
    let (block, pieces) = try #require(finished)
    #expect(block.frames == 1)
    #expect(pieces.map(\.blockOffset) == [0])
    #expect(pieces.map(\.offset) == [100])
    #expect(block.decoded?.fields.map(\.valueString) == ["200"])
    let again = assembler.finish()
    #expect(again == nil)
}
