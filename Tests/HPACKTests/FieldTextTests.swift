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
