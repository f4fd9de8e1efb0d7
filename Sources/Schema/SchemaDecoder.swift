import Protobuf
import WireCore

/// Decodes protobuf messages against a `DescriptorPool`, producing the proto3 JSON shape
/// (protobuf.dev "ProtoJSON Format"): members named by field, enums by value name, well-known
/// types in their JSON forms. Unknown fields and fields whose wire type contradicts the schema
/// are kept raw and marked; malformed bytes end the message they are in with a problem and an
/// `"!"` member, never a crash.
public struct SchemaDecoder: Sendable {
    public var pool: DescriptorPool
    /// Messages (and groups) nested deeper than this are kept raw, with a problem.
    public var depthLimit = 100

    public init(pool: DescriptorPool) {
        self.pool = pool
    }

    /// Decodes `bytes` as message `typeName` (full name, leading dot optional); nil when the pool
    /// does not define the type. Offsets in problems are `baseOffset` + position in `bytes`.
    public func decode(_ bytes: ArraySlice<UInt8>, as typeName: String, baseOffset: Int = 0) -> SchemaDecoded? {
        guard let schema = pool.message(named: typeName) else { return nil }
        var run = DecodeRun(pool: pool, depthLimit: depthLimit)
        var reader = WireReader(bytes, baseOffset: baseOffset)
        let value = run.message(&reader, schema, depth: 0)
        return SchemaDecoded(typeName: schema.fullName, value: value, problems: run.problems,
                             contradictions: run.contradictions, unknownFields: run.unknownFields)
    }

    public func decode(_ bytes: [UInt8], as typeName: String, baseOffset: Int = 0) -> SchemaDecoded? {
        decode(bytes[...], as: typeName, baseOffset: baseOffset)
    }

    /// `decode` written as proto3 JSON at the end of `json`: the same text as
    /// `ProtoJSON.write(decode(…).value)`, without building the value tree where the message is
    /// plain (see `DirectJSON.swift`). Nil, with nothing written, when the pool does not define
    /// the type.
    public func writeJSON(_ bytes: ArraySlice<UInt8>, as typeName: String, baseOffset: Int = 0, preserveNames: Bool = false,
                          into json: inout JSONBuffer) -> SchemaDecodeReport? {
        guard let schema = pool.message(named: typeName) else { return nil }
        return writeJSON(bytes, as: schema, baseOffset: baseOffset, preserveNames: preserveNames, into: &json)
    }

    /// `writeJSON` for a message type already looked up in the pool.
    public func writeJSON(_ bytes: ArraySlice<UInt8>, as schema: MessageSchema, baseOffset: Int = 0, preserveNames: Bool = false,
                          into json: inout JSONBuffer) -> SchemaDecodeReport {
        var run = DecodeRun(pool: pool, depthLimit: depthLimit)
        run.writeMessage(WireReader(bytes, baseOffset: baseOffset), schema, depth: 0, preserveNames: preserveNames, into: &json)
        return SchemaDecodeReport(typeName: schema.fullName, problems: run.problems, contradictions: run.contradictions,
                                  unknownFields: run.unknownFields, messagesFromTree: run.messagesFromTree)
    }

    /// The value an absent field reads as (protobuf.dev "Language Guide (proto 2)", Default Values):
    /// proto2 `[default = …]`, else zero, "", false, the first enum value, an empty message (a
    /// well-known type's JSON form of its empty message), an empty list or map for repeated fields.
    public func defaultValue(of field: FieldSchema) -> ProtoValue {
        if field.isMap { return .map([]) }
        if field.isRepeated { return .list([]) }
        var run = DecodeRun(pool: pool, depthLimit: depthLimit)
        return run.defaultValue(field)
    }
}

/// The result of decoding one message against a schema.
public struct SchemaDecoded: Sendable {
    public var typeName: String
    /// `.object(...)` for a message; a well-known type at the top in its JSON form.
    public var value: ProtoValue
    /// Malformed bytes and out-of-range values (`schema.…` codes), with absolute byte offsets.
    public var problems: [Diagnostic]
    /// Fields whose wire type contradicts the schema (and strings that are not UTF-8): evidence
    /// that the bytes are not of this type.
    public var contradictions: Int
    /// Occurrences of field numbers the schema does not know.
    public var unknownFields: Int

    public init(typeName: String, value: ProtoValue, problems: [Diagnostic] = [], contradictions: Int = 0, unknownFields: Int = 0) {
        self.typeName = typeName
        self.value = value
        self.problems = problems
        self.contradictions = contradictions
        self.unknownFields = unknownFields
    }

    public var isClean: Bool { problems.isEmpty && contradictions == 0 }
}

/// What decoding found, for a message written straight as JSON (`SchemaDecoder.writeJSON`).
public struct SchemaDecodeReport: Sendable, Equatable {
    public var typeName: String
    public var problems: [Diagnostic]
    public var contradictions: Int
    public var unknownFields: Int
    /// Message levels (the message or messages inside it) that were not plain and were written
    /// from the value tree.
    public var messagesFromTree: Int
}
