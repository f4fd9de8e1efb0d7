import Testing
@testable import HPACK

private func decode(_ bytes: [UInt8], prefixBits: Int) -> IntegerCoding.Outcome {
    bytes.withUnsafeBufferPointer { IntegerCoding.decode($0, at: 0, prefixBits: prefixBits) }
}

// RFC 7541 C.1.1: 10 with a 5-bit prefix is the single octet 0x0a (here with 3 flag bits set).
@Test func appendixC11() { #expect(decode([0xea], prefixBits: 5) == .value(10, end: 1)) }

// RFC 7541 C.1.2: 1337 with a 5-bit prefix is 1f 9a 0a.
@Test func appendixC12() { #expect(decode([0x1f, 0x9a, 0x0a, 0xff], prefixBits: 5) == .value(1337, end: 3)) }

// RFC 7541 C.1.3: 42 starting at an octet boundary (8-bit prefix) is 0x2a.
@Test func appendixC13() { #expect(decode([0x2a], prefixBits: 8) == .value(42, end: 1)) }

@Test(arguments: 1...8)
func roundTripsAcrossPrefixes(prefixBits: Int) {
    for value in [0, 1, 30, 31, 126, 127, 128, 254, 255, 256, 1337, 16_383, 16_384, 1 << 21, Int(Int32.max)] {
        let encoded = Wire.integer(value, prefixBits: prefixBits)
        #expect(decode(encoded, prefixBits: prefixBits) == .value(value, end: encoded.count), "\(value)")
    }
}

@Test func largestValueUsesFiveContinuationOctets() {
    let encoded = Wire.integer(Int(Int32.max), prefixBits: 1)
    #expect(encoded.count == 6)
    #expect(decode(encoded, prefixBits: 1) == .value(Int(Int32.max), end: 6))
}

@Test func overflow() {
    // 2^31: one past the limit.
    #expect(decode(Wire.integer(1 << 31, prefixBits: 5), prefixBits: 5) == .overflow(end: 6))
    // 0x7f in the fifth continuation octet: 127 << 28 is far past the limit.
    #expect(decode([0x1f, 0xff, 0xff, 0xff, 0xff, 0x7f], prefixBits: 5) == .overflow(end: 6))
}

@Test func tooManyContinuationOctets() {
    // Zero padding (0x80 octets) that never ends is refused after five continuation octets.
    #expect(decode([0x1f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], prefixBits: 5) == .tooManyOctets(end: 6))
    #expect(decode([0x1f] + [UInt8](repeating: 0x80, count: 100), prefixBits: 5) == .tooManyOctets(end: 6))
}

@Test func truncated() {
    #expect(decode([0x1f], prefixBits: 5) == .truncated(end: 1))
    #expect(decode([0x1f, 0x9a], prefixBits: 5) == .truncated(end: 2))
}
