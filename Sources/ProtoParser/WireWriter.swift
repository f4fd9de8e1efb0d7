/// Protocol buffer wire-format encoding primitives
/// (protobuf.dev/programming-guides/encoding: varints, tags, fixed-width and
/// length-delimited values, groups).
enum WireType: UInt64 {
    case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
}

enum WireWriter {
    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    static func tag(_ number: Int32, _ wireType: WireType) -> [UInt8] {
        varint(UInt64(UInt32(bitPattern: number)) << 3 | wireType.rawValue)
    }

    static func fixed32(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func fixed64(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    static func lengthDelimited(_ number: Int32, _ payload: [UInt8]) -> [UInt8] {
        tag(number, .lengthDelimited) + varint(UInt64(payload.count)) + payload
    }

    static func group(_ number: Int32, _ payload: [UInt8]) -> [UInt8] {
        tag(number, .startGroup) + payload + tag(number, .endGroup)
    }

    static func zigzag32(_ v: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: (v << 1) ^ (v >> 31)))
    }

    static func zigzag64(_ v: Int64) -> UInt64 {
        UInt64(bitPattern: (v << 1) ^ (v >> 63))
    }
}
