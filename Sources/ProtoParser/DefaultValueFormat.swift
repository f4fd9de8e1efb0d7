import Foundation

/// Canonical text forms of `default_value`, as descriptors serialize them:
/// integers in decimal, floats in the shortest `%g` form that round-trips
/// (6/15 significant digits, else 9/17), bytes C-escaped with octal escapes.
/// See the `default` field option in protobuf.dev/reference/protobuf/proto2-spec.
enum DefaultValueFormat {
    static func double(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = String(format: "%.15g", value)
        if Double(short) == value { return short }
        return String(format: "%.17g", value)
    }

    static func float(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = String(format: "%.6g", Double(value))
        if Float(short) == value { return short }
        return String(format: "%.9g", Double(value))
    }

    /// C-style escaping: \n \r \t \" \' \\ and three-digit octal for other
    /// non-printable bytes.
    static func cEscape(_ bytes: [UInt8]) -> String {
        var out = ""
        for b in bytes {
            switch b {
            case 10: out += "\\n"
            case 13: out += "\\r"
            case 9: out += "\\t"
            case 34: out += "\\\""
            case 39: out += "\\'"
            case 92: out += "\\\\"
            default:
                if b < 0x20 || b >= 0x7F {
                    let oct = String(b, radix: 8)
                    out += "\\" + String(repeating: "0", count: 3 - oct.count) + oct
                } else {
                    out.unicodeScalars.append(Unicode.Scalar(b))
                }
            }
        }
        return out
    }
}
