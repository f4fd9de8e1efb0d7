/// A minimal JSON object writer for JSON lines output: keys in insertion order, strings escaped
/// per RFC 8259 §7, no Foundation.
public struct JSONObject {
    private var members: [String] = []

    public init() {}

    public mutating func add(_ key: String, _ value: String) { members.append(JSONObject.quote(key) + ":" + JSONObject.quote(value)) }
    public mutating func add(_ key: String, _ value: Int) { members.append(JSONObject.quote(key) + ":" + String(value)) }
    public mutating func add(_ key: String, _ value: Int64) { members.append(JSONObject.quote(key) + ":" + String(value)) }
    public mutating func add(_ key: String, _ value: Bool) { members.append(JSONObject.quote(key) + ":" + (value ? "true" : "false")) }
    public mutating func add(_ key: String, _ value: [String]) { members.append(JSONObject.quote(key) + ":" + JSONObject.array(value.map(JSONObject.quote))) }
    public mutating func add(_ key: String, _ value: JSONObject) { members.append(JSONObject.quote(key) + ":" + value.text) }
    /// An already-encoded JSON value.
    public mutating func add(_ key: String, json value: String) { members.append(JSONObject.quote(key) + ":" + value) }
    /// An array of already-encoded JSON values.
    public mutating func add(_ key: String, raw values: [String]) { members.append(JSONObject.quote(key) + ":" + JSONObject.array(values)) }

    public var text: String { "{" + members.joined(separator: ",") + "}" }

    public static func array(_ encoded: [String]) -> String { "[" + encoded.joined(separator: ",") + "]" }

    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
