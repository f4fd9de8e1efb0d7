import Testing
@testable import HPACK

// A capture that starts mid-connection: the dynamic table holds entries that were never seen.

@Test func unknownEntryDecodesAsPlaceholderAndDecodingContinues() {
    var decoder = HPACKDecoder(startsMidConnection: true)
    #expect(decoder.isTablePartlyKnown)
    let block = decoder.decode(block: [0xbe, 0x82], baseOffset: 500)  // index 62 (unknown), then :method GET
    #expect(block.diagnostics.isEmpty)
    #expect(block.fields.count == 2)
    #expect(block.fields[0].nameSource == .unknownDynamic(index: 62))
    #expect(block.fields[0].name == nil && block.fields[0].value == nil)
    #expect(block.fields[0].nameString == "<unknown entry #1, index 62>")
    #expect(block.fields[0].valueString == "<value of unknown entry #1>")
    #expect(block.fields[0].span == 500..<501)
    #expect(block.pairs[1] == [":method", "GET"])
}

@Test func insertsShiftTheUnknownRegion() {
    var decoder = HPACKDecoder(startsMidConnection: true)
    // Literal with incremental indexing, new name "a", value "b": becomes index 62.
    _ = decoder.decode(block: Wire.literal(.literalWithIncrementalIndexing, name: "a", value: "b"))
    let block = decoder.decode(block: Wire.indexed(62) + Wire.indexed(63))
    #expect(block.pairs[0] == ["a", "b"])
    #expect(block.fields[0].nameSource == .dynamicTable(index: 62))
    // What was index 62 before the insert is now 63, still unknown: the same entry, #1.
    #expect(block.fields[1].nameSource == .unknownDynamic(index: 63))
    #expect(block.fields[1].unknownEntry == 1 && block.fields[1].nameString == "<unknown entry #1, index 63>")
    #expect(block.diagnostics.isEmpty)
}

@Test func literalWithUnknownNameStillInserts() {
    var decoder = HPACKDecoder(startsMidConnection: true)
    // 0x7f 0x00: incremental indexing, name index 63 (6-bit prefix 63 + 0), an unknown entry.
    let first = decoder.decode(block: [0x7f, 0x00] + Wire.string("v"))
    #expect(first.fields[0].nameSource == .unknownDynamic(index: 63))
    #expect(first.fields[0].name == nil)
    #expect(first.fields[0].value == bytes("v"))
    #expect(first.fields[0].insertedIntoTable)
    // Index 63 with nothing inserted yet: the second-newest entry from before the capture, #2.
    #expect(first.fields[0].nameString == "<unknown entry #2, index 63>")
    #expect(first.fields[0].unknownEntry == 2)
    #expect(decoder.dynamicTable.count == 1)
    #expect(decoder.dynamicTable[dynamicIndex: 1] == DynamicTableEntry(name: nil, value: bytes("v"), minimumSize: 33, unknownName: 2))

    // The new entry (index 62) has a known value and the name of unknown entry #2.
    let second = decoder.decode(block: Wire.indexed(62))
    #expect(second.fields[0].nameSource == .dynamicTable(index: 62))
    #expect(second.fields[0].name == nil && second.fields[0].value == bytes("v"))
    #expect(second.fields[0].nameString == "<unknown entry #2, index 62>")
    #expect(second.diagnostics.isEmpty)
}

@Test func tableBecomesKnownWhenNothingElseFits() {
    var decoder = HPACKDecoder(maxTableSize: 100, startsMidConnection: true)
    // 32 + 1 + 36 = 69 octets: fewer than 32 left, so no unknown entry can remain.
    _ = decoder.decode(block: Wire.literal(.literalWithIncrementalIndexing, name: "n", value: String(repeating: "x", count: 36)))
    #expect(!decoder.isTablePartlyKnown)
    let block = decoder.decode(block: Wire.indexed(63))
    #expect(block.fields[0].nameSource == .invalidIndex(index: 63))
    #expect(block.diagnostics.map(\.code) == [.indexOutOfRange])
}

@Test func evictingAKnownEntryClearsTheUnknownRegion() {
    var decoder = HPACKDecoder(maxTableSize: 200, startsMidConnection: true)
    let entry = Wire.literal(.literalWithIncrementalIndexing, name: "k", value: String(repeating: "v", count: 50))  // 83 octets
    _ = decoder.decode(block: entry + entry)
    #expect(decoder.isTablePartlyKnown)  // 166 of 200 octets known: one unknown entry could fit
    let third = decoder.decode(block: entry)  // 249 > 200: the oldest known entry is evicted
    #expect(third.fields[0].evicted.count == 1)
    #expect(!decoder.isTablePartlyKnown)
}

@Test func sizeUpdateToZeroEmptiesTheUnknownRegion() {
    var decoder = HPACKDecoder(startsMidConnection: true)
    let block = decoder.decode(block: Wire.sizeUpdate(0) + Wire.sizeUpdate(4096) + Wire.indexed(62))
    #expect(block.sizeUpdates.map(\.maxSize) == [0, 4096])
    #expect(!decoder.isTablePartlyKnown)
    #expect(block.diagnostics.map(\.code) == [.indexOutOfRange])
}

@Test func indexBeyondAnyPossibleEntryIsAnErrorEvenMidConnection() {
    var decoder = HPACKDecoder(maxTableSize: 4096, startsMidConnection: true)
    // At most 4096 / 32 = 128 entries: wire index 61 + 128 = 189 is possible, 190 is not.
    let block = decoder.decode(block: Wire.indexed(189) + Wire.indexed(190))
    #expect(block.fields.map(\.nameSource) == [.unknownDynamic(index: 189), .invalidIndex(index: 190)])
    #expect(block.diagnostics.map(\.code) == [.indexOutOfRange])
    #expect(block.diagnostics[0].fieldIndex == 1)
}

@Test func strictDecoderReportsOutOfRangeAndContinues() {
    var decoder = HPACKDecoder()
    #expect(!decoder.isTablePartlyKnown)
    let block = decoder.decode(block: Wire.indexed(62) + Wire.indexed(2), baseOffset: 10)
    #expect(block.fields.count == 2)
    #expect(block.fields[0].nameSource == .invalidIndex(index: 62))
    #expect(block.fields[0].nameString == "<invalid index 62>")
    #expect(block.diagnostics.count == 1)
    #expect(block.diagnostics[0].code == .indexOutOfRange)
    #expect(block.diagnostics[0].severity == .error)
    #expect(block.diagnostics[0].span == 10..<11)
    #expect(block.diagnostics[0].fieldIndex == 0)
    #expect(block.pairs[1] == [":method", "GET"])
}

@Test func strictLiteralWithOutOfRangeNameStillInserts() {
    var decoder = HPACKDecoder()
    // Incremental indexing with name index 70: out of range; the value is known, and the entry
    // is inserted so that later indices stay aligned with the encoder's.
    let block = decoder.decode(block: Wire.integer(70, prefixBits: 6, flags: 0x40) + Wire.string("val"))
    #expect(block.diagnostics.map(\.code) == [.indexOutOfRange])
    #expect(block.fields[0].insertedIntoTable)
    #expect(decoder.dynamicTable[dynamicIndex: 1]?.value == bytes("val"))
    #expect(decoder.isTablePartlyKnown)  // the entry's name is unknown
}

@Test func afterAnUndecodableBlockTheTableIsGivenUp() {
    var decoder = HPACKDecoder()
    _ = decoder.decode(block: Wire.literal(.literalWithIncrementalIndexing, name: "a", value: "b"))
    #expect(decoder.decode(block: Wire.indexed(62)).pairs == [["a", "b"]])
    // An integer overflow leaves the rest of the block unparsed: it may have inserted anything.
    let broken = decoder.decode(block: Wire.indexed(2) + [0xff, 0xff, 0xff, 0xff, 0xff, 0x7f] + Wire.indexed(3))
    #expect(broken.fields.count == 1)
    #expect(broken.diagnostics.map(\.code) == [.integerOverflow, .tableStateLost])
    #expect(decoder.isTablePartlyKnown)
    #expect(decoder.dynamicTable.count == 0)
    let later = decoder.decode(block: Wire.indexed(62))
    #expect(later.fields[0].nameSource == .unknownDynamic(index: 62))
    #expect(later.diagnostics.isEmpty)
}
