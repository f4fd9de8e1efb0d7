/// Limits against hostile or broken peers (docs/reliability.md). Each is enforced with a
/// diagnostic when first hit, never a trap; past it, what is dropped is said.
public struct HTTP2Limits: Sendable, Hashable {
    /// Streams tracked at once on one connection (open, half-closed or reserved). Past it the
    /// oldest is forgotten: its later frames are not checked against a state or a window
    /// (a peer that opens a million streams and never closes them, RFC 9113 §5.1.2). The command
    /// line sets it with the call layer's limit (`--max-open-calls`): a call is a stream.
    public var maxOpenStreams: Int
    /// The longest header block kept while its CONTINUATION frames arrive (RFC 9113 §6.10). A
    /// longer block is not decoded, and the direction's HPACK table is unknown after it
    /// (a CONTINUATION flood without END_HEADERS, CVE-2024-27316).
    public var maxHeaderBlockBytes: Int

    public init(maxOpenStreams: Int = 10_000, maxHeaderBlockBytes: Int = 256 << 10) {
        self.maxOpenStreams = max(1, maxOpenStreams)
        self.maxHeaderBlockBytes = max(0, maxHeaderBlockBytes)
    }

    public static let `default` = HTTP2Limits()
}
