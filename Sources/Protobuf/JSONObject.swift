import WireCore

/// A JSON object for JSON lines output: keys in insertion order, written into one `JSONBuffer`
/// as members are added (RFC 8259), no Foundation.
public struct JSONObject {
    private var buffer = JSONBuffer()
    private var isEmpty = true

    public init() {
        buffer.raw(UInt8(ascii: "{"))
    }

    /// Writes an object at the end of `buffer`, its members added by `members`. The buffer is
    /// taken over meanwhile, so that it grows in place.
    public static func write(into buffer: inout JSONBuffer, _ members: (inout JSONObject) -> Void) {
        var object = JSONObject(continuing: buffer)
        buffer = JSONBuffer()
        members(&object)
        object.buffer.raw(UInt8(ascii: "}"))
        buffer = object.buffer
    }

    private init(continuing buffer: JSONBuffer) {
        self.buffer = buffer
        self.buffer.raw(UInt8(ascii: "{"))
    }

    /// Writes `"key":` (after a comma unless first); the value must follow.
    private mutating func key(_ key: String) {
        if !isEmpty { buffer.raw(UInt8(ascii: ",")) }
        isEmpty = false
        buffer.key(key)
    }

    public mutating func add(_ key: String, _ value: String) { self.key(key); buffer.string(value) }
    public mutating func add(_ key: String, _ value: Int) { self.key(key); buffer.int(value) }
    public mutating func add(_ key: String, _ value: Int64) { self.key(key); buffer.int(value) }
    public mutating func add(_ key: String, _ value: Bool) { self.key(key); buffer.bool(value) }
    public mutating func add(_ key: String, _ value: [String]) { self.key(key); buffer.array(value) { $0.string($1) } }
    public mutating func add(_ key: String, _ value: JSONObject) { self.key(key); value.write(into: &buffer) }
    /// An already-encoded JSON value.
    public mutating func add(_ key: String, json value: String) { self.key(key); buffer.raw(value) }
    /// An array of already-encoded JSON values.
    public mutating func add(_ key: String, raw values: [String]) { self.key(key); buffer.array(values) { $0.raw($1) } }
    /// A value written in place by `value`.
    public mutating func add(_ key: String, writing value: (inout JSONBuffer) -> Void) { self.key(key); value(&buffer) }

    /// Appends the whole object (with its closing brace) to `out`.
    public func write(into out: inout JSONBuffer) {
        out.raw(buffer)
        out.raw(UInt8(ascii: "}"))
    }

    public var text: String {
        var out = buffer
        out.raw(UInt8(ascii: "}"))
        return out.text
    }

    public static func array(_ encoded: [String]) -> String {
        var out = JSONBuffer()
        out.array(encoded) { $0.raw($1) }
        return out.text
    }

    public static func quote(_ text: String) -> String {
        var out = JSONBuffer()
        out.string(text)
        return out.text
    }
}
