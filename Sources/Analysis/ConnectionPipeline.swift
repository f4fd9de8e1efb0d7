import ByteStream
import GRPC
import HTTP2
import HTTPExchange

/// How far up the layers a capture is decoded, chosen by the view asked for.
public enum AnalysisDepth: Sendable, Hashable {
    /// TCP connections only (`--layer tcp`).
    case tcp
    /// Up to HTTP/2 frames (`--layer http2`).
    case http2
    /// Up to gRPC calls (the call view).
    case calls
}

/// What every connection's pipeline is set up with.
struct PipelineSettings: Sendable {
    var depth: AnalysisDepth
    var calls: CallAssembler.Configuration
    var reportsLayerDetail: Bool
    var describesFrames: Bool
}

/// All of one connection's state above TCP: the demultiplexer that names its next layer, that
/// layer (HTTP/2), and the calls in progress on it. Created when the connection opens, dropped
/// when it closes; nothing in it is shared with another connection, so connections can be
/// decoded apart (the unit that threads shard).
struct ConnectionPipeline: Sendable {
    enum NextStage: Sendable {
        /// The first bytes have not named a layer yet.
        case undecided(StreamDemultiplexer)
        case http2(HTTP2Connection)
        /// A protocol no layer decodes (yet): its bytes are dropped.
        case undecoded
    }

    let id: ConnectionID
    /// Whether the transport saw the connection start (so stream offset 0 is its real start).
    private let handshakeSeen: Bool
    private var next = NextStage.undecided(StreamDemultiplexer())
    private var calls: CallAssembler?
    /// Scratch arrays reused from event to event (their storage, not their contents).
    private var http2Events: [HTTP2Event] = []
    private var exchangeEvents: [ExchangeEvent] = []
    private var completedCalls: [GRPCCall] = []

    init(_ info: ConnectionInfo, settings: PipelineSettings) {
        id = info.id
        handshakeSeen = !info.clientEvidence.isInferred
        calls = settings.depth == .calls ? CallAssembler(configuration: settings.calls) : nil
    }

    /// Feeds one byte-stream event of this connection; appends what the layers made of it.
    mutating func process(_ event: ByteStreamEvent, settings: PipelineSettings, statistics: inout HTTP2Statistics,
                          into events: inout [AnalysisEvent]) {
        switch next {
        case var .undecided(demux):
            if case let .closed(end) = event {
                next = .undecoded
                if demux.holdsBytes {
                    report(.unknown, packet: end.lastPacket, settings, &statistics, &events)
                } else if end.bytes.reduce(0, +) == 0 {
                    statistics.emptyConnections += 1
                }
                return
            }
            next = .undecoded  // the demultiplexer is taken out while it grows
            guard let (layer, replay) = demux.take(event) else { return next = .undecided(demux) }
            switch layer {
            case .http2:
                next = .http2(HTTP2Connection(id: id, handshakeSeen: handshakeSeen, describesFrames: settings.describesFrames))
                for held in replay { process(held, settings: settings, statistics: &statistics, into: &events) }
            case .tls: report(.tls, packet: Self.packet(of: event), settings, &statistics, &events)
            case .http1: report(.http1, packet: Self.packet(of: event), settings, &statistics, &events)
            }
        case var .http2(connection):
            next = .undecoded  // taken out while it changes, so that its buffers are not copied
            switch event {
            case let .data(data): connection.receive(data, into: &http2Events)
            case let .gap(gap): connection.gap(gap, into: &http2Events)
            case let .closed(end): connection.finish(end, into: &http2Events)
            case .opened: break
            }
            if case let .closed(end) = event, !connection.isHTTP2, connection.other == nil, end.bytes.reduce(0, +) == 0 {
                statistics.emptyConnections += 1
            }
            next = .http2(connection)
            forward(settings: settings, statistics: &statistics, into: &events)
        case .undecoded:
            break
        }
    }

    /// Hands the HTTP/2 layer's events on, each followed by the calls its exchange events completed.
    private mutating func forward(settings: PipelineSettings, statistics: inout HTTP2Statistics, into events: inout [AnalysisEvent]) {
        defer { http2Events.removeAll(keepingCapacity: true) }
        for event in http2Events {
            if case let .other(_, kind, packet) = event {
                report(kind, packet: packet, settings, &statistics, &events)
                continue
            }
            statistics.count(event)
            if settings.reportsLayerDetail { events.append(.http2(event)) }
            guard calls != nil else { continue }
            switch event {
            case let .frame(record):
                record.exchangeEvents(into: &exchangeEvents)
                for exchange in exchangeEvents { calls!.process(exchange, into: &completedCalls) }
                exchangeEvents.removeAll(keepingCapacity: true)
            case let .closed(_, packet, time):
                calls!.connectionEnded(packet: packet, time: time, into: &completedCalls)
            default:
                break
            }
            if settings.calls.reportsArrivingMessages {
                for message in calls!.takeArrivedMessages() { events.append(.message(message)) }
            }
            for call in completedCalls { events.append(.call(call)) }
            completedCalls.removeAll(keepingCapacity: true)
        }
    }

    /// The connection carries something no layer decodes.
    private func report(_ kind: OtherProtocol, packet: Int, _ settings: PipelineSettings,
                        _ statistics: inout HTTP2Statistics, _ events: inout [AnalysisEvent]) {
        statistics.otherConnections[kind, default: 0] += 1
        if settings.reportsLayerDetail { events.append(.undecoded(id, kind, packet: packet)) }
    }

    private static func packet(of event: ByteStreamEvent) -> Int {
        switch event {
        case let .data(data): data.position.packet
        case let .gap(gap): gap.position.packet
        case let .closed(end): end.lastPacket
        case let .opened(info): info.firstPacket
        }
    }
}
