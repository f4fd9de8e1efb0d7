import Analysis
import ByteStream
import HTTP1
import HTTP2
import HTTPExchange
import Packet
import Reassembly
import Render
import TLS
import WireCore

/// Targets of the connection layers: TCP reassembly, and what consumes its byte streams.
enum StreamTargets {
    /// Segments on four connections: per segment a flags byte (TCP's flag bits; bit 7: some
    /// payload was not captured), a control byte (bits 0–1: the connection, bit 2: sent by the
    /// server, bit 3: an absolute 32-bit sequence number follows rather than a 16-bit offset
    /// from the sender's first, bits 4–7: how far time moves), the sequence number and a
    /// payload of up to 255 bytes. The reassembler's buffer is small so that its limits are met.
    static func tcp(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        var configuration = TCPReassembler.Configuration()
        configuration.maxBufferedBytesPerDirection = 4096
        configuration.idleTimeoutNanoseconds = 30_000_000_000
        configuration.maxLingeringConnections = 8
        var reassembler = TCPReassembler(configuration: configuration)
        let client = IPAddress("10.0.0.1")!, server = IPAddress("2001:db8::2")!
        var events: [ReassemblyEvent] = []
        var time = Timestamp(seconds: 1_700_000_000, nanoseconds: 0)
        var packet = 0
        while !input.isAtEnd {
            let flags = input.byte(), control = input.byte()
            let pair = UInt16(control & 3), fromServer = control & 4 != 0
            let base: UInt32 = fromServer ? 0x8000_0000 &+ UInt32(pair) << 20 : 1000 &+ UInt32(pair) << 20
            let sequence = control & 8 != 0 ? UInt32(input.uint16()) << 16 | UInt32(input.uint16()) : base &+ UInt32(input.uint16())
            let payloadLength = Int(input.byte())
            let payload = input.take(payloadLength)
            let missing = flags & 0x80 != 0 ? Int(input.byte()) : 0
            let step = Int64(control >> 4)
            time = Timestamp(seconds: time.seconds + (step == 15 ? 700 : 0), nanoseconds: (time.nanoseconds + step * 1_000_000) % 1_000_000_000)
            packet += 1
            let clientEnd = Endpoint(client, 40_000 + pair), serverEnd = Endpoint(server, 443)
            let segment = TCPSegment(
                sourcePort: fromServer ? 443 : 40_000 + pair, destinationPort: fromServer ? 40_000 + pair : 443,
                sequenceNumber: sequence, acknowledgementNumber: 0, flags: TCPFlags(rawValue: UInt16(flags & 0x3F)),
                payload: payload, missingBytes: missing)
            reassembler.ingest(segment, from: fromServer ? serverEnd : clientEnd, to: fromServer ? clientEnd : serverEnd,
                               packet: packet, time: time, into: &events)
            if step == 14 { reassembler.expire(now: time, packet: packet, into: &events) }
            events.removeAll(keepingCapacity: true)
        }
        reassembler.finish(packet: packet + 1, into: &events)
    }

    /// The first byte chooses text or JSON frames, or frames not reported (their exchange events
    /// gathered, as for the call views); then `ByteStreamScript`.
    static func http2(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let options = input.byte()
        var connection = HTTP2Connection(id: ByteStreamScript.connection.id, handshakeSeen: options & 1 != 0, reportsFrames: options & 4 == 0)
        var view = HTTP2FrameView(json: options & 2 != 0)
        var output: [HTTP2Event] = []
        var exchanges: [ExchangeEvent] = []
        for event in ByteStreamScript.events(&input) {
            connection.consume(event, into: &output)
            for event in output { _ = view.render(.http2(event)) }
            output.removeAll(keepingCapacity: true)
            _ = connection.takeExchanges(leaving: &exchanges)
        }
    }

    /// `ByteStreamScript` through HTTP/1.x.
    static func http1(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        var connection = HTTP1Connection(id: ByteStreamScript.connection.id)
        var output: [HTTP1Output] = []
        for event in ByteStreamScript.events(&input) {
            connection.consume(event, into: &output)
            output.removeAll(keepingCapacity: true)
        }
    }

    /// A key log (a 16-bit-length chunk of text), then `ByteStreamScript` through TLS; the
    /// plaintext goes on to HTTP/2 as in the pipeline, and the session and its messages are
    /// rendered. A key log whose text starts with `#late` is given only halfway through the
    /// script (a live capture whose key log is written after the first records), so that
    /// records wait for it.
    static func tls(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let keyText = input.chunk()
        let keyLog = KeyLog(text: keyText)
        let late = keyText.starts(with: "#late".utf8)
        var connection = TLSConnection(id: ByteStreamScript.connection.id, keyLog: late ? KeyLog() : keyLog)
        var above = HTTP2Connection(id: ByteStreamScript.connection.id, handshakeSeen: true)
        var view = TLSSessionView(json: false, verbose: true)
        var output: [TLSOutput] = [], frames: [HTTP2Event] = []
        let events = ByteStreamScript.events(&input)
        for (index, event) in events.enumerated() {
            if late, index == events.count / 2 { connection.updateKeys(keyLog, into: &output) }
            connection.consume(event, into: &output)
            for item in output {
                switch item {
                case let .stream(plaintext): above.consume(plaintext, into: &frames)
                case let .message(message): _ = view.render(.tlsMessage(message))
                case let .session(session): _ = view.render(.tlsSession(session))
                case .clientEvidence: break
                }
            }
            output.removeAll(keepingCapacity: true)
            frames.removeAll(keepingCapacity: true)
        }
    }
}
