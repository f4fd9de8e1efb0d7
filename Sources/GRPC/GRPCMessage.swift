import WireCore

/// One length-prefixed gRPC message (gRPC doc "PROTOCOL-HTTP2.md", Length-Prefixed-Message:
/// Compressed-Flag(1) Message-Length(4, big-endian) Message).
public struct GRPCMessage: Sendable {
    public var compressed: Bool
    /// The length the prefix declared.
    public var declaredLength: Int
    /// The message bytes as sent (compressed when `compressed`); empty when too large to keep,
    /// or when the view keeps none (`CallAssembler.Configuration.keepsMessageBodies`; `bytes` is
    /// then nil, with no `problem`).
    public var wireBytes: [UInt8]
    /// The message after decompression (equal to `wireBytes` when not compressed); `nil` when it
    /// could not be decompressed (see `problem`).
    public var bytes: [UInt8]?
    /// Why the message could not be decompressed or kept.
    public var problem: String?
    /// Offset of the 5-byte prefix in the sender's TCP stream.
    public var streamOffset: Int64
    public var firstPacket: Int
    /// The packet that completed the message, and its time.
    public var packet: Int
    public var time: Timestamp
}
