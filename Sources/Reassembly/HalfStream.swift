import ByteStream
import WireCore

/// One direction of a TCP connection: puts segments in stream order and says what happened.
///
/// Bytes are handed on only in order and only once. Data that arrives ahead of a hole waits in a
/// bounded buffer; a hole becomes a gap (reported, never spliced over) when the receiver's ACK
/// proves the bytes went past unseen, when the buffer limit is reached, or when the connection ends.
struct HalfStream: Sendable {
    /// What the direction produced, in order, for the connection to turn into events.
    enum Output {
        /// In-order bytes, with the packet that carried them and its time: the packet that filled a
        /// hole hands on the data that waited behind it with that data's own packet and time.
        case data(offset: Int64, bytes: ArraySlice<UInt8>, packet: Int, time: Timestamp)
        case gap(offset: Int64, length: Int64, StreamGap.Reason)
        case note(SegmentNote.Kind, offset: Int64, length: Int)
    }

    /// Data waiting for the bytes before it. `missing` bytes (cut by the snapshot length) follow `bytes`.
    struct Pending: Sendable {
        var offset: Int64
        var bytes: ArraySlice<UInt8>
        var missing: Int
        /// The packet that carried the bytes, and its time.
        var packet: Int
        var time: Timestamp
        var end: Int64 { offset + Int64(bytes.count + missing) }
    }

    /// Set by the first segment seen in this direction (from the SYN when it was captured).
    var space: SequenceSpace?
    /// The handshake was not seen: offset 0 is merely the first byte captured.
    var joinedMidway = false
    /// Offset of the next byte to hand on.
    private(set) var next: Int64 = 0
    /// Highest stream offset seen in any segment so far.
    private var highestEnd: Int64 = 0
    private var pending: [Pending] = []
    private(set) var pendingBytes = 0
    /// Where the FIN sits in the stream, once seen.
    private(set) var finOffset: Int64?
    /// Highest offset the peer acknowledged.
    private var acknowledged: Int64?
    /// The hole at `offset` that an ACK proved, and the packet that proved it.
    private var holeProvenAt: (offset: Int64, packet: Int)?
    /// The sender of this direction advertised a zero receive window in its last segment.
    var advertisesZeroWindow = false
    var statistics = DirectionStatistics()

    /// All bytes up to the FIN have been handed on.
    var isFinished: Bool { finOffset.map { next >= $0 && pending.isEmpty } ?? false }

    /// Finished, and the peer acknowledged the FIN (RFC 9293 §3.6: the FIN occupies one sequence number).
    var isFinishedAndAcknowledged: Bool {
        guard isFinished, let finOffset, let acknowledged else { return false }
        return acknowledged > finOffset
    }

    /// The 32-bit sequence number of a stream offset.
    func sequence(at offset: Int64) -> UInt32 {
        (space?.base ?? 0) &+ UInt32(truncatingIfNeeded: offset)
    }

    /// Takes one segment's payload. `receiverWindowIsZero` is the peer's last advertised window.
    mutating func receive(
        sequence: UInt32, payload: ArraySlice<UInt8>, missing: Int, fin: Bool, packet: Int, time: Timestamp,
        receiverWindowIsZero: Bool, bufferLimit: Int, into out: inout [Output]
    ) {
        guard let space else { return }
        var offset = space.offset(of: sequence, near: next)
        var payload = payload, missing = missing
        var length = Int64(payload.count + missing)
        let end = offset + length
        defer {
            highestEnd = max(highestEnd, end)
            if fin, finOffset == nil { finOffset = end }
        }

        if length == 0 {
            // RFC 9293 §3.8.4: a keep-alive carries sequence number SND.NXT-1 and no (or one garbage) byte.
            if !fin, offset == next - 1 {
                note(receiverWindowIsZero ? .zeroWindowProbe : .keepAlive, offset, 0, &out)
            }
            return
        }
        if let finOffset, offset >= finOffset {
            note(.afterClose, offset, Int(length), &out)
            return
        }
        if joinedMidway, offset < 0 {
            guard end > 0 else { return note(.beforeCaptureStart, offset, Int(length), &out) }
            note(.beforeCaptureStart, offset, Int(-offset), &out)
            trimFront(&payload, &missing, by: -offset)
            offset = 0
            length = end
        }
        if end <= next {
            if length <= 1, offset == next - 1 {
                note(receiverWindowIsZero ? .zeroWindowProbe : .keepAlive, offset, Int(length), &out)
            } else {
                note(.retransmission, offset, Int(length), &out)
            }
            return
        }
        if offset < next {
            note(.partialRetransmission, offset, Int(length), &out)
            trimFront(&payload, &missing, by: next - offset)
            offset = next
        } else if offset < highestEnd {
            note(.outOfOrder, offset, Int(length), &out)
        } else if length == 1, offset == next, receiverWindowIsZero {
            note(.zeroWindowProbe, offset, 1, &out)
        }
        if offset == next {
            deliver(payload, missing: missing, packet: packet, time: time, into: &out)
            drain(into: &out)
            return
        }
        if pending.contains(where: { $0.offset <= offset && $0.end >= end }) {
            note(.retransmission, offset, Int(length), &out)
            return
        }
        let index = pending.firstIndex { $0.offset > offset } ?? pending.endIndex
        pending.insert(Pending(offset: offset, bytes: payload, missing: missing, packet: packet, time: time), at: index)
        pendingBytes += payload.count
        while pendingBytes > bufferLimit, !pending.isEmpty {
            declareHole(.bufferLimit, into: &out)
        }
    }

    /// The peer acknowledged everything before `sequence`. Data it acknowledged past a hole that
    /// the capture never filled cannot come again: the hole is a gap — once `reorderAllowance`
    /// more packets of the connection went by without filling it, because a capture whose
    /// packets were reordered (multi-queue capture, a busy network) may show the ACK before the
    /// data it acknowledges.
    mutating func acknowledge(_ sequence: UInt32, packet: Int, into out: inout [Output]) {
        guard let space else { return }
        let offset = space.offset(of: sequence, near: next)
        acknowledged = max(acknowledged ?? offset, offset)
        declareProvenHoles(packet: packet, into: &out)
    }

    /// Packets of the connection that may go by between an ACK past a hole and the data that fills it.
    static let reorderAllowance = 32

    /// Holes the peer's ACKs proved long enough ago become gaps.
    mutating func declareProvenHoles(packet: Int, into out: inout [Output]) {
        guard let acknowledged else { return }
        while let first = pending.first, acknowledged >= first.offset, first.offset > next {
            guard let proven = holeProvenAt, proven.offset == next else {
                holeProvenAt = (next, packet)
                return
            }
            guard packet - proven.packet >= Self.reorderAllowance else { return }
            holeProvenAt = nil
            declareHole(.notCaptured, into: &out)
        }
    }

    /// At the end of the connection: every hole becomes a gap and all buffered data is handed on,
    /// then whatever the FIN or the peer's ACK proves was sent but not captured.
    mutating func flush(into out: inout [Output]) {
        while !pending.isEmpty { declareHole(.notCaptured, into: &out) }
        // Without a captured FIN, the peer's ACK may cover the FIN's own sequence number (RFC 9293
        // §3.6), which is not data: only bytes beyond that one are missing.
        let sentUpTo = finOffset ?? acknowledged.map { $0 - 1 } ?? next
        if sentUpTo > next { gap(sentUpTo - next, .notCaptured, &out) }
    }

    private mutating func declareHole(_ reason: StreamGap.Reason, into out: inout [Output]) {
        guard let first = pending.first else { return }
        if first.offset > next { gap(first.offset - next, reason, &out) }
        drain(into: &out)
    }

    private mutating func drain(into out: inout [Output]) {
        while let first = pending.first, first.offset <= next {
            pending.removeFirst()
            pendingBytes -= first.bytes.count
            guard first.end > next else { continue }
            var bytes = first.bytes, missing = first.missing
            trimFront(&bytes, &missing, by: next - first.offset)
            deliver(bytes, missing: missing, packet: first.packet, time: first.time, into: &out)
        }
    }

    private mutating func deliver(_ bytes: ArraySlice<UInt8>, missing: Int, packet: Int, time: Timestamp, into out: inout [Output]) {
        if !bytes.isEmpty {
            out.append(.data(offset: next, bytes: bytes, packet: packet, time: time))
            next += Int64(bytes.count)
            statistics.bytes += Int64(bytes.count)
        }
        if missing > 0 { gap(Int64(missing), .snapLength, &out) }
    }

    private mutating func gap(_ length: Int64, _ reason: StreamGap.Reason, _ out: inout [Output]) {
        out.append(.gap(offset: next, length: length, reason))
        next += length
        statistics.gaps += 1
        statistics.gapBytes += length
    }

    private mutating func note(_ kind: SegmentNote.Kind, _ offset: Int64, _ length: Int, _ out: inout [Output]) {
        switch kind {
        case .retransmission, .partialRetransmission: statistics.retransmissions += 1
        case .outOfOrder: statistics.outOfOrder += 1
        case .keepAlive: statistics.keepAlives += 1
        case .zeroWindowProbe: statistics.zeroWindowProbes += 1
        default: break
        }
        out.append(.note(kind, offset: offset, length: length))
    }

    private func trimFront(_ bytes: inout ArraySlice<UInt8>, _ missing: inout Int, by count: Int64) {
        let fromBytes = min(Int(count), bytes.count)
        bytes = bytes.dropFirst(fromBytes)
        missing -= min(missing, Int(count) - fromBytes)
    }
}
