import GRPC
import Protobuf
import Render
import WireCore

/// A capture diff as text (like a unified diff's header, then one block per differing pair) or
/// as one JSON object.
public enum DiffReport {
    public static func lines(_ diff: CaptureDiff, nameA: String, nameB: String, callsA: Int, callsB: Int) -> [String] {
        var lines = ["--- A \(nameA): \(callsA) call\(callsA == 1 ? "" : "s")", "+++ B \(nameB): \(callsB) call\(callsB == 1 ? "" : "s")"]
        for pair in diff.pairs where !pair.changes.isEmpty {
            lines.append("\(pair.method) \(pair.label) (A \(pair.a.start.timeOfDay()), B \(pair.b.start.timeOfDay()))")
            for change in pair.changes {
                lines.append("  \(change.path): \(change.old ?? "(absent)") → \(change.new ?? "(absent)")")
            }
        }
        for (side, calls) in [("A", diff.onlyInA), ("B", diff.onlyInB)] {
            for item in calls {
                lines.append("only in \(side): \(item.call.path ?? "stream") \(item.label) at \(item.call.start.timeOfDay()) \(CallComparer.status(item.call))")
            }
        }
        lines.append(summary(diff))
        return lines
    }

    static func summary(_ diff: CaptureDiff) -> String {
        let different = diff.pairs.filter { !$0.changes.isEmpty }.count
        return "summary: \(diff.pairs.count) paired (\(diff.pairs.count - different) same, \(different) different), "
            + "\(diff.onlyInA.count) only in A, \(diff.onlyInB.count) only in B"
    }

    public static func json(_ diff: CaptureDiff, nameA: String, nameB: String) -> String {
        var object = JSONObject()
        object.add("a", nameA)
        object.add("b", nameB)
        object.add("same", diff.isSame)
        object.add("pairs", raw: diff.pairs.filter { !$0.changes.isEmpty }.map { pair in
            var item = JSONObject()
            item.add("method", pair.method)
            item.add("pairing", pair.label)
            item.add("a_start", pair.a.start.rfc3339(fractionDigits: 9))
            item.add("b_start", pair.b.start.rfc3339(fractionDigits: 9))
            item.add("changes", raw: pair.changes.map { change in
                var entry = JSONObject()
                entry.add("path", change.path)
                entry.add("a", json: change.old.map(JSONObject.quote) ?? "null")
                entry.add("b", json: change.new.map(JSONObject.quote) ?? "null")
                return entry.text
            })
            return item.text
        })
        for (key, calls) in [("only_in_a", diff.onlyInA), ("only_in_b", diff.onlyInB)] {
            object.add(key, raw: calls.map { unpaired in
                var item = JSONObject()
                item.add("method", unpaired.call.path ?? "stream")
                item.add("pairing", unpaired.label)
                item.add("start", unpaired.call.start.rfc3339(fractionDigits: 9))
                item.add("status", CallComparer.status(unpaired.call))
                return item.text
            })
        }
        var counts = JSONObject()
        counts.add("paired", diff.pairs.count)
        counts.add("different", diff.pairs.filter { !$0.changes.isEmpty }.count)
        counts.add("only_in_a", diff.onlyInA.count)
        counts.add("only_in_b", diff.onlyInB.count)
        object.add("summary", counts)
        return object.text
    }
}
