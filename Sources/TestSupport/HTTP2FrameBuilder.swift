/// Builds HTTP/2 frames (RFC 9113 §4.1, §6) byte by byte, for tests.
public enum HTTP2FrameBuilder {
    public static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// A frame: 24-bit length, type, flags, 31-bit stream identifier, payload.
    public static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8] = [], length: Int? = nil) -> [UInt8] {
        let length = length ?? payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags]
            + PacketBuilder.be32(stream) + payload
    }

    public static func settings(_ parameters: [(UInt16, UInt32)] = [], ack: Bool = false) -> [UInt8] {
        frame(type: 0x4, flags: ack ? 0x1 : 0, payload: parameters.flatMap { PacketBuilder.be16($0.0) + PacketBuilder.be32($0.1) })
    }

    public static func data(stream: UInt32, _ bytes: [UInt8], endStream: Bool = false, padLength: UInt8? = nil) -> [UInt8] {
        var flags: UInt8 = endStream ? 0x1 : 0
        var payload = bytes
        if let padLength {
            flags |= 0x8
            payload = [padLength] + bytes + [UInt8](repeating: 0, count: Int(padLength))
        }
        return frame(type: 0x0, flags: flags, stream: stream, payload: payload)
    }

    public static func headers(stream: UInt32, block: [UInt8], endStream: Bool = false, endHeaders: Bool = true) -> [UInt8] {
        frame(type: 0x1, flags: (endStream ? 0x1 : 0) | (endHeaders ? 0x4 : 0), stream: stream, payload: block)
    }

    public static func continuation(stream: UInt32, block: [UInt8], endHeaders: Bool = true) -> [UInt8] {
        frame(type: 0x9, flags: endHeaders ? 0x4 : 0, stream: stream, payload: block)
    }

    public static func windowUpdate(stream: UInt32 = 0, increment: UInt32) -> [UInt8] {
        frame(type: 0x8, stream: stream, payload: PacketBuilder.be32(increment))
    }

    public static func ping(_ opaque: UInt64, ack: Bool = false) -> [UInt8] {
        frame(type: 0x6, flags: ack ? 0x1 : 0, payload: PacketBuilder.be32(UInt32(opaque >> 32)) + PacketBuilder.be32(UInt32(opaque & 0xFFFF_FFFF)))
    }

    public static func rstStream(stream: UInt32, code: UInt32) -> [UInt8] {
        frame(type: 0x3, stream: stream, payload: PacketBuilder.be32(code))
    }

    public static func goaway(lastStream: UInt32, code: UInt32, debug: String = "") -> [UInt8] {
        frame(type: 0x7, payload: PacketBuilder.be32(lastStream) + PacketBuilder.be32(code) + Array(debug.utf8))
    }
}

/// Header blocks for tests: every field as an RFC 7541 §6.2.2 literal without indexing with a
/// literal name and no Huffman coding, so each byte is easy to follow.
public enum LiteralHeaderBlock {
    public static func encode(_ fields: [(String, String)]) -> [UInt8] {
        fields.flatMap { [0x00] + string($0.0) + string($0.1) }
    }

    /// RFC 7541 §5.2: H=0, length as a 7-bit-prefix integer (§5.1), then the octets.
    static func string(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        return integer(bytes.count, prefixBits: 7) + bytes
    }

    static func integer(_ value: Int, prefixBits: Int) -> [UInt8] {
        let limit = (1 << prefixBits) - 1
        guard value >= limit else { return [UInt8(value)] }
        var out = [UInt8(limit)]
        var rest = value - limit
        while rest >= 128 {
            out.append(UInt8(rest % 128 + 128))
            rest /= 128
        }
        return out + [UInt8(rest)]
    }
}

/// gRPC's Length-Prefixed-Message (gRPC doc "PROTOCOL-HTTP2.md").
public func grpcMessage(_ payload: [UInt8], compressed: Bool = false) -> [UInt8] {
    [compressed ? 1 : 0] + PacketBuilder.be32(UInt32(payload.count)) + payload
}
