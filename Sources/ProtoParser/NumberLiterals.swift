/// Conversion of integer and floating point literal text to values.
///
/// intLit = decimalLit | octalLit | hexLit (see the "Integer literals" section of
/// protobuf.dev/reference/protobuf/proto3-spec); floatLit adds "inf" and "nan".
enum NumberLiterals {
    /// Parses a decimal, octal (leading `0`) or hex (`0x`) literal; nil on overflow or bad digits.
    static func parseInteger(_ text: String) -> UInt64? {
        var s = Substring(text)
        var radix: UInt64 = 10
        if s.hasPrefix("0x") || s.hasPrefix("0X") {
            radix = 16
            s = s.dropFirst(2)
            if s.isEmpty { return nil }
        } else if s.count > 1, s.hasPrefix("0") {
            radix = 8
            s = s.dropFirst()
        }
        var value: UInt64 = 0
        for c in s.utf8 {
            let digit: UInt64
            switch c {
            case 48...57: digit = UInt64(c - 48)
            case 97...102: digit = UInt64(c - 87)
            case 65...70: digit = UInt64(c - 55)
            default: return nil
            }
            if digit >= radix { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = a
        }
        return value
    }

    /// Parses a float literal (or an integer literal used as a float).
    static func parseFloat(_ text: String) -> Double? {
        var t = text
        if t.hasSuffix("f") || t.hasSuffix("F"), !t.hasPrefix("0x"), !t.hasPrefix("0X") { t.removeLast() }
        if t.hasPrefix("0x") || t.hasPrefix("0X") || (t.count > 1 && t.hasPrefix("0") && t.allSatisfy({ $0.isNumber })) {
            return parseInteger(t).map { Double($0) }
        }
        if t.hasPrefix(".") { t = "0" + t }
        return Double(t)
    }
}
