import Analysis
import ByteStream
import WireCore

/// Everything a report page shows, settled once the capture has been read: calls numbered in
/// order of start and laid out in rows, per-method and error tables, and the flow-control stalls.
public struct Report {
    /// The page's title: the capture's name.
    public var title: String
    var statistics: CaptureStatistics
    var connections: [ReportConnection]
    var calls: [ReportCall]
    /// The calls' details, deflated.
    var details: DetailChunks
    /// The row of each call in its connection's lane (same order as `calls`).
    var rows: [Int]
    var decodedCalls: Int
    var diagnostics: [(code: String, count: Int, first: String)]
    var methods: [MethodSummary]
    var errors: [ErrorGroup]
    /// Times are written relative to this: the capture's first packet.
    var origin: Timestamp
    /// The filter the calls were chosen with, as the user gave it (empty: every call).
    var filterText: String

    /// The longest stalls of the whole capture, with their connection.
    static let listedStalls = 20

    public init(_ collector: ReportCollector, statistics: CaptureStatistics, title: String, filterText: String = "") {
        self.title = title
        self.statistics = statistics
        self.filterText = filterText
        var connections = collector.connections
        var calls = collector.calls
        details = collector.details
        details.finish()
        // The stalls of connections still open when the capture ended end with it.
        let last = statistics.lastTime ?? calls.map(\.end).max() ?? .zero
        for index in connections.indices where connections[index].summary == nil { connections[index].stalls.finish(at: last) }
        calls.sort { ($0.start, $0.connection, $0.stream) < ($1.start, $1.connection, $1.stream) }
        for index in calls.indices { calls[index].id = index + 1 }
        rows = Array(repeating: 0, count: calls.count)
        var byConnection: [Int: [Int]] = [:]
        for (index, call) in calls.enumerated() { byConnection[call.connection, default: []].append(index) }
        for (_, members) in byConnection {
            for (member, row) in zip(members, TimelineLayout.rows(members.map { (calls[$0].start, calls[$0].end) })) { rows[member] = row }
        }
        origin = statistics.firstTime ?? calls.first?.start ?? .zero
        self.connections = connections
        self.calls = calls
        decodedCalls = collector.decodedCalls
        diagnostics = collector.diagnostics.map { ($0.key, $0.value.count, $0.value.first) }.sorted { $0.code < $1.code }
        methods = MethodSummary.table(calls)
        errors = ErrorGroup.groups(calls)
    }

    /// Calls on the page.
    public var callCount: Int { calls.count }

    /// The call id of each (connection, stream).
    func callIDs() -> [Int: [UInt32: Int]] {
        var ids: [Int: [UInt32: Int]] = [:]
        for call in calls { ids[call.connection, default: [:]][call.stream] = call.id }
        return ids
    }

    /// Every connection's stalls with the call each held up, longest first (`ids`: `callIDs()`).
    func stalls(ids: [Int: [UInt32: Int]]) -> [(connection: Int, stall: FlowStall, call: Int?)] {
        connections.flatMap { connection in
            connection.stalls.stalls.map { (connection.index, $0, ids[connection.index]?[$0.blockedStream]) }
        }.sorted { $0.stall.durationNanoseconds > $1.stall.durationNanoseconds
            || $0.stall.durationNanoseconds == $1.stall.durationNanoseconds && ($0.connection, $0.stall.start) < ($1.connection, $1.stall.start) }
    }

    /// Microseconds since the capture's first packet.
    func micros(_ time: Timestamp) -> Int64 { time.nanoseconds(since: origin) / 1_000 }
}
