import Testing
@testable import HPACK

private func decode(_ input: [UInt8]) -> (output: [UInt8], failure: HuffmanDecoder.Failure?) {
    var output: [UInt8] = []
    let failure = input.withUnsafeBufferPointer { HuffmanDecoder.shared.decode($0, into: &output) }
    return (output, failure)
}

/// The Huffman-coded strings of RFC 7541 Appendix C.4 and C.6.
private let appendixStrings: [(hex: String, text: String)] = [
    ("f1e3 c2e5 f23a 6ba0 ab90 f4ff", "www.example.com"),
    ("a8eb 1064 9cbf", "no-cache"),
    ("25a8 49e9 5ba9 7d7f", "custom-key"),
    ("25a8 49e9 5bb8 e8b4 bf", "custom-value"),
    ("6402", "302"),
    ("aec3 771a 4b", "private"),
    ("d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff", "Mon, 21 Oct 2013 20:13:21 GMT"),
    ("9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3", "https://www.example.com"),
    ("9bd9 ab", "gzip"),
    ("94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
     "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
]

@Test func appendixStringsDecode() {
    for (code, text) in appendixStrings {
        let result = decode(hex(code))
        #expect(result.failure == nil, "\(text)")
        #expect(result.output == bytes(text))
        #expect(Wire.huffmanEncode(bytes(text)) == hex(code), "test encoder agrees on \(text)")
    }
}

@Test func codeIsCompleteAndCanonical() {
    #expect(HuffmanCode.codes.count == HuffmanCode.symbolCount)
    // Kraft's equality over 2^30 (the longest code): a complete prefix code.
    #expect(HuffmanCode.codes.reduce(0) { $0 + (1 << (30 - Int($1.length))) } == 1 << 30)
    #expect(HuffmanCode.codes[HuffmanCode.eos] == (0x3fff_ffff, 30))
}

@Test func everySymbolRoundTrips() {
    let all = (0...255).map { UInt8($0) }
    let result = decode(Wire.huffmanEncode(all))
    #expect(result.failure == nil)
    #expect(result.output == all)
    // And each symbol alone, with its own padding.
    for symbol in all {
        #expect(decode(Wire.huffmanEncode([symbol])) == ([symbol], nil), "symbol \(symbol)")
    }
}

@Test func pseudoRandomRoundTrips() {
    var state: UInt64 = 42
    for length in 0..<300 {
        let input = (0..<length).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        #expect(decode(Wire.huffmanEncode(input)) == (input, nil))
    }
}

@Test func emptyStringIsValid() {
    #expect(decode([]) == ([], nil))
}

// RFC 7541 §5.2: padding strictly longer than 7 bits is an error.
@Test func paddingLongerThanSevenBits() {
    // "a" is 00011; 0x1f pads it with 3 ones, and a whole extra 0xff makes 11 bits of padding.
    #expect(decode([0x1f]) == (bytes("a"), nil))
    #expect(decode([0x1f, 0xff]) == (bytes("a"), .paddingTooLong(bits: 11)))
    // A lone 0xff: 8 bits of padding and no symbol.
    #expect(decode([0xff]) == ([], .paddingTooLong(bits: 8)))
}

// RFC 7541 §5.2: padding not corresponding to the most significant bits of EOS is an error.
@Test func paddingNotAllOnes() {
    #expect(decode([0x18]) == (bytes("a"), .paddingNotOnes))  // 00011 000
    #expect(decode([0x1e]) == (bytes("a"), .paddingNotOnes))  // 00011 110
}

// RFC 7541 §5.2: a string containing EOS is an error.
@Test func eosInString() {
    // 30 ones complete EOS inside the fourth octet.
    #expect(decode([0xff, 0xff, 0xff, 0xfc]) == ([], .eos(octet: 3)))
    // "a" (00011) then EOS: 5 + 30 bits end in the fifth octet.
    #expect(decode([0x1f, 0xff, 0xff, 0xff, 0xff]) == (bytes("a"), .eos(octet: 4)))
}

// Fuzz regression from golang.org/x/net's hpack tests ("00\x91\xff\xff\xff\xff\xc8").
@Test func goFuzzCrashInput() {
    let result = decode(bytes("00") + [0x91, 0xff, 0xff, 0xff, 0xff, 0xc8])
    #expect(result.failure != nil)
}
