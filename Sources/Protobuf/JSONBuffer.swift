import WireCore

/// JSON text (RFC 8259) written front to back as UTF-8 bytes: nested values are written in
/// place, never built as separate strings and joined.
public struct JSONBuffer {
    /// The text so far (public, and settable, so that generic writers inline across modules).
    public var bytes: [UInt8] = []

    public init() {}

    /// Room for `count` more bytes (one allocation for output whose size is known roughly).
    public mutating func reserve(_ count: Int) {
        bytes.reserveCapacity(bytes.count + count)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public var count: Int { bytes.count }

    /// Drops what was written after the first `count` bytes.
    public mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
    }

    /// Already-encoded JSON.
    @inlinable public mutating func raw(_ json: String) { bytes.append(contentsOf: json.utf8) }
    @inlinable public mutating func raw(_ byte: UInt8) { bytes.append(byte) }
    public mutating func raw(_ other: JSONBuffer) { bytes.append(contentsOf: other.bytes) }

    public mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    /// An RFC 3339 time with nanoseconds, as a string.
    public mutating func time(_ time: Timestamp) {
        bytes.append(0x22)
        time.appendRFC3339(fractionDigits: 9, to: &bytes)
        bytes.append(0x22)
    }

    @inlinable public mutating func int<Integer: BinaryInteger>(_ value: Integer) {
        // Digits written backwards into a small stack buffer, then copied.
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
            var index = 40
            repeat {
                index -= 1
                digits[index] = 0x30 + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                index -= 1
                digits[index] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    /// A JSON string, escaped per RFC 8259 §7.
    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string(utf8: $0) }
    }

    /// A JSON string from UTF-8 bytes: runs that need no escape are copied whole (the UTF-8
    /// bytes of non-ASCII characters are all 0x80 or more, so they are never escaped).
    public mutating func string(utf8 text: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var runStart = 0
        var index = 0
        while index < text.count {
            // Eight bytes at a time while none needs an escape (long texts are mostly such runs).
            if index + 8 <= text.count, !Self.mayNeedEscape(UnsafeRawPointer(text.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = text[index]
            index += 1
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            let escaped = index - 1
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<escaped]))
            runStart = index
            switch byte {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            case 0x09: bytes += [0x5C, 0x74]
            default: bytes += [0x5C, 0x75, 0x30, 0x30, Hex.digit(byte >> 4), Hex.digit(byte & 0xF)]
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...]))
        bytes.append(0x22)
    }

    /// Whether any of eight bytes is a control character, a quote or a backslash (RFC 8259 §7):
    /// the "has a byte less than n" and "has a zero byte" tests (exact as a whole, for n up to
    /// 0x80) on the word and on its differences from `"` and `\\`.
    @inline(__always) static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        // A byte under 0x20: subtracting 0x20 borrows into its high bit where the byte's was clear.
        let below = (word &- ones &* 0x20) & ~word & highs
        return below != 0 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }

    /// Bytes as a quoted string of lowercase hexadecimal digits, two per byte.
    public mutating func hex(_ data: ArraySlice<UInt8>) {
        bytes.reserveCapacity(bytes.count + data.count * 2 + 2)
        bytes.append(0x22)
        Hex.append(data, to: &bytes)
        bytes.append(0x22)
    }

    /// Bytes as a quoted base64 string (RFC 4648 §4, padded), as proto3 JSON writes `bytes`.
    public mutating func base64(_ data: [UInt8]) {
        base64(data[...])
    }

    public mutating func base64(_ data: ArraySlice<UInt8>) {
        bytes.reserveCapacity(bytes.count + (data.count + 2) / 3 * 4 + 2)
        bytes.append(0x22)
        // Encoded a piece at a time on the stack and appended: making room with zeros first and
        // writing over them went over the output twice.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer in
            var start = data.startIndex
            while start < data.endIndex {
                let end = min(start + 3072, data.endIndex)
                let piece = UnsafeMutableBufferPointer(rebasing: buffer[..<((end - start + 2) / 3 * 4)])
                Base64.encode(data[start..<end], into: piece)
                bytes.append(contentsOf: piece)
                start = end
            }
        }
        bytes.append(0x22)
    }

    /// `[a,b,…]`, each element written by `element`.
    @inlinable public mutating func array<Items: Sequence>(_ items: Items, _ element: (inout JSONBuffer, Items.Element) -> Void) {
        list(items, open: UInt8(ascii: "["), close: UInt8(ascii: "]"), element)
    }

    /// `{"k":v,…}`, each member written by `member`, which begins with `key(_:)`.
    @inlinable public mutating func object<Items: Sequence>(_ items: Items, _ member: (inout JSONBuffer, Items.Element) -> Void) {
        list(items, open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), member)
    }

    /// `"name":`, a member's key.
    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    @inlinable mutating func list<Items: Sequence>(_ items: Items, open: UInt8, close: UInt8, _ element: (inout JSONBuffer, Items.Element) -> Void) {
        bytes.append(open)
        var first = true
        for item in items {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, item)
        }
        bytes.append(close)
    }
}
