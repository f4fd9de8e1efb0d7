/// Text forms of timestamps and durations, without Foundation's formatters (which are slow and
/// locale-dependent).
extension Timestamp {
    /// RFC 3339 in UTC, e.g. `2026-11-25T06:27:10.123456Z`, with `fractionDigits` (0...9) digits.
    public func rfc3339(fractionDigits: Int = 6) -> String {
        var text = DigitWriter()
        rfc3339(fractionDigits: fractionDigits, into: &text)
        return text.string
    }

    /// `rfc3339(fractionDigits:)` appended to UTF-8 bytes (for output written as bytes).
    public func appendRFC3339(fractionDigits: Int = 6, to bytes: inout [UInt8]) {
        var text = DigitWriter(bytes: bytes)
        bytes = []
        rfc3339(fractionDigits: fractionDigits, into: &text)
        bytes = text.bytes
    }

    private func rfc3339(fractionDigits: Int, into text: inout DigitWriter) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        text.number(year, 4, then: "-")
        text.number(month, 2, then: "-")
        text.number(day, 2, then: "T")
        text.clock(secondOfDay)
        fraction(digits: fractionDigits, into: &text)
        text.character("Z")
    }

    /// Time of day in UTC, `HH:MM:SS.ffffff`, as tcpdump prints it.
    public func timeOfDay(fractionDigits: Int = 6) -> String {
        var text = DigitWriter()
        text.clock(((seconds % 86_400) + 86_400) % 86_400)
        fraction(digits: fractionDigits, into: &text)
        return text.string
    }

    private func fraction(digits: Int, into text: inout DigitWriter) {
        let digits = min(max(digits, 0), 9)
        guard digits > 0 else { return }
        var divisor: Int64 = 1
        for _ in digits..<9 { divisor *= 10 }
        text.character(".")
        text.number(nanoseconds / divisor, digits)
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A duration in nanoseconds as people read it: `850ns`, `12.3µs`, `4.56ms`, `1.234s`, `2m03.5s`.
public func formatDuration(nanoseconds: Int64) -> String {
    let sign = nanoseconds < 0 ? "-" : ""
    let ns = nanoseconds.magnitude
    func decimal(_ value: UInt64, _ unit: UInt64, _ digits: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value * scale + unit / 2) / unit
        let whole = scaled / scale, part = scaled % scale
        return digits == 0 ? "\(whole)" : "\(whole)." + pad(Int64(part), digits)
    }
    switch ns {
    case ..<1_000: return sign + "\(ns)ns"
    case ..<1_000_000: return sign + decimal(ns, 1_000, 1) + "µs"
    case ..<1_000_000_000: return sign + decimal(ns, 1_000_000, 2) + "ms"
    case ..<60_000_000_000: return sign + decimal(ns, 1_000_000_000, 3) + "s"
    default:
        let minutes = ns / 60_000_000_000
        let rest = ns % 60_000_000_000
        let seconds = decimal(rest, 1_000_000_000, 1)
        return sign + "\(minutes)m" + (rest < 10_000_000_000 ? "0" : "") + seconds + "s"
    }
}

func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value.magnitude)
    let padding = String(repeating: "0", count: max(0, width - digits.count))
    return (value < 0 ? "-" : "") + padding + digits
}

/// ASCII text of zero-padded numbers, built in one small byte array (timestamps are written for
/// every call, so they avoid joining many small strings).
struct DigitWriter {
    private(set) var bytes: [UInt8]

    init(bytes: [UInt8] = []) {
        self.bytes = bytes
        self.bytes.reserveCapacity(bytes.count + 32)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func character(_ character: Unicode.Scalar) {
        bytes.append(UInt8(ascii: character))
    }

    /// `value` with at least `width` digits (zero-padded), then `separator` if any.
    mutating func number(_ value: Int64, _ width: Int, then separator: Unicode.Scalar? = nil) {
        if value < 0 { character("-") }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        while bytes.count - start < width { bytes.append(0x30) }
        // Reversed in place by index: `bytes[start...].reverse()` would reverse a copy (the
        // slice shares the array's storage while it is changed) and allocate every time.
        var low = start, high = bytes.count - 1
        while low < high {
            bytes.swapAt(low, high)
            low += 1
            high -= 1
        }
        if let separator { character(separator) }
    }

    /// `HH:MM:SS`.
    mutating func clock(_ secondOfDay: Int64) {
        number(secondOfDay / 3600, 2, then: ":")
        number(secondOfDay / 60 % 60, 2, then: ":")
        number(secondOfDay % 60, 2)
    }
}
