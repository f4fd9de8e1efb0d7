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
    var streams: [UInt32: Int64] = [:]
    /// The receiver's SETTINGS_INITIAL_WINDOW_SIZE for new streams.
    var initialStreamWindow: Int64 = defaultInitial
    /// When the connection window, or a stream's, ran out (for "blocked for …").
    var connectionBlockedSince: (Timestamp, Int)?
    var streamBlockedSince: [UInt32: (Timestamp, Int)] = [:]

    func window(of stream: UInt32) -> Int64 { streams[stream] ?? initialStreamWindow }

    /// DATA of `length` bytes (padding included, RFC 9113 §6.9.1) sent on `stream`.
    mutating func consume(_ length: Int, on stream: UInt32, time: Timestamp, packet: Int) -> [String] {
        let length = Int64(length)
        connection -= length
        streams[stream] = window(of: stream) - length
        guard known else { return ["flow control: \(length) bytes (windows unknown: connection joined mid-way)"] }
        var notes = ["window left: connection \(connection), stream \(streams[stream]!)"]
        if connection < 0 || streams[stream]! < 0 {
            notes.append("flow-control violation: sent past the window (FLOW_CONTROL_ERROR, RFC 9113 §6.9.1)")
        }
        if connection <= 0, connectionBlockedSince == nil {
            connectionBlockedSince = (time, packet)
            notes.append("sender blocked: connection window exhausted")
        }
        if streams[stream]! <= 0, streamBlockedSince[stream] == nil {
            streamBlockedSince[stream] = (time, packet)
            notes.append("sender blocked: stream \(stream) window exhausted")
        }
        return notes
    }

    /// A WINDOW_UPDATE from the receiver.
    mutating func update(stream: UInt32, increment: UInt32, time: Timestamp) -> (notes: [String], violation: String?) {
        let increment = Int64(increment)
        var notes: [String] = []
        var violation: String?
        if stream == 0 {
            let before = connection
            connection += increment
            if known {
                notes.append("connection window \(before) → \(connection) (+\(increment))")
                if connection > Self.maximum { violation = "connection window overflows 2^31-1 (FLOW_CONTROL_ERROR, RFC 9113 §6.9.1)" }
            } else {
                notes.append("connection window +\(increment)")
            }
            if let (since, packet) = connectionBlockedSince, connection > 0 {
                notes.append("connection unblocked after \(formatDuration(nanoseconds: time.nanoseconds(since: since))) (blocked at packet \(packet))")
                connectionBlockedSince = nil
            }
        } else {
            let before = window(of: stream)
            streams[stream] = before + increment
            if known {
                notes.append("stream \(stream) window \(before) → \(streams[stream]!) (+\(increment))")
                if streams[stream]! > Self.maximum { violation = "stream \(stream) window overflows 2^31-1 (FLOW_CONTROL_ERROR, RFC 9113 §6.9.1)" }
            } else {
                notes.append("stream \(stream) window +\(increment)")
            }
            if let (since, packet) = streamBlockedSince[stream], streams[stream]! > 0 {
                notes.append("stream \(stream) unblocked after \(formatDuration(nanoseconds: time.nanoseconds(since: since))) (blocked at packet \(packet))")
                streamBlockedSince[stream] = nil
            }
        }
        return (notes, violation)
    }

    /// RFC 9113 §6.9.2: a new SETTINGS_INITIAL_WINDOW_SIZE shifts every open stream's window by the difference.
    mutating func setInitialStreamWindow(_ value: Int64) -> String {
        let delta = value - initialStreamWindow
        initialStreamWindow = value
        for stream in streams.keys { streams[stream]! += delta }
        let negative = streams.filter { $0.value < 0 }.keys.sorted()
        var note = "initial stream window \(value - delta) → \(value), \(streams.count) open stream\(streams.count == 1 ? "" : "s") adjusted by \(delta)"
        if !negative.isEmpty { note += "; negative now: streams " + negative.map(String.init).joined(separator: ", ") }
        return note
    }

    mutating func forget(stream: UInt32) {
        streams[stream] = nil
        streamBlockedSince[stream] = nil
    }
}
