import GRPC
import Protobuf

/// `--stats`: per method, the number of calls, status counts, latency percentiles and bytes.
public struct CallStatistics: Sendable {
    struct Method: Sendable {
        var calls = 0
        var statuses: [String: Int] = [:]
        var latencies: [Int64] = []
        var requestBytes = 0
        var responseBytes = 0

        mutating func add(_ call: GRPCCall) {
            calls += 1
            statuses[call.status?.code.description ?? "INCOMPLETE", default: 0] += 1
            latencies.append(call.latencyNanoseconds)
            requestBytes += call.requests.reduce(0) { $0 + $1.declaredLength }
            responseBytes += call.responses.reduce(0) { $0 + $1.declaredLength }
        }

        mutating func merge(_ other: Method) {
            calls += other.calls
            statuses.merge(other.statuses, uniquingKeysWith: +)
            latencies += other.latencies
            requestBytes += other.requestBytes
            responseBytes += other.responseBytes
        }
    }

    private var methods: [String: Method] = [:]
    /// Calls added, all methods together.
    public private(set) var total = 0
    /// Whether each method's row is kept (for `--stats`), or only `total`: a row costs a lookup
    /// by path, a status count and a latency for every call.
    public let perMethod: Bool
    /// Rows kept, at most: a capture of a million made-up paths must not make a million rows.
    static let maxMethods = 10_000
    static let unknownMethod = "(no :path)", otherMethods = "(other methods)"

    public init(perMethod: Bool = true) {
        self.perMethod = perMethod
    }

    public mutating func add(_ call: GRPCCall) {
        total += 1
        guard perMethod else { return }
        // Updated in place: a copy taken out and stored back would copy the latencies every time.
        methods[row(call.path ?? Self.unknownMethod), default: Method()].add(call)
    }

    /// Adds the calls counted in `other` (another part of the capture, decoded apart).
    public mutating func merge(_ other: CallStatistics) {
        total += other.total
        for (name, method) in other.methods { methods[row(name), default: Method()].merge(method) }
    }

    /// The row a method is counted in: its own, unless the table is full.
    private func row(_ name: String) -> String {
        methods[name] != nil || methods.count < Self.maxMethods ? name : Self.otherMethods
    }

    /// The table, methods in name order, aligned in columns as `column -t` would print it.
    public var lines: [String] {
        guard !methods.isEmpty else { return ["no calls"] }
        // The status list, of any length, last: it would otherwise widen the columns after it.
        var rows = [["METHOD", "CALLS", "LATENCY min/median/p99/max", "BYTES req/resp", "STATUS"]]
        for name in methods.keys.sorted() {
            let method = methods[name]!
            let sorted = method.latencies.sorted()
            let statuses = method.statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let latency = [sorted.first!, Self.percentile(sorted, 50), Self.percentile(sorted, 99), sorted.last!]
                .map { formatDuration(nanoseconds: $0) }.joined(separator: "/")
            rows.append([name, String(method.calls), latency, "\(method.requestBytes)/\(method.responseBytes)", statuses])
        }
        return TextColumns.lines(rows)
    }

    /// With `--json`: one object per method, `{"stats": {...}}`, so the output stays JSON lines.
    public var jsonLines: [String] {
        methods.keys.sorted().map { name in
            let method = methods[name]!
            let sorted = method.latencies.sorted()
            var stats = JSONObject()
            stats.add("method", name)
            stats.add("calls", method.calls)
            var statuses = JSONObject()
            for (status, count) in method.statuses.sorted(by: { $0.key < $1.key }) { statuses.add(status, count) }
            stats.add("statuses", statuses)
            stats.add("latency_ns", raw: [sorted.first!, Self.percentile(sorted, 50), Self.percentile(sorted, 99), sorted.last!].map(String.init))
            stats.add("request_bytes", method.requestBytes)
            stats.add("response_bytes", method.responseBytes)
            var object = JSONObject()
            object.add("stats", stats)
            return object.text
        }
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Int64], _ p: Int) -> Int64 {
        let rank = max(1, Int((Double(p) / 100 * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}

import WireCore
