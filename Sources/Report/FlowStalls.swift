import ByteStream
import HTTP2
import WireCore

/// A change of a sender's windows: after DATA it sent or a WINDOW_UPDATE it received.
struct FlowPoint {
    var time: Timestamp
    var reading: FlowReading
    /// The frame's stream (0: a WINDOW_UPDATE of the connection window).
    var stream: UInt32
    var isData: Bool
}

/// A period in which a sender could not send: its connection window, or a stream's, was at or
/// below zero (RFC 9113 §6.9.1), from the DATA that used it up to the WINDOW_UPDATE that opened it.
struct FlowStall: Equatable {
    var sender: Direction
    /// Whether the connection window was exhausted.
    var connectionWindow: Bool
    /// The stream whose own window was exhausted, if one was.
    var streamWindow: UInt32?
    /// The stream whose DATA exhausted the window(s): the call held up.
    var blockedStream: UInt32
    var start: Timestamp
    var end: Timestamp
    /// False when the window was still exhausted when the connection or the capture ended.
    var ended: Bool

    var durationNanoseconds: Int64 { end.nanoseconds(since: start) }

    /// Which windows ran out: "connection", "stream 3" or "connection and stream 3".
    var windows: String {
        [connectionWindow ? "connection" : nil, streamWindow.map { "stream \($0)" }].compactMap { $0 }.joined(separator: " and ")
    }
}

/// Finds the stalls in a connection's flow-control changes, as they come. Windows of a connection
/// joined mid-way are not known, so they show no stall.
struct FlowStalls {
    private struct Key: Hashable {
        var sender: Direction
        var stream: UInt32
    }

    private var open: [Key: (start: Timestamp, blockedStream: UInt32)] = [:]
    /// The longest stalls found (at most `kept` of them once there are many).
    private(set) var stalls: [FlowStall] = []
    private(set) var count = 0
    static let kept = 1_000

    mutating func follow(_ point: FlowPoint) {
        let reading = point.reading
        guard reading.known else { return }
        check(Key(sender: reading.sender, stream: 0), window: reading.connectionWindow, point)
        if let window = reading.streamWindow, point.stream != 0 {
            check(Key(sender: reading.sender, stream: point.stream), window: window, point)
        }
    }

    private mutating func check(_ key: Key, window: Int64, _ point: FlowPoint) {
        if window <= 0 {
            if open[key] == nil, point.isData { open[key] = (point.time, point.stream) }
        } else if let (start, blocked) = open.removeValue(forKey: key) {
            add(key, blockedStream: blocked, start: start, end: point.time, ended: true)
        }
    }

    /// The connection ended at `time`: windows still exhausted count as stalls to then.
    mutating func finish(at time: Timestamp) {
        for (key, (start, blocked)) in open.sorted(by: { $0.value.start < $1.value.start }) {
            add(key, blockedStream: blocked, start: start, end: max(time, start), ended: false)
        }
        open.removeAll()
    }

    /// A stall ended. The connection window and the stream's often run out with the same DATA and
    /// open at the same moment: that is one stall of both windows.
    private mutating func add(_ key: Key, blockedStream: UInt32, start: Timestamp, end: Timestamp, ended: Bool) {
        if let twin = stalls.indices.suffix(4).last(where: {
            let other = stalls[$0]
            return other.sender == key.sender && other.start == start && other.end == end && other.blockedStream == blockedStream
                && (key.stream == 0 ? !other.connectionWindow : other.streamWindow == nil)
        }) {
            if key.stream == 0 { stalls[twin].connectionWindow = true } else { stalls[twin].streamWindow = key.stream }
            return
        }
        add(FlowStall(sender: key.sender, connectionWindow: key.stream == 0, streamWindow: key.stream == 0 ? nil : key.stream,
                      blockedStream: blockedStream, start: start, end: end, ended: ended))
    }

    private mutating func add(_ stall: FlowStall) {
        count += 1
        stalls.append(stall)
        // Bounded: only the longest are listed, however many streams were held up.
        if stalls.count >= 2 * Self.kept {
            stalls.sort { $0.durationNanoseconds > $1.durationNanoseconds }
            stalls.removeLast(stalls.count - Self.kept)
        }
    }
}
