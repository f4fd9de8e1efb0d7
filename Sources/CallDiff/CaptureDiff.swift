import GRPC
import Protobuf
import Render
import Schema
import WireCore

/// How two captures are compared (`grpcdump diff`, docs/diff.md).
public struct DiffOptions: Sendable {
    /// Header, metadata and trailer names left out of the comparison (lowercase).
    public var ignoredHeaders: Set<String> = []
    /// Message field paths left out: shell globs against the full path (`response[*].created_at`),
    /// the path without indices (`response.users.email`), or a bare field name (`created_at`).
    public var ignoredFields: [String] = []
    /// A latency change is reported when it is over this percentage and over `latencyFloor`.
    public var latencyThresholdPercent = 50.0
    public var latencyFloorNanoseconds: Int64 = 1_000_000
    /// Pair calls of a method by this request field (a path in the first request message,
    /// e.g. `id` or `user.id`) instead of by their order.
    public var key: String?
    public var types: MessageTypes?

    public init() {}
}

/// Two captures' calls paired and compared.
public struct CaptureDiff: Sendable {
    public struct Pair: Sendable {
        public var method: String
        /// What paired them: `#3` (the third call of the method) or `id=42` with `--key`.
        public var label: String
        public var a: GRPCCall
        public var b: GRPCCall
        public var changes: [ValueChange]
    }

    /// A call with no partner in the other capture.
    public struct Unpaired: Sendable {
        public var label: String
        public var call: GRPCCall
    }

    public var pairs: [Pair] = []
    public var onlyInA: [Unpaired] = []
    public var onlyInB: [Unpaired] = []
    public var isSame: Bool { onlyInA.isEmpty && onlyInB.isEmpty && pairs.allSatisfy(\.changes.isEmpty) }

    public static func compare(_ a: [GRPCCall], _ b: [GRPCCall], options: DiffOptions) -> CaptureDiff {
        let comparer = CallComparer(options: options)
        var diff = CaptureDiff()
        let left = comparer.keyed(a), right = comparer.keyed(b)
        var unmatched = Dictionary(grouping: right.indices, by: { right[$0].key })
        for (key, call) in left {
            if var candidates = unmatched[key], !candidates.isEmpty {
                let match = candidates.removeFirst()
                unmatched[key] = candidates
                diff.pairs.append(Pair(method: key.method, label: key.label, a: call, b: right[match].call, changes: comparer.changes(call, right[match].call)))
            } else {
                diff.onlyInA.append(Unpaired(label: key.label, call: call))
            }
        }
        let leftover = Set(unmatched.values.flatMap { $0 })
        diff.onlyInB = right.indices.filter { leftover.contains($0) }.map { Unpaired(label: right[$0].key.label, call: right[$0].call) }
        return diff
    }

    /// Calls already paired (a call and the same call sent again), compared; each pair labelled
    /// as `compare` would label its first call (`#3`: the third call of its method to start).
    public static func compare(pairs: [(a: GRPCCall, b: GRPCCall)], options: DiffOptions) -> CaptureDiff {
        let comparer = CallComparer(options: options)
        var labels = [String](repeating: "", count: pairs.count)
        var seen: [String: Int] = [:]
        for index in pairs.indices.sorted(by: { (pairs[$0].a.start, $0) < (pairs[$1].a.start, $1) }) {
            seen[pairs[index].a.path ?? "stream", default: 0] += 1
            labels[index] = "#\(seen[pairs[index].a.path ?? "stream"]!)"
        }
        var diff = CaptureDiff()
        diff.pairs = pairs.indices.map { index in
            let (a, b) = pairs[index]
            return Pair(method: a.path ?? "stream", label: labels[index], a: a, b: b, changes: comparer.changes(a, b))
        }
        return diff
    }
}

struct PairingKey: Hashable {
    var method: String
    var label: String
}

/// The comparison of two calls of the same method.
struct CallComparer {
    let options: DiffOptions

    /// Calls in start order with their pairing keys: the n-th call of its method, or its key field's value.
    func keyed(_ calls: [GRPCCall]) -> [(key: PairingKey, call: GRPCCall)] {
        var seen: [PairingKey: Int] = [:]
        return calls.sorted { $0.start < $1.start }.map { call in
            let method = call.path ?? "stream"
            var label = ""
            if let key = options.key {
                let value = call.requests.first.flatMap { messageValue($0, call: call, isRequest: true) }.flatMap { Self.lookup(key, in: $0) }
                label = key + "=" + (value.map(ValueDiff.text) ?? "(absent)")
            }
            let base = PairingKey(method: method, label: label)
            seen[base, default: 0] += 1
            let ordinal = "#\(seen[base]!)"
            return (PairingKey(method: method, label: label.isEmpty ? ordinal : label + " " + ordinal), call)
        }
    }

    static func lookup(_ path: String, in value: ProtoValue) -> ProtoValue? {
        var current = value
        for name in path.split(separator: ".") {
            guard case let .object(members) = current, let member = members.first(where: { $0.name == name || $0.jsonName == name }) else { return nil }
            current = member.value
        }
        return current
    }

    func changes(_ a: GRPCCall, _ b: GRPCCall) -> [ValueChange] {
        var changes: [ValueChange] = []
        if Self.comparedStatus(a) != Self.comparedStatus(b) { changes.append(ValueChange(path: "status", old: Self.status(a), new: Self.status(b))) }
        changes += headers("request header ", a.requestHeaders, b.requestHeaders)
        changes += headers("response header ", a.trailersOnly ? [] : a.responseHeaders, b.trailersOnly ? [] : b.responseHeaders)
        changes += headers("trailer ", a.trailers, b.trailers)
        changes += messages("request", a.requests, b.requests, a, b, isRequest: true)
        changes += messages("response", a.responses, b.responses, a, b, isRequest: false)
        if let latency = latency(a.latencyNanoseconds, b.latencyNanoseconds) { changes.append(latency) }
        return changes
    }

    static func status(_ call: GRPCCall) -> String {
        guard let status = call.status else { return call.incomplete ? "INCOMPLETE" : "none" }
        return status.code.description + (status.message.map { " " + RawTreeText.quoted($0) } ?? "")
    }

    /// What two calls' statuses are compared by: the status as shown, except when grpcdump
    /// derived it from the client's reset at its deadline. That message gives the deadline,
    /// which is the grpc-timeout header's, compared (or left out with `--ignore-header`) there.
    static func comparedStatus(_ call: GRPCCall) -> String {
        if let status = call.status, status.source == .reset, status.code == .deadlineExceeded { return "DEADLINE_EXCEEDED at the client's deadline" }
        return status(call)
    }

    func headers(_ prefix: String, _ a: [(name: String, value: String)], _ b: [(name: String, value: String)]) -> [ValueChange] {
        func grouped(_ list: [(name: String, value: String)]) -> (order: [String], values: [String: [String]]) {
            var order: [String] = [], values: [String: [String]] = [:]
            for (name, value) in list where !options.ignoredHeaders.contains(name.lowercased()) {
                if values[name] == nil { order.append(name) }
                values[name, default: []].append(value)
            }
            return (order, values)
        }
        if a.elementsEqual(b, by: ==) { return [] }
        let left = grouped(a), right = grouped(b)
        var changes: [ValueChange] = []
        var seen = Set<String>()
        for name in (left.order + right.order) where seen.insert(name).inserted {
            let old = left.values[name].map { $0.map(RawTreeText.quoted).joined(separator: ", ") }
            let new = right.values[name].map { $0.map(RawTreeText.quoted).joined(separator: ", ") }
            if old != new { changes.append(ValueChange(path: prefix + name, old: old, new: new)) }
        }
        return changes
    }

    func messages(_ direction: String, _ a: [GRPCMessage], _ b: [GRPCMessage], _ callA: GRPCCall, _ callB: GRPCCall, isRequest: Bool) -> [ValueChange] {
        var changes: [ValueChange] = []
        if a.count != b.count { changes.append(ValueChange(path: direction + "s", old: "\(a.count) messages", new: "\(b.count) messages")) }
        for index in 0..<max(a.count, b.count) {
            // The same bytes under the same method decode alike: nothing to compare.
            if index < a.count, index < b.count, callA.path == callB.path, a[index].bytes == b[index].bytes { continue }
            let old = index < a.count ? messageValue(a[index], call: callA, isRequest: isRequest) ?? .string("(undecodable)") : nil
            let new = index < b.count ? messageValue(b[index], call: callB, isRequest: isRequest) ?? .string("(undecodable)") : nil
            changes += ValueDiff.changes(old, new, path: "\(direction)[\(index)]").filter { !isIgnored($0.path) }
        }
        return changes
    }

    func messageValue(_ message: GRPCMessage, call: GRPCCall, isRequest: Bool) -> ProtoValue? {
        guard let bytes = message.bytes else { return nil }
        if let decoded = options.types?.decode(bytes, path: call.path, isRequest: isRequest) { return decoded.value }
        return RawValues.value(RawDecoder.decode(bytes))
    }

    func isIgnored(_ path: String) -> Bool {
        guard !options.ignoredFields.isEmpty else { return false }
        var bare = "", depth = 0
        for character in path {
            if character == "[" { depth += 1 } else if character == "]" { depth -= 1 } else if depth == 0 { bare.append(character) }
        }
        let last = bare.split(separator: ".").last.map(String.init) ?? bare
        return options.ignoredFields.contains { Glob.matches($0, path) || Glob.matches($0, bare) || $0 == last }
    }

    func latency(_ a: Int64, _ b: Int64) -> ValueChange? {
        let delta = b - a
        guard abs(delta) > options.latencyFloorNanoseconds, a > 0, Double(abs(delta)) / Double(a) * 100 > options.latencyThresholdPercent else { return nil }
        let percent = Int((Double(delta) / Double(a) * 100).rounded())
        return ValueChange(path: "latency", old: formatDuration(nanoseconds: a), new: formatDuration(nanoseconds: b) + " (\(percent > 0 ? "+" : "")\(percent)%)")
    }
}
