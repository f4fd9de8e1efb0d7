/// Lossless, terminal-safe text for header bytes, built only when a caller asks for a `String`.
///
/// Printable ASCII and valid UTF-8 of printable scalars appear as themselves. Everything else is
/// escaped so that the original bytes can always be recovered: an invalid UTF-8 byte or a control
/// character (C0, DEL, C1) becomes `\xNN` (one escape per byte), and a backslash becomes `\\`.
@usableFromInline enum EscapedText {
    @usableFromInline static func string(_ bytes: [UInt8]) -> String {
        // Fast path: printable ASCII without backslashes, the common case for header fields.
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "\\") }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var text = ""
        text.reserveCapacity(bytes.count + 8)
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var position = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                let width = encoded.count
                if scalar == "\\" {
                    text += "\\\\"
                } else if scalar.value < 0x20 || (scalar.value >= 0x7f && scalar.value < 0xa0) {
                    appendEscapes(bytes[position..<position + width], to: &text)
                } else {
                    text.unicodeScalars.append(scalar)
                }
                position += width
            case .error(let length):
                appendEscapes(bytes[position..<position + length], to: &text)
                position += length
            case .emptyInput:
                return text
            }
        }
    }

    private static func appendEscapes(_ bytes: ArraySlice<UInt8>, to text: inout String) {
        let digits = Array("0123456789abcdef".unicodeScalars)
        for byte in bytes {
            text += "\\x"
            text.unicodeScalars.append(digits[Int(byte >> 4)])
            text.unicodeScalars.append(digits[Int(byte & 0x0f)])
        }
    }
}
