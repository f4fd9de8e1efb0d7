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
    private var prefix: [UInt8] = []
    private var prefixOffset: Int64 = 0
    private var firstPacket = 0
    private var body: [UInt8] = []
    /// Bytes of the current message still to come (kept, or skipped when too large).
    private var remaining = 0
    private var skipping = false

    init(maxMessageLength: Int) {
        self.maxMessageLength = maxMessageLength
    }

    /// Whether a message is partly received.
    var isInsideMessage: Bool { !prefix.isEmpty }

    enum Output: Sendable {
        case message(GRPCMessage)
        case tooLarge(declaredLength: Int, streamOffset: Int64, packet: Int)
    }

    mutating func append(_ data: ArraySlice<UInt8>, at offset: Int64, packet: Int, time: Timestamp, into out: inout [Output]) {
        var data = data, offset = offset
        while !data.isEmpty {
            if prefix.count < Self.prefixLength {
                if prefix.isEmpty {
                    prefixOffset = offset
                    firstPacket = packet
                }
                let take = min(Self.prefixLength - prefix.count, data.count)
                prefix += data.prefix(take)
                data = data.dropFirst(take)
                offset += Int64(take)
                guard prefix.count == Self.prefixLength else { return }
                remaining = Self.declaredLength(ofPrefix: prefix)
                skipping = remaining > maxMessageLength
                if skipping { out.append(.tooLarge(declaredLength: remaining, streamOffset: prefixOffset, packet: packet)) }
                // A fresh buffer of the declared size: the previous one now belongs to its message
                // (keeping its capacity would copy a large message's buffer for every small one).
                body = []
                if !skipping { body.reserveCapacity(remaining) }
            }
            let take = min(remaining, data.count)
            if !skipping { body += data.prefix(take) }
            data = data.dropFirst(take)
            offset += Int64(take)
            remaining -= take
            if remaining == 0 {
                if !skipping {
                    out.append(.message(GRPCMessage(
                        compressed: prefix[0] & 1 == 1, declaredLength: body.count, wireBytes: body,
                        bytes: prefix[0] & 1 == 1 ? nil : body, problem: nil, streamOffset: prefixOffset,
                        firstPacket: firstPacket, packet: packet, time: time)))
                }
                prefix.removeAll(keepingCapacity: true)
                skipping = false
            }
        }
    }

    /// A message cut off by the end of the stream: what arrived of it.
    mutating func finish() -> (declared: Int?, received: Int, streamOffset: Int64)? {
        guard !prefix.isEmpty else { return nil }
        defer { prefix.removeAll() }
        let declared = prefix.count == Self.prefixLength ? body.count + remaining : nil
        return (declared, prefix.count + body.count, prefixOffset)
    }
}
