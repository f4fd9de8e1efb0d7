/// RFC 7541 §5.1 integer representation: an N-bit prefix in the first octet; if the prefix is all
/// ones, the value continues in octets of 7 bits each, least significant group first, with the
/// high bit set on every octet but the last.
enum IntegerCoding {
    /// The largest value this decoder accepts. RFC 7541 §5.1 leaves the range to implementations
    /// ("Integer encodings that exceed implementation limits ... MUST be treated as decoding
    /// errors"); indices, string lengths and table sizes all fit easily in 31 bits.
    static let maxValue = Int(Int32.max)
    /// The most continuation octets accepted: five carry 35 bits, enough for any value up to
    /// `maxValue` plus a prefix. More can only be zero padding, which is refused (as nghttp2 does)
    /// so that a hostile peer cannot make the decoder scan a long run of 0x80 octets.
    static let maxContinuationOctets = 5

    enum Outcome: Equatable {
        /// The value and the position just after its last octet.
        case value(Int, end: Int)
        /// The block ended inside the integer (position = end of the buffer).
        case truncated(end: Int)
        /// The value exceeds `maxValue`; `end` is just after the octet where that became certain.
        case overflow(end: Int)
        /// More than `maxContinuationOctets` continuation octets; `end` is after the last examined.
        case tooManyOctets(end: Int)
    }

    /// Decodes the integer whose prefix occupies the low `prefixBits` (1...8) bits of
    /// `bytes[start]`; the caller guarantees `start < bytes.count`.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, prefixBits: Int) -> Outcome {
        let mask = (1 << prefixBits) - 1
        var value = Int(bytes[start]) & mask
        var index = start + 1
        // RFC 7541 §5.1: a value below 2^N - 1 fits in the prefix.
        if value < mask { return .value(value, end: index) }
        var shift = 0
        while true {
            guard index < bytes.count else { return .truncated(end: index) }
            // RFC 7541 §5.1: refuse encodings beyond the implementation's limits.
            guard shift < 7 * maxContinuationOctets else { return .tooManyOctets(end: index) }
            let octet = bytes[index]
            index += 1
            value += Int(octet & 0x7f) << shift
            if value > maxValue { return .overflow(end: index) }
            if octet & 0x80 == 0 { return .value(value, end: index) }
            shift += 7
        }
    }
}
