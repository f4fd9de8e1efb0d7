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
        public var http2 = HTTP2Limits()
        /// Report what lies between connections and calls: TCP data, gaps and segment notes, and
        /// HTTP/2 events. Off for views that show only calls; connection events (opened, roles
        /// changed, closed), calls and diagnostics are always reported.
        public var reportsLayerDetail = true
        /// Annotate HTTP/2 frames with their notes (`FrameRecord.annotations`), for frame views.
        public var describesFrames = true
        /// Keep each TLS session's ClientHello random (`clientRandoms`), for writing the secrets
        /// of the capture's sessions beside it (`-w`). Off, nothing is kept per connection after
        /// it closes: a capture of many TLS connections would otherwise grow memory with each.
        public var keepsClientRandoms = false
        public init() {}
    }

    /// Counters over the capture; the layers above TCP's (`http2`) kept apart while decoding.
    public var statistics: CaptureStatistics {
        var statistics = packets.statistics
        if depth != .tcp { statistics.http2 = connections.statistics }
        return statistics
    }
    private let depth: AnalysisDepth
    private var packets: PacketStage
    /// The connection stage the packet stage hands its output to, with the events being made.
    private var joint: InlineConnections
    private var connections: ConnectionStage { joint.connections }

    public init(configuration: Configuration = Configuration()) {
        depth = configuration.depth
        packets = PacketStage(configuration: configuration)
        joint = InlineConnections(connections: ConnectionStage(configuration: configuration))
    }

    /// The secrets TLS is decrypted with.
    public var keyLog: KeyLog { packets.keyLog }

    /// The ClientHello randoms of the TLS sessions seen so far, in the order they were seen.
    public var clientRandoms: [[UInt8]] { connections.clientRandoms }

    /// New secrets (a key log file that grew, a pcapng Decryption Secrets Block): connections whose
    /// records wait for keys are decrypted now.
    public mutating func addSecrets(_ keys: KeyLog, into events: inout [AnalysisEvent]) {
        run(into: &events) { packets, joint in packets.addSecrets(keys, into: &joint) }
    }

    /// Connections currently open (for memory accounting and progress).
    public var openConnections: Int { packets.openConnections }

    /// Processes one record; `passesFilter` says whether a packet record passed the user's filter.
    public mutating func ingest(_ record: CaptureRecord, passesFilter: Bool = true, into events: inout [AnalysisEvent]) {
        run(into: &events) { packets, joint in packets.ingest(record, passesFilter: passesFilter, into: &joint) }
    }

    /// Call at the end of input: closes every connection and reports incomplete fragments.
    public mutating func finish(into events: inout [AnalysisEvent]) {
        run(into: &events) { packets, joint in packets.finish(into: &joint) }
    }

    /// One step of the packet stage, its output through the connection stage into `events`.
    private mutating func run(into events: inout [AnalysisEvent], _ step: (inout PacketStage, inout InlineConnections) -> Void) {
        swap(&joint.events, &events)
        step(&packets, &joint)
        swap(&joint.events, &events)
    }
}

/// The packet stage's output handed straight to one connection stage (all of the capture's
/// connections on one thread).
private struct InlineConnections: PacketStageOutput {
    var connections: ConnectionStage
    var events: [AnalysisEvent] = []

    mutating func diagnostic(_ diagnostic: Diagnostic) { events.append(.diagnostic(diagnostic)) }
    mutating func connections(_ batch: inout [ReassemblyEvent]) { connections.process(&batch, into: &events) }
    mutating func secretsChanged(_ keyLog: KeyLog) { connections.secretsChanged(keyLog, into: &events) }
}
