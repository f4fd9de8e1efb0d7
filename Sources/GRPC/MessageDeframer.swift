import WireCore

/// Splits the DATA bytes of one direction of a gRPC stream into length-prefixed messages,
/// streaming: prefixes and messages may straddle DATA frames and TCP segments, and several
/// messages may share one frame.
///
/// A prefix that declares more than `maxMessageLength` bytes is reported and its message skipped
/// (the length is still known, so the messages after it are found); nothing is buffered for it.
public struct MessageDeframer: Sendable {
    public static let prefixLength = 5

    /// The Message-Length of a 5-byte prefix (gRPC doc "PROTOCOL-HTTP2.md": 4 bytes, big-endian,
    /// after the Compressed-Flag byte).
    public static func declaredLength<Prefix: RandomAccessCollection<UInt8>>(ofPrefix prefix: Prefix) -> Int {
        prefix.dropFirst().prefix(4).reduce(0) { $0 << 8 | Int($1) }
    }

    let maxMessageLength: Int
    /// Bytes of the current message's 5-byte prefix received so far (0: between messages).
    private var prefixReceived = 0
    private var compressedFlag: UInt8 = 0
    /// The Message-Length, accumulated as the prefix arrives.
    private var declared = 0
    private var prefixOffset: Int64 = 0
    private var firstPacket = 0
    private var body: [UInt8] = []
    /// Bytes of the current message still to come (kept, or skipped when too large).
    private var remaining = 0
    private var skipping = false
    /// Whether messages keep their bytes (see `Output.counted`).
    let keepsBodies: Bool
    /// The current message's bytes are passed over (a trailers frame's are always kept).
    private var counting: Bool { !skipping && !keepsBodies && compressedFlag & 0x80 == 0 }

    init(maxMessageLength: Int, keepsBodies: Bool) {
        self.maxMessageLength = maxMessageLength
        self.keepsBodies = keepsBodies
    }

    /// Whether a message is partly received.
    var isInsideMessage: Bool { prefixReceived > 0 }

    enum Output: Sendable {
        case message(GRPCMessage)
        /// A frame whose flag has bit 0x80 set: gRPC-Web's trailers (gRPC doc "PROTOCOL-WEB.md"),
        /// HTTP/1-style `name: value` lines.
        case trailers([UInt8], streamOffset: Int64, packet: Int)
        case tooLarge(declaredLength: Int, streamOffset: Int64, packet: Int)
        /// A message whose bytes were not kept (`keepsBodies` off): `wireBytes` empty, `bytes`
        /// nil, not decompressed.
        case counted(GRPCMessage)
    }

    mutating func append(_ data: ArraySlice<UInt8>, at offset: Int64, packet: Int, time: Timestamp, into out: inout [Output]) {
        var data = data, offset = offset
        while !data.isEmpty {
            if prefixReceived < Self.prefixLength {
                if prefixReceived == 0 {
                    prefixOffset = offset
                    firstPacket = packet
                    compressedFlag = data.first!
                    declared = 0
                } else {
                    declared = declared << 8 | Int(data.first!)
                }
                prefixReceived += 1
                data = data.dropFirst()
                offset += 1
                guard prefixReceived == Self.prefixLength else { continue }
                remaining = declared
                skipping = remaining > maxMessageLength
                if skipping { out.append(.tooLarge(declaredLength: remaining, streamOffset: prefixOffset, packet: packet)) }
                // A fresh buffer of the declared size: the previous one now belongs to its message
                // (keeping its capacity would copy a large message's buffer for every small one).
                body = []
                if !skipping && !counting { body.reserveCapacity(remaining) }
            }
            let take = min(remaining, data.count)
            if !skipping && !counting { body += data.prefix(take) }
            data = data.dropFirst(take)
            offset += Int64(take)
            remaining -= take
            if remaining == 0 {
                if counting {
                    out.append(.counted(GRPCMessage(
                        compressed: compressedFlag & 1 == 1, declaredLength: declared, wireBytes: [], bytes: nil, problem: nil,
                        streamOffset: prefixOffset, firstPacket: firstPacket, packet: packet, time: time)))
                } else if !skipping, compressedFlag & 0x80 != 0 {
                    out.append(.trailers(body, streamOffset: prefixOffset, packet: packet))
                } else if !skipping {
                    let compressed = compressedFlag & 1 == 1
                    out.append(.message(GRPCMessage(
                        compressed: compressed, declaredLength: body.count, wireBytes: body,
                        bytes: compressed ? nil : body, problem: nil, streamOffset: prefixOffset,
                        firstPacket: firstPacket, packet: packet, time: time)))
                }
                prefixReceived = 0
                skipping = false
            }
        }
    }

    /// A message cut off by the end of the stream: what arrived of it.
    mutating func finish() -> (declared: Int?, received: Int, streamOffset: Int64)? {
        guard prefixReceived > 0 else { return nil }
        defer { prefixReceived = 0 }
        guard prefixReceived == Self.prefixLength else { return (nil, prefixReceived, prefixOffset) }
        // What arrived of the body, kept or (too large) skipped.
        return (declared, Self.prefixLength + declared - remaining, prefixOffset)
    }
}
