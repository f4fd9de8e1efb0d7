import Reassembly
import WireCore

/// Turns reassembled TCP streams into HTTP/2 events, one `HTTP2Connection` per TCP connection.
/// Connections that are not HTTP/2 are reported once and then ignored.
public struct HTTP2Analyzer: Sendable {
    private var connections: [ConnectionID: HTTP2Connection] = [:]
    public private(set) var statistics = Statistics()

    public struct Statistics: Sendable {
        public var http2Connections = 0
        public var otherConnections: [OtherProtocol: Int] = [:]
        /// Connections that carried no payload at all.
        public var emptyConnections = 0
        public var frames = 0
        public var violations = 0

        mutating func count(_ event: borrowing HTTP2Event) {
            switch event {
            case .detected: http2Connections += 1
            case let .other(_, kind, _): otherConnections[kind, default: 0] += 1
            case let .frame(record):
                frames += 1
                violations += record.violations.count
            default: break
            }
        }
    }

    /// Whether frames get their notes (`FrameRecord.annotations`); off when no view shows frames.
    public let describesFrames: Bool

    public init(describesFrames: Bool = true) {
        self.describesFrames = describesFrames
    }

    public mutating func process(_ event: ReassemblyEvent, into events: inout [HTTP2Event]) {
        let start = events.count
        switch event {
        case let .opened(info):
            connections[info.id] = HTTP2Connection(id: info.id, handshakeSeen: !info.clientEvidence.isInferred, describesFrames: describesFrames)
        case let .data(data):
            connections[data.position.connection]?.receive(data, into: &events)
        case let .gap(gap):
            connections[gap.position.connection]?.gap(gap, into: &events)
        case let .closed(summary):
            if var connection = connections.removeValue(forKey: summary.info.id) {
                let position = StreamPosition(connection: summary.info.id, direction: .clientToServer, packet: summary.lastPacket, time: summary.end)
                connection.finish(position, into: &events)
                if connection.isHTTP2 { events.append(.closed(summary.info.id, packet: summary.lastPacket, time: summary.end)) }
                if !connection.isHTTP2, connection.other == nil, summary.clientToServer.bytes + summary.serverToClient.bytes == 0 {
                    statistics.emptyConnections += 1
                }
            }
        case .segment, .rolesChanged:
            break
        }
        for index in start..<events.count { statistics.count(events[index]) }
    }
}
