import WireCore

/// The state of one stream as seen by an observer of both peers (RFC 9113 §5.1). The RFC names
/// states from one endpoint's view; here "half-closed (client)" means the client has sent
/// END_STREAM (the server's "half-closed (remote)").
public enum StreamState: String, Sendable, Hashable {
    case idle
    case reservedByServer = "reserved (server)"
    case open
    case halfClosedClient = "half-closed (client)"
    case halfClosedServer = "half-closed (server)"
    case closed
}

/// Tracks stream states and the stream identifier rules of RFC 9113 §5.1.1, for at most
/// `maxOpenStreams` streams at once: past that, the oldest is forgotten.
struct StreamTable: Sendable {
    let maxOpenStreams: Int
    private(set) var states = StreamMap<StreamState>()
    /// Streams in the order they entered `states`, oldest from `entryHead`; streams closed since
    /// are skipped when the oldest is looked for, and dropped when the list is compacted.
    private var entryOrder: [UInt32] = []
    private var entryHead = 0
    /// The highest stream forgotten, by parity (index `stream % 2`): frames on streams up to it
    /// that are not in the table are not checked (they may be on a forgotten stream).
    private var highestForgotten: [UInt32] = [0, 0]
    private(set) var forgottenCount = 0
    /// Highest stream identifier each side has opened (clients use odd, servers even numbers).
    private var highestClientStream: UInt32 = 0
    private var highestServerStream: UInt32 = 0
    /// Streams closed so far (kept as a count; their ids are below the highest ids).
    private(set) var closedCount = 0
    /// Recently reset streams: frames the peer sent before it saw the RST_STREAM may still arrive
    /// (RFC 9113 §5.4.2), which is a race, not a violation. Bounded.
    private var resetStreams: Set<UInt32> = []

    init(maxOpenStreams: Int = HTTP2Limits.default.maxOpenStreams) {
        self.maxOpenStreams = maxOpenStreams
    }

    func state(of stream: UInt32) -> StreamState {
        if let state = states[stream] { return state }
        let highest = stream % 2 == 1 ? highestClientStream : highestServerStream
        return stream <= highest ? .closed : .idle
    }

    /// A frame of `type` from `sender` on `stream`: returns the state change (if any), any rule
    /// it breaks, and the stream forgotten to make room for this one.
    mutating func apply(_ type: FrameType, endStream: Bool, stream: UInt32, fromClient: Bool, knownFromStart: Bool)
        -> (change: (StreamState, StreamState)?, violation: String?, forgotten: UInt32?)
    {
        guard stream != 0 else { return (nil, nil, nil) }
        let before = state(of: stream)
        var after = before
        var violation: String?
        switch (type, before) {
        case (.headers, .idle):
            // RFC 9113 §5.1.1: a new stream id must be higher than all the peer opened before, and odd for clients.
            if fromClient, stream % 2 == 0 { violation = "client opened even stream \(stream) (PROTOCOL_ERROR, RFC 9113 §5.1.1)" }
            if !fromClient, stream % 2 == 1, knownFromStart { violation = "server sent HEADERS on idle stream \(stream) (PROTOCOL_ERROR, RFC 9113 §5.1)" }
            after = .open
        case (.headers, .reservedByServer) where !fromClient:
            after = .halfClosedClient
        case (.pushPromise, _):
            break  // the promised stream is handled by `reserve`
        case (.data, .idle), (.continuation, .idle):
            if knownFromStart { violation = "\(type) on idle stream \(stream) (PROTOCOL_ERROR, RFC 9113 §5.1)" }
            after = .open
        case (_, .closed) where (type == .data || type == .headers) && resetStreams.contains(stream):
            break  // arrived after RST_STREAM crossed it: RFC 9113 §5.4.2 tells the receiver to ignore it
        case (_, .closed) where stream <= highestForgotten[Int(stream % 2)]:
            break  // perhaps a forgotten stream: its state is unknown
        case (_, .closed) where type == .data || type == .headers:
            violation = "\(type) on closed stream \(stream) (STREAM_CLOSED, RFC 9113 §5.1)"
        case (.data, .halfClosedClient) where fromClient, (.headers, .halfClosedClient) where fromClient:
            violation = "client sent \(type) after END_STREAM on stream \(stream) (STREAM_CLOSED, RFC 9113 §5.1)"
        case (.data, .halfClosedServer) where !fromClient, (.headers, .halfClosedServer) where !fromClient:
            violation = "server sent \(type) after END_STREAM on stream \(stream) (STREAM_CLOSED, RFC 9113 §5.1)"
        case (.rstStream, .idle):
            violation = "RST_STREAM on idle stream \(stream) (PROTOCOL_ERROR, RFC 9113 §6.4)"
            after = .closed
        case (.rstStream, _):
            after = .closed
            if resetStreams.count >= 4096 { resetStreams.removeAll() }
            resetStreams.insert(stream)
        default:
            break
        }
        if type == .headers || type == .data, endStream, after != .closed {
            switch (after, fromClient) {
            case (.open, true): after = .halfClosedClient
            case (.open, false): after = .halfClosedServer
            case (.halfClosedServer, true), (.halfClosedClient, false): after = .closed
            default: break
            }
        }
        let forgotten = record(stream, after, fromClient: fromClient)
        return (after == before ? nil : (before, after), violation, forgotten)
    }

    /// RFC 9113 §6.6: PUSH_PROMISE reserves the promised stream. Returns the stream forgotten
    /// to make room for it.
    mutating func reserve(_ stream: UInt32) -> UInt32? {
        record(stream, .reservedByServer, fromClient: false)
    }

    private mutating func record(_ stream: UInt32, _ state: StreamState, fromClient: Bool) -> UInt32? {
        if stream % 2 == 1 { highestClientStream = max(highestClientStream, stream) } else { highestServerStream = max(highestServerStream, stream) }
        if state == .closed {
            if states[stream] != nil { closedCount += 1 }
            states[stream] = nil
            return nil
        }
        guard states.updateValue(state, forKey: stream) == nil else { return nil }
        entryOrder.append(stream)
        if entryOrder.count - entryHead > 2 * max(states.count, 1024) {
            entryOrder = entryOrder[entryHead...].filter { states[$0] != nil }
            entryHead = 0
        }
        return states.count > maxOpenStreams ? forgetOldest() : nil
    }

    private mutating func forgetOldest() -> UInt32? {
        while entryHead < entryOrder.count {
            let oldest = entryOrder[entryHead]
            entryHead += 1
            guard states.removeValue(forKey: oldest) != nil else { continue }
            highestForgotten[Int(oldest % 2)] = max(highestForgotten[Int(oldest % 2)], oldest)
            forgottenCount += 1
            return oldest
        }
        return nil
    }
}
