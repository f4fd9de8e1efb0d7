import ByteStream
import HTTP2
import Reassembly
import TLS
import WireCore

/// What the report keeps of one TCP connection: its ends, what TCP, TLS and HTTP/2 said about it,
/// its flow-control windows over time, and the frames of its calls until each call completes.
struct ReportConnection {
    /// The connection's place in the report (0-based, in order of first appearance).
    let index: Int
    var info: ConnectionInfo
    var summary: ConnectionSummary?
    var tls: TLSSession?
    /// What the connection carried, when it was not HTTP/2 (`HTTP/1.x`, or nothing recognised).
    var otherProtocol: String?
    var http2Detection: String?
    var violations = 0
    /// The first few problems found (HTTP/2 rules broken, HPACK errors), as text.
    var problems: [String] = []
    var flow: [FlowPoint] = []
    /// Flow-control changes left out of the chart past `maxFlowPoints` (stalls still counted).
    var flowPointsOmitted = 0
    var stalls = FlowStalls()
    /// Frames of streams whose call has not been reported yet.
    var pendingFrames: [UInt32: [ReportFrame]] = [:]
    var framesOmitted: [UInt32: Int] = [:]
    /// Streams whose call was reported lately: frames after it (a WINDOW_UPDATE, an RST_STREAM
    /// once the call is over) are not kept for a call that will not come.
    private var finishedStreams: Set<UInt32> = []
    /// The same streams, oldest first from `finishedNext` (a ring).
    private var finishedOrder: [UInt32] = []
    private var finishedNext = 0
    var calls = 0

    static let maxProblems = 20
    static let maxFlowPoints = 20_000
    static let maxFramesPerCall = 200
    /// Streams whose frames are held at once (their calls not reported yet); past it the oldest's
    /// are dropped (streams that never make a call, a flood of them).
    static let maxPendingStreams = 10_000
    static let rememberedFinishedStreams = 4_096

    init(index: Int, info: ConnectionInfo) {
        self.index = index
        self.info = info
    }

    mutating func add(problem: String) {
        violations += 1
        if problems.count < Self.maxProblems { problems.append(problem) }
    }

    mutating func add(_ record: FrameRecord) {
        for violation in record.violations { add(problem: "packet \(record.packet): \(violation.message)") }
        if let reading = record.flow {
            let point = FlowPoint(time: record.time, reading: reading, stream: record.frame.streamID,
                                  isData: record.frame.type == .data)
            stalls.follow(point)
            if flow.count < Self.maxFlowPoints { flow.append(point) } else { flowPointsOmitted += 1 }
        }
        let stream = record.frame.streamID
        guard stream != 0, !finishedStreams.contains(stream) else { return }
        if pendingFrames[stream] == nil, pendingFrames.count >= Self.maxPendingStreams, let oldest = pendingFrames.keys.min() {
            pendingFrames[oldest] = nil
            framesOmitted[oldest] = nil
        }
        if pendingFrames[stream, default: []].count < Self.maxFramesPerCall {
            pendingFrames[stream, default: []].append(ReportFrame(record))
        } else {
            framesOmitted[stream, default: 0] += 1
        }
    }

    /// The frames kept for `stream`'s call, and how many more there were; forgotten here.
    mutating func takeFrames(of stream: UInt32) -> (frames: [ReportFrame], omitted: Int) {
        defer {
            pendingFrames[stream] = nil
            framesOmitted[stream] = nil
            finishedStreams.insert(stream)
            if finishedOrder.count < Self.rememberedFinishedStreams {
                finishedOrder.append(stream)
            } else {
                finishedStreams.remove(finishedOrder[finishedNext])
                finishedOrder[finishedNext] = stream
                finishedNext = (finishedNext + 1) % Self.rememberedFinishedStreams
            }
        }
        return (pendingFrames[stream] ?? [], framesOmitted[stream] ?? 0)
    }
}

/// One frame of a call, as its detail lists it.
struct ReportFrame {
    var time: Timestamp
    var direction: Direction
    var type: String
    var flags: [String]
    var length: Int
    var notes: [String]

    init(_ record: FrameRecord) {
        time = record.time
        direction = record.direction
        type = record.frame.type.description
        flags = record.frame.header.flags.names(for: record.frame.type)
        length = Int(record.frame.header.length)
        notes = record.annotations + record.violations.map { "⚠ " + $0.message }
    }
}
