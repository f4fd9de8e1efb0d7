import ByteStream
import HPACK
import HTTPExchange
import WireCore

/// One connection's byte streams seen as HTTP/2: how HTTP/2 was reached (the preface, an h2c
/// upgrade, or frames found mid-way), both directions split into frames, and the state that
/// frames are annotated with — stream states, flow-control windows, SETTINGS and PING
/// acknowledgements, header blocks joined across CONTINUATION. It consumes the byte-stream
/// vocabulary and does not know what fed it (TCP, or TLS's plaintext).
public struct HTTP2Connection: ByteStreamConsumer, Sendable {
    public let id: ConnectionID
    /// Whether frames get their notes (`FrameRecord.annotations`); off when no view shows them.
    let describesFrames: Bool
    public private(set) var detection: HTTP2Detection?
    /// Set when the bytes turned out not to be HTTP/2 (an h2c upgrade refused, no frames found).
    public private(set) var other: OtherProtocol?
    /// Each sending direction's state, indexed by `Direction.rawValue`.
    var sides: [DirectionState]
    var streams: StreamTable
    var knownFromStart = true
    private var upgradePending = false
    /// Whether any client bytes were seen (a server's frames may come first).
    private var clientSideSeen = false
    /// Whether the server's bytes were seen from the start of its stream.
    private var serverFromStart = false
    /// Set when only the call layer reads this connection (no view shows frames): each frame's
    /// exchange events are gathered here instead of the frame being reported (`takeExchanges`),
    /// which spares every frame record its trip through the event arrays.
    private var exchanges: [ExchangeEvent]?
    /// Frames (and the rules they broke) gathered into `exchanges` since the last `takeExchanges`.
    private var framesGathered = 0, violationsGathered = 0

    /// `handshakeSeen`: the TCP handshake was captured, so stream offset 0 is the real start of
    /// each direction; otherwise the connection was joined mid-way.
    /// `reportsFrames`: whether frames are reported as `.frame` events; when not, only their
    /// exchange events are kept, for `takeExchanges`.
    public init(id: ConnectionID, handshakeSeen: Bool, describesFrames: Bool = true, reportsFrames: Bool = true, limits: HTTP2Limits = .default) {
        self.id = id
        self.describesFrames = describesFrames
        exchanges = reportsFrames ? nil : []
        let side = DirectionState(headerBlocks: HeaderBlockAssembler(maxBlockBytes: limits.maxHeaderBlockBytes))
        sides = [side, side]
        streams = StreamTable(maxOpenStreams: limits.maxOpenStreams)
        if !handshakeSeen { joinedMidway() }
    }

    public var isHTTP2: Bool { detection != nil }

    /// When frames are not reported: the exchange events of the frames decoded since the last
    /// call, in order, put in `spare`, and how many frames and rule violations they came from.
    /// The array `spare` held takes their place emptied, so that neither is allocated again.
    public mutating func takeExchanges(leaving spare: inout [ExchangeEvent]) -> (frames: Int, violations: Int) {
        spare.removeAll(keepingCapacity: true)
        guard exchanges != nil else { return (0, 0) }
        swap(&exchanges!, &spare)
        defer { framesGathered = 0; violationsGathered = 0 }
        return (framesGathered, violationsGathered)
    }

    public mutating func receive(_ data: StreamData, into events: inout [HTTP2Event]) {
        receive(data.bytes, at: data.offset, data.position, into: &events)
    }

    private mutating func receive(_ bytes: ArraySlice<UInt8>, at offset: Int64, _ position: StreamPosition, into events: inout [HTTP2Event]) {
        let direction = position.direction
        defer { if direction == .clientToServer { clientSideSeen = true } }
        let index = direction.rawValue
        switch sides[index].reader {
        case .ignoring:
            return
        case var .sniffing(buffer, start):
            if buffer.isEmpty { start = offset }
            buffer += bytes
            sides[index].reader = .sniffing(buffer: buffer, start: start)
            sniff(direction, position, into: &events)
        case .skipping(let until, var decoder):
            if offset + Int64(bytes.count) <= until { return }
            let skip = Int(max(0, until - offset))
            decoder.append(bytes.dropFirst(skip), at: offset + Int64(skip))
            sides[index].reader = .frames(decoder)
            drain(direction, position, into: &events)
        case var .frames(decoder):
            // Taken out while it grows and is read, so that its buffer is not shared (and copied).
            sides[index].reader = .ignoring
            decoder.append(bytes, at: offset)
            drain(&decoder, direction, position, into: &events)
            sides[index].reader = .frames(decoder)
        }
    }

    public mutating func gap(_ gap: StreamGap, into events: inout [HTTP2Event]) {
        let index = gap.position.direction.rawValue
        switch sides[index].reader {
        case var .frames(decoder):
            decoder.gap(at: gap.offset, length: gap.length)
            sides[index].reader = .frames(decoder)
            drain(gap.position.direction, gap.position, into: &events)
        case .sniffing(let buffer, _) where buffer.isEmpty:
            // Nothing seen yet: the stream simply starts later; search for frames from there.
            knownFromStart = false
            sides[index].reader = .sniffing(buffer: [], start: gap.offset + gap.length)
        case .sniffing, .skipping:
            sides[index].reader = .frames(FrameDecoder(searching: true, startOffset: gap.offset + gap.length))
            knownFromStart = false
        case .ignoring:
            break
        }
    }

    /// At the end of the connection: whatever is left undecoded, then `closed` if it was HTTP/2.
    public mutating func finish(_ end: StreamEnd, into events: inout [HTTP2Event]) {
        let position = end.position(.clientToServer)
        for direction in Direction.allCases {
            if case var .frames(decoder) = sides[direction.rawValue].reader {
                while case var .skipped(skip)? = decoder.finish() {
                    skip.packet = position.packet
                    events.append(.skipped(id, direction, skip))
                }
                sides[direction.rawValue].reader = .frames(decoder)
            }
            if case let .sniffing(buffer, _) = sides[direction.rawValue].reader, !buffer.isEmpty, other == nil, detection == nil {
                other = .unknown
                events.append(.other(id, .unknown, packet: position.packet))
            }
        }
        if isHTTP2 { events.append(.closed(id, packet: end.lastPacket, time: end.time)) }
    }

    // MARK: - Recognising the protocol

    private mutating func sniff(_ direction: Direction, _ position: StreamPosition, into events: inout [HTTP2Event]) {
        guard case let .sniffing(buffer, start) = sides[direction.rawValue].reader else { return }
        let bytes = buffer[...]
        if direction == .clientToServer, start == 0, detection == nil || detection == .midStream && !clientSideSeen {
            switch StreamSniffer.sniffClient(bytes) {
            case .needMoreBytes:
                return
            case .http2Preface:
                detect(.priorKnowledge, position, &events)
                events.append(.preface(id, offset: 0, packet: position.packet, time: position.time))
                startFrames(direction, at: Int64(StreamSniffer.http2Preface.count), with: buffer, from: start, position, &events)
                return
            case let .http1Request(length, bodyLength, upgradeH2C):
                guard upgradeH2C else { return markOther(.http1, position, &events) }
                upgradePending = true
                // After the request (and its body) the client sends the preface, then frames.
                let prefaceStart = Int64(length + bodyLength)
                sides[direction.rawValue].reader = .skipping(until: prefaceStart + Int64(StreamSniffer.http2Preface.count), then: FrameDecoder(startOffset: prefaceStart + Int64(StreamSniffer.http2Preface.count)))
                let tail = bytes.dropFirst(Int(prefaceStart + Int64(StreamSniffer.http2Preface.count) - start))
                if !tail.isEmpty { receive(tail, at: prefaceStart + Int64(StreamSniffer.http2Preface.count), position, into: &events) }
                return
            case .tls, .other:
                break  // perhaps joined mid-way: search for frames
            }
        }
        if direction == .serverToClient, upgradePending, start == 0 {
            switch StreamSniffer.sniffServerUpgrade(bytes) {
            case .needMoreBytes: return
            case let .switchingProtocols(length):
                detect(.h2cUpgrade, position, &events)
                // RFC 7540 §3.2: the upgrade request becomes stream 1, half-closed from the client.
                _ = streams.apply(.headers, endStream: true, stream: 1, fromClient: true, knownFromStart: true)
                startFrames(direction, at: Int64(length), with: buffer, from: start, position, &events)
            case .other:
                markOther(.http1, position, &events)
            }
            return
        }
        if other != nil { sides[direction.rawValue].reader = .ignoring; return }
        // No preface where the stream starts: look for frames (the server's side of a
        // prior-knowledge connection, or a connection joined mid-way).
        var decoder = FrameDecoder(searching: true, startOffset: start)
        decoder.append(bytes, at: start)
        if direction == .serverToClient, start == 0 { serverFromStart = true }
        if detection == nil, start != 0 || direction == .clientToServer { knownFromStart = false }
        if !knownFromStart { joinedMidway() }
        sides[direction.rawValue].reader = .frames(decoder)
        drain(direction, position, into: &events)
    }

    /// The connection's start was not captured: windows are unknown and the HPACK tables hold
    /// entries never seen.
    private mutating func joinedMidway() {
        knownFromStart = false
        for side in sides.indices {
            sides[side].windows.known = false
            sides[side].headerBlocks.joinedMidway()
        }
    }

    private mutating func startFrames(_ direction: Direction, at offset: Int64, with buffer: [UInt8], from start: Int64,
                                      _ position: StreamPosition, _ events: inout [HTTP2Event]) {
        var decoder = FrameDecoder(startOffset: offset)
        let consumed = Int(offset - start)
        if consumed < buffer.count { decoder.append(buffer[consumed...], at: offset) }
        sides[direction.rawValue].reader = .frames(decoder)
        drain(direction, position, into: &events)
    }

    private mutating func detect(_ how: HTTP2Detection, _ position: StreamPosition, _ events: inout [HTTP2Event]) {
        guard detection == nil || (detection == .midStream && how != .midStream) else { return }
        detection = how
        events.append(.detected(id, how, packet: position.packet))
    }

    private mutating func markOther(_ kind: OtherProtocol, _ position: StreamPosition, _ events: inout [HTTP2Event]) {
        other = kind
        for side in sides.indices { sides[side].reader = .ignoring }
        events.append(.other(id, kind, packet: position.packet))
    }

    // MARK: - Frames

    private mutating func drain(_ direction: Direction, _ position: StreamPosition, into events: inout [HTTP2Event]) {
        guard case var .frames(decoder) = sides[direction.rawValue].reader else { return }
        sides[direction.rawValue].reader = .ignoring
        drain(&decoder, direction, position, into: &events)
        sides[direction.rawValue].reader = .frames(decoder)
    }

    /// The frames `decoder` (taken out of its direction's reader) has, annotated.
    private mutating func drain(_ decoder: inout FrameDecoder, _ direction: Direction, _ position: StreamPosition, into events: inout [HTTP2Event]) {
        while let output = decoder.next() {
            switch output {
            case let .frame(frame):
                // A server's frames from the very start of its stream wait for the client's
                // preface to say how HTTP/2 was reached; anything else was joined mid-way.
                if detection == nil, !(direction == .serverToClient && serverFromStart && knownFromStart && !clientSideSeen) {
                    detect(.midStream, position, &events)
                    joinedMidway()
                }
                var record = FrameRecord(connection: id, direction: direction, packet: position.packet, time: position.time,
                                         frame: frame, annotations: [], violations: frame.problems, headerBlock: nil)
                annotate(&record, position)
                if exchanges == nil {
                    events.append(.frame(record))
                } else {
                    framesGathered += 1
                    violationsGathered += record.violations.count
                    record.exchangeEvents(into: &exchanges!)
                }
            case var .skipped(skip):
                skip.packet = position.packet
                events.append(.skipped(id, direction, skip))
            }
        }
    }
}
