import WireCore

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
        // Most strings need no escape: copied whole. Otherwise escaped byte by byte (UTF-8 bytes of
        // non-ASCII characters are all 0x80 or more, so they are copied unchanged).
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return "\"" + text + "\"" }
        var out: [UInt8] = [0x22]
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case ..<0x20: out += Array("\\u00".utf8) + Array(Hex.byte(byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }
}
