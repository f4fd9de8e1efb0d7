import ByteStream
import HTTPExchange
import WireCore

/// Assembles the gRPC calls of one connection from its exchanges (HTTP/2 streams; whichever HTTP
/// version carried them): one call per exchange, completed when both sides ended it, it was
/// reset, or the connection ended (then marked incomplete). One assembler per connection: its
/// state is that connection's alone.
public struct CallAssembler: Sendable {
    public struct Configuration: Sendable {
        /// Messages declaring more than this are reported and skipped, not buffered.
        public var maxMessageLength = 64 << 20
        /// Calls open at once on one connection before the oldest is reported unfinished, to make
        /// room (`--max-open-calls`): streams opened and never closed must not hold memory
        /// without bound. Far above what servers allow at once (RFC 9113 §5.1.2).
        public var maxOpenCalls = 10_000
        /// Also report each message as it completes (`takeArrivedMessages()`), for views that
        /// show streams as they happen (live capture).
        public var reportsArrivingMessages = false
        /// Keep each message's bytes (and decompress them). Off for views that show only how many
        /// messages went each way (the call summary): a message is then counted, with its prefix,
        /// length and packets, and its bytes are passed over.
        public var keepsMessageBodies = true
        /// Keep each call's header fields and trailers (`requestHeaders`, `responseHeaders`,
        /// `trailers`). Off for views that show none of them (the call summary): what the call
        /// is read from them (path, content-type, encodings, timeout, HTTP status) is still read,
        /// and of the response's fields only the status's (grpc-status, grpc-message,
        /// grpc-status-details-bin) are kept, from which the status is read at the end.
        public var keepsHeaderFields = true
        public init() {}
    }

    public let configuration: Configuration
    private var streams = StreamMap<CallProgress>()
    /// Streams whose call was already reported: frames still arriving for them (after a reset)
    /// do not open a new call. The most recent `maxFinished` are remembered (in `finishedOrder`,
    /// oldest from its start): late frames come soon after the end, and a connection may carry
    /// millions of calls.
    private var finished: Set<UInt32> = []
    private var finishedOrder: (keys: [UInt32], start: Int) = ([], 0)
    static let maxFinished = 4096
    private var arrived: [ArrivedMessage] = []
    /// Deframer outputs of one DATA frame (its storage reused from frame to frame).
    private var outputScratch: [MessageDeframer.Output] = []
    /// Whether a call of this connection was gRPC by its content-type: evidence for a stream
    /// whose content-type is unknown.
    private var carriesGRPC = false
    /// The streams in the order they opened (from `start` on; every open one is among them, and
    /// some that ended): when `maxOpenCalls` are open, the first still open is evicted.
    private var openingOrder: (keys: [UInt32], start: Int) = ([], 0)

    /// The server's GOAWAY (the lowest last stream of those it sent): calls above it were not
    /// processed.
    private var refusal: GoingAway?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var openCalls: Int { streams.count }

    /// Messages completed since the last call, when the configuration asks for them.
    public mutating func takeArrivedMessages() -> [ArrivedMessage] {
        defer { arrived.removeAll(keepingCapacity: true) }
        return arrived
    }

    /// The connection ended (or the capture did): calls still open are reported as incomplete,
    /// in the order of their exchanges.
    public mutating func connectionEnded(packet: Int, time: Timestamp, into calls: inout [GRPCCall]) {
        finished = []
        finishedOrder = ([], 0)
        for key in streams.keys.sorted() {
            var progress = streams.removeValue(forKey: key)!
            progress.call.incomplete = true
            progress.call.lastPacket = max(progress.call.lastPacket, packet)
            progress.call.end = time
            calls.append(progress.completed(refusedAbove: refusal))
        }
    }

    public mutating func process(_ event: ExchangeEvent, into calls: inout [GRPCCall]) {
        if case let .goingAway(last, code, reason) = event.kind {
            // A client's GOAWAY refuses streams the server would open (pushes): no call's.
            if event.direction == .serverToClient, last < refusal?.lastProcessed ?? .max {
                refusal = GoingAway(lastProcessed: last, code: code, reason: reason, packet: event.packet)
            }
            return
        }
        let key = event.exchange
        // The call is worked on in place in the table, so that its message buffers are uniquely
        // referenced and grow in place (a copy would make every body chunk copy the partial message).
        if let index = streams.index(forKey: key) {
            let ended = streams[valueAt: index].apply(event, configuration: configuration, connectionCarriesGRPC: carriesGRPC,
                                                      outputs: &outputScratch, arrived: &arrived)
            if !carriesGRPC, streams[valueAt: index].call.callProtocol == .grpc, !streams[valueAt: index].call.protocolInferred { carriesGRPC = true }
            if ended { report(streams.remove(at: index).value, key: key, into: &calls) }
            return
        }
        // Only a head, a body or a reset opens a call (RFC 9113 §5.1: PRIORITY and WINDOW_UPDATE
        // may name streams that never carry a request), and not again once reported.
        switch event.kind {
        case .headBegins, .body, .reset: break
        case .head, .activity, .goingAway: return
        }
        guard !finished.contains(key) else { return }
        // Only a client's head opens a call; a body or reset of an unknown exchange (a capture that
        // began mid-call) opens one too, so that nothing is lost, with a warning.
        if streams.count >= configuration.maxOpenCalls { evictOldest(packet: event.packet, into: &calls) }
        var call = GRPCCall(connection: event.connection, streamID: key, start: event.time, packet: event.packet)
        if case .headBegins = event.kind, event.direction == .clientToServer {} else {
            call.warnings.append(CallDiagnostic.startNotCaptured)
        }
        // Consumed: the progress must hold the call's only reference, or its first change copies it.
        var progress = CallProgress(call: consume call, configuration: configuration)
        if progress.apply(event, configuration: configuration, connectionCarriesGRPC: carriesGRPC, outputs: &outputScratch, arrived: &arrived) {
            report(progress, key: key, into: &calls)
        } else {
            streams[key] = progress
            openingOrder.keys.append(key)
            if openingOrder.keys.count - openingOrder.start > 2 * configuration.maxOpenCalls {
                // Most of them ended: only the open ones are kept (amortised over the appends).
                openingOrder = (openingOrder.keys[openingOrder.start...].filter { streams.index(forKey: $0) != nil }, 0)
            }
        }
    }

    /// A call whose stream ended: reported, and its stream remembered as finished.
    /// The open call that opened first is reported unfinished, with a warning; what comes of its
    /// stream later is not shown.
    private mutating func evictOldest(packet: Int, into calls: inout [GRPCCall]) {
        var progress: CallProgress?
        var key: UInt32 = 0
        while progress == nil, openingOrder.start < openingOrder.keys.count {
            key = openingOrder.keys[openingOrder.start]
            openingOrder.start += 1
            progress = streams.removeValue(forKey: key)  // nil: it ended already
        }
        guard var progress else { return }
        progress.call.incomplete = true
        progress.call.warnings.append(CallDiagnostic.tooManyOpenCalls(limit: configuration.maxOpenCalls, packet: packet))
        report(progress, key: key, into: &calls)
    }

    private mutating func report(_ progress: consuming CallProgress, key: UInt32, into calls: inout [GRPCCall]) {
        if finished.insert(key).inserted { finishedOrder.keys.append(key) }
        if finished.count > Self.maxFinished {
            finished.remove(finishedOrder.keys[finishedOrder.start])
            finishedOrder.start += 1
            if finishedOrder.start > Self.maxFinished { finishedOrder = (Array(finishedOrder.keys[finishedOrder.start...]), 0) }
        }
        calls.append(progress.completed(refusedAbove: refusal))
    }
}

/// A server's GOAWAY (RFC 9113 §6.8): the last stream it processed, why (its code and debug
/// data), and where it was sent.
struct GoingAway: Sendable {
    var lastProcessed: UInt32
    var code: ErrorCode
    var reason: String
    var packet: Int

    /// `last stream 5, ENHANCE_YOUR_CALM "too_many_pings", packet 9`
    var description: String {
        "last stream \(lastProcessed), \(code)" + (reason.isEmpty ? "" : " \"\(reason)\"") + ", packet \(packet)"
    }
}

/// gRPC doc "PROTOCOL-HTTP2.md", Errors: the status a client reports for a RST_STREAM code.
enum ResetMapping {
    static func status(for code: ErrorCode) -> StatusCode {
        switch code {
        case .refusedStream: .unavailable
        case .cancel: .cancelled
        case .enhanceYourCalm: .resourceExhausted
        case .inadequateSecurity: .permissionDenied
        default: .internal
        }
    }
}
