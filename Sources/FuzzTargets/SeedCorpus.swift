import Analysis
import ByteStream
import Capture
import GRPC
import HTTP2
import HTTPExchange
import Packet
import Schema
import WireCore

/// Seed inputs for every target, made from real captures (and their key logs) by the decoders
/// themselves, in each target's input layout: `grpcdump-fuzz seed` writes them, and a fuzzer
/// starts from traffic that reaches deep rather than from nothing.
public struct SeedCorpus {
    public private(set) var seeds: [FuzzTarget: [[UInt8]]] = [:]
    /// Inputs over this size are cut (a fuzzer spends its time on small inputs).
    public var maxSeedBytes = 16 << 10

    public init() {}

    public mutating func add(_ target: FuzzTarget, _ bytes: [UInt8]) {
        seeds[target, default: []].append(Array(bytes.prefix(maxSeedBytes)))
    }

    /// Seeds from one capture file; `keyLog` is the text of its key log, if it has one.
    public mutating func addCapture(_ file: [UInt8], keyLog: [UInt8] = []) {
        let head = Array(file.prefix(maxSeedBytes))
        add(.captureReader, [0] + head)
        add(.captureReader, [200] + head)
        add(.pipeline, [0] + head)
        add(.pipeline, [1] + head)
        addPackets(head)
        addConnections(file, keyLog: keyLog)
        addMessages(file)
    }

    /// Packets (`packet`) and TCP segments (`tcp`) of the file's first records.
    private mutating func addPackets(_ file: [UInt8]) {
        var reader = CaptureReader()
        reader.append(file)
        var packets = FuzzInputWriter(), segments = FuzzInputWriter()
        var decoder = PacketDecoder()
        while let record = reader.next() {
            guard case let .packet(packet) = record, let choice = CaptureTargets.linkTypes.firstIndex(of: packet.linkType) else { continue }
            packets.byte(UInt8(choice))
            packets.chunk(packet.data)
            guard case let .tcp(_, _, segment) = decoder.decode(packet).content else { continue }
            let fromServer = segment.sourcePort < segment.destinationPort
            segments.byte(UInt8(segment.flags.rawValue & 0x3F))
            segments.byte((fromServer ? 4 : 0) | 8 | UInt8((fromServer ? segment.destinationPort : segment.sourcePort) & 3))
            segments.uint16(UInt16(segment.sequenceNumber >> 16))
            segments.uint16(UInt16(segment.sequenceNumber & 0xFFFF))
            let payload = segment.payload.prefix(255)
            segments.byte(UInt8(payload.count))
            segments.rest(payload)
        }
        add(.packet, packets.bytes)
        add(.tcp, segments.bytes)
    }

    /// Each connection's reassembled byte streams, given to the target of what they carry (TLS,
    /// HTTP/2, HTTP/1.x); HTTP/2's header blocks (`hpack`) and exchange events (`grpc`) too.
    private mutating func addConnections(_ file: [UInt8], keyLog: [UInt8]) {
        var configuration = Analyzer.Configuration()
        configuration.depth = .tcp
        configuration.reportsLayerDetail = true
        var session = CaptureSession(configuration: configuration)
        var events: [AnalysisEvent] = []
        session.feed(file, into: &events)
        session.finish(into: &events)
        var streams: [ConnectionID: [ByteStreamEvent]] = [:]
        for case let .tcp(event) in events {
            switch event {
            case let .data(data): streams[data.position.connection, default: []].append(.data(data))
            case let .gap(gap): streams[gap.position.connection, default: []].append(.gap(gap))
            default: break
            }
        }
        for id in streams.keys.sorted() {
            let stream = streams[id]!
            var script = FuzzInputWriter()
            ByteStreamScript.write(stream, to: &script)
            // What the client sent first says what the connection carries (a server may speak
            // first: grpcio's SETTINGS can come before the client's preface).
            let first: ArraySlice<UInt8> = stream.lazy.compactMap { event -> ArraySlice<UInt8>? in
                if case let .data(data) = event, data.position.direction == .clientToServer, !data.bytes.isEmpty { data.bytes } else { nil }
            }.first ?? []
            if first.first == 0x16 {
                var tls = FuzzInputWriter()
                tls.chunk(keyLog)
                add(.tls, tls.bytes + script.bytes)
                // The same with the keys given halfway through (`StreamTargets.tls`).
                if !keyLog.isEmpty {
                    var late = FuzzInputWriter()
                    late.chunk(Array("#late\n".utf8) + keyLog)
                    add(.tls, late.bytes + script.bytes)
                }
            } else if first.starts(with: Array("PRI * HTTP/2.0".utf8)) {
                add(.http2, [1] + script.bytes)
                addHTTP2Layers(stream)
            } else {
                add(.http1, script.bytes)
            }
        }
    }

    /// `hpack` and `grpc` seeds from an HTTP/2 connection's frames.
    private mutating func addHTTP2Layers(_ stream: [ByteStreamEvent]) {
        var connection = HTTP2Connection(id: ByteStreamScript.connection.id, handshakeSeen: true)
        var output: [HTTP2Event] = []
        for event in stream { connection.consume(event, into: &output) }
        var blocks = [FuzzInputWriter(), FuzzInputWriter()]
        for index in blocks.indices { blocks[index].uint16(4096); blocks[index].byte(0) }
        var exchanges = FuzzInputWriter()
        exchanges.byte(0)
        var exchangeEvents: [ExchangeEvent] = []
        for case let .frame(record) in output {
            if let block = record.headerBlock {
                blocks[record.direction.rawValue].byte(0)
                blocks[record.direction.rawValue].chunk(block.bytes)
            }
            record.exchangeEvents(into: &exchangeEvents)
        }
        for event in exchangeEvents where event.exchange < 16 {
            // A GOAWAY is said of the connection (exchange 0).
            let exchange = UInt8((max(event.exchange, 1) - 1) / 2) << 5, side: UInt8 = event.direction == .clientToServer ? 0 : 16
            switch event.kind {
            case let .headBegins(ends): exchanges.byte(0 | (ends ? 8 : 0) | side | exchange); exchanges.chunk([])
            case let .head(lines): exchanges.byte(1 | side | exchange); exchanges.chunk(CallTargets.headerText(lines))
            case let .body(bytes, _, ends): exchanges.byte(2 | (ends ? 8 : 0) | side | exchange); exchanges.chunk(bytes)
            case let .reset(code): exchanges.byte(3 | side | exchange); exchanges.chunk([UInt8(truncatingIfNeeded: code.rawValue)])
            case .activity: exchanges.byte(4 | side | exchange); exchanges.chunk([])
            case let .goingAway(last, code, reason):
                exchanges.byte(5 | side); exchanges.chunk([UInt8(truncatingIfNeeded: last), UInt8(truncatingIfNeeded: code.rawValue)] + Array(reason.utf8))
            }
        }
        for block in blocks where block.bytes.count > 3 { add(.hpack, block.bytes) }
        add(.grpc, exchanges.bytes)
    }

    /// The capture's gRPC messages: raw, against their schema when the dissectors have it, and
    /// as annotate's input in each of its formats.
    private mutating func addMessages(_ file: [UInt8]) {
        var session = CaptureSession()
        var events: [AnalysisEvent] = []
        session.feed(file, into: &events)
        session.finish(into: &events)
        let types = MessageTypes(pool: DissectorFiles.pool)
        let names = DissectorFiles.messageNames
        for case let .call(call) in events {
            for (message, isRequest) in call.requests.map({ ($0, true) }) + call.responses.map({ ($0, false) }) {
                guard let bytes = message.bytes else { continue }
                add(.protobufRaw, bytes)
                if let type = types.typeName(path: call.path, isRequest: isRequest), let index = names.firstIndex(of: type) {
                    add(.protobufSchema, [UInt8(index >> 8), UInt8(index & 0xFF), 0] + bytes)
                    add(.annotate, [0x80 | 1, UInt8(index & 0xFF)] + message.wireBytes)
                }
                add(.annotate, [2] + Array(Hex.string(message.wireBytes, separator: " ").utf8))
                add(.annotate, [3] + Array(Base64.encode(bytes).utf8))
            }
        }
    }

    /// The distinct seeds of each target, named by a hash of their bytes.
    public func files() -> [(target: FuzzTarget, name: String, bytes: [UInt8])] {
        seeds.keys.sorted { $0.rawValue < $1.rawValue }.flatMap { target in
            var seen = Set<[UInt8]>()
            return seeds[target]!.filter { seen.insert($0).inserted }.map { (target, "seed-" + Self.hashName($0), $0) }
        }
    }

    /// FNV-1a, as hex: a stable name for a seed.
    public static func hashName(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}
