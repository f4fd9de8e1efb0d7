import ByteStream
import HTTPExchange
import WireCore

/// One call being assembled: its frames so far, a message deframer per direction, and which
/// sides ended the stream.
struct CallProgress: Sendable {
    var call: GRPCCall
    /// Indexed by `Direction.rawValue`.
    var deframers: DirectionPair<MessageDeframer>
    /// Directions (bit `1 << Direction.rawValue`) that ended the stream.
    var ended: UInt8 = 0
    var sawResponseHeaders = false
    var sawRequestHead = false
    /// The request's header fields, and the response's first section (not its trailers), were
    /// not empty (indexed by `Direction.rawValue`): what `call.requestHeaders` and
    /// `call.responseHeaders` being non-empty say when they are kept
    /// (`Configuration.keepsHeaderFields`), also when they are not.
    var receivedFields = DirectionPair(false, false)
    /// gRPC-Web text bodies, indexed by `Direction.rawValue`; made at the first text body, so
    /// that other calls allocate nothing for them.
    var textBodies: [TextBody] = []
    /// gRPC-Web: the response's own content-type says whether its body is base64 text (a text
    /// request may get a binary response, as the client's Accept asks).
    var responseIsText = false
    /// Directions whose END_STREAM came on a HEADERS frame whose block is not complete yet.
    var endStreamPending: UInt8 = 0
    /// Directions (bit `1 << Direction.rawValue`) that sent a message over gRPC's default
    /// receive limit (said once a direction).
    var overDefaultLimit: UInt8 = 0

    init(call: GRPCCall, configuration: CallAssembler.Configuration) {
        self.call = call
        let deframer = MessageDeframer(maxMessageLength: configuration.maxMessageLength, keepsBodies: configuration.keepsMessageBodies)
        deframers = DirectionPair(deframer, deframer)
    }

    /// Both sides ended the stream, or it was reset.
    private var hasEnded: Bool { ended == 0b11 }

    /// Takes in one event of the call's exchange; returns whether the call has ended (`hasEnded`).
    mutating func apply(_ event: ExchangeEvent, configuration: CallAssembler.Configuration, connectionCarriesGRPC: Bool = false,
                        outputs: inout [MessageDeframer.Output], arrived: inout [ArrivedMessage]) -> Bool {
        let side = event.direction.rawValue
        let bit: UInt8 = 1 << side
        // Events come in stream order with the time of the packet that carried their bytes: in a
        // reordered capture a later event may carry an earlier time. The call ends at its latest.
        call.lastPacket = max(call.lastPacket, event.packet)
        if event.time > call.end { call.end = event.time }
        switch event.kind {
        case let .headBegins(endsStream):
            if event.direction == .serverToClient, call.firstResponseTime == nil { call.firstResponseTime = event.time }
            if event.direction == .clientToServer, !receivedFields[0], !sawRequestHead {
                // The request's head starts the call, even when a reordered capture showed the
                // response first: its start was captured after all.
                sawRequestHead = true
                if event.time < call.start { call.start = event.time }
                call.firstPacket = min(call.firstPacket, event.packet)
                call.warnings.removeAll { $0.code == CallDiagnostic.startNotCaptured.code }
            }
            if endsStream { endStreamPending |= bit }
        case let .head(lines):
            if lines.contains(where: { !$0.nameKnown }) {
                if event.direction == .clientToServer { call.requestHeadersPartlyUnknown = true } else { call.responseHeadersPartlyUnknown = true }
            }
            let pending = endStreamPending & bit != 0
            applyHeaders(lines, direction: event.direction, endStream: pending, keepsFields: configuration.keepsHeaderFields)
            if pending { ended |= bit }
            endStreamPending &= ~bit
        case let .body(bytes, offset, endsStream):
            if event.direction == .serverToClient, call.firstResponseTime == nil { call.firstResponseTime = event.time }
            if call.callProtocol == .http2, call.contentType == nil, inferGRPC(from: bytes, connectionCarriesGRPC: connectionCarriesGRPC, maxLength: configuration.maxMessageLength) {
                call.callProtocol = .grpc
                call.protocolInferred = true
            }
            if call.callProtocol == .http2 {
                // Not gRPC: the body is not length-prefixed messages; it is only counted.
                call.bodyBytes[side] += bytes.count
            } else if side == 0 ? call.callProtocol == .grpcWebText : responseIsText {
                // The messages are inside base64 text: offsets count decoded bytes from the
                // body's first byte on the wire.
                if textBodies.isEmpty { textBodies = [TextBody(), TextBody()] }
                let decoded = textBodies[side].decoder.decode(bytes)
                let start = textBodies[side].start ?? offset
                textBodies[side].start = start
                deframers[side].append(decoded[...], at: start + textBodies[side].decoded, packet: event.packet, time: event.time, into: &outputs)
                textBodies[side].decoded += Int64(decoded.count)
                for output in outputs { add(output, direction: event.direction, configuration: configuration, arrived: &arrived) }
                outputs.removeAll(keepingCapacity: true)
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
        case .activity, .goingAway:
            break
        }
        return hasEnded
    }

    /// A stream whose content-type is not known (an unknown HPACK entry, or HEADERS not captured)
    /// is gRPC when its first body bytes start a gRPC length-prefixed message (gRPC doc
    /// "PROTOCOL-HTTP2.md": a compressed flag of 0 or 1, then a length) and its headers leave
    /// room for it: partly unknown, not captured, or on a connection that carries gRPC.
    private func inferGRPC(from bytes: ArraySlice<UInt8>, connectionCarriesGRPC: Bool, maxLength: Int) -> Bool {
        guard let flag = bytes.first, flag <= 1,
              !receivedFields[0] || call.requestHeadersPartlyUnknown || connectionCarriesGRPC else { return false }
        if bytes.count >= MessageDeframer.prefixLength {
            return MessageDeframer.declaredLength(ofPrefix: bytes.prefix(MessageDeframer.prefixLength)) <= maxLength
        }
        return true
    }

    /// A header section: what the call is read from it, and the fields the call keeps (all of
    /// them, or only its status's: `Configuration.keepsHeaderFields`).
    private mutating func applyHeaders(_ lines: [HeaderLine], direction: Direction, endStream: Bool, keepsFields: Bool) {
        if direction == .clientToServer {
            if !receivedFields[0] {
                RequestHeaders.apply(lines, to: &call)
            } else {
                call.warnings.append(CallDiagnostic.secondClientHeaderBlock(stream: call.streamID))
            }
            if keepsFields {
                if call.requestHeaders.isEmpty { call.requestHeaders = Metadata.headers(lines) } else { call.requestHeaders += Metadata.headers(lines) }
            }
            receivedFields[0] = receivedFields[0] || !lines.isEmpty
        } else if !sawResponseHeaders {
            sawResponseHeaders = true
            receivedFields[1] = !lines.isEmpty
            ResponseHeaders.apply(lines, to: &call)
            responseIsText = lines.contains { $0.name == "content-type" && RequestHeaders.callProtocol(contentType: $0.value) == .grpcWebText }
            let headers = keepsFields ? Metadata.headers(lines) : Metadata.statusFields(lines)
            call.responseHeaders = headers
            if endStream {
                // gRPC Trailers-Only: status and headers in one HEADERS frame with END_STREAM.
                call.trailersOnly = true
                call.trailers = headers.filter { !$0.name.hasPrefix(":") }
            }
        } else {
            call.trailers += keepsFields ? Metadata.headers(lines) : Metadata.statusFields(lines)
        }
    }

    private mutating func add(_ output: MessageDeframer.Output, direction: Direction, configuration: CallAssembler.Configuration,
                              arrived: inout [ArrivedMessage]) {
        switch output {
        case var .message(message):
            noteIfOverDefaultLimit(message, direction)
            let encoding = direction == .clientToServer ? call.requestEncoding : call.responseEncoding
            let headersPartlyUnknown = !receivedFields[direction.rawValue]
                || (direction == .clientToServer ? call.requestHeadersPartlyUnknown : call.responseHeadersPartlyUnknown)
            MessageDecompression.apply(&message, encoding: encoding, maxLength: configuration.maxMessageLength, encodingMayBeUnknown: headersPartlyUnknown)
            if direction == .clientToServer { call.requests.append(message) } else { call.responses.append(message) }
            if configuration.reportsArrivingMessages {
                let index = direction == .clientToServer ? call.requests.count : call.responses.count
                arrived.append(ArrivedMessage(connection: call.connection, streamID: call.streamID, path: call.path,
                                              direction: direction, index: index, message: message))
            }
        case let .counted(message):
            noteIfOverDefaultLimit(message, direction)
            if direction == .clientToServer { call.requests.append(message) } else { call.responses.append(message) }
        case let .tooLarge(length, offset, packet):
            call.warnings.append(CallDiagnostic.messageTooLarge(direction, length: length, offset: offset, packet: packet, limit: configuration.maxMessageLength))
        case let .trailers(bytes, offset, packet):
            guard direction == .serverToClient, call.callProtocol == .grpcWeb || call.callProtocol == .grpcWebText else {
                call.warnings.append(CallDiagnostic.unexpectedTrailersFrame(direction, offset: offset, packet: packet))
                return
            }
            // gRPC doc "PROTOCOL-WEB.md": the trailers frame holds HTTP/1-style header lines.
            let trailers = GRPCWebTrailers.parse(bytes)
            call.trailers += configuration.keepsHeaderFields ? trailers : trailers.filter { TrailerStatus.reads($0.name) }
        }
    }

    /// By its length on the wire (as receivers check first; the same whether bodies are kept).
    private mutating func noteIfOverDefaultLimit(_ message: GRPCMessage, _ direction: Direction) {
        let bit: UInt8 = 1 << direction.rawValue
        guard message.declaredLength > CallDiagnostic.defaultReceiveLimit, overDefaultLimit & bit == 0 else { return }
        overDefaultLimit |= bit
        call.warnings.append(CallDiagnostic.overDefaultReceiveLimit(direction, length: message.declaredLength, packet: message.packet))
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
    consuming func completed(refusedAbove refusal: GoingAway?) -> GRPCCall {
        finishMessages()
        // `call` is this progress's own (consumed) call: changed in place, not copied first
        // (a copy would share the record and changing it would copy the record whole).
        // A status sent in the response headers of a response without trailers (gRPC-Web servers
        // answer an error so, and HTTP/2 Trailers-Only is the same with END_STREAM) counts too.
        let statusFields = call.trailers.contains { $0.name == "grpc-status" } ? call.trailers : call.responseHeaders
        if let status = TrailerStatus.parse(statusFields, warnings: &call.warnings) {
            call.status = status
        } else if let refusal, call.streamID > refusal.lastProcessed, !sawResponseHeaders, call.responses.isEmpty {
            // RFC 9113 §6.8: the server did not process it (and sent nothing on it); clients
            // retry such a call elsewhere (gRPC's transparent retry), or report UNAVAILABLE.
            call.status = GRPCStatus(code: .unavailable, message: "not processed: the server's GOAWAY (\(refusal.description)) came first; clients retry such a call",
                                     details: nil, source: .goaway)
            call.incomplete = false
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
        } else if let http = call.httpStatus, http != 200, call.callProtocol != .http2 {
            // gRPC doc "http-grpc-status-mapping.md" (only a gRPC call has a gRPC status to derive).
            call.status = GRPCStatus(code: .fromHTTPStatus(http), message: "HTTP status \(http)", details: nil, source: .httpStatus)
        } else if call.callProtocol != .http2, call.responseHeadersPartlyUnknown {
            // grpc-status may be one of the unknown fields: it stays unknown, never assumed OK.
            call.statusUnknownReason = "the response's header fields include HPACK entries from before the capture began; grpc-status may be one of them"
        } else if !call.incomplete, call.callProtocol != .http2 {
            call.warnings.append(CallDiagnostic.missingStatus)
            call.status = GRPCStatus(code: .unknown, message: "no grpc-status", details: nil, source: .trailers)
        }
        return call
    }
}

/// gRPC-Web text: one direction's base64 decoder, where its body began on the wire and how many
/// bytes it decoded so far (message offsets count decoded bytes from the body's start).
struct TextBody: Sendable {
    var decoder = Base64Body()
    var start: Int64?
    var decoded: Int64 = 0
}

/// Two values indexed by `Direction.rawValue`, kept inline: an array of two would be allocated
/// for every call.
struct DirectionPair<Value: Sendable>: Sendable {
    private var clientToServer: Value
    private var serverToClient: Value

    init(_ clientToServer: Value, _ serverToClient: Value) {
        self.clientToServer = clientToServer
        self.serverToClient = serverToClient
    }

    subscript(side: Int) -> Value {
        get { side == 0 ? clientToServer : serverToClient }
        _modify {
            if side == 0 { yield &clientToServer } else { yield &serverToClient }
        }
    }
}
