import ByteStream
import HPACK
import HTTPExchange
import WireCore

/// The frame annotator of an HTTP/2 connection: what the connection's state says about each frame
/// (RFC 9113) — stream state changes (§5.1), flow-control windows (§6.9), SETTINGS (§6.5) and PING
/// (§6.7) matched with their acknowledgements, header blocks joined across CONTINUATION (§6.10) and
/// decoded (RFC 7541) — and the rules the frame breaks.
extension HTTP2Connection {
    /// Annotates a frame's record (made by the caller, with no notes yet) in place: a record
    /// returned would be copied out whole, three times a frame.
    mutating func annotate(_ record: inout FrameRecord, _ position: StreamPosition) {
        let direction = record.direction
        let sender = direction.rawValue, receiver = direction.reversed.rawValue
        let fromClient = direction == .clientToServer
        let header = record.frame.header, streamOffset = record.frame.streamOffset
        // RFC 9113 §4.2: no frame may exceed the receiver's SETTINGS_MAX_FRAME_SIZE.
        if header.length > sides[receiver].maxFrameSize {
            record.addViolation("http2.frame-size", "\(header.length)-byte payload exceeds the peer's SETTINGS_MAX_FRAME_SIZE \(sides[receiver].maxFrameSize) (FRAME_SIZE_ERROR, RFC 9113 §4.2)")
        }
        // RFC 9113 §6.10: a header block's CONTINUATION frames must follow it immediately.
        // (The open block's stream is asked for alone: a copy of the block kept here would make
        // every CONTINUATION copy the whole block.)
        if let openStream = sides[sender].headerBlocks.openStream, header.type != .continuation || header.streamID != openStream {
            record.addViolation("http2.continuation.expected", "expected CONTINUATION for the header block of stream \(openStream), got \(header.type) on stream \(header.streamID) (PROTOCOL_ERROR, RFC 9113 §6.10)")
            sides[sender].headerBlocks.abandon()
        }
        let endStream = header.flags.contains(.endStream)
        var notes = FrameNotes(enabled: describesFrames)
        switch record.frame.content {
        case let .data(_, data):
            // Windows first: closing the stream forgets its window.
            if let overrun = sides[sender].windows.consume(header.length, on: header.streamID, time: position.time, packet: position.packet, notes: &notes) {
                record.addViolation("http2.flow-control.exceeded", overrun)
            }
            record.flow = sides[sender].windows.reading(sender: direction, stream: header.streamID)
            applyStream(&record, &notes, .data, endStream: endStream, fromClient: fromClient)
            if header.length != data.count { notes.add("\(data.count) data bytes, \(header.length - data.count) of padding and pad length") }
        case let .headers(_, priority, fragment):
            applyStream(&record, &notes, .headers, endStream: endStream, fromClient: fromClient)
            if let priority { notes.add(Self.describe(priority)) }
            sides[sender].windows.open(stream: header.streamID)
            sides[receiver].windows.open(stream: header.streamID)
            startBlock(&record, .headers, fragment, sender: sender)
        case let .continuation(fragment):
            let limit = sides[sender].headerBlocks.maxBlockBytes
            switch sides[sender].headerBlocks.continue(stream: header.streamID, fragment: fragment, at: Int(streamOffset) + FrameHeader.size) {
            case .noOpenBlock:
                record.addViolation("http2.continuation.unexpected", "CONTINUATION on stream \(header.streamID) without a header block in progress (PROTOCOL_ERROR, RFC 9113 §6.10)")
            case .passedLimit:
                record.addViolation("http2.header-block.limit", "header block of stream \(header.streamID) passed \(limit) bytes (--max-header-block): the rest is not kept, the block is not decoded, and this direction's HPACK table is unknown after it")
            case .joined, .dropped:
                break
            }
            if header.flags.contains(.endHeaders) { finishBlock(&record, sender: sender) }
        case let .pushPromise(_, promised, fragment):
            if fromClient { record.addViolation("http2.push-promise.client", "client sent PUSH_PROMISE (PROTOCOL_ERROR, RFC 9113 §8.4)") }
            if let forgotten = streams.reserve(promised) { forget(forgotten, &record) }
            notes.add("promises stream \(promised)")
            startBlock(&record, .pushPromise, fragment, sender: sender)
        case let .priority(info):
            notes.add(Self.describe(info))
        case let .rstStream(code):
            applyStream(&record, &notes, .rstStream, endStream: false, fromClient: fromClient)
            notes.add("error \(code)")
        case let .settings(settings):
            if header.flags.contains(.ack) {
                if sides[receiver].pendingSettings.isEmpty {
                    notes.add("acknowledges no outstanding SETTINGS")
                } else {
                    let acked = sides[receiver].pendingSettings.removeFirst()
                    notes.add("acknowledges SETTINGS of packet \(acked.packet) after \(formatDuration(nanoseconds: position.time.nanoseconds(since: acked.time)))")
                    // RFC 7541 §4.2, RFC 9113 §6.5.2: once acknowledged, the peer's
                    // SETTINGS_HEADER_TABLE_SIZE bounds the table of what this side sends.
                    if let size = acked.settings.last(where: { $0.parameter == .headerTableSize }) {
                        sides[sender].headerBlocks.setMaxTableSize(Int(size.value))
                        notes.add("HPACK table for \(direction) now limited to \(size.value) bytes")
                    }
                }
            } else {
                // Bounded: a peer that never acknowledges must not grow the list (a SETTINGS flood).
                if sides[sender].pendingSettings.count >= DirectionState.maxPending { sides[sender].pendingSettings.removeFirst() }
                sides[sender].pendingSettings.append((position.packet, position.time, settings))
                for setting in settings {
                    notes.add("\(setting.parameter) = \(setting.value)")
                    switch setting.parameter {
                    case .initialWindowSize where setting.value <= 0x7FFF_FFFF:
                        // The sender's setting governs what the peer may send to it.
                        sides[receiver].windows.setInitialStreamWindow(Int64(setting.value), notes: &notes)
                    case .maxFrameSize where (16_384...16_777_215).contains(setting.value):
                        sides[sender].maxFrameSize = Int(setting.value)
                    default: break
                    }
                }
                if settings.isEmpty { notes.add("no parameters (all defaults)") }
            }
        case let .ping(opaque):
            if header.flags.contains(.ack) {
                if let sent = sides[receiver].pendingPings.removeValue(forKey: opaque) {
                    notes.add("answers PING of packet \(sent.packet), round trip \(formatDuration(nanoseconds: position.time.nanoseconds(since: sent.time)))")
                } else {
                    notes.add("answers no outstanding PING")
                }
            } else {
                notes.add(Self.describePing(opaque))
                if sides[sender].pendingPings.count >= DirectionState.maxPending, sides[sender].pendingPings[opaque] == nil,
                   let oldest = sides[sender].pendingPings.min(by: { $0.value.packet < $1.value.packet || $0.value.packet == $1.value.packet && $0.key < $1.key }) {
                    sides[sender].pendingPings[oldest.key] = nil
                }
                sides[sender].pendingPings[opaque] = (position.packet, position.time)
            }
        case let .goaway(lastStream, code, debug):
            notes.add("last stream \(lastStream), error \(code)" + (debug.isEmpty ? "" : ", debug data \"\(String(decoding: debug, as: UTF8.self))\""))
            if code == .enhanceYourCalm, debug.elementsEqual("too_many_pings".utf8) {
                // grpc-go and gRPC core close a connection so when keepalive pings come too often.
                notes.add("the client pinged more often than the server's keepalive policy allows (grpc-go: EnforcementPolicy.MinTime, 5 minutes by default; gRPC core: GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS)")
            }
        case let .windowUpdate(increment):
            guard increment > 0 else { break }
            // A WINDOW_UPDATE widens the window of the *other* side's sending.
            if let overflow = sides[receiver].windows.update(stream: header.streamID, increment: increment, time: position.time, notes: &notes) { record.addViolation("http2.flow-control.overflow", overflow) }
            record.flow = sides[receiver].windows.reading(sender: direction.reversed, stream: header.streamID)
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
    }

    private mutating func applyStream(_ record: inout FrameRecord, _ notes: inout FrameNotes, _ type: FrameType, endStream: Bool, fromClient: Bool) {
        let stream = record.frame.streamID
        let (change, problem, forgotten) = streams.apply(type, endStream: endStream, stream: stream, fromClient: fromClient, knownFromStart: knownFromStart)
        if let forgotten { forget(forgotten, &record) }
        if let problem { record.addViolation("http2.stream-state", problem) }
        if let (before, after) = change { notes.add("stream \(stream): \(before.rawValue) → \(after.rawValue)") }
        // A closed (reset, or ended by both sides) or forgotten stream keeps no window.
        if stream != 0, streams.states[stream] == nil { forgetWindows(of: stream) }
    }

    /// The stream table was full: `stream`, the oldest, is forgotten with its windows (said once
    /// per connection).
    private mutating func forget(_ stream: UInt32, _ record: inout FrameRecord) {
        forgetWindows(of: stream)
        guard streams.forgottenCount == 1 else { return }
        record.addViolation("http2.streams.limit", "\(streams.maxOpenStreams) streams open at once on this connection (--max-open-calls): stream \(stream), the oldest, is forgotten, and so is the oldest each time another opens; frames on forgotten streams are not checked")
    }

    private mutating func forgetWindows(of stream: UInt32) {
        sides[0].windows.forget(stream: stream)
        sides[1].windows.forget(stream: stream)
    }

    private mutating func startBlock(_ record: inout FrameRecord, _ type: FrameType, _ fragment: ArraySlice<UInt8>, sender: Int) {
        sides[sender].headerBlocks.begin(stream: record.frame.streamID, startedBy: type, fragment: fragment, at: Int(record.frame.streamOffset) + FrameHeader.size)
        if record.frame.header.flags.contains(.endHeaders) { finishBlock(&record, sender: sender) }
    }

    private mutating func finishBlock(_ record: inout FrameRecord, sender: Int) {
        guard let (block, _) = sides[sender].headerBlocks.finish() else { return }
        record.headerBlock = block
        for problem in block.decoded?.diagnostics ?? [] {
            record.violations.append(Diagnostic(.hpack, problem.code.rawValue, problem.severity,
                                                problem.message + " (at header block byte \(problem.span.lowerBound))", packet: record.packet))
        }
    }

    /// A PING's opaque data (RFC 9113 §6.7), and what sent it when a well-known stack's fixed
    /// data says so: grpc-go measures the bandwidth-delay product with one, and pings once before
    /// a graceful GOAWAY (google.golang.org/grpc/internal/transport: bdpPing, goAwayPing).
    static func describePing(_ opaque: UInt64) -> String {
        let text = "opaque data 0x" + Hex.string(withUnsafeBytes(of: opaque.bigEndian) { Array($0) })
        switch opaque {
        case 0x0204_1010_090E_0707: return text + " (grpc-go's bandwidth-delay estimation ping)"
        case 0x0106_0108_0003_0309: return text + " (grpc-go's ping before a graceful GOAWAY)"
        default: return text
        }
    }

    private static func describe(_ priority: PriorityInfo) -> String {
        "depends on stream \(priority.dependency)\(priority.exclusive ? " (exclusive)" : ""), weight \(Int(priority.weight) + 1)"
    }
}

extension FrameRecord {
    /// A rule the frame breaks; the diagnostic spans the whole frame.
    mutating func addViolation(_ code: String, _ message: String) {
        violations.append(Diagnostic(.http2, code, .warning, message, packet: packet,
                                     span: ByteSpan(start: Int(frame.streamOffset), count: frame.wireLength)))
    }
}
