import Analysis
import ByteStream
import Packet
import Protobuf
import Reassembly
import WireCore

/// The `--layer tcp` view: one line per connection, printed when the connection ends, and with
/// `-v` a line per notable event (gaps, retransmissions, role changes) as it happens.
public struct TCPConnectionTable: Sendable {
    public var verbose: Bool

    public init(verbose: Bool = false) {
        self.verbose = verbose
    }

    static let columns: [(title: String, width: Int, leftAligned: Bool)] = [
        ("CONN", 5, true), ("CLIENT", 22, true), ("SERVER", 22, true), ("CLIENT BY", 13, true),
        ("START", 15, true), ("DURATION", 9, false), ("C→S BYTES", 10, false), ("SEGS", 6, false),
        ("S→C BYTES", 10, false), ("SEGS", 6, false), ("RETRANS", 7, false), ("OOO", 5, false),
        ("GAPS", 5, false), ("END", 0, true),
    ]

    public var header: String { Self.row(Self.columns.map(\.title)) }

    /// The line of a connection that ended.
    public func line(_ summary: ConnectionSummary) -> String {
        let info = summary.info
        let c2s = summary.clientToServer, s2c = summary.serverToClient
        let evidence = info.clientEvidence.isInferred ? "\(info.clientEvidence.rawValue)?" : info.clientEvidence.rawValue
        return Self.row([
            info.id.description, info.client.description, info.server.description, evidence,
            info.start.timeOfDay(), formatDuration(nanoseconds: summary.end.nanoseconds(since: info.start)),
            "\(c2s.bytes)", "\(c2s.segments)", "\(s2c.bytes)", "\(s2c.segments)",
            "\(c2s.retransmissions + s2c.retransmissions)", "\(c2s.outOfOrder + s2c.outOfOrder)",
            "\(c2s.gaps + s2c.gaps)", summary.reason.rawValue,
        ])
    }

    /// The `-v` lines for one event (none for plain data).
    public func verboseLines(_ event: ReassemblyEvent) -> [String] {
        guard verbose else { return [] }
        switch event {
        case .data, .opened, .closed:
            return []
        case let .gap(gap):
            return ["  \(gap.position.connection) packet \(gap.position.packet): gap \(gap.position.direction), "
                + "\(gap.length) bytes at stream offset \(gap.offset)" + (gap.sequenceRange.map { " (seq \($0.first)..<\($0.end))" } ?? "") + ", \(gap.reason.rawValue)"]
        case let .segment(note):
            return ["  \(note.position.connection) packet \(note.position.packet): \(note.kind.rawValue) \(note.position.direction), "
                + "\(note.length) bytes at stream offset \(note.offset)"]
        case let .rolesChanged(info):
            return ["  \(info.id) packet \(info.firstPacket): client is \(info.client) (\(info.clientEvidence.rawValue))"]
        }
    }

    /// Per-direction detail under a connection's line, with `-v`.
    public func detailLines(_ summary: ConnectionSummary) -> [String] {
        guard verbose else { return [] }
        var handshake = summary.sawSYN ? "SYN" : "no SYN"
        handshake += summary.sawSYNACK ? ", SYN-ACK" : ", no SYN-ACK"
        var lines = ["      handshake: \(handshake)"]
        for direction in Direction.allCases {
            let s = summary[direction]
            var text = "      \(direction): \(s.bytes) bytes, \(s.segments) segments (\(s.dataSegments) with data)"
            text += ", \(s.retransmissions) retransmissions, \(s.outOfOrder) out of order, \(s.gaps) gaps (\(s.gapBytes) bytes)"
            if s.keepAlives > 0 { text += ", \(s.keepAlives) keep-alives" }
            if s.zeroWindowProbes > 0 { text += ", \(s.zeroWindowProbes) zero-window probes" }
            if s.sawFIN { text += ", FIN" }
            if s.sawRST { text += ", RST" }
            lines.append(text)
        }
        return lines
    }

    /// `--json`: one object per connection.
    public func json(_ summary: ConnectionSummary) -> String {
        var object = JSONObject()
        object.add("connection", summary.info.id.rawValue)
        object.add("client", summary.info.client.description)
        object.add("server", summary.info.server.description)
        object.add("client_by", summary.info.clientEvidence.rawValue)
        object.add("client_inferred", summary.info.clientEvidence.isInferred)
        object.add("start", summary.info.start.rfc3339(fractionDigits: 9))
        object.add("end", summary.end.rfc3339(fractionDigits: 9))
        object.add("first_packet", summary.info.firstPacket)
        object.add("last_packet", summary.lastPacket)
        object.add("end_reason", summary.reason.rawValue)
        object.add("syn", summary.sawSYN)
        object.add("syn_ack", summary.sawSYNACK)
        for direction in Direction.allCases {
            let s = summary[direction]
            var side = JSONObject()
            side.add("bytes", s.bytes)
            side.add("segments", s.segments)
            side.add("data_segments", s.dataSegments)
            side.add("retransmissions", s.retransmissions)
            side.add("out_of_order", s.outOfOrder)
            side.add("gaps", s.gaps)
            side.add("gap_bytes", s.gapBytes)
            side.add("keep_alives", s.keepAlives)
            side.add("zero_window_probes", s.zeroWindowProbes)
            side.add("fin", s.sawFIN)
            side.add("rst", s.sawRST)
            object.add(direction == .clientToServer ? "client_to_server" : "server_to_client", side)
        }
        return object.text
    }

    static func row(_ cells: [String]) -> String {
        var line = ""
        for (cell, column) in zip(cells, columns) {
            let padding = String(repeating: " ", count: max(0, column.width - cell.count))
            line += column.leftAligned ? cell + padding : padding + cell
            line += " "
        }
        return line.trimmingTrailingSpaces()
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
