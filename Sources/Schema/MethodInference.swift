import Protobuf

/// The method of a call whose `:path` is not known (an HPACK entry from before the capture
/// began, or HEADERS not captured), inferred from its messages: every method of the loaded
/// services whose input type reads every request and whose output type reads every response with
/// no unknown field, no wire-type contradiction and no malformed byte. The most specific fit —
/// the one whose types account for the most fields — is chosen; the others that fit are listed.
public struct MethodInference: Sendable, Hashable {
    public var path: String
    /// Other methods whose types read the messages as cleanly.
    public var alternatives: [String]
    /// Why, for `-v`.
    public var explanation: String
}

extension MessageTypes {
    /// `nil` when no method fits, or when the messages say too little to choose (every fit reads
    /// them as equally empty).
    public func inferMethod(requests: [[UInt8]], responses: [[UInt8]]) -> MethodInference? {
        guard !requests.isEmpty || !responses.isEmpty else { return nil }
        var fits: [(path: String, fields: Int, shaped: Bool)] = []
        for method in pool.allMethods {
            // More than one message a way needs a streaming side.
            if requests.count > 1, !method.clientStreaming { continue }
            if responses.count > 1, !method.serverStreaming { continue }
            guard let requestFields = fields(requests, as: method.inputType), let responseFields = fields(responses, as: method.outputType) else { continue }
            // The method whose shape is exactly the call's (unary for one message each way) is the
            // more specific; no message a way (an error, a call cut short) says nothing of that side.
            let shaped = (requests.isEmpty || method.clientStreaming == (requests.count != 1))
                && (responses.isEmpty || method.serverStreaming == (responses.count != 1))
            fits.append((method.path, requestFields + responseFields, shaped))
        }
        let ranked = fits.sorted {
            $0.fields != $1.fields ? $0.fields > $1.fields : $0.shaped != $1.shaped ? $0.shaped : $0.path < $1.path
        }
        guard let best = ranked.first else { return nil }
        let alternatives = ranked.dropFirst().map(\.path)
        if let second = ranked.dropFirst().first, second.fields == best.fields, second.shaped == best.shaped { return nil }  // nothing tells them apart
        let messages = "\(requests.count) request\(requests.count == 1 ? "" : "s") and \(responses.count) response\(responses.count == 1 ? "" : "s")"
        var explanation = "the only method of \(pool.allMethods.count) whose types read the \(messages) with no unknown field (\(best.fields) fields)"
        if !alternatives.isEmpty {
            explanation = "of \(fits.count) methods whose types read the \(messages) cleanly, the one that accounts for the most fields (\(best.fields))"
        }
        return MethodInference(path: best.path, alternatives: Array(alternatives.prefix(5)), explanation: explanation)
    }

    /// The fields `type` reads in `messages` (top-level and nested), or `nil` when one of them does
    /// not read cleanly.
    private func fields(_ messages: [[UInt8]], as type: String) -> Int? {
        var total = 0
        for bytes in messages {
            guard let decoded = decoder.decode(bytes[...], as: type), decoded.isClean, decoded.unknownFields == 0 else { return nil }
            total += Self.count(decoded.value)
        }
        return total
    }

    private static func count(_ value: ProtoValue) -> Int {
        switch value {
        case let .object(members): members.reduce(0) { $0 + 1 + count($1.value) }
        case let .list(items): items.reduce(0) { $0 + count($1) }
        case let .map(entries): entries.reduce(0) { $0 + 1 + count($1.value) }
        default: 0
        }
    }
}
