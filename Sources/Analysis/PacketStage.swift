import ByteStream
import Capture
import Packet
import Reassembly
import TLS
import WireCore

/// Where the packet stage hands what it made of a record, in capture order: the record's
/// diagnostics first, then its TCP events (or new secrets). `Analyzer` passes it straight to
/// one `ConnectionStage`; the threaded reader splits it by connection among several.
public protocol PacketStageOutput {
    /// A problem in the capture container, a packet's headers or a key log.
    mutating func diagnostic(_ diagnostic: Diagnostic)
    /// The TCP events one packet (or the end of the capture) caused, roles settled; the batch's
    /// storage is reused once this returns.
    mutating func connections(_ batch: inout [ReassemblyEvent])
    /// The key log grew: `keyLog` is all of it now.
    mutating func secretsChanged(_ keyLog: KeyLog)
}

/// The capture-wide half of the pipeline, which must see every packet in order: capture
/// records, link and IP decoding (with fragment reassembly), TCP reassembly and the connection
/// numbers it gives, and the roles the HTTP/2 preface settles. Everything above TCP belongs to
/// one connection (`ConnectionStage`).
public struct PacketStage: Sendable {
    public private(set) var statistics = CaptureStatistics()
    private var decoder: PacketDecoder
    private var reassembler: TCPReassembler
    private var roles = RoleSettlement()
    /// The secrets TLS is decrypted with: `--keylog`, then the capture's own secrets blocks.
    public private(set) var keyLog: KeyLog
    /// Event array reused from packet to packet (its storage, not its contents).
    private var tcpScratch: [ReassemblyEvent] = []
    private var lastPacket = 0
    private var lastExpiry: Timestamp?
    /// Link types already reported as unsupported (each is reported once).
    private var reportedLinkTypes: Set<LinkType> = []

    public init(configuration: Analyzer.Configuration) {
        decoder = PacketDecoder(defragmenter: configuration.defragmenter)
        reassembler = TCPReassembler(configuration: configuration.reassembly)
        keyLog = configuration.keyLog
    }

    /// Connections currently open (for memory accounting and progress).
    public var openConnections: Int { reassembler.openConnectionCount }

    /// New secrets (a key log file that grew, a pcapng Decryption Secrets Block).
    public mutating func addSecrets(_ keys: KeyLog, into output: inout some PacketStageOutput) {
        guard !keys.isEmpty || !keys.problems.isEmpty else { return }
        for problem in keys.problems { report(problem, into: &output) }
        keyLog.merge(keys)
        output.secretsChanged(keyLog)
    }

    /// Processes one record; `passesFilter` says whether a packet record passed the user's filter.
    public mutating func ingest(_ record: CaptureRecord, passesFilter: Bool = true, into output: inout some PacketStageOutput) {
        switch record {
        case let .format(format):
            statistics.format = format
        case let .interface(interface):
            statistics.interfaces.append(interface)
        case let .diagnostic(diagnostic):
            report(diagnostic, into: &output)
        case let .secrets(type, data):
            // pcapng Decryption Secrets Block: type 0x544c534b ("TLSK") is an NSS key log.
            guard type == CaptureRecord.tlsKeyLogSecrets else { return }
            addSecrets(KeyLog(text: data, source: "pcapng secrets block"), into: &output)
        case let .packet(packet):
            ingest(packet, passesFilter: passesFilter, into: &output)
        }
    }

    private mutating func ingest(_ packet: CapturedPacket, passesFilter: Bool, into output: inout some PacketStageOutput) {
        statistics.packets += 1
        statistics.capturedBytes += Int64(packet.data.count)
        if packet.isTruncated { statistics.truncatedPackets += 1 }
        if statistics.firstTime == nil { statistics.firstTime = packet.timestamp }
        statistics.lastTime = packet.timestamp
        lastPacket = packet.number
        expireFragmentsIfDue(packet.timestamp, into: &output)
        guard passesFilter else {
            statistics.filteredOut += 1
            return
        }
        let decoded = decoder.decode(packet)
        for diagnostic in decoded.diagnostics { report(diagnostic, into: &output) }
        switch decoded.content {
        case let .tcp(source, destination, segment):
            statistics.tcpPackets += 1
            let atLimit = reassembler.connectionsClosedAtLimit
            reassembler.ingest(segment, from: source, to: destination, packet: packet.number, time: packet.timestamp, into: &tcpScratch)
            if atLimit == 0, reassembler.connectionsClosedAtLimit > 0 {
                report(Diagnostic(.tcp, "tcp.connections.limit", .warning,
                                  "\(reassembler.configuration.maxConnections) TCP connections open at once (--max-connections): the one idle longest is closed (end 'limit'), and so is one each time another opens",
                                  packet: packet.number), into: &output)
            }
            forward(into: &output)
        case .fragmentHeld:
            statistics.heldFragments += 1
        case let .skipped(reason):
            statistics.skipped[reason, default: 0] += 1
            if case let .unsupportedLinkType(type) = reason, reportedLinkTypes.insert(type).inserted {
                report(Diagnostic(.link, "link.unsupported", .warning,
                                  "\(type) is not supported; its packets are skipped", packet: packet.number), into: &output)
            }
        }
    }

    /// Call at the end of input: reports incomplete fragments and closes every connection
    /// (those held for their SYN are opened, and their roles settled, before all close).
    public mutating func finish(into output: inout some PacketStageOutput) {
        for diagnostic in decoder.defragmenter.finish() { report(diagnostic, into: &output) }
        reassembler.openHeldConnections(into: &tcpScratch)
        forward(into: &output)
        reassembler.finish(packet: lastPacket, into: &tcpScratch)
        forward(into: &output)
    }

    /// Hands on the TCP events of one step, roles settled from the first bytes they carry.
    private mutating func forward(into output: inout some PacketStageOutput) {
        guard !tcpScratch.isEmpty else { return }
        roles.settle(&tcpScratch, reassembler: &reassembler)
        output.connections(&tcpScratch)
        tcpScratch.removeAll(keepingCapacity: true)
    }

    private mutating func expireFragmentsIfDue(_ time: Timestamp, into output: inout some PacketStageOutput) {
        guard decoder.defragmenter.pendingCount > 0 else { return }
        if let last = lastExpiry, time.nanoseconds(since: last) < 1_000_000_000 { return }
        lastExpiry = time
        for diagnostic in decoder.defragmenter.expire(now: time) { report(diagnostic, into: &output) }
    }

    private mutating func report(_ diagnostic: Diagnostic, into output: inout some PacketStageOutput) {
        statistics.diagnostics += 1
        output.diagnostic(diagnostic)
    }
}
