import ByteStream
import Capture
import GRPC
import HTTP2
import Packet
import Reassembly
import TLS
import WireCore

/// What the analysis pipeline reports, in capture order.
public enum AnalysisEvent: Sendable {
    /// A problem in the capture container or in a packet's headers.
    case diagnostic(Diagnostic)
    case tcp(ReassemblyEvent)
    case http2(HTTP2Event)
    /// A connection whose bytes no layer decodes (HTTP/1.x for now, or no HTTP/2 found).
    case undecoded(ConnectionID, OtherProtocol, packet: Int)
    /// A TLS handshake message, alert or key change (with layer detail).
    case tlsMessage(TLSMessage)
    /// A TLS connection ended: what its handshake showed and whether it was decrypted.
    case tlsSession(TLSSession)
    /// A gRPC call that completed (or was cut off by the end of its connection).
    case call(GRPCCall)
    /// A message of a call still in progress (only with `CallAssembler.Configuration.reportsArrivingMessages`).
    case message(ArrivedMessage)
}

/// The synchronous pipeline: capture records in, events out (`ingest(record) -> [Event]`,
/// `finish() -> [Event]`). Deterministic and free of I/O, so a file, standard input and a live
/// interface all drive it the same way.
public struct Analyzer: Sendable {
    public struct Configuration: Sendable {
        public var reassembly = TCPReassembler.Configuration()
        public var defragmenter = IPDefragmenter()
        /// How far up the layers to decode.
        public var depth = AnalysisDepth.calls
        /// Secrets for TLS (`--keylog`); a capture's own secrets blocks are added as they are read.
        public var keyLog = KeyLog()
        public var calls = CallAssembler.Configuration()
        /// Report what lies between connections and calls: TCP data, gaps and segment notes, and
        /// HTTP/2 events. Off for views that show only calls; connection events (opened, roles
        /// changed, closed), calls and diagnostics are always reported.
        public var reportsLayerDetail = true
        /// Annotate HTTP/2 frames with their notes (`FrameRecord.annotations`), for frame views.
        public var describesFrames = true
        public init() {}
    }

    /// Counters over the capture; the layers above TCP's (`http2`) kept apart while decoding.
    public var statistics: CaptureStatistics {
        var statistics = captureStatistics
        if settings.depth != .tcp { statistics.http2 = layerStatistics }
        return statistics
    }
    private var captureStatistics = CaptureStatistics()
    private var layerStatistics = HTTP2Statistics()
    private var decoder: PacketDecoder
    private var reassembler: TCPReassembler
    private var roles = RoleSettlement()
    /// Each open connection's layers above TCP (none for `--layer tcp`).
    private var pipelines: [ConnectionID: ConnectionPipeline] = [:]
    private var settings: PipelineSettings
    /// Event arrays reused from packet to packet (their storage, not their contents).
    private var tcpScratch: [ReassemblyEvent] = []
    private var lastPacket = 0
    private var lastExpiry: Timestamp?
    /// Link types already reported as unsupported (each is reported once).
    private var reportedLinkTypes: Set<LinkType> = []

    public init(configuration: Configuration = Configuration()) {
        decoder = PacketDecoder(defragmenter: configuration.defragmenter)
        reassembler = TCPReassembler(configuration: configuration.reassembly)
        settings = PipelineSettings(depth: configuration.depth, keyLog: configuration.keyLog, calls: configuration.calls,
                                    reportsLayerDetail: configuration.reportsLayerDetail, describesFrames: configuration.describesFrames)
    }

    /// The secrets TLS is decrypted with.
    public var keyLog: KeyLog { settings.keyLog }

    /// The ClientHello randoms of the TLS sessions seen so far, in the order they were seen.
    public private(set) var clientRandoms: [[UInt8]] = []

    /// New secrets (a key log file that grew, a pcapng Decryption Secrets Block): connections whose
    /// records wait for keys are decrypted now.
    public mutating func addSecrets(_ keys: KeyLog, into events: inout [AnalysisEvent]) {
        guard !keys.isEmpty || !keys.problems.isEmpty else { return }
        for problem in keys.problems { report(problem, into: &events) }
        var merged = settings.keyLog
        merged.merge(keys)
        settings.keyLog = merged
        guard settings.depth != .tcp else { return }
        for id in pipelines.keys.sorted() {
            pipelines[id]?.keysChanged(settings: settings, statistics: &layerStatistics, into: &events)
        }
    }

    /// Connections currently open (for memory accounting and progress).
    public var openConnections: Int { reassembler.openConnectionCount }

    /// Processes one record; `passesFilter` says whether a packet record passed the user's filter.
    public mutating func ingest(_ record: CaptureRecord, passesFilter: Bool = true, into events: inout [AnalysisEvent]) {
        switch record {
        case let .format(format):
            captureStatistics.format = format
        case let .interface(interface):
            captureStatistics.interfaces.append(interface)
        case let .diagnostic(diagnostic):
            captureStatistics.diagnostics += 1
            events.append(.diagnostic(diagnostic))
        case let .secrets(type, data):
            // pcapng Decryption Secrets Block: type 0x544c534b ("TLSK") is an NSS key log.
            guard type == CaptureRecord.tlsKeyLogSecrets else { return }
            addSecrets(KeyLog(text: data, source: "pcapng secrets block"), into: &events)
        case let .packet(packet):
            ingest(packet, passesFilter: passesFilter, into: &events)
        }
    }

    private mutating func ingest(_ packet: CapturedPacket, passesFilter: Bool, into events: inout [AnalysisEvent]) {
        captureStatistics.packets += 1
        captureStatistics.capturedBytes += Int64(packet.data.count)
        if packet.isTruncated { captureStatistics.truncatedPackets += 1 }
        if captureStatistics.firstTime == nil { captureStatistics.firstTime = packet.timestamp }
        captureStatistics.lastTime = packet.timestamp
        lastPacket = packet.number
        expireFragmentsIfDue(packet.timestamp, into: &events)
        guard passesFilter else {
            captureStatistics.filteredOut += 1
            return
        }
        let decoded = decoder.decode(packet)
        for diagnostic in decoded.diagnostics { report(diagnostic, into: &events) }
        switch decoded.content {
        case let .tcp(source, destination, segment):
            captureStatistics.tcpPackets += 1
            var tcpEvents = tcpScratch
            tcpScratch = []
            reassembler.ingest(segment, from: source, to: destination, packet: packet.number, time: packet.timestamp, into: &tcpEvents)
            forward(&tcpEvents, into: &events)
            tcpEvents.removeAll(keepingCapacity: true)
            tcpScratch = tcpEvents
        case .fragmentHeld:
            captureStatistics.heldFragments += 1
        case let .skipped(reason):
            captureStatistics.skipped[reason, default: 0] += 1
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
        // Connections held for their SYN are opened (and their roles settled) before all close.
        reassembler.openHeldConnections(into: &tcpEvents)
        forward(&tcpEvents, into: &events)
        tcpEvents.removeAll()
        reassembler.finish(packet: lastPacket, into: &tcpEvents)
        forward(&tcpEvents, into: &events)
    }

    /// Hands TCP events on, each followed by what the connection's pipeline made of it; a
    /// connection's `closed` event comes after the last frames and calls its closing caused, so
    /// that views may forget the connection then.
    private mutating func forward(_ tcpEvents: inout [ReassemblyEvent], into events: inout [AnalysisEvent]) {
        guard !tcpEvents.isEmpty else { return }
        roles.settle(&tcpEvents, reassembler: &reassembler)
        let settings = settings  // read once, not once an event
        var index = 0
        while index < tcpEvents.count {
            let event = tcpEvents[index]
            switch event {
            case .opened, .rolesChanged: events.append(.tcp(event))
            case .closed: break
            case .data, .gap, .segment: if settings.reportsLayerDetail { events.append(.tcp(event)) }
            }
            defer {
                if case .closed = event { events.append(.tcp(event)) }
                index += 1
            }
            guard settings.depth != .tcp, let stream = event.byteStream else { continue }
            switch stream {
            case let .opened(info):
                pipelines[info.id] = ConnectionPipeline(info, settings: settings)
            case let .data(data):
                let id = data.position.connection
                pipelines[id]?.process(stream, settings: settings, statistics: &layerStatistics, into: &events)
                settleRoles(id, batch: &tcpEvents, at: index, into: &events)
                if let random = pipelines[id]?.takeNewClientRandom() { clientRandoms.append(random) }
            case let .gap(gap):
                pipelines[gap.position.connection]?.process(stream, settings: settings, statistics: &layerStatistics, into: &events)
            case let .closed(end):
                guard var pipeline = pipelines.removeValue(forKey: end.info.id) else { break }
                pipeline.process(stream, settings: settings, statistics: &layerStatistics, into: &events)
            }
        }
    }

    /// A layer of the connection found who its client is (TLS secrets of a session joined
    /// mid-way): TCP is told, and the views learn the settled roles.
    private mutating func settleRoles(_ id: ConnectionID, batch: inout [ReassemblyEvent], at index: Int, into events: inout [AnalysisEvent]) {
        guard let sender = pipelines[id]?.takeClientEvidence(), let info = pipelines[id]?.info,
              let settled = roles.settle(info, sender: sender, evidence: .tlsClientSecret, batch: &batch, after: index, reassembler: &reassembler)
        else { return }
        events.append(.tcp(.rolesChanged(settled)))
    }

    private mutating func expireFragmentsIfDue(_ time: Timestamp, into events: inout [AnalysisEvent]) {
        guard decoder.defragmenter.pendingCount > 0 else { return }
        if let last = lastExpiry, time.nanoseconds(since: last) < 1_000_000_000 { return }
        lastExpiry = time
        for diagnostic in decoder.defragmenter.expire(now: time) { report(diagnostic, into: &events) }
    }

    private mutating func report(_ diagnostic: Diagnostic, into events: inout [AnalysisEvent]) {
        captureStatistics.diagnostics += 1
        events.append(.diagnostic(diagnostic))
    }
}
