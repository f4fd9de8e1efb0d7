import WireCore

/// Splits one direction of an HTTP/2 connection into frames (RFC 9113 §4), streaming:
/// `append` bytes at their stream offset, then `next()` until it returns `nil` (need more bytes).
///
/// After a capture gap it resynchronises: when the gap falls inside a frame whose header was
/// seen, decoding resumes right after that frame; otherwise it searches for a run of plausible
/// frame headers, as it does for a connection whose start was not captured.
public struct FrameDecoder: Sendable {
    public enum Output: Sendable {
        case frame(Frame)
        /// Bytes that could not be decoded as frames: a diagnostic (`http2.skip.…`) whose span
        /// covers them and whose message says why; decoding goes on after them.
        case skipped(Diagnostic)
    }

    /// Frame headers in a row needed to trust a synchronisation point found by searching.
    static let framesToSynchronise = 3
    /// Searching gives up on bytes this far behind the newest without finding frames.
    static let searchWindow = 64 << 10

    private var buffer: [UInt8] = []
    private var position = 0
    /// Stream offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    private var searching: Bool
    /// Whether one plausible frame that ends exactly where the bytes end is enough to synchronise:
    /// true where a stream's captured bytes begin (segments usually start at frame boundaries),
    /// false after a gap, where two are required.
    private var trustSingleFrame: Bool
    /// Bytes before this offset belong to a frame cut by a gap and are dropped.
    private var skipUntil: Int64?
    private var pending: [Output] = []

    public init(searching: Bool = false, startOffset: Int64 = 0) {
        self.searching = searching
        self.trustSingleFrame = searching
        self.bufferOffset = startOffset
    }

    /// Whether the decoder is looking for frame boundaries (not yet synchronised).
    public var isSearching: Bool { searching }
    /// Stream offset of the next byte `append` expects.
    public var expectedOffset: Int64 { bufferOffset + Int64(buffer.count) }

    public mutating func append(_ bytes: ArraySlice<UInt8>, at offset: Int64) {
        var bytes = bytes, offset = offset
        if let skip = skipUntil {
            let drop = Int(min(Int64(bytes.count), max(0, skip - offset)))
            bytes = bytes.dropFirst(drop)
            offset += Int64(drop)
            if offset >= skip { skipUntil = nil }
            if bytes.isEmpty { return }
            compact(restartingAt: offset)
        } else if offset != expectedOffset {
            // A jump the caller did not announce as a gap: treat it as one.
            gap(at: expectedOffset, length: offset - expectedOffset)
            return append(bytes, at: offset)
        }
        if position > 0, position >= buffer.count / 2 { compact(restartingAt: bufferOffset + Int64(position)) }
        buffer.append(contentsOf: bytes)
    }

    /// `length` bytes at `offset` will never arrive.
    public mutating func gap(at offset: Int64, length: Int64) {
        let start = bufferOffset + Int64(position)
        var reader = ByteReader(buffer[position...], baseOffset: Int(start))
        if !searching, let header = FrameHeader.read(&reader) {
            let frameEnd = start + Int64(FrameHeader.size + header.length)
            if frameEnd > offset + length {
                // The gap lies inside this frame: drop the frame, resume after it.
                pending.append(Self.skip("http2.skip.frame-cut-by-gap", ByteSpan(start: Int(start), end: Int(frameEnd)),
                                         "\(header.type) frame cut by a capture gap of \(length) bytes"))
                skipUntil = frameEnd
                compact(restartingAt: frameEnd)
                return
            }
        }
        if start < offset {
            pending.append(Self.skip("http2.skip.before-gap", ByteSpan(start: Int(start), end: Int(offset)), "incomplete frame before a capture gap of \(length) bytes"))
        }
        compact(restartingAt: offset + length)
        searching = true
        trustSingleFrame = false
    }

    public mutating func next() -> Output? {
        if !pending.isEmpty { return pending.removeFirst() }
        if searching, !synchronise() { return pending.isEmpty ? nil : pending.removeFirst() }
        if !pending.isEmpty { return pending.removeFirst() }
        let start = bufferOffset + Int64(position)
        var reader = ByteReader(buffer[position...], baseOffset: Int(start))
        guard let header = FrameHeader.read(&reader), let payload = reader.readBytes(header.length) else { return nil }
        position += FrameHeader.size + header.length
        let (content, problems) = FramePayloadParser.parse(header, payload: payload, at: start)
        return .frame(Frame(header: header, payload: payload, streamOffset: start, content: content, problems: problems))
    }

    /// The bytes buffered but not decoded (at the end of a connection: an incomplete frame).
    public mutating func finish() -> Output? {
        let start = bufferOffset + Int64(position)
        guard position < buffer.count else { return nil }
        let span = ByteSpan(start: Int(start), count: buffer.count - position)
        var reader = ByteReader(buffer[position...], baseOffset: Int(start))
        position = buffer.count
        if searching { return Self.skip("http2.skip.no-frames", span, "no HTTP/2 frames found") }
        guard let header = FrameHeader.read(&reader) else { return Self.skip("http2.skip.header-cut-short", span, "frame header cut short") }
        return Self.skip("http2.skip.frame-cut-short", span, "\(header.type) frame cut short: \(span.count - FrameHeader.size) of \(header.length) payload bytes")
    }

    private static func skip(_ code: String, _ span: ByteSpan, _ reason: String) -> Output {
        .skipped(Diagnostic(.http2, code, .warning, reason, span: span))
    }

    /// Looks for a position where several plausible frame headers follow each other. Returns
    /// true once synchronised (bytes before the point are reported as skipped).
    private mutating func synchronise() -> Bool {
        let start = bufferOffset + Int64(position)
        var candidate = position
        while candidate + FrameHeader.size <= buffer.count {
            switch Self.chain(buffer, from: candidate) {
            case let .found(frames) where frames >= Self.framesToSynchronise || (candidate == position && frames >= (trustSingleFrame ? 1 : 2)):
                if candidate > position {
                    pending.append(Self.skip("http2.skip.not-at-boundary", ByteSpan(start: Int(start), count: candidate - position), "not at a frame boundary"))
                }
                position = candidate
                searching = false
                return true
            case .needMoreBytes:
                // Keep waiting unless the search has gone on too long.
                if buffer.count - candidate < Self.searchWindow { return dropSearched(upTo: candidate) }
            default:
                break
            }
            candidate += 1
        }
        return dropSearched(upTo: max(position, buffer.count - FrameHeader.size + 1))
    }

    private mutating func dropSearched(upTo index: Int) -> Bool {
        if index > position {
            let start = bufferOffset + Int64(position)
            pending.append(Self.skip("http2.skip.no-boundary", ByteSpan(start: Int(start), count: index - position), "no HTTP/2 frame boundary found"))
            position = index
        }
        return false
    }

    enum Chain { case found(Int), broken, needMoreBytes }

    /// How many plausible frames follow each other from `index`, ending exactly at the end of the
    /// buffered bytes or after enough frames.
    static func chain(_ buffer: [UInt8], from index: Int) -> Chain {
        var at = index
        var frames = 0
        while true {
            if at == buffer.count { return frames > 0 ? .found(frames) : .needMoreBytes }
            var reader = ByteReader(buffer[at...])
            guard let header = FrameHeader.read(&reader) else { return frames > 0 ? .found(frames) : .needMoreBytes }
            guard isPlausible(header) else { return frames >= framesToSynchronise ? .found(frames) : .broken }
            frames += 1
            if frames >= framesToSynchronise { return .found(frames) }
            at += FrameHeader.size + header.length
            if at > buffer.count { return .needMoreBytes }
        }
    }

    /// A header that a real HTTP/2 peer could have sent: a known type, only its defined flags, the
    /// reserved bit clear, stream 0 exactly for connection frames, and fixed lengths respected.
    static func isPlausible(_ header: FrameHeader) -> Bool {
        guard header.type.name != nil, !header.reservedBit, header.length <= 1 << 20 else { return false }
        let allowed = FrameFlags.defined(for: header.type).reduce(UInt8(0)) { $0 | $1.1 }
        guard header.flags.rawValue & ~allowed == 0 else { return false }
        if header.type.requiresStream, header.streamID == 0 { return false }
        if header.type.requiresConnection, header.streamID != 0 { return false }
        switch header.type {
        case .ping: return header.length == 8
        case .windowUpdate, .rstStream: return header.length == 4
        case .priority: return header.length == 5
        case .settings: return header.length % 6 == 0
        default: return true
        }
    }

    private mutating func compact(restartingAt offset: Int64) {
        let keepFrom = Int(max(0, min(Int64(buffer.count), offset - bufferOffset)))
        buffer.removeSubrange(0..<keepFrom)
        bufferOffset += Int64(keepFrom)
        if offset > bufferOffset {  // the restart point is beyond what was buffered
            buffer.removeAll(keepingCapacity: true)
            bufferOffset = offset
        }
        position = 0
    }
}
