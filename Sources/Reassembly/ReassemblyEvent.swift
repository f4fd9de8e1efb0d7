import ByteStream
import Packet
import WireCore

/// What the reassembler reports, in capture order.
public enum ReassemblyEvent: Sendable {
    /// A connection was seen for the first time (or anew, after port reuse).
    case opened(ConnectionInfo)
    /// The next in-order bytes of one direction.
    case data(StreamData)
    /// Bytes of one direction that will never be seen; the layer above must resynchronise.
    case gap(StreamGap)
    /// Something noteworthy about one segment (a retransmission, a keep-alive …).
    case segment(SegmentNote)
    /// Client and server were swapped after more evidence (e.g. the HTTP/2 preface) came in.
    case rolesChanged(ConnectionInfo)
    /// The connection ended (or the capture did); its final statistics.
    case closed(ConnectionSummary)

    /// The event in the byte-stream vocabulary that the layers above consume (`nil` for what
    /// only TCP's own view shows: segment notes and role changes).
    public var byteStream: ByteStreamEvent? {
        switch self {
        case let .opened(info): .opened(info)
        case let .data(data): .data(data)
        case let .gap(gap): .gap(gap)
        case let .closed(summary):
            .closed(StreamEnd(info: summary.info, lastPacket: summary.lastPacket, time: summary.end,
                              bytes: [summary.clientToServer.bytes, summary.serverToClient.bytes]))
        case .segment, .rolesChanged: nil
        }
    }
}

public struct SegmentNote: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// All of its bytes had been delivered already.
        case retransmission
        /// Some of its bytes had been delivered already; the rest were new.
        case partialRetransmission = "partial retransmission"
        /// It arrived after later data and filled a hole.
        case outOfOrder = "out of order"
        /// A keep-alive: one old byte (or none) at the sequence number before the next expected.
        case keepAlive = "keep-alive"
        /// One byte sent while the receiver advertised a zero window.
        case zeroWindowProbe = "zero-window probe"
        /// A SYN sent again with the same initial sequence number.
        case synRetransmission = "SYN retransmission"
        /// Data before the first byte the capture saw of a connection it joined mid-way.
        case beforeCaptureStart = "before capture start"
        /// Data after the FIN, or after a RST.
        case afterClose = "after close"
    }

    public var position: StreamPosition
    public var kind: Kind
    /// Stream offsets the segment covered.
    public var offset: Int64
    public var length: Int
}

/// Per-direction counters.
public struct DirectionStatistics: Sendable, Hashable {
    /// Every TCP packet sent in this direction, pure ACKs included.
    public var segments = 0
    /// Packets that carried payload.
    public var dataSegments = 0
    /// Distinct stream bytes delivered (retransmitted copies counted once).
    public var bytes: Int64 = 0
    public var retransmissions = 0
    public var outOfOrder = 0
    public var gaps = 0
    public var gapBytes: Int64 = 0
    public var keepAlives = 0
    public var zeroWindowProbes = 0
    public var sawFIN = false
    public var sawRST = false

    public init() {}
}

public struct ConnectionSummary: Sendable, Hashable {
    public enum CloseReason: String, Sendable, Hashable {
        case fin = "FIN"
        case rst = "RST"
        case idle
        case portReused = "port reused"
        case captureEnded = "capture ended"
        /// Closed to make room: `--max-connections` were open.
        case limit
    }

    public var info: ConnectionInfo
    public var end: Timestamp
    /// The connection's last packet.
    public var lastPacket: Int
    public var reason: CloseReason
    public var sawSYN: Bool
    public var sawSYNACK: Bool
    public var clientToServer: DirectionStatistics
    public var serverToClient: DirectionStatistics

    public subscript(direction: Direction) -> DirectionStatistics {
        direction == .clientToServer ? clientToServer : serverToClient
    }
}
