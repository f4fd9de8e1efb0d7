import WireCore

/// One TLS record as it was on the wire (RFC 8446 §5.1 TLSPlaintext / §5.2 TLSCiphertext).
public struct TLSRecord: Sendable {
    public var type: ContentType
    public var version: UInt16
    /// The fragment, as read from the stream (no copy is made of it).
    public var fragment: ArraySlice<UInt8>
    /// Stream offset of the header's first byte.
    public var offset: Int64

    public init(type: ContentType, version: UInt16, fragment: ArraySlice<UInt8>, offset: Int64) {
        self.type = type
        self.version = version
        self.fragment = fragment
        self.offset = offset
    }

    public var wireLength: Int { 5 + fragment.count }
}

/// Splits one direction's byte stream into TLS records, streaming: `append` bytes at their stream
/// offset, then `next()` until it returns `nil` (need more bytes). Records split across segments
/// and several records in one segment are the same to it.
///
/// After a capture gap it searches for the next record boundary: a plausible header whose record
/// is followed by another plausible header (or ends exactly where the bytes end).
struct RecordReader: Sendable {
    enum Output: Sendable {
        case record(TLSRecord)
        /// Bytes that are not TLS records (`tls.record.…`); reading goes on after them when it can.
        case skipped(Diagnostic)
    }

    /// RFC 8446 §5.2: a TLSCiphertext fragment is at most 2^14 + 256 bytes; RFC 5246 §6.2.3
    /// allows TLS 1.2 up to 2^14 + 2048.
    static let maxFragment = (1 << 14) + 2048

    private var buffer: [UInt8] = []
    private var position = 0
    private var bufferOffset: Int64 = 0
    private var searching = false
    private var stopped = false

    init(startOffset: Int64 = 0) {
        bufferOffset = startOffset
    }

    var expectedOffset: Int64 { bufferOffset + Int64(buffer.count) }

    mutating func append(_ bytes: ArraySlice<UInt8>, at offset: Int64) {
        guard !stopped else { return }
        if offset > expectedOffset { gap(at: expectedOffset, length: offset - expectedOffset) }
        let skip = Int(max(0, expectedOffset - offset))
        guard skip < bytes.count else { return }
        if position > 0, position >= buffer.count / 2 {
            buffer.removeFirst(position)
            bufferOffset += Int64(position)
            position = 0
        }
        buffer.append(contentsOf: bytes.dropFirst(skip))
    }

    /// `length` bytes at `offset` will never arrive: what is buffered is dropped and the next
    /// record boundary searched for.
    mutating func gap(at offset: Int64, length: Int64) {
        buffer = []
        position = 0
        bufferOffset = offset + length
        searching = true
    }

    mutating func next() -> Output? {
        if stopped { return nil }
        if searching {
            guard let found = synchronise() else { return nil }
            searching = false
            if found > position {
                let skipped = ByteSpan(start: Int(bufferOffset) + position, count: found - position)
                position = found
                return .skipped(Diagnostic(.tls, "tls.record.resynchronised", .warning,
                                           "\(skipped.count) bytes skipped to the next record boundary after a capture gap", span: skipped))
            }
        }
        guard buffer.count - position >= 5 else { return nil }
        let start = position
        let type = ContentType(rawValue: buffer[start])
        let version = UInt16(buffer[start + 1]) << 8 | UInt16(buffer[start + 2])
        let length = Int(buffer[start + 3]) << 8 | Int(buffer[start + 4])
        guard Self.plausible(type: type.rawValue, major: buffer[start + 1], length: length) else {
            stopped = true
            let span = ByteSpan(start: Int(bufferOffset) + start, count: buffer.count - start)
            return .skipped(Diagnostic(.tls, "tls.record.malformed", .warning,
                                       "not a TLS record header (type \(type.rawValue), version 0x\(String(version, radix: 16)), length \(length)); the rest of this direction is not decoded",
                                       span: span))
        }
        guard buffer.count - start >= 5 + length else { return nil }
        position = start + 5 + length
        return .record(TLSRecord(type: type, version: version, fragment: buffer[start + 5..<start + 5 + length], offset: bufferOffset + Int64(start)))
    }

    /// At the end of the connection: a record cut short.
    mutating func finish() -> Output? {
        guard !stopped, position < buffer.count else { return nil }
        let span = ByteSpan(start: Int(bufferOffset) + position, count: buffer.count - position)
        position = buffer.count
        return .skipped(Diagnostic(.tls, "tls.record.truncated", .warning, "a record cut short: \(span.count) bytes at the end of the stream", span: span))
    }

    static func plausible(type: UInt8, major: UInt8, length: Int) -> Bool {
        (20...24).contains(type) && major == 3 && length <= maxFragment
    }

    /// The index of the first position from which two record headers chain.
    private func synchronise() -> Int? {
        var index = position
        while index + 5 <= buffer.count {
            if let length = plausibleLength(at: index) {
                let next = index + 5 + length
                if next + 5 <= buffer.count {
                    if plausibleLength(at: next) != nil { return index }
                } else if next == buffer.count {
                    return index
                } else {
                    return nil  // wait for more bytes to confirm
                }
            }
            index += 1
        }
        return nil
    }

    /// The fragment length of the record header at `index` (five bytes, RFC 8446 §5.1), when it
    /// is a plausible one.
    private func plausibleLength(at index: Int) -> Int? {
        let length = Int(buffer[index + 3]) << 8 | Int(buffer[index + 4])
        return Self.plausible(type: buffer[index], major: buffer[index + 1], length: length) ? length : nil
    }
}
