/// Bytes as lowercase hexadecimal, two digits each.
public enum Hex {
    /// The ASCII digit of a value 0...15.
    @inlinable public static func digit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : 0x57 + value
    }

    public static func byte(_ byte: UInt8) -> String {
        String(decoding: [digit(byte >> 4), digit(byte & 0xF)], as: UTF8.self)
    }

    /// Built as bytes and made a `String` once: a megabyte blob is two megabytes of digits, which
    /// a `String` per byte joined afterwards would take seconds to build.
    @inlinable public static func string<Bytes: Sequence<UInt8>>(_ bytes: Bytes, separator: String = "") -> String {
        let separator = Array(separator.utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * (2 + separator.count))
        for byte in bytes {
            if !separator.isEmpty, !text.isEmpty { text += separator }
            text.append(digit(byte >> 4))
            text.append(digit(byte & 0xF))
        }
        return String(decoding: text, as: UTF8.self)
    }
}
