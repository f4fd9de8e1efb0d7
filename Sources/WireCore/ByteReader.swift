/// A cursor over bytes whose positions stay absolute: `offset` counts from the start of the
/// packet, stream or message that `baseOffset` refers to, even when the reader covers a slice.
///
/// `read*` advances, `peek*` does not. Every read returns `nil` when too few bytes remain, so a
/// caller can report *how many* it needed (`remaining`) instead of trapping.
public struct ByteReader: Sendable {
    public let bytes: ArraySlice<UInt8>
    /// Absolute offset of `bytes.startIndex`.
    public let baseOffset: Int
    @usableFromInline var index: Int

    public init(_ bytes: ArraySlice<UInt8>, baseOffset: Int = 0) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.index = bytes.startIndex
    }

    public init(_ bytes: [UInt8], baseOffset: Int = 0) {
        self.init(bytes[...], baseOffset: baseOffset)
    }

    /// Absolute offset of the next byte to read.
    @inlinable public var offset: Int { baseOffset + (index - bytes.startIndex) }
    @inlinable public var remaining: Int { bytes.endIndex - index }
    @inlinable public var isAtEnd: Bool { index >= bytes.endIndex }

    /// The absolute span from `start` to the current position.
    @inlinable public func span(from start: Int) -> ByteSpan { ByteSpan(start: start, end: offset) }

    @inlinable public func peekUInt8(at distance: Int = 0) -> UInt8? {
        let i = index + distance
        return i >= index && i < bytes.endIndex ? bytes[i] : nil
    }

    @inlinable public mutating func readUInt8() -> UInt8? {
        guard index < bytes.endIndex else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    @inlinable public func peekUInt16(at distance: Int = 0, littleEndian: Bool = false) -> UInt16? {
        peekInteger(at: distance, littleEndian: littleEndian)
    }

    @inlinable public func peekUInt32(at distance: Int = 0, littleEndian: Bool = false) -> UInt32? {
        peekInteger(at: distance, littleEndian: littleEndian)
    }

    @inlinable public mutating func readUInt16(littleEndian: Bool = false) -> UInt16? {
        readInteger(littleEndian: littleEndian)
    }

    @inlinable public mutating func readUInt32(littleEndian: Bool = false) -> UInt32? {
        readInteger(littleEndian: littleEndian)
    }

    @inlinable public mutating func readUInt64(littleEndian: Bool = false) -> UInt64? {
        readInteger(littleEndian: littleEndian)
    }

    /// Reads `count` bytes as a slice sharing storage with the reader's bytes (no copy).
    @inlinable public mutating func readBytes(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, count <= remaining else { return nil }
        defer { index += count }
        return bytes[index..<(index + count)]
    }

    /// All bytes not read yet, leaving the reader at the end.
    @inlinable public mutating func readRemaining() -> ArraySlice<UInt8> {
        defer { index = bytes.endIndex }
        return bytes[index...]
    }

    @inlinable @discardableResult public mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, count <= remaining else { return false }
        index += count
        return true
    }

    @inlinable func peekInteger<T: FixedWidthInteger & UnsignedInteger>(at distance: Int, littleEndian: Bool) -> T? {
        let size = MemoryLayout<T>.size
        let start = index + distance
        guard distance >= 0, start + size <= bytes.endIndex else { return nil }
        var value: T = 0
        if littleEndian {
            for i in (0..<size).reversed() { value = value << 8 | T(bytes[start + i]) }
        } else {
            for i in 0..<size { value = value << 8 | T(bytes[start + i]) }
        }
        return value
    }

    @inlinable mutating func readInteger<T: FixedWidthInteger & UnsignedInteger>(littleEndian: Bool) -> T? {
        guard let value: T = peekInteger(at: 0, littleEndian: littleEndian) else { return nil }
        index += MemoryLayout<T>.size
        return value
    }
}
