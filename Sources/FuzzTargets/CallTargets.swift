import Analysis
import ByteStream
import GRPC
import HPACK
import HTTPExchange
import Render
import WireCore

/// Targets of header compression and the call layer.
enum CallTargets {
    /// A 16-bit table size and a byte choosing a mid-connection start; then per block an
    /// operation byte (bit 0: a SETTINGS table size follows, as 16 bits) and the block as a
    /// 16-bit-length chunk, all decoded in one context.
    static func hpack(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        var decoder = HPACKDecoder(maxTableSize: Int(input.uint16()), startsMidConnection: input.bool())
        var offset = 0
        while !input.isAtEnd {
            if input.bool() { _ = decoder.setMaxTableSize(Int(input.uint16())) }
            let block = input.chunk()
            let decoded = decoder.decode(block: block, baseOffset: offset)
            for field in decoded.fields { _ = (field.nameString, field.valueString) }
            offset += block.count
        }
    }

    /// Exchange events, as HTTP/2 or HTTP/1.1 would hand them to the call layer: per event an
    /// operation byte (bits 0–2: head begins, head, body, reset, activity, going away,
    /// connection end; bit 3: ends the stream; bit 4: from the server; bits 5–7: which of eight
    /// exchanges) and its chunk (a head's "name: value" lines, a body's bytes, a reset's code,
    /// going away's last processed exchange, code and reason). The calls are
    /// rendered as text with hex and as JSON. The first byte chooses the configuration: bit 0
    /// reports messages as they arrive, bit 1 keeps no message bytes, bit 2 no header fields (the
    /// call summary's).
    static func grpc(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let options = input.byte()
        var configuration = CallAssembler.Configuration()
        configuration.maxMessageLength = 1 << 20
        configuration.maxOpenCalls = 4
        configuration.reportsArrivingMessages = options & 1 != 0
        configuration.keepsMessageBodies = options & 2 == 0
        configuration.keepsHeaderFields = options & 4 == 0
        var assembler = CallAssembler(configuration: configuration)
        var text = CallView(verbosity: 2, hex: true, json: false), json = CallView(verbosity: 1, hex: false, json: true)
        let opened = AnalysisEvent.tcp(.opened(ByteStreamScript.connection))
        _ = (text.render(opened), json.render(opened))
        var calls: [GRPCCall] = []
        var packet = 1
        func render() {
            for call in calls { _ = (text.render(.call(call)), json.render(.call(call))) }
            for message in assembler.takeArrivedMessages() { _ = text.render(.message(message)) }
            calls.removeAll(keepingCapacity: true)
        }
        while !input.isAtEnd {
            let operation = input.byte()
            let chunk = input.chunk()
            packet += 1
            let time = Timestamp(seconds: 1_700_000_000 + Int64(packet), nanoseconds: 0)
            let endsStream = operation & 8 != 0
            let kind: ExchangeEvent.Kind
            switch operation & 7 {
            case 0: kind = .headBegins(endsStream: endsStream)
            case 1: kind = .head(headerLines(chunk))
            case 2: kind = .body(chunk, offset: Int64(packet) * 100, endsStream: endsStream)
            case 3: kind = .reset(ErrorCode(rawValue: UInt32(chunk.first ?? 0)))
            case 4: kind = .activity
            case 5: kind = .goingAway(lastProcessed: UInt32(chunk.first ?? 0), ErrorCode(rawValue: UInt32(chunk.dropFirst().first ?? 0)),
                                      reason: String(decoding: chunk.dropFirst(2), as: UTF8.self))
            default:
                assembler.connectionEnded(packet: packet, time: time, into: &calls)
                render()
                continue
            }
            let event = ExchangeEvent(
                connection: ByteStreamScript.connection.id, exchange: UInt32(operation >> 5) * 2 + 1,
                direction: operation & 16 == 0 ? .clientToServer : .serverToClient, packet: packet, time: time, kind: kind)
            assembler.process(event, into: &calls)
            render()
        }
        assembler.connectionEnded(packet: packet + 1, time: Timestamp(seconds: 1_700_001_000, nanoseconds: 0), into: &calls)
        render()
    }

    /// "name: value" lines (the value's bytes kept raw, as HPACK gives them).
    static func headerLines(_ text: ArraySlice<UInt8>) -> [HeaderLine] {
        text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map { line in
            // The name ends at the first ": " after its first byte (a pseudo-header starts with ':').
            var split = line.endIndex
            var index = line.index(after: line.startIndex)
            while index < line.endIndex - 1 {
                if line[index] == UInt8(ascii: ":"), line[index + 1] == UInt8(ascii: " ") { split = index; break }
                index += 1
            }
            let name = line[..<split], value = split < line.endIndex ? line[(split + 2)...] : []
            return HeaderLine(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self), valueBytes: Array(value))
        }
    }

    /// The layout `headerLines` reads.
    static func headerText(_ lines: [HeaderLine]) -> [UInt8] {
        lines.flatMap { Array($0.name.utf8) + Array(": ".utf8) + ($0.valueBytes ?? Array($0.value.utf8)) + [UInt8(ascii: "\n")] }
    }
}
