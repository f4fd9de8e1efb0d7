/// Bytes as lowercase hexadecimal, two digits each.
public enum Hex {
    private static let digits = Array("0123456789abcdef")

    public static func byte(_ byte: UInt8) -> String {
        String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    public static func string<Bytes: Sequence<UInt8>>(_ bytes: Bytes, separator: String = "") -> String {
        bytes.map(byte).joined(separator: separator)
    }
}
