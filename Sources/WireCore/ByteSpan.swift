/// A half-open range of absolute byte offsets (in a file, packet, stream or message, as the
/// owner of the span documents).
public struct ByteSpan: Sendable, Hashable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    public init(start: Int, count: Int) {
        self.init(start: start, end: start + count)
    }

    public var count: Int { end - start }

    public var description: String { "\(start)..<\(end)" }
}
