import HPACK
import HTTP2
import Reassembly
import WireCore

/// Assembles gRPC calls from HTTP/2 events: one call per stream, completed when both sides
/// ended the stream, it was reset, or its connection ended (then marked incomplete).
public struct CallAssembler: Sendable {
    public struct Configuration: Sendable {
        /// Messages declaring more than this are reported and skipped, not buffered.
        public var maxMessageLength = 64 << 20
        /// Also report each message as it completes (`takeArrivedMessages()`), for views that
        /// show streams as they happen (live capture).
        public var reportsArrivingMessages = false
        public init() {}
    }

    struct StreamKey: Hashable, Sendable {
        var connection: ConnectionID
        var stream: UInt32
    }

    struct InProgress: Sendable {
        var call: GRPCCall
        var deframers: [MessageDeframer]
        var ended = [false, false]
        var sawResponseHeaders = false
        /// END_STREAM seen on a HEADERS frame whose block is not complete yet, per direction.
        var endStreamPending = [false, false]
    }

    public let configuration: Configuration
    private var streams: [StreamKey: InProgress] = [:]
    /// Streams whose call was already reported: frames still arriving for them (after a reset)
    /// do not open a new call. Forgotten when the connection ends.
    private var finished: [ConnectionID: Set<UInt32>] = [:]
    private var arrived: [ArrivedMessage] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var openCalls: Int { streams.count }

    /// Messages completed since the last call, when the configuration asks for them.
    public mutating func takeArrivedMessages() -> [ArrivedMessage] {
        defer { arrived.removeAll(keepingCapacity: true) }
        return arrived
    }

    public mutating func process(_ event: HTTP2Event, into calls: inout [GRPCCall]) {
        switch event {
        case let .frame(record):
            process(record, into: &calls)
        case let .closed(connection, packet, time):
            finished[connection] = nil
            let open = streams.keys.filter { $0.connection == connection }.sorted { $0.stream < $1.stream }
            for key in open {
                var progress = streams.removeValue(forKey: key)!
                progress.call.incomplete = true
                progress.call.lastPacket = max(progress.call.lastPacket, packet)
                progress.call.end = time
                finishMessages(&progress)
                calls.append(Self.complete(progress))
            }
        default:
            break
        }
    }

    private mutating func process(_ record: FrameRecord, into calls: inout [GRPCCall]) {
        let frame = record.frame
        guard frame.streamID != 0 else { return }
        let key = StreamKey(connection: record.connection, stream: frame.streamID)
        // PRIORITY (and WINDOW_UPDATE) may name streams that never carry a request (RFC 9113 §5.1:
        // PRIORITY on idle streams is allowed); only these frames open a call.
        // The call is taken out of the table while it is worked on, so that its message buffers
        // are uniquely referenced and grow in place (a copy left in the table would make every
        // DATA frame copy the partial message).
        var progress: InProgress
        if let open = streams.removeValue(forKey: key) {
            progress = open
        } else {
            guard frame.type == .headers || frame.type == .data || frame.type == .rstStream, finished[key.connection]?.contains(key.stream) != true else { return }
            // Only a client's HEADERS opens a call; stray frames of unknown streams (a capture that
            // began mid-call) open one too, so that nothing is lost, with a warning.
            var call = GRPCCall(connection: record.connection, streamID: frame.streamID, start: record.time, packet: record.packet)
            if !(frame.type == .headers && record.direction == .clientToServer) {
                call.warnings.append("the start of this stream was not captured")
            }
            progress = InProgress(call: call, deframers: [MessageDeframer(maxMessageLength: configuration.maxMessageLength),
                                                          MessageDeframer(maxMessageLength: configuration.maxMessageLength)])
        }
        let side = record.direction.rawValue
        progress.call.lastPacket = record.packet
        progress.call.end = record.time
        if record.direction == .serverToClient, progress.call.firstResponseTime == nil, frame.type == .headers || frame.type == .data {
            progress.call.firstResponseTime = record.time
        }
        let endStream = frame.header.flags.contains(.endStream) && (frame.type == .headers || frame.type == .data)
        switch frame.content {
        case let .data(_, data) where progress.call.callProtocol == .http2:
            // Not gRPC: the body is not length-prefixed messages; it is only counted.
            progress.call.bodyBytes[side] += data.count
        case let .data(_, data):
            let offset = frame.streamOffset + Int64(FrameHeader.size + (frame.header.flags.contains(.padded) ? 1 : 0))
            var outputs: [MessageDeframer.Output] = []
            progress.deframers[side].append(data, at: offset, packet: record.packet, time: record.time, into: &outputs)
            for output in outputs { add(output, to: &progress, direction: record.direction) }
        case .headers:
            if endStream { progress.endStreamPending[side] = true }
        case let .rstStream(code):
            progress.call.resetCode = code
            progress.call.resetByClient = record.direction == .clientToServer
            progress.ended = [true, true]
        default:
            break
        }
        if let block = record.headerBlock, block.startedBy == .headers, let decoded = block.decoded {
            applyHeaders(Metadata.headers(decoded.fields), direction: record.direction, endStream: progress.endStreamPending[side], &progress)
            if progress.endStreamPending[side] { progress.ended[side] = true }
            progress.endStreamPending[side] = false
        } else if endStream, frame.type == .data {
            progress.ended[side] = true
        }
        if progress.ended[0] && progress.ended[1] {
            finished[key.connection, default: []].insert(key.stream)
            finishMessages(&progress)
            calls.append(Self.complete(progress))
        } else {
            streams[key] = progress
        }
    }

    private func applyHeaders(_ headers: [(name: String, value: String)], direction: Direction, endStream: Bool, _ progress: inout InProgress) {
        if direction == .clientToServer {
            if progress.call.requestHeaders.isEmpty {
                progress.call.requestHeaders = headers
                RequestHeaders.apply(headers, to: &progress.call)
            } else {
                progress.call.warnings.append("client sent a second header block (trailers) on stream \(progress.call.streamID)")
                progress.call.requestHeaders += headers
            }
        } else if !progress.sawResponseHeaders {
            progress.sawResponseHeaders = true
            progress.call.responseHeaders = headers
            ResponseHeaders.apply(headers, to: &progress.call)
            if endStream {
                // gRPC Trailers-Only: status and headers in one HEADERS frame with END_STREAM.
                progress.call.trailersOnly = true
                progress.call.trailers = headers.filter { !$0.name.hasPrefix(":") }
            }
        } else {
            progress.call.trailers += headers
        }
    }

    private mutating func add(_ output: MessageDeframer.Output, to progress: inout InProgress, direction: Direction) {
        switch output {
        case var .message(message):
            let encoding = direction == .clientToServer ? progress.call.requestEncoding : progress.call.responseEncoding
            MessageDecompression.apply(&message, encoding: encoding, maxLength: configuration.maxMessageLength)
            if direction == .clientToServer { progress.call.requests.append(message) } else { progress.call.responses.append(message) }
            if configuration.reportsArrivingMessages {
                let index = direction == .clientToServer ? progress.call.requests.count : progress.call.responses.count
                arrived.append(ArrivedMessage(connection: progress.call.connection, streamID: progress.call.streamID, path: progress.call.path,
                                              direction: direction, index: index, message: message))
            }
        case let .tooLarge(length, offset, packet):
            progress.call.warnings.append("\(direction.sender) message at stream offset \(offset) (packet \(packet)) declares \(length) bytes, over the \(configuration.maxMessageLength)-byte limit; skipped")
        }
    }

    private func finishMessages(_ progress: inout InProgress) {
        for direction in Direction.allCases {
            if let partial = progress.deframers[direction.rawValue].finish() {
                let of = partial.declared.map { "\($0 + MessageDeframer.prefixLength)" } ?? "an unknown number of"
                progress.call.warnings.append("\(direction.sender) message at stream offset \(partial.streamOffset) cut short: \(partial.received) of \(of) bytes")
            }
        }
    }

    /// Derives the status (gRPC doc "PROTOCOL-HTTP2.md" and "http-grpc-status-mapping.md").
    static func complete(_ progress: InProgress) -> GRPCCall {
        var call = progress.call
        if let status = TrailerStatus.parse(call.trailers, warnings: &call.warnings) {
            call.status = status
        } else if let reset = call.resetCode {
            if reset == .cancel, call.resetByClient, let timeout = call.timeoutNanoseconds,
               call.latencyNanoseconds >= timeout - max(25_000_000, timeout / 4) {
                // The client gave up at its deadline: what it reports is DEADLINE_EXCEEDED. Its clock
                // starts before the HEADERS reach the wire (connection set-up, queueing), so the reset
                // is seen up to a quarter (at least 25 ms) before the grpc-timeout has passed on the
                // wire (17 ms early seen live on loopback with a debug-built client).
                call.status = GRPCStatus(code: .deadlineExceeded, message: "client reset the stream when its \(formatDuration(nanoseconds: timeout)) deadline passed",
                                         details: nil, source: .reset)
            } else {
                call.status = GRPCStatus(code: ResetMapping.status(for: reset), message: "stream reset with \(reset)", details: nil, source: .reset)
            }
        } else if let http = call.httpStatus, http != 200 {
            call.status = GRPCStatus(code: .fromHTTPStatus(http), message: "HTTP status \(http)", details: nil, source: .httpStatus)
        } else if !call.incomplete, call.callProtocol != .http2 {
            call.warnings.append("no grpc-status in the trailers")
            call.status = GRPCStatus(code: .unknown, message: "no grpc-status", details: nil, source: .trailers)
        }
        return call
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
