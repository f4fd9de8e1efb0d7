/// A cursor over protobuf wire format (protobuf.dev "Encoding") that reads in place: nested
/// messages are sub-ranges of the same slice, and offsets stay absolute (`index + delta`).
struct WireReader {
    let bytes: ArraySlice<UInt8>
    var index: Int
    let end: Int
    /// Absolute offset = index + delta.
    let delta: Int

    init(_ bytes: ArraySlice<UInt8>, baseOffset: Int) {
        self.bytes = bytes
        self.index = bytes.startIndex
        self.end = bytes.endIndex
        self.delta = baseOffset - bytes.startIndex
    }

    /// A reader over `range` (indices of `bytes`), sharing storage and the offset base.
    init(sub parent: WireReader, _ range: Range<Int>) {
        bytes = parent.bytes
        index = range.lowerBound
        end = range.upperBound
        delta = parent.delta
    }

    var offset: Int { index + delta }
    var isAtEnd: Bool { index >= end }
    var remaining: Int { end - index }

    func absolute(_ position: Int) -> Int { position + delta }

    /// Base 128 varint: at most 10 bytes, the tenth holding one bit. Nil (reader unmoved) when
    /// it runs past the end or is too long.
    mutating func readVarint() -> UInt64? {
        var position = index
        guard position < end else { return nil }
        let first = bytes[position]
        if first < 0x80 {
            index = position + 1
            return UInt64(first)
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < end {
            let byte = bytes[position]
            position += 1
            if shift == 63, byte > 1 { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                index = position
                return value
            }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }

    mutating func readFixed32() -> UInt32? {
        guard end - index >= 4 else { return nil }
        var value: UInt32 = 0
        for i in (0..<4).reversed() { value = value << 8 | UInt32(bytes[index + i]) }
        index += 4
        return value
    }

    mutating func readFixed64() -> UInt64? {
        guard end - index >= 8 else { return nil }
        var value: UInt64 = 0
        for i in (0..<8).reversed() { value = value << 8 | UInt64(bytes[index + i]) }
        index += 8
        return value
    }

    /// Skips `count` bytes; false when fewer remain.
    mutating func skip(_ count: UInt64) -> Bool {
        guard count <= UInt64(end - index) else { return false }
        index += Int(count)
        return true
    }
}
