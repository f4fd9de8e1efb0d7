import WireCore

/// Messages as JSON (docs/grpc-calls.md): decoded values in the proto3 JSON mapping
/// (protobuf.dev "ProtoJSON Format"), schema-less messages as a raw field tree with byte ranges.
public enum ProtoJSON {
    /// proto3 JSON: int64/uint64 as strings, bytes base64, non-finite doubles as strings.
    /// Field names in lowerCamelCase (`jsonName`), or as in the .proto file with `preserveNames`.
    public static func encode(_ value: ProtoValue, preserveNames: Bool = false) -> String {
        var json = JSONBuffer()
        write(value, preserveNames: preserveNames, into: &json)
        return json.text
    }

    /// `encode`, written in place into `json`.
    public static func write(_ value: ProtoValue, preserveNames: Bool, into json: inout JSONBuffer) {
        switch value {
        case let .string(text): json.string(text)
        case let .int(number): json.int(number)
        case let .uint(number): json.int(number)
        case let .int64(number): json.string(String(number))
        case let .uint64(number): json.string(String(number))
        case let .bool(flag): json.bool(flag)
        case let .float(number): json.raw(float(number))
        case let .double(number): json.raw(double(number))
        case .null: json.raw("null")
        case let .bytes(bytes): json.base64(bytes)
        case let .enumValue(name, number):
            if let name { json.string(name) } else { json.int(number) }
        case let .wellKnown(text): json.string(text)
        case let .list(items): json.array(items) { write($1, preserveNames: preserveNames, into: &$0) }
        case let .map(entries):
            json.object(entries) { json, entry in
                json.key(entry.key)
                write(entry.value, preserveNames: preserveNames, into: &json)
            }
        case let .object(members):
            json.object(members) { json, member in
                json.key(preserveNames ? member.name : member.jsonName)
                write(member.value, preserveNames: preserveNames, into: &json)
            }
        case let .unknown(field, note):
            var object = JSONObject()
            object.add("unknown", true)
            if let note { object.add("note", note) }
            object.add("field") { writeRawField(field, into: &$0) }
            object.write(into: &json)
        }
    }

    /// `{"fields":[{"field":1,"wire_type":"varint","offset":0,"length":3,"varint":150}, …]}`, plus problems.
    public static func rawTree(_ message: RawMessage) -> String {
        var json = JSONBuffer()
        writeRawTree(message, into: &json)
        return json.text
    }

    /// `rawTree`, written in place into `json`.
    public static func writeRawTree(_ message: RawMessage, into json: inout JSONBuffer) {
        JSONObject.write(into: &json) { object in
            object.add("fields") { $0.array(message.fields) { writeRawField($1, into: &$0) } }
            if !message.problems.isEmpty { object.add("problems", message.problems.map(\.messageWithSpan)) }
            if let undecoded = message.undecoded {
                object.add("undecoded_offset", undecoded.start)
                object.add("undecoded_length", undecoded.count)
            }
        }
    }

    static func writeRawField(_ field: RawField, into json: inout JSONBuffer) {
        JSONObject.write(into: &json) { object in
            object.add("field", field.number)
            object.add("wire_type", field.wireType.description)
            object.add("offset", field.span.start)
            object.add("length", field.span.count)
            switch field.value {
            case let .varint(value):
                object.add("varint", json: unsigned(value))
                if value > 1 { object.add("zigzag", json: signed(value.zigZagDecoded)) }
            case let .fixed64(value):
                object.add("fixed64", json: unsigned(value))
                object.add("double", json: double(Double(bitPattern: value)))
            case let .fixed32(value):
                object.add("fixed32", json: unsigned(UInt64(value)))
                object.add("float", json: double(Double(Float(bitPattern: value))))
            case let .group(fields):
                object.add("group") { $0.array(fields) { writeRawField($1, into: &$0) } }
            case let .lengthDelimited(content):
                switch content.interpretation {
                case let .message(inner): object.add("message") { writeRawTree(inner, into: &$0) }
                case let .text(text): object.add("text", text)
                case let .packedVarints(values): object.add("packed_varints") { $0.array(values) { $0.raw(unsigned($1)) } }
                case let .packedFixed32(values): object.add("packed_floats") { $0.array(values) { $0.raw(double(Double(Float(bitPattern: $1)))) } }
                case let .packedFixed64(values): object.add("packed_doubles") { $0.array(values) { $0.raw(double(Double(bitPattern: $1))) } }
                case .bytes: object.add("bytes_hex") { $0.hex(content.bytes) }
                }
                if !content.alternatives.isEmpty { object.add("also", content.alternatives) }
                if content.atDepthLimit { object.add("at_depth_limit", true) }
            }
        }
    }

    /// Integers beyond 2^53 (not exact in a JSON double) as strings.
    static func unsigned(_ value: UInt64) -> String { value > 1 << 53 ? JSONObject.quote(String(value)) : String(value) }
    static func signed(_ value: Int64) -> String { value.magnitude > 1 << 53 ? JSONObject.quote(String(value)) : String(value) }

    static func float(_ value: Float) -> String {
        value.isFinite ? "\(value)" : double(Double(value))
    }

    static func double(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        return "\(value)"
    }
}
