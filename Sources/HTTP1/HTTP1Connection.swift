import ByteStream
import HTTPExchange
import WireCore

extension Layer {
    public static let http1 = Layer(rawValue: "http1")
}

/// What the HTTP/1.1 layer reports.
public enum HTTP1Output: Sendable {
    /// A step of a request/response exchange, for the call layer.
    case exchange(ExchangeEvent)
    /// Bytes that are not HTTP/1.x (`http1.…`); that direction is not decoded further.
    case problem(Diagnostic)
}

/// One connection's byte streams seen as HTTP/1.x (RFC 9112): requests and responses split into
/// heads and bodies — Content-Length, chunked transfer coding, or until the connection closes —
/// with keep-alive and pipelining (responses answer requests in order), and each request/response
/// pair handed on as an exchange, numbered 1, 2, 3 … on the connection. Heads become header lists
/// with the request's `:method`, `:path`, `:authority` and the response's `:status`, so that the
/// call layer reads them as it reads HTTP/2's.
public struct HTTP1Connection: ByteStreamConsumer, Sendable {
    public typealias Output = HTTP1Output

    public let id: ConnectionID
    var sides = [HTTP1Direction(), HTTP1Direction()]
    /// Requests not answered yet: their exchange number and method, oldest first.
    var unanswered: [(exchange: UInt32, method: String)] = []
    var nextExchange: UInt32 = 1

    public init(id: ConnectionID) {
        self.id = id
    }

    public mutating func receive(_ data: StreamData, into output: inout [HTTP1Output]) {
        let side = data.position.direction.rawValue
        guard sides[side].reading != .stopped else { return }
        sides[side].append(data.bytes, at: data.offset)
        while step(data.position, &output) {}
    }

    public mutating func gap(_ gap: StreamGap, into output: inout [HTTP1Output]) {
        let side = gap.position.direction.rawValue
        // Inside a body of known length the loss is skipped; elsewhere the message boundaries are lost.
        if case let .body(.length(remaining)) = sides[side].reading, sides[side].buffered == 0, gap.length < remaining {
            sides[side].reading = .body(.length(remaining: remaining - gap.length))
            sides[side].skip(to: gap.offset + gap.length)
            return
        }
        stop(side, "a capture gap of \(gap.length) bytes: the rest of this direction is not decoded", gap.position, &output)
    }

    public mutating func finish(_ end: StreamEnd, into output: inout [HTTP1Output]) {
        for direction in Direction.allCases {
            let side = direction.rawValue
            let position = end.position(direction)
            switch sides[side].reading {
            case .body(.untilClose):
                // RFC 9112 §6.3: a response without a length ends when the connection closes.
                if let exchange = sides[side].exchange { emit(exchange, position, .body([], offset: sides[side].expectedOffset, endsStream: true), &output) }
            case .head where sides[side].buffered > 0, .body:
                output.append(.problem(Diagnostic(.http1, "http1.message.truncated", .warning,
                                                  "\(direction.sender) message cut short by the end of the connection", packet: end.lastPacket)))
            default:
                break
            }
            sides[side].reading = .stopped
        }
    }

    /// Reads what the buffered bytes of the direction of `position` allow; true to go on.
    private mutating func step(_ position: StreamPosition, _ output: inout [HTTP1Output]) -> Bool {
        let side = position.direction.rawValue
        switch sides[side].reading {
        case .stopped:
            return false
        case .head:
            guard sides[side].buffered > 0 else { return false }
            switch MessageHead.parse(sides[side].pending) {
            case .needMoreBytes:
                return false
            case let .malformed(reason):
                stop(side, reason, position, &output)
                return false
            case let .head(head):
                sides[side].consume(head.length)
                return position.direction == .clientToServer ? request(head, position, &output) : response(head, position, &output)
            }
        case let .body(framing):
            return body(framing, position, &output)
        }
    }

    private mutating func request(_ head: MessageHead, _ position: StreamPosition, _ output: inout [HTTP1Output]) -> Bool {
        let side = position.direction.rawValue
        let exchange = nextExchange
        nextExchange += 1
        let method = head.startLine[0]
        unanswered.append((exchange, method))
        sides[side].exchange = exchange
        // RFC 9112 §6.3: a request has a body only with Content-Length or Transfer-Encoding.
        let framing = BodyFraming.of(head, isResponse: false)
        var lines = [HeaderLine(name: ":method", value: method), HeaderLine(name: ":path", value: head.startLine[1]), HeaderLine(name: ":scheme", value: "http")]
        if let host = head.field("host") { lines.append(HeaderLine(name: ":authority", value: host)) }
        lines += head.fields.filter { $0.name != "host" }.map { HeaderLine(name: $0.name, value: $0.value) }
        emit(exchange, position, .headBegins(endsStream: framing == nil), &output)
        emit(exchange, position, .head(lines), &output)
        sides[side].reading = framing.map { .body($0) } ?? .head
        return true
    }

    private mutating func response(_ head: MessageHead, _ position: StreamPosition, _ output: inout [HTTP1Output]) -> Bool {
        let side = position.direction.rawValue
        let status = Int(head.startLine[1]) ?? 0
        // RFC 9110 §15.2: interim responses precede the final one; 101 switches protocols.
        if status == 101 {
            stop(side, "101 Switching Protocols: what follows is not HTTP/1.x", position, &output)
            sides[Direction.clientToServer.rawValue].reading = .stopped
            return false
        }
        if (100...199).contains(status) { return true }
        guard !unanswered.isEmpty else {
            stop(side, "a response (\(status)) to no request seen", position, &output)
            return false
        }
        let (exchange, method) = unanswered.removeFirst()
        sides[side].exchange = exchange
        let framing = method == "HEAD" || status == 204 || status == 304 ? nil : BodyFraming.of(head, isResponse: true)
        emit(exchange, position, .headBegins(endsStream: framing == nil), &output)
        emit(exchange, position, .head([HeaderLine(name: ":status", value: head.startLine[1])] + head.fields.map { HeaderLine(name: $0.name, value: $0.value) }), &output)
        sides[side].reading = framing.map { .body($0) } ?? .head
        return true
    }

    private mutating func body(_ framing: BodyFraming, _ position: StreamPosition, _ output: inout [HTTP1Output]) -> Bool {
        let side = position.direction.rawValue
        guard let exchange = sides[side].exchange else { return false }
        switch sides[side].takeBody(framing) {
        case .needMoreBytes:
            return false
        case let .malformed(reason):
            stop(side, reason, position, &output)
            return false
        case let .data(bytes, offset, next):
            if !bytes.isEmpty || next == nil { emit(exchange, position, .body(bytes, offset: offset, endsStream: next == nil), &output) }
            sides[side].reading = next.map { .body($0) } ?? .head
            return true
        }
    }

    private func emit(_ exchange: UInt32, _ position: StreamPosition, _ kind: ExchangeEvent.Kind, _ output: inout [HTTP1Output]) {
        output.append(.exchange(ExchangeEvent(connection: id, exchange: exchange, direction: position.direction,
                                              packet: position.packet, time: position.time, kind: kind)))
    }

    private mutating func stop(_ side: Int, _ reason: String, _ position: StreamPosition, _ output: inout [HTTP1Output]) {
        sides[side].reading = .stopped
        output.append(.problem(Diagnostic(.http1, "http1.stopped", .warning,
                                          "\(id) \(Direction(rawValue: side)!.sender): \(reason)", packet: position.packet)))
    }
}
