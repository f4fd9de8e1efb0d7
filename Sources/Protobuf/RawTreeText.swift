import WireCore

/// A readable rendering of a schema-less message: one line per field with its number, wire type,
/// value and interpretations, and its byte range; nested messages indented.
///
///     1: 150  varint (sint 75)  @0..<3
///     2: "hello"  len 5  @3..<10
///     3: message  len 4  @10..<16
///       1: 1  varint (true)  @12..<14
public enum RawTreeText {
    public static func lines(_ message: RawMessage, indent: String = "") -> [String] {
        var lines: [String] = []
        for field in message.fields { lines += self.lines(field, indent: indent) }
        for problem in message.problems { lines.append(indent + "! " + problem.messageWithSpan) }
        if let undecoded = message.undecoded, undecoded.count > 0 { lines.append(indent + "! \(undecoded.count) bytes not decoded @\(undecoded)") }
        return lines
    }

    static func lines(_ field: RawField, indent: String) -> [String] {
        let at = "  @\(field.span)"
        switch field.value {
        case let .varint(value):
            return [indent + "\(field.number): \(value)  varint\(varintNotes(value))" + at]
        case let .fixed64(value):
            let double = Double(bitPattern: value)
            return [indent + "\(field.number): \(value)  i64 (double \(double), int64 \(Int64(bitPattern: value)))" + at]
        case let .fixed32(value):
            let float = Float(bitPattern: value)
            return [indent + "\(field.number): \(value)  i32 (float \(float), int32 \(Int32(bitPattern: value)))" + at]
        case let .group(fields):
            var message = RawMessage()
            message.fields = fields
            return [indent + "\(field.number): group" + at] + lines(message, indent: indent + "  ")
        case let .lengthDelimited(content):
            var also = content.alternatives.isEmpty ? "" : " (also reads as " + content.alternatives.joined(separator: ", ") + ")"
            if content.atDepthLimit { also += " (at the depth limit: not read as a message)" }
            switch content.interpretation {
            case let .message(inner):
                return [indent + "\(field.number): message  len \(content.bytes.count)\(also)" + at] + lines(inner, indent: indent + "  ")
            case let .text(text):
                return [indent + "\(field.number): \(quoted(text))  len \(content.bytes.count)\(also)" + at]
            case let .packedVarints(values):
                return [indent + "\(field.number): [\(values.map(String.init).joined(separator: ", "))]  packed varints, len \(content.bytes.count)\(also)" + at]
            case let .packedFixed64(values):
                let shown = values.map { "\(Double(bitPattern: $0))" }.joined(separator: ", ")
                return [indent + "\(field.number): [\(shown)]  packed fixed64 as double, len \(content.bytes.count)\(also)" + at]
            case let .packedFixed32(values):
                let shown = values.map { "\(Float(bitPattern: $0))" }.joined(separator: ", ")
                return [indent + "\(field.number): [\(shown)]  packed fixed32 as float, len \(content.bytes.count)\(also)" + at]
            case .bytes:
                let hex = Hex.string(content.bytes.prefix(32))
                return [indent + "\(field.number): 0x\(hex)\(content.bytes.count > 32 ? "…" : "")  bytes, len \(content.bytes.count)\(also)" + at]
            }
        }
    }

    /// Other readings of a varint: signed (two's complement) when the top bit is set, zigzag, bool.
    static func varintNotes(_ value: UInt64) -> String {
        var notes: [String] = []
        if value >= 1 << 63 { notes.append("int64 \(Int64(bitPattern: value))") }
        if value > 1 { notes.append("sint \(value.zigZagDecoded)") }
        if value <= 1 { notes.append(value == 1 ? "true" : "false") }
        return notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")"
    }

    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\x" + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
