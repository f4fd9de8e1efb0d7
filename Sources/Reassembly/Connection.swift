import ByteStream
import Packet
import WireCore

/// One TCP connection: its identity, both directions, and what the handshake showed.
struct Connection: Sendable {
    var info: ConnectionInfo
    /// Indexed by `Direction.rawValue`.
    var halves: [HalfStream]
    var sawSYN = false
    var sawSYNACK = false
    var sawRST = false
    var lastSeen: Timestamp
    var lastPacket: Int

    init(info: ConnectionInfo) {
        self.lastPacket = info.firstPacket
        self.info = info
        self.halves = [HalfStream(), HalfStream()]
        self.lastSeen = info.start
    }

    func direction(from source: Endpoint) -> Direction {
        source == info.client ? .clientToServer : .serverToClient
    }

    /// A RST ended it, or both directions sent a FIN that the other acknowledged.
    var isOver: Bool { sawRST || (halves[0].isFinishedAndAcknowledged && halves[1].isFinishedAndAcknowledged) }

    /// Both directions sent a FIN (acknowledged or not).
    var sawBothFINs: Bool { halves[0].finOffset != nil && halves[1].finOffset != nil }

    /// Whether a SYN from `source` with this sequence number starts a new connection on the same
    /// endpoints (RFC 9293 §3.5: port reuse), rather than repeating the one that opened this one.
    func isNewIncarnation(synFrom source: Endpoint, sequence: UInt32) -> Bool {
        let half = halves[direction(from: source).rawValue]
        if sawRST || halves.contains(where: { $0.finOffset != nil }) { return true }
        guard let space = half.space else { return false }
        return half.joinedMidway || space.base != sequence &+ 1
    }

    mutating func receive(
        _ segment: TCPSegment, from source: Endpoint, packet: Int, time: Timestamp,
        bufferLimit: Int, into events: inout [ReassemblyEvent], scratch: inout [HalfStream.Output]
    ) {
        lastSeen = time
        lastPacket = packet
        let direction = direction(from: source)
        let flags = segment.flags
        var payloadSequence = segment.sequenceNumber
        if flags.contains(.syn) {
            if flags.contains(.ack) { sawSYNACK = true } else { sawSYN = true }
            // RFC 9293 §3.4: the SYN occupies the initial sequence number; data starts after it.
            payloadSequence &+= 1
            if let space = halves[direction.rawValue].space, !halves[direction.rawValue].joinedMidway {
                if space.base == payloadSequence {
                    record(.synRetransmission, direction, packet, time, offset: -1, length: 0, &events)
                }
            } else {
                halves[direction.rawValue].space = SequenceSpace(base: payloadSequence)
                halves[direction.rawValue].joinedMidway = false
            }
        } else if halves[direction.rawValue].space == nil {
            halves[direction.rawValue].space = SequenceSpace(base: segment.sequenceNumber)
            halves[direction.rawValue].joinedMidway = true
        }

        let index = direction.rawValue, peer = direction.reversed.rawValue
        halves[index].statistics.segments += 1
        if !segment.payload.isEmpty || segment.missingBytes > 0 { halves[index].statistics.dataSegments += 1 }
        if !flags.contains(.rst) { halves[index].advertisesZeroWindow = segment.window == 0 && !flags.contains(.syn) }
        scratch.removeAll(keepingCapacity: true)
        if flags.contains(.rst) {
            sawRST = true
            halves[index].statistics.sawRST = true
        } else {
            if flags.contains(.fin) { halves[index].statistics.sawFIN = true }
            halves[index].receive(
                sequence: payloadSequence, payload: segment.payload, missing: segment.missingBytes,
                fin: flags.contains(.fin), packet: packet, time: time, receiverWindowIsZero: halves[peer].advertisesZeroWindow,
                bufferLimit: bufferLimit, into: &scratch)
        }
        // A hole of this direction proven by an earlier ACK may be old enough to be a gap now.
        halves[index].declareProvenHoles(packet: packet, into: &scratch)
        emit(scratch, direction, packet, time, &events)
        if flags.contains(.ack), !flags.contains(.rst) {
            scratch.removeAll(keepingCapacity: true)
            halves[peer].acknowledge(segment.acknowledgementNumber, packet: packet, into: &scratch)
            emit(scratch, direction.reversed, packet, time, &events)
        }
    }

    /// A layer above saw `sender` open its stream as a client does (e.g. with the HTTP/2 client
    /// preface): the roles are settled by that evidence, and swapped if the ports had guessed
    /// them the other way. Returns whether they were swapped. Only a guess is overruled.
    mutating func settleClient(_ sender: Direction, evidence: ClientEvidence) -> Bool {
        guard info.clientEvidence == .ports else { return false }
        info.clientEvidence = evidence
        guard sender == .serverToClient else { return false }
        swap(&info.client, &info.server)
        halves.swapAt(0, 1)
        return true
    }

    /// Ends the connection: flushes both directions and reports the summary.
    mutating func close(_ reason: ConnectionSummary.CloseReason, packet: Int, time: Timestamp, into events: inout [ReassemblyEvent]) {
        for direction in Direction.allCases {
            var outputs: [HalfStream.Output] = []
            halves[direction.rawValue].flush(into: &outputs)
            emit(outputs, direction, packet, time, &events)
        }
        events.append(.closed(ConnectionSummary(
            info: info, end: lastSeen, lastPacket: lastPacket, reason: reason, sawSYN: sawSYN, sawSYNACK: sawSYNACK,
            clientToServer: halves[0].statistics, serverToClient: halves[1].statistics)))
    }

    private func emit(_ outputs: [HalfStream.Output], _ direction: Direction, _ packet: Int, _ time: Timestamp, _ events: inout [ReassemblyEvent]) {
        let position = StreamPosition(connection: info.id, direction: direction, packet: packet, time: time)
        let half = halves[direction.rawValue]
        for output in outputs {
            switch output {
            case let .data(offset, bytes, carrier, carried):
                // The packet that carried the bytes, not the one that released them (RFC 9293 says
                // nothing of capture times; a reordered capture must not move a frame's time).
                var at = position
                at.packet = carrier
                at.time = carried
                events.append(.data(StreamData(position: at, offset: offset, bytes: bytes)))
            case let .gap(offset, length, reason):
                events.append(.gap(StreamGap(position: position, offset: offset, length: length,
                                             sequenceRange: (half.sequence(at: offset), half.sequence(at: offset + length)), reason: reason)))
            case let .note(kind, offset, length):
                events.append(.segment(SegmentNote(position: position, kind: kind, offset: offset, length: length)))
            }
        }
    }

    private func record(_ kind: SegmentNote.Kind, _ direction: Direction, _ packet: Int, _ time: Timestamp, offset: Int64, length: Int, _ events: inout [ReassemblyEvent]) {
        let position = StreamPosition(connection: info.id, direction: direction, packet: packet, time: time)
        events.append(.segment(SegmentNote(position: position, kind: kind, offset: offset, length: length)))
    }
}
