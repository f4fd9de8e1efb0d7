import WireCore

/// A classic hex dump: offset, 16 bytes in hex, and their printable ASCII.
public enum HexDump {
    public static func lines(_ bytes: [UInt8], indent: String = "", baseOffset: Int = 0) -> [String] {
        stride(from: 0, to: bytes.count, by: 16).map { start in
            let row = bytes[start..<min(start + 16, bytes.count)]
            let offset = String(baseOffset + start, radix: 16)
            var line = indent + String(repeating: "0", count: max(0, 4 - offset.count)) + offset + "  "
            for (index, byte) in row.enumerated() {
                line += Hex.byte(byte) + (index == 7 ? "  " : " ")
            }
            line += String(repeating: "   ", count: 16 - row.count) + (row.count <= 8 ? " " : "")
            line += " " + String(row.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : "." })
            return line
        }
    }
}
