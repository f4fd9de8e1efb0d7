import ByteStream
import WireCore

/// One sender's flow-control windows (RFC 9113 §6.9): the connection window and one per stream.
/// Windows are signed: a SETTINGS_INITIAL_WINDOW_SIZE decrease can make them negative (§6.9.2).
struct SendWindows: Sendable {
    /// RFC 9113 §6.9.2: every window starts at 65,535 until SETTINGS say otherwise.
    static let defaultInitial: Int64 = 65_535
    /// RFC 9113 §6.9.1: a window must not exceed 2^31-1.
    static let maximum: Int64 = 0x7FFF_FFFF

    /// False when the connection was joined mid-way: the absolute values are unknown.
    var known: Bool
    var connection: Int64 = defaultInitial
    /// Each stream's window less `streamShift`: a new SETTINGS_INITIAL_WINDOW_SIZE shifts them
    /// all at once (a SETTINGS flood must not cost a pass over every open stream).
    private var storedStreams = StreamMap<Int64>()
    private var streamShift: Int64 = 0
    /// The receiver's SETTINGS_INITIAL_WINDOW_SIZE for new streams.
    var initialStreamWindow: Int64 = defaultInitial
    /// When the connection window, or a stream's, ran out (for "blocked for …").
    var connectionBlockedSince: (Timestamp, Int)?
    var streamBlockedSince = StreamMap<(Timestamp, Int)>()

    init(known: Bool) {
        self.known = known
    }

    func window(of stream: UInt32) -> Int64 { storedStreams[stream].map { $0 + streamShift } ?? initialStreamWindow }

    private mutating func setWindow(_ window: Int64, of stream: UInt32) {
        storedStreams[stream] = window - streamShift
    }

    /// A stream opened: its window starts at the initial one.
    mutating func open(stream: UInt32) {
        if storedStreams[stream] == nil { setWindow(initialStreamWindow, of: stream) }
    }

    /// DATA of `length` bytes (padding included, RFC 9113 §6.9.1) sent on `stream`. Returns the
    /// violation when the data went past a window.
    mutating func consume(_ length: Int, on stream: UInt32, time: Timestamp, packet: Int, notes: inout FrameNotes) -> String? {
        let length = Int64(length)
        connection -= length
        let streamWindow = window(of: stream) - length
        setWindow(streamWindow, of: stream)
        guard known else {
            notes.add("flow control: \(length) bytes (windows unknown: connection joined mid-way)")
            return nil
        }
        notes.add("window left: connection \(connection), stream \(streamWindow)")
        if connection <= 0, connectionBlockedSince == nil {
            connectionBlockedSince = (time, packet)
            notes.add("sender blocked: connection window exhausted")
        }
        if streamWindow <= 0, streamBlockedSince[stream] == nil {
            streamBlockedSince[stream] = (time, packet)
            notes.add("sender blocked: stream \(stream) window exhausted")
        }
        guard connection < 0 || streamWindow < 0 else { return nil }
        return "DATA sent past the \(connection < 0 ? "connection" : "stream \(stream)") flow-control window (FLOW_CONTROL_ERROR, RFC 9113 §6.9.1)"
    }

    /// A WINDOW_UPDATE from the receiver.
    /// Returns the violation, if the window overflows.
    mutating func update(stream: UInt32, increment: UInt32, time: Timestamp, notes: inout FrameNotes) -> String? {
        let increment = Int64(increment)
        var violation: String?
        if stream == 0 {
            let before = connection
            connection += increment
            if known {
                notes.add("connection window \(before) → \(connection) (+\(increment))")
                if connection > Self.maximum { violation = "connection window overflows 2^31-1 (FLOW_CONTROL_ERROR, RFC 9113 §6.9.1)" }
            } else {
                notes.add("connection window +\(increment)")
            }
            if let (since, packet) = connectionBlockedSince, connection > 0 {
                notes.add("connection unblocked after \(formatDuration(nanoseconds: time.nanoseconds(since: since))) (blocked at packet \(packet))")
                connectionBlockedSince = nil
            }
        } else {
            let before = window(of: stream), after = before + increment
            setWindow(after, of: stream)
            if known {
                notes.add("stream \(stream) window \(before) → \(after) (+\(increment))")
                if after > Self.maximum { violation = "stream \(stream) window overflows 2^31-1 (FLOW_CONTROL_ERROR, RFC 9113 §6.9.1)" }
            } else {
                notes.add("stream \(stream) window +\(increment)")
            }
            if let (since, packet) = streamBlockedSince[stream], after > 0 {
                notes.add("stream \(stream) unblocked after \(formatDuration(nanoseconds: time.nanoseconds(since: since))) (blocked at packet \(packet))")
                streamBlockedSince[stream] = nil
            }
        }
        return violation
    }

    /// RFC 9113 §6.9.2: a new SETTINGS_INITIAL_WINDOW_SIZE shifts every open stream's window by the difference.
    mutating func setInitialStreamWindow(_ value: Int64, notes: inout FrameNotes) {
        let delta = value - initialStreamWindow
        initialStreamWindow = value
        streamShift += delta
        notes.add({
            let negative = zip(storedStreams.keys, storedStreams.values).filter { $0.1 + streamShift < 0 }.map(\.0).sorted()
            let count = storedStreams.count
            var note = "initial stream window \(value - delta) → \(value), \(count) open stream\(count == 1 ? "" : "s") adjusted by \(delta)"
            if !negative.isEmpty {
                note += "; negative now: streams " + negative.prefix(10).map(String.init).joined(separator: ", ")
                if negative.count > 10 { note += " and \(negative.count - 10) more" }
            }
            return note
        }())
    }

    /// The windows now, as a `FlowReading` of `sender` (stream 0: the connection's alone).
    func reading(sender: Direction, stream: UInt32) -> FlowReading {
        FlowReading(sender: sender, connectionWindow: connection, streamWindow: stream == 0 ? nil : window(of: stream), known: known)
    }

    mutating func forget(stream: UInt32) {
        storedStreams[stream] = nil
        streamBlockedSince[stream] = nil
    }
}
