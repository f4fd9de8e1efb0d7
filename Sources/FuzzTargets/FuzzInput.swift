/// The fuzzer's bytes read as the structure a target needs: choices, lengths, chunks. Reading
/// past the end gives zeros and empty chunks, so every input, however short, is a valid one.
public struct FuzzInput {
    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { position >= bytes.count }
    public var remaining: Int { max(0, bytes.count - position) }

    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A big-endian 16-bit number.
    public mutating func uint16() -> UInt16 { UInt16(byte()) << 8 | UInt16(byte()) }

    public mutating func bool() -> Bool { byte() & 1 == 1 }

    /// Up to `count` bytes (fewer at the end).
    public mutating func take(_ count: Int) -> ArraySlice<UInt8> {
        let end = position + min(max(0, count), remaining)
        defer { position = end }
        return bytes[min(position, bytes.count)..<end]
    }

    /// A chunk preceded by its 16-bit length.
    public mutating func chunk() -> ArraySlice<UInt8> { take(Int(uint16())) }

    public mutating func rest() -> ArraySlice<UInt8> { take(remaining) }
}

/// Writes inputs in the layout `FuzzInput` reads, for seeds made from real traffic.
public struct FuzzInputWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    public mutating func uint16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }

    /// A chunk with its 16-bit length; longer chunks are cut at 65,535 bytes.
    public mutating func chunk(_ data: some Collection<UInt8>) {
        let kept = data.prefix(Int(UInt16.max))
        uint16(UInt16(kept.count))
        bytes += kept
    }

    public mutating func rest(_ data: some Collection<UInt8>) { bytes += data }
}
