/// `grpc-timeout` (gRPC doc "PROTOCOL-HTTP2.md": Timeout → TimeoutValue TimeoutUnit): at most 8
/// ASCII digits followed by one of H (hours), M (minutes), S (seconds), m (milliseconds),
/// u (microseconds), n (nanoseconds).
public enum GRPCTimeout {
    /// The timeout in nanoseconds, or `nil` when the value breaks the grammar.
    public static func parse(_ text: String) -> Int64? {
        guard let unit = text.last, text.count >= 2, text.count <= 9 else { return nil }
        let digits = text.dropLast()
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else { return nil }
        let nanosecondsPerUnit: Int64
        switch unit {
        case "H": nanosecondsPerUnit = 3_600_000_000_000
        case "M": nanosecondsPerUnit = 60_000_000_000
        case "S": nanosecondsPerUnit = 1_000_000_000
        case "m": nanosecondsPerUnit = 1_000_000
        case "u": nanosecondsPerUnit = 1_000
        case "n": nanosecondsPerUnit = 1
        default: return nil
        }
        return value.multipliedReportingOverflow(by: nanosecondsPerUnit).overflow ? nil : value * nanosecondsPerUnit
    }
}

/// `grpc-message` percent-decoding (gRPC doc "PROTOCOL-HTTP2.md", Status-Message): `%XX` is a
/// byte of the UTF-8 message. An invalid sequence is kept as it is, never an error; bytes that
/// are not UTF-8 are shown as U+FFFD.
public enum PercentDecoding {
    /// The decoded text and whether an invalid `%` sequence was left as is.
    public static func decode(_ text: String) -> (text: String, hadInvalidSequence: Bool) {
        let input = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.count)
        var invalid = false
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "%") {
                if index + 2 < input.count, let high = hex(input[index + 1]), let low = hex(input[index + 2]) {
                    bytes.append(high << 4 | low)
                    index += 3
                    continue
                }
                invalid = true
            }
            bytes.append(input[index])
            index += 1
        }
        return (String(decoding: bytes, as: UTF8.self), invalid)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
