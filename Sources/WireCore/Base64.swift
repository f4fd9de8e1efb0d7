/// Base64 for `-bin` metadata (gRPC doc "PROTOCOL-HTTP2.md": values of binary headers are
/// base64-encoded; implementations must accept padded and unpadded values). RFC 4648 §4, and the
/// URL-safe alphabet of §5 accepted too. No Foundation.
public enum Base64 {
    /// The decoded bytes, or `nil` with the offset of the first character that is not base64.
    public static func decode(_ text: String) -> Result<[UInt8], InvalidCharacter> {
        var bytes: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for (offset, character) in text.utf8.enumerated() {
            let value: UInt32
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(character - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(character - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(character - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            default:
                return .failure(InvalidCharacter(offset: offset))
            }
            if padding > 0 { return .failure(InvalidCharacter(offset: offset)) }  // data after padding
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // A single leftover sextet cannot encode a byte.
        if bits >= 6 { return .failure(InvalidCharacter(offset: text.utf8.count)) }
        return .success(bytes)
    }

    public struct InvalidCharacter: Error, Sendable, Hashable {
        public var offset: Int
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: (bytes.count + 2) / 3 * 4) { out in
            encode(bytes[...], into: out)
            return out.count
        }
    }

    /// Writes the padded encoding of `bytes` into `out`, which holds exactly `(count + 2) / 3 * 4` bytes.
    /// Three bytes at a time as two 12-bit halves, each two characters from `pairs`, stored as one
    /// word (the bytes fields of messages are written as base64 in `--json`: about 5% of its time).
    public static func encode(_ bytes: ArraySlice<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let symbols = alphabet.utf8Start
        let pairs = Self.pairs
        bytes.withUnsafeBufferPointer { input in
            pairs.withUnsafeBufferPointer { pairs in
                var read = 0, written = 0
                while read + 3 <= input.count {
                    let value = Int(input[read]) << 16 | Int(input[read + 1]) << 8 | Int(input[read + 2])
                    let word = UInt32(pairs[value >> 12]) | UInt32(pairs[value & 0xFFF]) << 16
                    UnsafeMutableRawPointer(out.baseAddress! + written).storeBytes(of: word.littleEndian, as: UInt32.self)
                    read += 3
                    written += 4
                }
                let left = input.count - read
                guard left > 0 else { return }
                let value = UInt32(input[read]) << 16 | (left == 2 ? UInt32(input[read + 1]) << 8 : 0)
                out[written] = symbols[Int(value >> 18)]
                out[written + 1] = symbols[Int(value >> 12 & 0x3F)]
                out[written + 2] = left == 2 ? symbols[Int(value >> 6 & 0x3F)] : UInt8(ascii: "=")
                out[written + 3] = UInt8(ascii: "=")
            }
        }
    }

    /// The two characters of every 12-bit value, the first in the low byte.
    private static let pairs: [UInt16] = {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        return (0..<4096).map { UInt16(alphabet[$0 >> 6]) | UInt16(alphabet[$0 & 0x3F]) << 8 }
    }()
}
