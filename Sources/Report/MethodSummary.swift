import GRPC

/// The per-method table of the report: calls, errors by status, latency percentiles, bytes, and
/// a latency histogram.
struct MethodSummary: Equatable {
    var method: String
    var calls = 0
    /// Calls that did not end OK (errors, incomplete, status unknown).
    var errors = 0
    var statuses: [String: Int] = [:]
    /// Nearest-rank percentiles and maximum, in nanoseconds.
    var p50: Int64 = 0, p90: Int64 = 0, p99: Int64 = 0, max: Int64 = 0
    var requestBytes = 0
    var responseBytes = 0
    /// Calls per latency bucket (`histogramEdges`).
    var histogram: [Int] = []

    /// Upper bounds of the histogram's buckets, in microseconds: 1-2-5 steps from 10 µs to 100 s;
    /// the last bucket holds everything longer.
    static let histogramEdges: [Int64] = (1...8).flatMap { exponent -> [Int64] in
        let decade = Int64(pow10(exponent))
        return [decade, 2 * decade, 5 * decade]
    }

    private static func pow10(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { value, _ in value * 10 } }

    /// One row per method, in name order.
    static func table(_ calls: [ReportCall]) -> [MethodSummary] {
        var byMethod: [String: [ReportCall]] = [:]
        for call in calls { byMethod[call.method, default: []].append(call) }
        return byMethod.keys.sorted().map { summarise($0, byMethod[$0]!) }
    }

    static func summarise(_ method: String, _ calls: [ReportCall]) -> MethodSummary {
        var summary = MethodSummary(method: method)
        summary.calls = calls.count
        summary.histogram = Array(repeating: 0, count: histogramEdges.count + 1)
        var latencies: [Int64] = []
        latencies.reserveCapacity(calls.count)
        for call in calls {
            summary.statuses[call.statusName, default: 0] += 1
            if call.status != .ok { summary.errors += 1 }
            summary.requestBytes += call.requestBytes
            summary.responseBytes += call.responseBytes
            let latency = call.latencyNanoseconds
            latencies.append(latency)
            let micros = latency / 1_000
            summary.histogram[histogramEdges.firstIndex { micros < $0 } ?? histogramEdges.count] += 1
        }
        latencies.sort()
        summary.p50 = percentile(latencies, 50)
        summary.p90 = percentile(latencies, 90)
        summary.p99 = percentile(latencies, 99)
        summary.max = latencies.last ?? 0
        return summary
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Int64], _ p: Int) -> Int64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Swift.max(1, Int((Double(p) / 100 * Double(sorted.count)).rounded(.up)))
        return sorted[Swift.min(rank, sorted.count) - 1]
    }
}

/// Failed calls grouped by status and grpc-message, largest group first.
struct ErrorGroup: Equatable {
    var status: String
    var code: Int?
    var message: String
    /// Ids of the calls in the group, in order.
    var calls: [Int]

    static func groups(_ calls: [ReportCall]) -> [ErrorGroup] {
        var groups: [String: ErrorGroup] = [:]
        var order: [String] = []
        for call in calls where call.status != .ok {
            let message = call.statusMessage ?? ""
            let key = call.statusName + "\u{0}" + message
            if groups[key] == nil {
                order.append(key)
                groups[key] = ErrorGroup(status: call.statusName, code: call.status.map { Int($0.rawValue) }, message: message, calls: [])
            }
            groups[key]!.calls.append(call.id)
        }
        return order.map { groups[$0]! }.enumerated()
            .sorted { $0.element.calls.count > $1.element.calls.count || $0.element.calls.count == $1.element.calls.count && $0.offset < $1.offset }
            .map(\.element)
    }
}
