import HPACK
import Reassembly
import WireCore

/// One TCP connection seen as HTTP/2: recognises it, splits both directions into frames and keeps
/// the state that frames are annotated with — stream states, flow-control windows, SETTINGS and
/// PING acknowledgements, header blocks joined across CONTINUATION.
struct HTTP2Connection: Sendable {
    let id: ConnectionID
    /// Whether frames get their notes (`FrameRecord.annotations`); off when no view shows them.
    let describesFrames: Bool
    private(set) var detection: HTTP2Detection?
    private(set) var other: OtherProtocol?
    private var readers: [DirectionReader] = [.sniffing(buffer: [], start: 0), .sniffing(buffer: [], start: 0)]
    private var streams = StreamTable()
    /// Indexed by the sending direction's raw value.
    private var windows = [SendWindows(known: true), SendWindows(known: true)]
    /// SETTINGS_MAX_FRAME_SIZE announced by each side (limits what the *other* side sends).
    private var maxFrameSize: [Int] = [16_384, 16_384]
    /// SETTINGS sent by each side and not yet acknowledged: packet, time, values.
    private var pendingSettings: [[(packet: Int, time: Timestamp, settings: [Setting])]] = [[], []]
    /// PINGs sent by each side, by opaque data.
    private var pendingPings: [[UInt64: (packet: Int, time: Timestamp)]] = [[:], [:]]
    /// A header block in progress per sending direction.
    private var openBlocks: [HeaderBlockRecord?] = [nil, nil]
    /// HPACK decoding context per sending direction (RFC 7541 §2.2: one per direction).
    private var hpack = [HPACKDecoder(), HPACKDecoder()]
    /// Per direction: whether its decoder has decoded a block (then it keeps its state).
    private var hpackUsed = [false, false]
    private var knownFromStart = true
    private var upgradePending = false
    /// Whether any client bytes were seen (a server's frames may come first).
    private var clientSideSeen = false
    /// Whether the server's bytes were seen from the start of its stream.
    private var serverFromStart = false

    /// `handshakeSeen`: the TCP handshake was captured, so stream offset 0 is the real start of
    /// each direction; otherwise the connection was joined mid-way.
    init(id: ConnectionID, handshakeSeen: Bool, describesFrames: Bool = true) {
        self.id = id
        self.describesFrames = describesFrames
        if !handshakeSeen { joinedMidway() }
    }

    var isHTTP2: Bool { detection != nil }

    mutating func receive(_ data: StreamData, into events: inout [HTTP2Event]) {
        receive(data.bytes, at: data.offset, data.position, into: &events)
    }

    private mutating func receive(_ bytes: ArraySlice<UInt8>, at offset: Int64, _ position: StreamPosition, into events: inout [HTTP2Event]) {
        let direction = position.direction
        defer { if direction == .clientToServer { clientSideSeen = true } }
        let index = direction.rawValue
        switch readers[index] {
        case .ignoring:
            return
        case var .sniffing(buffer, start):
            if buffer.isEmpty { start = offset }
            buffer += bytes
            readers[index] = .sniffing(buffer: buffer, start: start)
            sniff(direction, position, into: &events)
        case .skipping(let until, var decoder):
            if offset + Int64(bytes.count) <= until { return }
            let skip = Int(max(0, until - offset))
            decoder.append(bytes.dropFirst(skip), at: offset + Int64(skip))
            readers[index] = .frames(decoder)
            drain(direction, position, into: &events)
        case var .frames(decoder):
            // Taken out while it grows, so that its buffer is not shared (and copied).
            readers[index] = .ignoring
            decoder.append(bytes, at: offset)
            readers[index] = .frames(decoder)
            drain(direction, position, into: &events)
        }
    }

    mutating func gap(_ gap: StreamGap, into events: inout [HTTP2Event]) {
        let index = gap.position.direction.rawValue
        switch readers[index] {
        case var .frames(decoder):
            decoder.gap(at: gap.offset, length: gap.length)
            readers[index] = .frames(decoder)
            drain(gap.position.direction, gap.position, into: &events)
        case .sniffing(let buffer, _) where buffer.isEmpty:
            // Nothing seen yet: the stream simply starts later; search for frames from there.
            knownFromStart = false
            readers[index] = .sniffing(buffer: [], start: gap.offset + gap.length)
        case .sniffing, .skipping:
            readers[index] = .frames(FrameDecoder(searching: true, startOffset: gap.offset + gap.length))
            knownFromStart = false
        case .ignoring:
            break
        }
    }

    /// At the end of the connection: whatever is left undecoded.
    mutating func finish(_ position: StreamPosition, into events: inout [HTTP2Event]) {
        for direction in Direction.allCases {
            var at = position
            at.direction = direction
            if case var .frames(decoder) = readers[direction.rawValue] {
                while case let .skipped(span, reason)? = decoder.finish() {
                    events.append(.skipped(id, direction, span, reason: reason, packet: position.packet))
                }
                readers[direction.rawValue] = .frames(decoder)
            }
            if case let .sniffing(buffer, _) = readers[direction.rawValue], !buffer.isEmpty, other == nil, detection == nil {
                other = .unknown
                events.append(.other(id, .unknown, packet: position.packet))
            }
        }
    }

    // MARK: - Recognising the protocol

    private mutating func sniff(_ direction: Direction, _ position: StreamPosition, into events: inout [HTTP2Event]) {
        guard case let .sniffing(buffer, start) = readers[direction.rawValue] else { return }
        let bytes = buffer[...]
        if direction == .clientToServer, start == 0, detection == nil || detection == .midStream && !clientSideSeen {
            switch ProtocolSniffer.sniffClient(bytes) {
            case .needMoreBytes:
                return
            case .http2Preface:
                detect(.priorKnowledge, position, &events)
                events.append(.preface(id, offset: 0, packet: position.packet, time: position.time))
                startFrames(direction, at: Int64(ProtocolSniffer.preface.count), with: buffer, from: start, position, &events)
                return
            case .tls:
                markOther(.tls, position, &events)
                return
            case let .http1Request(length, bodyLength, upgradeH2C):
                guard upgradeH2C else { return markOther(.http1, position, &events) }
                upgradePending = true
                // After the request (and its body) the client sends the preface, then frames.
                let prefaceStart = Int64(length + bodyLength)
                readers[direction.rawValue] = .skipping(until: prefaceStart + Int64(ProtocolSniffer.preface.count), then: FrameDecoder(startOffset: prefaceStart + Int64(ProtocolSniffer.preface.count)))
                let tail = bytes.dropFirst(Int(prefaceStart + Int64(ProtocolSniffer.preface.count) - start))
                if !tail.isEmpty { receive(tail, at: prefaceStart + Int64(ProtocolSniffer.preface.count), position, into: &events) }
                return
            case .other:
                break  // perhaps joined mid-way: search for frames
            }
        }
        if direction == .serverToClient, upgradePending, start == 0 {
            switch ProtocolSniffer.sniffServerUpgrade(bytes) {
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
        if other != nil { readers[direction.rawValue] = .ignoring; return }
        // No preface where the stream starts: look for frames (the server's side of a
        // prior-knowledge connection, or a connection joined mid-way).
        var decoder = FrameDecoder(searching: true, startOffset: start)
        decoder.append(bytes, at: start)
        if direction == .serverToClient, start == 0 { serverFromStart = true }
        if detection == nil, start != 0 || direction == .clientToServer { knownFromStart = false }
        if !knownFromStart { joinedMidway() }
        readers[direction.rawValue] = .frames(decoder)
        drain(direction, position, into: &events)
    }

    /// The connection's start was not captured: windows are unknown and the HPACK tables hold
    /// entries never seen.
    private mutating func joinedMidway() {
        knownFromStart = false
        windows = windows.map { var w = $0; w.known = false; return w }
        for side in 0..<2 where !hpackUsed[side] { hpack[side] = HPACKDecoder(startsMidConnection: true) }
    }

    private mutating func startFrames(_ direction: Direction, at offset: Int64, with buffer: [UInt8], from start: Int64,
                                      _ position: StreamPosition, _ events: inout [HTTP2Event]) {
        var decoder = FrameDecoder(startOffset: offset)
        let consumed = Int(offset - start)
        if consumed < buffer.count { decoder.append(buffer[consumed...], at: offset) }
        readers[direction.rawValue] = .frames(decoder)
        drain(direction, position, into: &events)
    }

    private mutating func detect(_ how: HTTP2Detection, _ position: StreamPosition, _ events: inout [HTTP2Event]) {
        guard detection == nil || (detection == .midStream && how != .midStream) else { return }
        detection = how
        events.append(.detected(id, how, packet: position.packet))
    }

    private mutating func markOther(_ kind: OtherProtocol, _ position: StreamPosition, _ events: inout [HTTP2Event]) {
        other = kind
        readers = [.ignoring, .ignoring]
        events.append(.other(id, kind, packet: position.packet))
    }

    // MARK: - Frames

    private mutating func drain(_ direction: Direction, _ position: StreamPosition, into events: inout [HTTP2Event]) {
        guard case var .frames(decoder) = readers[direction.rawValue] else { return }
        readers[direction.rawValue] = .ignoring
        while let output = decoder.next() {
            switch output {
            case let .frame(frame):
                // A server's frames from the very start of its stream wait for the client's
                // preface to say how HTTP/2 was reached; anything else was joined mid-way.
                if detection == nil, !(direction == .serverToClient && serverFromStart && knownFromStart && !clientSideSeen) {
                    detect(.midStream, position, &events)
                    joinedMidway()
                }
                events.append(.frame(annotate(frame, direction, position)))
            case let .skipped(span, reason):
                events.append(.skipped(id, direction, span, reason: reason, packet: position.packet))
            }
        }
        readers[direction.rawValue] = .frames(decoder)
    }

    private mutating func annotate(_ frame: Frame, _ direction: Direction, _ position: StreamPosition) -> FrameRecord {
        let sender = direction.rawValue, receiver = direction.reversed.rawValue
        let fromClient = direction == .clientToServer
        var record = FrameRecord(connection: id, direction: direction, packet: position.packet, time: position.time,
                                 frame: frame, annotations: [], violations: frame.problems, headerBlock: nil)
        func violation(_ code: String, _ message: String) {
            record.violations.append(Diagnostic(.http2, code, .warning, message, packet: position.packet,
                                                span: ByteSpan(start: Int(frame.streamOffset), count: frame.wireLength)))
        }
        // RFC 9113 §4.2: no frame may exceed the receiver's SETTINGS_MAX_FRAME_SIZE.
        if frame.header.length > maxFrameSize[receiver] {
            violation("http2.frame-size", "\(frame.header.length)-byte payload exceeds the peer's SETTINGS_MAX_FRAME_SIZE \(maxFrameSize[receiver]) (FRAME_SIZE_ERROR, RFC 9113 §4.2)")
        }
        // RFC 9113 §6.10: a header block's CONTINUATION frames must follow it immediately.
        if let open = openBlocks[sender], frame.type != .continuation || frame.streamID != open.stream {
            violation("http2.continuation.expected", "expected CONTINUATION for the header block of stream \(open.stream), got \(frame.type) on stream \(frame.streamID) (PROTOCOL_ERROR, RFC 9113 §6.10)")
            openBlocks[sender] = nil
        }
        let endStream = frame.header.flags.contains(.endStream)
        var notes = FrameNotes(enabled: describesFrames)
        switch frame.content {
        case let .data(_, data):
            // Windows first: closing the stream forgets its window.
            if let overrun = windows[sender].consume(frame.header.length, on: frame.streamID, time: position.time, packet: position.packet, notes: &notes) {
                violation("http2.flow-control.exceeded", overrun)
            }
            applyStream(&record, &notes, .data, endStream: endStream, fromClient: fromClient)
            if frame.header.length != data.count { notes.add("\(data.count) data bytes, \(frame.header.length - data.count) of padding and pad length") }
        case let .headers(_, priority, fragment):
            applyStream(&record, &notes, .headers, endStream: endStream, fromClient: fromClient)
            if let priority { notes.add(Self.describe(priority)) }
            if windows[sender].streams[frame.streamID] == nil { windows[sender].streams[frame.streamID] = windows[sender].initialStreamWindow }
            if windows[receiver].streams[frame.streamID] == nil { windows[receiver].streams[frame.streamID] = windows[receiver].initialStreamWindow }
            startBlock(&record, .headers, fragment, sender: sender)
        case let .continuation(fragment):
            if var open = openBlocks[sender], open.stream == frame.streamID {
                open.bytes += fragment
                open.frames += 1
                openBlocks[sender] = open
                if frame.header.flags.contains(.endHeaders) { finishBlock(&record, sender: sender) }
            } else {
                violation("http2.continuation.unexpected", "CONTINUATION on stream \(frame.streamID) without a header block in progress (PROTOCOL_ERROR, RFC 9113 §6.10)")
            }
        case let .pushPromise(_, promised, fragment):
            if fromClient { violation("http2.push-promise.client", "client sent PUSH_PROMISE (PROTOCOL_ERROR, RFC 9113 §8.4)") }
            streams.reserve(promised)
            notes.add("promises stream \(promised)")
            startBlock(&record, .pushPromise, fragment, sender: sender)
        case let .priority(info):
            notes.add(Self.describe(info))
        case let .rstStream(code):
            applyStream(&record, &notes, .rstStream, endStream: false, fromClient: fromClient)
            notes.add("error \(code)")
            windows[0].forget(stream: frame.streamID)
            windows[1].forget(stream: frame.streamID)
        case let .settings(settings):
            if frame.header.flags.contains(.ack) {
                if pendingSettings[receiver].isEmpty {
                    notes.add("acknowledges no outstanding SETTINGS")
                } else {
                    let acked = pendingSettings[receiver].removeFirst()
                    notes.add("acknowledges SETTINGS of packet \(acked.packet) after \(formatDuration(nanoseconds: position.time.nanoseconds(since: acked.time)))")
                    // RFC 7541 §4.2, RFC 9113 §6.5.2: once acknowledged, the peer's
                    // SETTINGS_HEADER_TABLE_SIZE bounds the table of what this side sends.
                    if let size = acked.settings.last(where: { $0.parameter == .headerTableSize }) {
                        hpack[sender].setMaxTableSize(Int(size.value))
                        notes.add("HPACK table for \(direction) now limited to \(size.value) bytes")
                    }
                }
            } else {
                pendingSettings[sender].append((position.packet, position.time, settings))
                for setting in settings {
                    notes.add("\(setting.parameter) = \(setting.value)")
                    switch setting.parameter {
                    case .initialWindowSize where setting.value <= 0x7FFF_FFFF:
                        // The sender's setting governs what the peer may send to it.
                        windows[receiver].setInitialStreamWindow(Int64(setting.value), notes: &notes)
                    case .maxFrameSize where (16_384...16_777_215).contains(setting.value):
                        maxFrameSize[sender] = Int(setting.value)
                    default: break
                    }
                }
                if settings.isEmpty { notes.add("no parameters (all defaults)") }
            }
        case let .ping(opaque):
            if frame.header.flags.contains(.ack) {
                if let sent = pendingPings[receiver].removeValue(forKey: opaque) {
                    notes.add("answers PING of packet \(sent.packet), round trip \(formatDuration(nanoseconds: position.time.nanoseconds(since: sent.time)))")
                } else {
                    notes.add("answers no outstanding PING")
                }
            } else {
                pendingPings[sender][opaque] = (position.packet, position.time)
            }
        case let .goaway(lastStream, code, debug):
            notes.add("last stream \(lastStream), error \(code)" + (debug.isEmpty ? "" : ", debug data \"\(String(decoding: debug, as: UTF8.self))\""))
        case let .windowUpdate(increment):
            guard increment > 0 else { break }
            // A WINDOW_UPDATE widens the window of the *other* side's sending.
            if let overflow = windows[receiver].update(stream: frame.streamID, increment: increment, time: position.time, notes: &notes) { violation("http2.flow-control.overflow", overflow) }
        case let .altsvc(origin, value):
            notes.add("origin \"\(origin)\", \(value)")
        case let .origin(origins):
            notes.add("origins: " + origins.joined(separator: ", "))
        case let .priorityUpdate(stream, value):
            notes.add("stream \(stream) priority \"\(value)\"")
        case .unknown, .malformed:
            break
        }
        record.annotations = notes.texts
        return record
    }

    private mutating func applyStream(_ record: inout FrameRecord, _ notes: inout FrameNotes, _ type: FrameType, endStream: Bool, fromClient: Bool) {
        let stream = record.frame.streamID
        let (change, problem) = streams.apply(type, endStream: endStream, stream: stream, fromClient: fromClient, knownFromStart: knownFromStart)
        if let problem {
            record.violations.append(Diagnostic(.http2, "http2.stream-state", .warning, problem, packet: record.packet,
                                                span: ByteSpan(start: Int(record.frame.streamOffset), count: record.frame.wireLength)))
        }
        if let (before, after) = change {
            notes.add("stream \(stream): \(before.rawValue) → \(after.rawValue)")
            if after == .closed {
                windows[0].forget(stream: stream)
                windows[1].forget(stream: stream)
            }
        }
    }

    private mutating func startBlock(_ record: inout FrameRecord, _ type: FrameType, _ fragment: ArraySlice<UInt8>, sender: Int) {
        openBlocks[sender] = HeaderBlockRecord(stream: record.frame.streamID, startedBy: type, bytes: Array(fragment), frames: 1)
        if record.frame.header.flags.contains(.endHeaders) { finishBlock(&record, sender: sender) }
    }

    private mutating func finishBlock(_ record: inout FrameRecord, sender: Int) {
        guard var block = openBlocks[sender] else { return }
        openBlocks[sender] = nil
        hpackUsed[sender] = true
        let decoded = hpack[sender].decode(block: block.bytes)
        block.decoded = decoded
        block.tablePartlyKnown = hpack[sender].isTablePartlyKnown
        for problem in decoded.diagnostics {
            record.violations.append(Diagnostic(.hpack, problem.code.rawValue, problem.severity,
                                                problem.message + " (at header block byte \(problem.span.lowerBound))", packet: record.packet))
        }
        record.headerBlock = block
    }

    private static func describe(_ priority: PriorityInfo) -> String {
        "depends on stream \(priority.dependency)\(priority.exclusive ? " (exclusive)" : ""), weight \(Int(priority.weight) + 1)"
    }
}
