/// How a message body ends (RFC 9112 §6): a length, the chunked transfer coding (§7.1), or the
/// end of the connection.
enum BodyFraming: Sendable, Equatable {
    case length(remaining: Int64)
    case chunked(ChunkState)
    case untilClose

    /// Where the chunked coding is: a chunk-size line, chunk data (and its CRLF), or the trailer
    /// section after the last chunk.
    enum ChunkState: Sendable, Equatable {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
    }

    /// The framing of a message with `head`; `nil` when it has no body.
    static func of(_ head: MessageHead, isResponse: Bool) -> BodyFraming? {
        // RFC 9112 §6.3: Transfer-Encoding ending in chunked wins over Content-Length.
        if head.tokens("transfer-encoding").last == "chunked" { return .chunked(.size) }
        if let length = head.field("content-length").flatMap({ Int64($0) }), length >= 0 {
            return length == 0 ? nil : .length(remaining: length)
        }
        return isResponse ? .untilClose : nil
    }
}

/// One direction of an HTTP/1.x connection: its buffered bytes and where it is in its messages.
struct HTTP1Direction: Sendable {
    enum Reading: Sendable, Equatable {
        case head
        case body(BodyFraming)
        case stopped
    }

    enum Body {
        case needMoreBytes
        case malformed(String)
        /// Body bytes at a stream offset, and the framing after them (`nil`: the body ended).
        case data(ArraySlice<UInt8>, offset: Int64, next: BodyFraming?)
    }

    var reading = Reading.head
    /// The exchange the current message belongs to.
    var exchange: UInt32?
    private var buffer: [UInt8] = []
    private var position = 0
    /// Stream offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0

    var buffered: Int { buffer.count - position }
    var pending: ArraySlice<UInt8> { buffer[position...] }
    var expectedOffset: Int64 { bufferOffset + Int64(buffer.count) }

    mutating func append(_ bytes: ArraySlice<UInt8>, at offset: Int64) {
        if buffer.isEmpty || position == buffer.count {
            buffer = []
            position = 0
            bufferOffset = offset
        } else if position > 4096, position * 2 > buffer.count {
            buffer.removeFirst(position)
            bufferOffset += Int64(position)
            position = 0
        }
        buffer += bytes
    }

    mutating func consume(_ count: Int) { position += count }

    /// After a gap inside a body: continue at `offset`.
    mutating func skip(to offset: Int64) {
        buffer = []
        position = 0
        bufferOffset = offset
    }

    mutating func takeBody(_ framing: BodyFraming) -> Body {
        let offset = bufferOffset + Int64(position)
        switch framing {
        case let .length(remaining):
            guard buffered > 0 else { return .needMoreBytes }
            let count = Int(min(Int64(buffered), remaining))
            let bytes = pending.prefix(count)
            consume(count)
            return .data(bytes, offset: offset, next: remaining == Int64(count) ? nil : .length(remaining: remaining - Int64(count)))
        case .untilClose:
            guard buffered > 0 else { return .needMoreBytes }
            let bytes = pending
            consume(bytes.count)
            return .data(bytes, offset: offset, next: .untilClose)
        case .chunked(.size):
            guard let line = takeLine() else { return buffered > 1024 ? .malformed("a chunk-size line longer than 1024 bytes") : .needMoreBytes }
            // RFC 9112 §7.1: chunk-size in hex, then optional extensions after ";".
            let hex = line.split(separator: ";").first.map { String($0).trimmed } ?? ""
            guard let size = Int(hex, radix: 16), size >= 0 else { return .malformed("chunk size \"\(line.prefix(40))\" is not hexadecimal") }
            return .data([], offset: offset, next: .chunked(size == 0 ? .trailers : .data(remaining: size)))
        case let .chunked(.data(remaining)):
            guard buffered > 0 else { return .needMoreBytes }
            let count = min(buffered, remaining)
            let bytes = pending.prefix(count)
            consume(count)
            return .data(bytes, offset: offset, next: .chunked(count == remaining ? .dataEnd : .data(remaining: remaining - count)))
        case .chunked(.dataEnd):
            guard let line = takeLine() else { return .needMoreBytes }
            guard line.isEmpty else { return .malformed("chunk data not followed by CRLF") }
            return .data([], offset: offset, next: .chunked(.size))
        case .chunked(.trailers):
            // Trailer fields (RFC 9112 §7.1.2) until an empty line: the body ends there.
            guard let line = takeLine() else { return .needMoreBytes }
            return .data([], offset: offset, next: line.isEmpty ? nil : .chunked(.trailers))
        }
    }

    /// A line ending in CRLF (without it), or `nil` when it is not complete.
    private mutating func takeLine() -> String? {
        guard let end = pending.firstIndex(of: 0x0A) else { return nil }
        var line = buffer[position..<end]
        if line.last == 0x0D { line = line.dropLast() }
        position = end + 1
        return String(decoding: line, as: UTF8.self)
    }
}
