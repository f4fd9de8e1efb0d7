import Annotate
import Protobuf
import WireCore

/// An annotated blob as text (`grpcdump annotate`): one line per labelled range with its offset,
/// up to 8 of its bytes in hex and the label indented by nesting; longer ranges continue on
/// further lines of 8 bytes. Markers of nested messages have no bytes.
///
///     000000  0a                 tag: field 1 (name), wire type 2 LEN
///     000001  03                   length 3
///     000002  61 64 61             string "ada"
public enum AnnotationText {
    static let bytesPerLine = 8

    public static func lines(_ ranges: [AnnotatedRange], bytes: [UInt8]) -> [String] {
        let width = max(6, String(bytes.count, radix: 16).count)
        var lines: [String] = []
        for range in ranges {
            let indent = String(repeating: "  ", count: range.depth)
            let end = min(bytes.count, range.offset + range.length)
            let covered = range.offset < end ? Array(bytes[range.offset..<end]) : []
            var start = 0
            repeat {
                let row = covered[start..<min(covered.count, start + bytesPerLine)]
                var line = offset(range.offset + start, width: width) + "  " + pad(Hex.string(row, separator: " "))
                if start == 0 { line += "  " + indent + range.text }
                lines.append(line.trimmingTrailingSpaces())
                start += bytesPerLine
            } while start < covered.count
        }
        return lines
    }

    static func offset(_ value: Int, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    static func pad(_ text: String) -> String {
        text + String(repeating: " ", count: max(0, bytesPerLine * 3 - 1 - text.count))
    }
}

/// The same ranges as JSON (`grpcdump annotate --json`).
public enum AnnotationJSON {
    public static func ranges(_ ranges: [AnnotatedRange], bytes: [UInt8]) -> String {
        JSONObject.array(ranges.map { range in
            var object = JSONObject()
            object.add("offset", range.offset)
            object.add("length", range.length)
            object.add("depth", range.depth)
            object.add("kind", range.kind.rawValue)
            if let field = range.field { object.add("field", field) }
            if let name = range.name { object.add("name", name) }
            object.add("text", range.text)
            let end = min(bytes.count, range.offset + range.length)
            object.add("hex", range.offset < end ? Hex.string(bytes[range.offset..<end]) : "")
            return object.text
        })
    }
}
