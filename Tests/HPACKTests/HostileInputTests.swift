import Testing
@testable import HPACK

// Limits and RFC 7541 decoding errors: each is reported as data with an absolute byte span
// (blocks here start at offset 1000), and decoding keeps what it can.

private let base = 1000

private func decodeOnce(_ block: [UInt8], limits: HPACKLimits = .default, maxTableSize: Int = 4096) -> HeaderBlock {
    var decoder = HPACKDecoder(maxTableSize: maxTableSize, limits: limits)
    return decoder.decode(block: block, baseOffset: base)
}

@Test func indexZero() {
    // RFC 7541 §6.1: index 0 is a decoding error. The field is a placeholder; :method GET follows.
    let block = decodeOnce([0x80, 0x82])
    #expect(block.diagnostics.map(\.code) == [.indexZero])
    #expect(block.diagnostics[0].span == 1000..<1001)
    #expect(block.diagnostics[0].fieldIndex == 0)
    #expect(block.fields[0].nameSource == .invalidIndex(index: 0))
    #expect(block.pairs[1] == [":method", "GET"])
    #expect(block.undecoded == nil)
}

@Test func integerOverflow() {
    // 0x82, then an indexed field whose index exceeds 2^31 - 1.
    let block = decodeOnce([0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x82])
    #expect(block.fields.count == 1)
    #expect(block.diagnostics.first?.code == .integerOverflow)
    #expect(block.diagnostics.first?.span == 1001..<1007)
    #expect(block.undecoded == .init(span: 1001..<1008, reason: .integerOverflow))
}

@Test func integerWithTooManyContinuationOctets() {
    let block = decodeOnce([0xff, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])
    #expect(block.diagnostics.first?.code == .integerTooLong)
    #expect(block.diagnostics.first?.span == 1000..<1006)
    #expect(block.undecoded?.span == 1000..<1008)
}

@Test func truncatedInteger() {
    // :method GET, then 0x7f (incremental indexing, name index needs a continuation octet).
    let block = decodeOnce([0x82, 0x7f])
    #expect(block.pairs == [[":method", "GET"]])
    let diagnostic = block.diagnostics.first
    #expect(diagnostic?.code == .truncatedInteger)
    #expect(diagnostic?.span == 1001..<1002)
    #expect(diagnostic?.length == .init(required: 2, available: 1, source: "name index continuation bit"))
    #expect(block.undecoded == .init(span: 1001..<1002, reason: .truncatedInteger))
}

@Test func truncatedString() {
    // 0x04: without indexing, name :path (4); value length 5 but only "ab" present.
    let block = decodeOnce([0x82, 0x04, 0x05] + bytes("ab"))
    #expect(block.fields.count == 1)
    let diagnostic = block.diagnostics.first
    #expect(diagnostic?.code == .truncatedString)
    #expect(diagnostic?.span == 1002..<1005)
    #expect(diagnostic?.length == .init(required: 5, available: 2, source: "value string length prefix"))
    #expect(block.undecoded == .init(span: 1001..<1005, reason: .truncatedString))
}

@Test func missingValueString() {
    // A literal whose value string is missing entirely.
    let block = decodeOnce([0x04])
    #expect(block.diagnostics.first?.code == .truncatedString)
    #expect(block.diagnostics.first?.span == 1001..<1001)
    #expect(block.undecoded?.span == 1000..<1001)
}

@Test func stringOverTheLimitIsSkippedAndDecodingContinues() {
    let limits = HPACKLimits(maxStringLength: 4)
    let block = decodeOnce(
        Wire.literal(.literalWithoutIndexing, name: "custom", value: "ok") + Wire.indexed(2), limits: limits)
    #expect(block.diagnostics.map(\.code) == [.stringTooLong])
    #expect(block.diagnostics[0].span == 1001..<1008)  // the name string: length octet + 6 octets
    #expect(block.diagnostics[0].fieldIndex == 0)
    #expect(block.fields[0].name == nil && block.fields[0].value == bytes("ok"))
    #expect(block.fields[0].nameString == "<not decoded>")
    #expect(block.pairs[1] == [":method", "GET"])
}

@Test func huffmanStringOverTheLimitAfterDecoding() {
    // 8 octets of Huffman code for "aaaaaaaaaaaa" (12 symbols of 5 bits = 60 bits); the limit is
    // checked on the decoded length too.
    let limits = HPACKLimits(maxStringLength: 10)
    let block = decodeOnce(Wire.literal(.literalWithoutIndexing, nameIndex: 4, value: String(repeating: "a", count: 12), huffman: true), limits: limits)
    #expect(block.diagnostics.map(\.code) == [.stringTooLong])
    #expect(block.fields[0].value == nil)
    #expect(block.fields[0].valueHuffman == true)
}

@Test func longStringIsInsertedWithUnknownValue() {
    let limits = HPACKLimits(maxStringLength: 4)
    var decoder = HPACKDecoder(limits: limits)
    let block = decoder.decode(block: Wire.literal(.literalWithIncrementalIndexing, nameIndex: 4, value: "/a/long/path"))
    #expect(block.fields[0].insertedIntoTable)
    #expect(decoder.dynamicTable[dynamicIndex: 1] == DynamicTableEntry(name: bytes(":path"), value: nil, minimumSize: 5 + 12 + 32))
    #expect(decoder.dynamicTable.size == 49)
    let next = decoder.decode(block: Wire.indexed(62))
    #expect(next.pairs == [[":path", "<unknown>"]])
}

@Test func headerListTooLarge() {
    // Three fields of 42 octets each (RFC 7541 §4.1: 7 + 3 + 32); the limit is 100.
    var decoder = HPACKDecoder(limits: HPACKLimits(maxHeaderListSize: 100))
    let field = Wire.literal(.literalWithIncrementalIndexing, name: "x-field", value: "abc")  // 13 octets
    let block = decoder.decode(block: Wire.indexed(2) + field + field + field, baseOffset: base)
    #expect(block.fields.count == 2)  // :method GET (42) + first x-field (42) = 84
    #expect(block.headerListSize == 42 * 4)
    #expect(block.diagnostics.map(\.code) == [.headerListTooLarge])
    #expect(block.diagnostics[0].span == 1014..<1027)
    #expect(block.undecoded == .init(span: 1014..<1040, reason: .headerListTooLarge))
    // Fields past the limit were still applied to the dynamic table.
    #expect(decoder.dynamicTable.count == 3)
    #expect(!decoder.isTablePartlyKnown)
}

// RFC 7541 §6.3: a size update above SETTINGS_HEADER_TABLE_SIZE is an error (applied anyway).
@Test func tableSizeUpdateAboveTheMaximum() {
    var decoder = HPACKDecoder(maxTableSize: 4096)
    let block = decoder.decode(block: Wire.sizeUpdate(8192) + Wire.indexed(2), baseOffset: base)
    #expect(block.diagnostics.map(\.code) == [.tableSizeUpdateTooLarge])
    #expect(block.diagnostics[0].span == 1000..<1003)
    #expect(block.sizeUpdates == [TableSizeUpdate(maxSize: 8192, span: 1000..<1003)])
    #expect(decoder.dynamicTable.maxSize == 8192)
    #expect(block.pairs == [[":method", "GET"]])
}

@Test func tableSizeBeyondTheDecodersOwnLimit() {
    let limits = HPACKLimits(maxTableSize: 100)
    var decoder = HPACKDecoder(maxTableSize: 4096, limits: limits)
    let entry = Wire.literal(.literalWithIncrementalIndexing, name: "k", value: String(repeating: "v", count: 30))  // 63
    _ = decoder.decode(block: entry + entry)  // the second evicts the first here, not at the encoder
    #expect(decoder.dynamicTable.count == 1)
    #expect(decoder.isTablePartlyKnown)
    // The encoder may still reference the evicted entry: it decodes as unknown, not as an error.
    let block = decoder.decode(block: Wire.indexed(63))
    #expect(block.fields[0].nameSource == .unknownDynamic(index: 63))
    #expect(block.diagnostics.isEmpty)

    let update = decoder.decode(block: Wire.sizeUpdate(4000))
    #expect(update.diagnostics.map(\.code) == [.tableSizeLimited])
}

// RFC 7541 §4.2: a size update must come at the beginning of a block.
@Test func tableSizeUpdateAfterAField() {
    var decoder = HPACKDecoder()
    let block = decoder.decode(block: Wire.indexed(2) + Wire.sizeUpdate(100), baseOffset: base)
    #expect(block.diagnostics.map(\.code) == [.tableSizeUpdateNotAtStart])
    #expect(block.diagnostics[0].span == 1001..<1003)
    #expect(decoder.dynamicTable.maxSize == 100)
}

// RFC 7541 §4.2: after SETTINGS_HEADER_TABLE_SIZE drops, the next block must open with an update.
@Test func missingTableSizeUpdateAfterSettingsDrop() {
    var decoder = HPACKDecoder()
    decoder.setMaxTableSize(1024)
    let without = decoder.decode(block: Wire.indexed(2), baseOffset: base)
    #expect(without.diagnostics.map(\.code) == [.missingTableSizeUpdate])
    #expect(without.diagnostics[0].severity == .warning)
    #expect(without.diagnostics[0].span == 1000..<1001)

    decoder.setMaxTableSize(512)
    let with = decoder.decode(block: Wire.sizeUpdate(256) + Wire.indexed(2))
    #expect(with.diagnostics.isEmpty)
    // Raising the limit requires nothing.
    decoder.setMaxTableSize(4096)
    #expect(decoder.decode(block: Wire.indexed(2)).diagnostics.isEmpty)
}

@Test func huffmanPaddingTooLongInAField() {
    // Value "a" Huffman-coded with an extra 0xff octet: 11 bits of padding. The value is kept.
    let block = decodeOnce([0x04, 0x82, 0x1f, 0xff, 0x82])
    #expect(block.diagnostics.map(\.code) == [.huffmanPaddingTooLong])
    #expect(block.diagnostics[0].span == 1002..<1004)
    #expect(block.pairs == [[":path", "a"], [":method", "GET"]])
}

@Test func huffmanPaddingNotOnesInAField() {
    let block = decodeOnce([0x04, 0x81, 0x18])
    #expect(block.diagnostics.map(\.code) == [.huffmanPaddingNotOnes])
    #expect(block.diagnostics[0].span == 1002..<1003)
    #expect(block.fields[0].value == bytes("a"))
}

@Test func huffmanEOSInAField() {
    // Name literal "x-a" plain; value Huffman "a" then EOS, completing in the value's fifth octet.
    let block = decodeOnce([0x00] + Wire.string("x-a") + [0x85, 0x1f, 0xff, 0xff, 0xff, 0xff])
    #expect(block.diagnostics.map(\.code) == [.huffmanEOS])
    #expect(block.diagnostics[0].span == 1010..<1011)
    #expect(block.fields[0].value == bytes("a"))
    #expect(block.fields[0].nameHuffman == false && block.fields[0].valueHuffman == true)
}

@Test func diagnosticsDescribeThemselves() {
    let block = decodeOnce([0x04, 0x05] + bytes("ab"))
    #expect(block.diagnostics[0].description
        == "hpack error: value string runs past the end of the block (value string length prefix requires 5 bytes, 2 available) [hpack.truncated_string, RFC 7541 §5.2, bytes 1001..<1004]")
    #expect(HPACKDiagnostic.Code.allCases.allSatisfy { !$0.rawValue.isEmpty })
}
