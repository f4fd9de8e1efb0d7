/// Bytes as lowercase hexadecimal, two digits each.
public enum Hex {
    /// The ASCII digit of a value 0...15.
    @inlinable public static func digit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : 0x57 + value
    }

    public static func byte(_ byte: UInt8) -> String {
        String(decoding: [digit(byte >> 4), digit(byte & 0xF)], as: UTF8.self)
    }

    /// Appends the digits of `bytes` to `text`, `separator` between bytes: text is built as bytes
    /// and made a `String` once (a megabyte blob is two megabytes of digits).
    @inlinable public static func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes, separator: [UInt8] = [], to text: inout [UInt8]) {
        let separated = !separator.isEmpty
        var first = true
        for byte in bytes {
            if separated, !first { text += separator }
            first = false
            text.append(digit(byte >> 4))
            text.append(digit(byte & 0xF))
        }
    }

    @inlinable public static func string<Bytes: Sequence<UInt8>>(_ bytes: Bytes, separator: String = "") -> String {
        let separator = Array(separator.utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * (2 + separator.count))
        append(bytes, separator: separator, to: &text)
        return String(decoding: text, as: UTF8.self)
    }
}
