import WireCore

/// A message type described in code: enough to read the few messages grpcdump must understand
/// before any schema is loaded (google.rpc.Status in grpc-status-details-bin and its details).
public struct HandSchema: Sendable {
    public enum Kind: Sendable {
        case string, int32, int64, uint32, bool
        case message(String)
        /// google.protobuf.Duration as "1.500s".
        case duration
        /// google.protobuf.Any, resolved through its type URL.
        case any
        /// map<string, string>
        case stringMap
    }

    public struct Field: Sendable {
        public var name: String
        public var kind: Kind
        public var repeated: Bool
        public init(_ name: String, _ kind: Kind, repeated: Bool = false) {
            self.name = name
            self.kind = kind
            self.repeated = repeated
        }
    }

    public var fullName: String
    public var fields: [Int: Field]

    public init(_ fullName: String, _ fields: [Int: Field]) {
        self.fullName = fullName
        self.fields = fields
    }
}

/// Decodes raw fields against hand schemas, in the proto3 JSON shape.
public struct HandSchemaDecoder: Sendable {
    public var schemas: [String: HandSchema]

    public init(_ schemas: [HandSchema]) {
        self.schemas = Dictionary(schemas.map { ($0.fullName, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Decodes `bytes` as message `typeName`; nil when the type is unknown.
    public func decode(_ bytes: ArraySlice<UInt8>, as typeName: String, baseOffset: Int = 0) -> ProtoValue? {
        guard let schema = schemas[typeName] else { return nil }
        return decode(RawDecoder.decode(bytes, baseOffset: baseOffset), schema)
    }

    func decode(_ raw: RawMessage, _ schema: HandSchema) -> ProtoValue {
        var members: [ProtoMember] = []
        var repeatedIndex: [Int: Int] = [:]
        for field in raw.fields {
            guard let spec = schema.fields[field.number] else {
                members.append(ProtoMember(name: String(field.number), jsonName: String(field.number), value: .unknown(field, note: "not in \(schema.fullName)")))
                continue
            }
            let value = decode(field, spec)
            if case .stringMap = spec.kind, case let .map(entries) = value, let index = repeatedIndex[field.number],
               case let .map(existing) = members[index].value {
                members[index].value = .map(existing + entries)
            } else if spec.repeated, let index = repeatedIndex[field.number], case let .list(items) = members[index].value {
                members[index].value = .list(items + [value])
            } else {
                repeatedIndex[field.number] = members.count
                let isMap = if case .stringMap = spec.kind { true } else { false }
                members.append(ProtoMember(name: spec.name, value: spec.repeated && !isMap ? .list([value]) : value))
            }
        }
        if !raw.isClean {
            let problem = raw.problems.first?.messageWithSpan ?? "undecoded bytes"
            members.append(ProtoMember(name: "!", jsonName: "@error", value: .string(problem)))
        }
        return .object(members)
    }

    func decode(_ field: RawField, _ spec: HandSchema.Field) -> ProtoValue {
        switch (spec.kind, field.value) {
        case let (.int32, .varint(value)): return .int(Int64(Int32(truncatingIfNeeded: value)))
        case let (.int64, .varint(value)): return .int64(Int64(bitPattern: value))
        case let (.uint32, .varint(value)): return .uint(UInt64(UInt32(truncatingIfNeeded: value)))
        case let (.bool, .varint(value)): return .bool(value != 0)
        case let (.string, .lengthDelimited(content)):
            guard let text = String(validating: content.bytes, as: UTF8.self) else { return .unknown(field, note: "string is not valid UTF-8") }
            return .string(text)
        case let (.message(name), .lengthDelimited(content)):
            guard let schema = schemas[name] else { return .unknown(field, note: nil) }
            return decode(RawDecoder.decode(content.bytes, baseOffset: content.span.start), schema)
        case let (.duration, .lengthDelimited(content)):
            return Self.duration(RawDecoder.decode(content.bytes, baseOffset: content.span.start)).map(ProtoValue.wellKnown) ?? .unknown(field, note: "not a Duration")
        case let (.stringMap, .lengthDelimited(content)):
            let entry = RawDecoder.decode(content.bytes, baseOffset: content.span.start)
            return .map([ProtoMapEntry(key: Self.string(entry, 1) ?? "", value: .string(Self.string(entry, 2) ?? ""))])
        case let (.any, .lengthDelimited(content)):
            return any(RawDecoder.decode(content.bytes, baseOffset: content.span.start), field: field)
        default:
            return .unknown(field, note: "wire type \(field.wireType) does not fit the schema's \(spec.kind)")
        }
    }

    /// protobuf.dev "ProtoJSON Format", Any: `{"@type": url, …fields}`; an Any of a type not known
    /// here keeps its value raw.
    func any(_ raw: RawMessage, field: RawField) -> ProtoValue {
        let typeURL = Self.string(raw, 1) ?? ""
        var members = [ProtoMember(name: "@type", jsonName: "@type", value: .string(typeURL))]
        let typeName = String(typeURL.split(separator: "/").last ?? "")
        let valueField = raw.fields.last { $0.number == 2 }
        if case let .lengthDelimited(content)? = valueField?.value, let schema = schemas[typeName],
           case let .object(inner) = decode(RawDecoder.decode(content.bytes, baseOffset: content.span.start), schema) {
            members += inner
        } else if let valueField {
            members.append(ProtoMember(name: "value", value: .unknown(valueField, note: "type \(typeName) not known")))
        }
        return .object(members)
    }

    static func string(_ raw: RawMessage, _ number: Int) -> String? {
        guard case let .lengthDelimited(content)? = raw.fields.last(where: { $0.number == number })?.value else { return nil }
        return String(decoding: content.bytes, as: UTF8.self)
    }

    /// protobuf.dev "ProtoJSON Format", Duration: seconds with 0, 3, 6 or 9 fraction digits and "s".
    static func duration(_ raw: RawMessage) -> String? {
        guard raw.isClean else { return nil }
        var seconds: Int64 = 0
        var nanos: Int32 = 0
        for field in raw.fields {
            guard case let .varint(value) = field.value else { return nil }
            if field.number == 1 { seconds = Int64(bitPattern: value) }
            if field.number == 2 { nanos = Int32(truncatingIfNeeded: value) }
        }
        let negative = seconds < 0 || nanos < 0
        var text = (negative ? "-" : "") + String(seconds.magnitude)
        if nanos != 0 {
            var fraction = String(nanos.magnitude)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            while fraction.count > 3, fraction.hasSuffix("000") { fraction.removeLast(3) }
            text += "." + fraction
        }
        return text + "s"
    }
}
