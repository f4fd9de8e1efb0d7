import ByteStream
import HTTPExchange
import WireCore

/// One call being assembled: its frames so far, a message deframer per direction, and which
/// sides ended the stream.
struct CallProgress: Sendable {
    var call: GRPCCall
    /// Indexed by `Direction.rawValue`.
    var deframers: [MessageDeframer]
    /// Directions (bit `1 << Direction.rawValue`) that ended the stream.
    var ended: UInt8 = 0
    var sawResponseHeaders = false
    /// Directions whose END_STREAM came on a HEADERS frame whose block is not complete yet.
    var endStreamPending: UInt8 = 0

    init(call: GRPCCall, maxMessageLength: Int) {
        self.call = call
        deframers = [MessageDeframer(maxMessageLength: maxMessageLength), MessageDeframer(maxMessageLength: maxMessageLength)]
    }

    /// Both sides ended the stream, or it was reset.
    private var hasEnded: Bool { ended == 0b11 }

    /// Takes in one event of the call's exchange; returns whether the call has ended (`hasEnded`).
    mutating func apply(_ event: ExchangeEvent, configuration: CallAssembler.Configuration,
                        outputs: inout [MessageDeframer.Output], arrived: inout [ArrivedMessage]) -> Bool {
        let side = event.direction.rawValue
        let bit: UInt8 = 1 << side
        call.lastPacket = event.packet
        call.end = event.time
        switch event.kind {
        case let .headBegins(endsStream):
            if event.direction == .serverToClient, call.firstResponseTime == nil { call.firstResponseTime = event.time }
            if endsStream { endStreamPending |= bit }
        case let .head(lines):
            let pending = endStreamPending & bit != 0
            applyHeaders(Metadata.headers(lines), direction: event.direction, endStream: pending)
            if pending { ended |= bit }
            endStreamPending &= ~bit
        case let .body(bytes, offset, endsStream):
            if event.direction == .serverToClient, call.firstResponseTime == nil { call.firstResponseTime = event.time }
            if call.callProtocol == .http2 {
                // Not gRPC: the body is not length-prefixed messages; it is only counted.
                call.bodyBytes[side] += bytes.count
            } else {
                deframers[side].append(bytes, at: offset, packet: event.packet, time: event.time, into: &outputs)
                for output in outputs { add(output, direction: event.direction, configuration: configuration, arrived: &arrived) }
                outputs.removeAll(keepingCapacity: true)
            }
            if endsStream { ended |= bit }
        case let .reset(code):
            call.resetCode = code
            call.resetByClient = event.direction == .clientToServer
            ended = 0b11
        case .activity:
            break
        }
        return hasEnded
    }

    private mutating func applyHeaders(_ headers: [(name: String, value: String)], direction: Direction, endStream: Bool) {
        if direction == .clientToServer {
            if call.requestHeaders.isEmpty {
                call.requestHeaders = headers
                RequestHeaders.apply(headers, to: &call)
            } else {
                call.warnings.append(CallDiagnostic.secondClientHeaderBlock(stream: call.streamID))
                call.requestHeaders += headers
            }
        } else if !sawResponseHeaders {
            sawResponseHeaders = true
            call.responseHeaders = headers
            ResponseHeaders.apply(headers, to: &call)
            if endStream {
                // gRPC Trailers-Only: status and headers in one HEADERS frame with END_STREAM.
                call.trailersOnly = true
                call.trailers = headers.filter { !$0.name.hasPrefix(":") }
            }
        } else {
            call.trailers += headers
        }
    }

    private mutating func add(_ output: MessageDeframer.Output, direction: Direction, configuration: CallAssembler.Configuration,
                              arrived: inout [ArrivedMessage]) {
        switch output {
        case var .message(message):
            let encoding = direction == .clientToServer ? call.requestEncoding : call.responseEncoding
            MessageDecompression.apply(&message, encoding: encoding, maxLength: configuration.maxMessageLength)
            if direction == .clientToServer { call.requests.append(message) } else { call.responses.append(message) }
            if configuration.reportsArrivingMessages {
                let index = direction == .clientToServer ? call.requests.count : call.responses.count
                arrived.append(ArrivedMessage(connection: call.connection, streamID: call.streamID, path: call.path,
                                              direction: direction, index: index, message: message))
            }
        case let .tooLarge(length, offset, packet):
            call.warnings.append(CallDiagnostic.messageTooLarge(direction, length: length, offset: offset, packet: packet, limit: configuration.maxMessageLength))
        }
    }

    private mutating func finishMessages() {
        for direction in Direction.allCases {
            if let partial = deframers[direction.rawValue].finish() {
                call.warnings.append(CallDiagnostic.messageCutShort(direction, offset: partial.streamOffset, received: partial.received, declared: partial.declared))
            }
        }
    }

    /// The call, with its cut-off messages reported and its status derived (gRPC doc
    /// "PROTOCOL-HTTP2.md" and "http-grpc-status-mapping.md").
    consuming func completed() -> GRPCCall {
        finishMessages()
        var call = call
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
            call.warnings.append(CallDiagnostic.missingStatus)
            call.status = GRPCStatus(code: .unknown, message: "no grpc-status", details: nil, source: .trailers)
        }
        return call
    }
}
