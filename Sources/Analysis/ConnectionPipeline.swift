import ByteStream
import GRPC
import HTTP1
import HTTP2
import HTTPExchange
import TLS

/// How far up the layers a capture is decoded, chosen by the view asked for.
public enum AnalysisDepth: Sendable, Hashable {
    /// TCP connections only (`--layer tcp`).
    case tcp
    /// Up to TLS sessions (`--layer tls`): decrypted, the plaintext not decoded further.
    case tls
    /// Up to HTTP/2 frames (`--layer http2`).
    case http2
    /// Up to gRPC calls (the call view).
    case calls
}

/// What every connection's pipeline is set up with.
struct PipelineSettings: Sendable {
    var depth: AnalysisDepth
    /// The secrets TLS is decrypted with (grows while a live capture's key log does).
    var keyLog: KeyLog
    var calls: CallAssembler.Configuration
    var http2: HTTP2Limits
    var reportsLayerDetail: Bool
    var describesFrames: Bool
}

/// All of one connection's state above TCP: the demultiplexer that names its next layer, TLS
/// when the bytes are TLS (its plaintext then goes through a demultiplexer of its own), HTTP/2,
/// and the calls in progress on it. Created when the connection opens, dropped
/// when it closes; nothing in it is shared with another connection, so connections can be
/// decoded apart (the unit that threads shard).
struct ConnectionPipeline: Sendable {
    /// The layer the byte stream (after TLS, if any) goes to. The layers themselves are kept in
    /// optionals beside it and changed in place: taking one out of an enum for every event
    /// would copy (retain and release) all of its state.
    enum NextStage: Sendable {
        /// The first bytes have not named a layer yet (`demux` holds them).
        case undecided
        case http2
        /// HTTP/1.x requests and responses (gRPC-Web), when calls are assembled.
        case http1
        /// A protocol no layer decodes (yet): its bytes are dropped.
        case undecoded
    }

    /// The connection, with its roles as last settled.
    var info: ConnectionInfo
    var id: ConnectionID { info.id }
    /// The TLS session's ClientHello random, once it is known (for writing the session's secrets
    /// next to its packets); taken by the analyzer.
    private var clientRandomReported = false
    private(set) var newClientRandom: [UInt8]?
    /// A layer found who the client is (TLS secrets of a session joined mid-way): the sender of
    /// the bytes labelled so far with this direction. Taken by the analyzer, which tells TCP.
    private(set) var clientEvidence: Direction?
    /// Whether the transport saw the connection start (so stream offset 0 is its real start).
    private let handshakeSeen: Bool
    private var next = NextStage.undecided
    private var demux = StreamDemultiplexer()
    private var http2: HTTP2Connection?
    private var http1: HTTP1Connection?
    /// TLS, once the first bytes named it: the connection's events go through it, and its
    /// plaintext to `next`. Kept out of line: its state is about 500 bytes, which every
    /// connection would otherwise carry (a SYN flood opens hundreds of thousands).
    private var security: OutOfLine<TLSConnection>?
    private var calls: CallAssembler?
    /// Scratch arrays reused from event to event (their storage, not their contents).
    private var tlsOutputs: [TLSOutput] = []
    private var tlsSpare: [TLSOutput] = []
    private var http2Events: [HTTP2Event] = []
    private var http1Outputs: [HTTP1Output] = []
    private var exchangeEvents: [ExchangeEvent] = []
    private var completedCalls: [GRPCCall] = []

    init(_ info: ConnectionInfo, settings: PipelineSettings) {
        self.info = info
        handshakeSeen = !info.clientEvidence.isInferred
        calls = settings.depth == .calls ? CallAssembler(configuration: settings.calls) : nil
    }

    /// Feeds one byte-stream event of this connection; appends what the layers made of it.
    mutating func process(_ event: ByteStreamEvent, settings: PipelineSettings, statistics: inout HTTP2Statistics,
                          into events: inout [AnalysisEvent]) {
        guard security != nil else { return processPlaintext(event, settings: settings, statistics: &statistics, into: &events) }
        if security!.value.keyLogGeneration != settings.keyLog.generation { security!.value.updateKeys(settings.keyLog, into: &tlsOutputs) }
        security!.value.consume(event, into: &tlsOutputs)
        if !clientRandomReported, let random = security!.value.session.clientRandom {
            clientRandomReported = true
            newClientRandom = random
        }
        forwardTLS(settings: settings, statistics: &statistics, into: &events)
    }

    /// The ClientHello random, the first time it is asked for after it became known.
    mutating func takeNewClientRandom() -> [UInt8]? {
        defer { newClientRandom = nil }
        return newClientRandom
    }

    /// The evidence of who the client is, once.
    mutating func takeClientEvidence() -> Direction? {
        defer { clientEvidence = nil }
        return clientEvidence
    }

    /// The key log grew (a live capture's, or a secrets block in the file): records waiting for
    /// keys are opened now.
    mutating func keysChanged(settings: PipelineSettings, statistics: inout HTTP2Statistics, into events: inout [AnalysisEvent]) {
        guard security != nil, security!.value.keyLogGeneration != settings.keyLog.generation else { return }
        security!.value.updateKeys(settings.keyLog, into: &tlsOutputs)
        forwardTLS(settings: settings, statistics: &statistics, into: &events)
    }

    /// Hands TLS's plaintext to the next layer; its handshake notes and session to the views.
    private mutating func forwardTLS(settings: PipelineSettings, statistics: inout HTTP2Statistics, into events: inout [AnalysisEvent]) {
        // The outputs are taken and the spare array left in their place, so that neither is
        // allocated again (a copy of `tlsOutputs` emptied in place would be, every packet).
        var outputs = tlsSpare
        tlsSpare = []
        swap(&outputs, &tlsOutputs)
        defer {
            outputs.removeAll(keepingCapacity: true)
            tlsSpare = outputs
        }
        for output in outputs {
            switch output {
            case let .stream(plaintext):
                processPlaintext(plaintext, settings: settings, statistics: &statistics, into: &events)
            case let .message(message):
                if settings.reportsLayerDetail { events.append(.tlsMessage(message)) }
            case let .clientEvidence(sender):
                clientEvidence = sender
            case let .session(session):
                statistics.tlsConnections += 1
                if session.decrypted { statistics.tlsDecrypted += 1 }
                events.append(.tlsSession(session))
            }
        }
    }

    /// The byte stream after TLS, if any: the demultiplexer, then the layer it named.
    private mutating func processPlaintext(_ event: ByteStreamEvent, settings: PipelineSettings, statistics: inout HTTP2Statistics,
                                           into events: inout [AnalysisEvent]) {
        switch next {
        case .undecided:
            if case let .closed(end) = event {
                next = .undecoded
                if demux.holdsBytes {
                    report(.unknown, packet: end.lastPacket, settings, &statistics, &events)
                } else if security == nil, end.carriedNothing {
                    statistics.emptyConnections += 1
                }
                return
            }
            guard let (layer, replay) = demux.take(event) else { return }
            next = .undecoded
            switch layer {
            case _ where settings.depth == .tls && security != nil:
                break  // `--layer tls`: the plaintext is not decoded further
            case .http2:
                // Frames are reported only to views that show them; the calls need their exchanges.
                http2 = HTTP2Connection(id: id, handshakeSeen: handshakeSeen, describesFrames: settings.describesFrames,
                                        reportsFrames: settings.reportsLayerDetail || calls == nil, limits: settings.http2)
                next = .http2
                for held in replay { processPlaintext(held, settings: settings, statistics: &statistics, into: &events) }
            case .tls where security == nil:
                // Its plaintext gets a demultiplexer of its own (ALPN h2, HTTP/1.1, …).
                security = OutOfLine(TLSConnection(id: id, keyLog: settings.keyLog, describesHandshake: settings.reportsLayerDetail || settings.depth == .tls))
                demux = StreamDemultiplexer()
                next = .undecided
                for held in replay { process(held, settings: settings, statistics: &statistics, into: &events) }
            case .tls: report(.tls, packet: Self.packet(of: event), settings, &statistics, &events)
            case .http1 where settings.depth == .calls:
                http1 = HTTP1Connection(id: id)
                next = .http1
                statistics.http1Connections += 1
                for held in replay { processPlaintext(held, settings: settings, statistics: &statistics, into: &events) }
            case .http1: report(.http1, packet: Self.packet(of: event), settings, &statistics, &events)
            }
        case .http2:
            http2!.consume(event, into: &http2Events)
            if case let .closed(end) = event, security == nil, !http2!.isHTTP2, http2!.other == nil, end.carriedNothing {
                statistics.emptyConnections += 1
            }
            forward(settings: settings, statistics: &statistics, into: &events)
        case .http1:
            http1!.consume(event, into: &http1Outputs)
            for output in http1Outputs {
                switch output {
                case let .exchange(exchange): calls?.process(exchange, into: &completedCalls)
                case let .problem(problem): events.append(.diagnostic(problem))
                }
            }
            http1Outputs.removeAll(keepingCapacity: true)
            if case let .closed(end) = event { calls?.connectionEnded(packet: end.lastPacket, time: end.time, into: &completedCalls) }
            emitCalls(settings: settings, httpVersion: .http1, into: &events)
        case .undecoded:
            break
        }
    }

    /// Hands the HTTP/2 layer's events on, each followed by the calls its exchange events
    /// completed. When no view shows frames, the layer gives their exchange events instead; they
    /// go first: of the rest, only the connection's end makes output here, and it follows the
    /// last frame.
    private mutating func forward(settings: PipelineSettings, statistics: inout HTTP2Statistics, into events: inout [AnalysisEvent]) {
        defer { http2Events.removeAll(keepingCapacity: true) }
        let (frames, violations) = http2!.takeExchanges(leaving: &exchangeEvents)
        statistics.frames += frames
        statistics.violations += violations
        processExchanges(settings: settings, into: &events)
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
                processExchanges(settings: settings, into: &events)
            case let .closed(_, packet, time):
                calls!.connectionEnded(packet: packet, time: time, into: &completedCalls)
            default:
                break
            }
            emitCalls(settings: settings, httpVersion: .http2, into: &events)
        }
    }

    /// Gives `exchangeEvents` to the calls, each followed by what it completed, and empties them
    /// (bodies kept would share, and make copy, the frame decoder's buffer).
    private mutating func processExchanges(settings: PipelineSettings, into events: inout [AnalysisEvent]) {
        for exchange in exchangeEvents {
            calls!.process(exchange, into: &completedCalls)
            emitCalls(settings: settings, httpVersion: .http2, into: &events)
        }
        exchangeEvents.removeAll(keepingCapacity: true)
    }

    /// The calls completed (and, live, the messages that arrived), with what carried them.
    private mutating func emitCalls(settings: PipelineSettings, httpVersion: CallProtocol, into events: inout [AnalysisEvent]) {
        guard !completedCalls.isEmpty || settings.calls.reportsArrivingMessages else { return }
        if settings.calls.reportsArrivingMessages, calls != nil {
            for message in calls!.takeArrivedMessages() { events.append(.message(message)) }
        }
        // Changed in place: a copy taken by the loop would share the call's record, and changing
        // a shared record copies it.
        for index in completedCalls.indices {
            completedCalls[index].security = security?.value.session.security
            // An exchange that is not gRPC says which HTTP it was.
            if completedCalls[index].callProtocol == .http2 { completedCalls[index].callProtocol = httpVersion }
            events.append(.call(completedCalls[index]))
        }
        completedCalls.removeAll(keepingCapacity: true)
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

/// A value kept out of line, changed in place through the reference: for a large layer that
/// most connections never need.
final class OutOfLine<Value>: @unchecked Sendable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }
}
