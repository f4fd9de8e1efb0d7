import Testing
@testable import HPACK

private func text(_ bytes: [UInt8]) -> String {
    DecodedField(name: bytes, value: [], representation: .indexed, nameSource: .literal, span: 0..<0).nameString
}

@Test func printableTextIsUnchanged() {
    #expect(text(bytes("content-type")) == "content-type")
    #expect(text(bytes("grpc-message: café ✓")) == "grpc-message: café ✓")
}

@Test func invalidUTF8AndControlBytesAreEscaped() {
    #expect(text([0x61, 0xff, 0x62]) == "a\\xffb")
    #expect(text([0xc3]) == "\\xc3")  // a truncated two-octet sequence
    #expect(text(bytes("a\nb\u{0}")) == "a\\x0ab\\x00")
    #expect(text(bytes("\u{7f}\u{85}")) == "\\x7f\\xc2\\x85")  // DEL and a C1 control (two octets)
}

@Test func backslashIsEscapedSoTheTextStaysLossless() {
    #expect(text(bytes("C:\\dir")) == "C:\\\\dir")
    #expect(text(bytes("\\xff")) != text([0xff]))
}

@Test func placeholders() {
    let unknown = DecodedField(
        name: nil, value: nil, representation: .indexed, nameSource: .unknownDynamic(index: 70), span: 0..<1)
    #expect(unknown.nameString == "<unknown dynamic index 70>")
    #expect(unknown.valueString == "<unknown>")
    #expect(unknown.index == 70)
    let skipped = DecodedField(
        name: bytes("n"), value: nil, representation: .literalWithoutIndexing, nameSource: .literal, span: 0..<9)
    #expect(skipped.valueString == "<not decoded>")
    #expect(skipped.index == nil)
    #expect(skipped.size == 33)
}

/// A field's text comes from the table entry it refers to (made once, when the entry was
/// inserted), except a literal's value, which is its own.
@Test func textOfTableReferencesIsTheEntrysAndALiteralKeepsItsValue() {
    var decoder = HPACKDecoder()
    let first = decoder.decode(block: Wire.literal(.literalWithIncrementalIndexing, name: "x-trace", value: "a\u{1}b")
        + Wire.indexed(3))  // :method POST, static
    let second = decoder.decode(block: Wire.indexed(62)  // the entry inserted above
        + Wire.literal(.literalWithoutIndexing, nameIndex: 62, value: "other")  // its name, a new value
        + Wire.literal(.literalWithIncrementalIndexing, nameIndex: 3, value: "PUT"))  // static name, new value
    let texts = (first.fields + second.fields).map { "\($0.nameString): \($0.valueString)" }
    #expect(texts == [
        "x-trace: a\\x01b", ":method: POST",
        "x-trace: a\\x01b", "x-trace: other", ":method: PUT",
    ])
    // The reference shares the inserted field's text rather than making it again.
    #expect(second.fields[0].sharedText.text === first.fields[0].sharedText.text)
    #expect(first.fields[0].sharedText.text != nil)
    // Equality is about the bytes: a field made by hand equals a decoded one.
    #expect(first.fields[1] == DecodedField(
        name: bytes(":method"), value: bytes("POST"), representation: .indexed, nameSource: .staticTable(index: 3), span: first.fields[1].span))
}
