import Capture
import Packet
import Reassembly
import WireCore

/// What the analysis pipeline reports, in capture order.
public enum AnalysisEvent: Sendable {
    /// A problem in the capture container or in a packet's headers.
    case diagnostic(Diagnostic)
    case tcp(ReassemblyEvent)
}

/// The synchronous pipeline: capture records in, events out (`ingest(record) -> [Event]`,
/// `finish() -> [Event]`). Deterministic and free of I/O, so a file, standard input and a live
/// interface all drive it the same way.
public struct Analyzer: Sendable {
    public struct Configuration: Sendable {
        public var reassembly = TCPReassembler.Configuration()
        public var defragmenter = IPDefragmenter()
        public init() {}
    }

    public private(set) var statistics = CaptureStatistics()
    private var decoder: PacketDecoder
    private var reassembler: TCPReassembler
    private var lastPacket = 0
    private var lastExpiry: Timestamp?
    /// Link types already reported as unsupported (each is reported once).
    private var reportedLinkTypes: Set<LinkType> = []

    public init(configuration: Configuration = Configuration()) {
        decoder = PacketDecoder(defragmenter: configuration.defragmenter)
        reassembler = TCPReassembler(configuration: configuration.reassembly)
    }

    /// Connections currently open (for memory accounting and progress).
    public var openConnections: Int { reassembler.openConnectionCount }

    /// Processes one record; `passesFilter` says whether a packet record passed the user's filter.
    public mutating func ingest(_ record: CaptureRecord, passesFilter: Bool = true, into events: inout [AnalysisEvent]) {
        switch record {
        case let .format(format):
            statistics.format = format
        case let .interface(interface):
            statistics.interfaces.append(interface)
        case let .diagnostic(diagnostic):
            statistics.diagnostics += 1
            events.append(.diagnostic(diagnostic))
        case let .packet(packet):
            ingest(packet, passesFilter: passesFilter, into: &events)
        }
    }

    private mutating func ingest(_ packet: CapturedPacket, passesFilter: Bool, into events: inout [AnalysisEvent]) {
        statistics.packets += 1
        statistics.capturedBytes += Int64(packet.data.count)
        if packet.isTruncated { statistics.truncatedPackets += 1 }
        if statistics.firstTime == nil { statistics.firstTime = packet.timestamp }
        statistics.lastTime = packet.timestamp
        lastPacket = packet.number
        expireFragmentsIfDue(packet.timestamp, into: &events)
        guard passesFilter else {
            statistics.filteredOut += 1
            return
        }
        let decoded = decoder.decode(packet)
        for diagnostic in decoded.diagnostics { report(diagnostic, into: &events) }
        switch decoded.content {
        case let .tcp(source, destination, segment):
            statistics.tcpPackets += 1
            var tcpEvents: [ReassemblyEvent] = []
            reassembler.ingest(segment, from: source, to: destination, packet: packet.number, time: packet.timestamp, into: &tcpEvents)
            events.append(contentsOf: tcpEvents.map(AnalysisEvent.tcp))
        case .fragmentHeld:
            statistics.heldFragments += 1
        case let .skipped(reason):
            statistics.skipped[reason, default: 0] += 1
            if case let .unsupportedLinkType(type) = reason, reportedLinkTypes.insert(type).inserted {
                report(Diagnostic(.link, "link.unsupported", .warning,
                                  "\(type) is not supported; its packets are skipped", packet: packet.number), into: &events)
            }
        }
    }

    /// Call at the end of input: closes every connection and reports incomplete fragments.
    public mutating func finish(into events: inout [AnalysisEvent]) {
        for diagnostic in decoder.defragmenter.finish() { report(diagnostic, into: &events) }
        var tcpEvents: [ReassemblyEvent] = []
        reassembler.finish(packet: lastPacket, into: &tcpEvents)
        events.append(contentsOf: tcpEvents.map(AnalysisEvent.tcp))
    }

    private mutating func expireFragmentsIfDue(_ time: Timestamp, into events: inout [AnalysisEvent]) {
        guard decoder.defragmenter.pendingCount > 0 else { return }
        if let last = lastExpiry, time.nanoseconds(since: last) < 1_000_000_000 { return }
        lastExpiry = time
        for diagnostic in decoder.defragmenter.expire(now: time) { report(diagnostic, into: &events) }
    }

    private mutating func report(_ diagnostic: Diagnostic, into events: inout [AnalysisEvent]) {
        statistics.diagnostics += 1
        events.append(.diagnostic(diagnostic))
    }
}
