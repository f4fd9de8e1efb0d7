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
        let labelColumn = width + 2 + bytesPerLine * 3 - 1 + 2
        var lines: [String] = []
        // Each line is built as bytes and made a String once (a large blob has a line per 8 bytes).
        var line: [UInt8] = []
        let space: [UInt8] = [0x20]
        for range in ranges {
            let end = min(bytes.count, range.offset + range.length)
            var start = range.offset
            repeat {
                line.removeAll(keepingCapacity: true)
                appendOffset(start, width: width, to: &line)
                line += [0x20, 0x20]
                if start < end { Hex.append(bytes[start..<min(end, start + bytesPerLine)], separator: space, to: &line) }
                if start == range.offset {
                    line += repeatElement(0x20, count: max(0, labelColumn - line.count) + 2 * range.depth)
                    line += range.text.utf8
                }
                while line.last == 0x20 { line.removeLast() }
                lines.append(String(decoding: line, as: UTF8.self))
                start += bytesPerLine
            } while start < end
        }
        return lines
    }

    /// `value` in hexadecimal, zero-padded to `width` digits.
    static func appendOffset(_ value: Int, width: Int, to line: inout [UInt8]) {
        let digits = String(value, radix: 16).utf8
        line += repeatElement(UInt8(ascii: "0"), count: max(0, width - digits.count))
        line += digits
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
