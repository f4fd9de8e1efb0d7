import Protobuf
import WireCore

/// One decoding pass: walks the wire format (protobuf.dev "Encoding") against the schemas and
/// collects problems and counts on the way.
struct DecodeRun {
    let pool: DescriptorPool
    let depthLimit: Int
    var problems: [Diagnostic] = []
    var contradictions = 0
    var unknownFields = 0
    /// Message levels the JSON writer handed to the value tree (not plain; see `DirectJSON.swift`).
    var messagesFromTree = 0

    init(pool: DescriptorPool, depthLimit: Int) {
        self.pool = pool
        self.depthLimit = depthLimit
    }

    /// Decodes the rest of `reader` as a message of `schema`, in its JSON form.
    mutating func message(_ reader: inout WireReader, _ schema: MessageSchema, depth: Int) -> ProtoValue {
        let start = reader.offset
        if schema.fullName == WellKnownTypes.any {
            return any(&reader, schema, depth: depth)
        }
        var body = MemberList()
        _ = fields(&reader, schema, depth: depth, endGroup: nil, into: &body)
        return finish(body, schema, at: start)
    }

    /// The JSON form of a decoded message: well-known types become their special forms when
    /// their fields decoded cleanly.
    mutating func finish(_ body: MemberList, _ schema: MessageSchema, at start: Int) -> ProtoValue {
        if !body.irregular, schema.isWellKnown {
            switch WellKnownTypes.jsonForm(schema.fullName, body.members) {
            case let .value(value): return value
            case let .invalid(problem):
                problems.append(Diagnostic(.schema, "schema.well-known.invalid", .warning, "\(schema.fullName) \(problem) (message at byte \(start))",
                                           span: ByteSpan(start: start, count: 0)))
            case .notSpecial: break
            }
        }
        return .object(body.members)
    }

    /// Reads fields until the end of `reader`, or the end tag of group `endGroup`. False when
    /// malformed bytes stopped decoding (the reader is then at its end and `body` ends with "!").
    mutating func fields(_ reader: inout WireReader, _ schema: MessageSchema, depth: Int, endGroup: Int?,
                         into body: inout MemberList) -> Bool {
        while !reader.isAtEnd {
            let fieldStart = reader.index
            guard let tag = reader.readVarint() else {
                return fail("tag is not a valid varint", at: fieldStart, &reader, &body)
            }
            let wireType = UInt8(tag & 7)
            let fieldNumber = tag >> 3
            guard wireType <= 5 else {
                return fail("wire type \(wireType) does not exist (field \(fieldNumber))", at: fieldStart, &reader, &body)
            }
            guard fieldNumber >= 1, fieldNumber <= 0x1FFF_FFFF else {
                return fail("field number \(fieldNumber) is outside 1…536870911", at: fieldStart, &reader, &body)
            }
            let number = Int(fieldNumber)
            if wireType == 4 {
                if endGroup == number { return true }
                let text = endGroup.map { "end of group \(number) inside group \($0)" } ?? "end of group \(number) without a start"
                return fail(text, at: fieldStart, &reader, &body)
            }
            guard let field = schema.field(number: number) ?? pool.extensionField(of: schema.fullName, number: number) else {
                guard skipValue(wireType, number: number, fieldStart: fieldStart, &reader, &body) else { return false }
                unknownFields += 1
                body.addUnknown(slot: -number, name: String(number), jsonName: String(number),
                                .unknown(raw(reader, fieldStart..<reader.index), note: "field \(number) not in \(schema.fullName)"))
                continue
            }
            if wireType == field.type.wireType {
                guard typedValue(field, wireType: wireType, fieldStart: fieldStart, &reader, depth: depth, into: &body) else { return false }
            } else if wireType == 2, field.isRepeated, field.type.isPackable {
                guard packed(field, fieldStart: fieldStart, &reader, &body) else { return false }
            } else {
                guard skipValue(wireType, number: number, fieldStart: fieldStart, &reader, &body) else { return false }
                contradict(field, raw(reader, fieldStart..<reader.index),
                           note: "wire type \(Self.wireTypeName(wireType)) does not fit \(field.type.rawValue) field \(field.name)", into: &body)
            }
        }
        if let endGroup {
            return fail("group \(endGroup) has no end tag", at: reader.index, &reader, &body)
        }
        return true
    }

    // MARK: Values

    /// A value whose wire type fits the field's type.
    mutating func typedValue(_ field: FieldSchema, wireType: UInt8, fieldStart: Int, _ reader: inout WireReader, depth: Int,
                             into body: inout MemberList) -> Bool {
        switch wireType {
        case 0:
            guard let value = reader.readVarint() else {
                return fail("field \(field.number) (\(field.name)): varint runs past the end or over 10 bytes", at: fieldStart, &reader, &body)
            }
            body.add(field, varint(value, field))
        case 1:
            guard let value = reader.readFixed64() else {
                return fail("field \(field.number) (\(field.name)): fixed64 needs 8 bytes, \(reader.remaining) left", at: fieldStart, &reader, &body)
            }
            body.add(field, fixed64(value, field))
        case 5:
            guard let value = reader.readFixed32() else {
                return fail("field \(field.number) (\(field.name)): fixed32 needs 4 bytes, \(reader.remaining) left", at: fieldStart, &reader, &body)
            }
            body.add(field, fixed32(value, field))
        case 2:
            guard let range = lengthDelimited(field.number, fieldStart: fieldStart, &reader, &body) else { return false }
            switch field.type {
            case .string:
                if let text = String(validating: reader.bytes[range], as: UTF8.self) {
                    body.add(field, .string(text))
                } else {
                    contradict(field, raw(reader, fieldStart..<reader.index), note: "string field \(field.name) is not valid UTF-8", into: &body)
                }
            case .bytes:
                body.add(field, .bytes(Array(reader.bytes[range])))
            default:
                nested(field, range, fieldStart: fieldStart, reader, depth: depth, into: &body)
            }
        case 3:
            return group(field, fieldStart: fieldStart, &reader, depth: depth, into: &body)
        default:
            break
        }
        return true
    }

    /// A LEN field's content range, or nil after a failure.
    mutating func lengthDelimited(_ number: Int, fieldStart: Int, _ reader: inout WireReader, _ body: inout MemberList) -> Range<Int>? {
        guard let length = reader.readVarint() else {
            _ = fail("field \(number): length prefix is not a valid varint", at: fieldStart, &reader, &body)
            return nil
        }
        let contentStart = reader.index
        guard reader.skip(length) else {
            _ = fail("field \(number): length \(length) runs past the end (\(reader.remaining) bytes left)", at: fieldStart, &reader, &body)
            return nil
        }
        return contentStart..<reader.index
    }

    /// A nested message (or map entry) in `range`.
    mutating func nested(_ field: FieldSchema, _ range: Range<Int>, fieldStart: Int, _ reader: WireReader, depth: Int,
                         into body: inout MemberList) {
        guard let typeName = field.typeName, let schema = pool.message(named: typeName) else {
            body.addIrregular(field, .unknown(raw(reader, fieldStart..<range.upperBound),
                                              note: "type \(field.typeName ?? "?") of field \(field.name) is not in the descriptor pool"))
            return
        }
        guard depth < depthLimit else {
            problems.append(Self.problem("schema.depth-limit", "field \(field.name): message nested deeper than \(depthLimit)", at: reader.absolute(fieldStart)))
            body.addIrregular(field, .unknown(raw(reader, fieldStart..<range.upperBound), note: "nested deeper than \(depthLimit)"))
            return
        }
        var inner = WireReader(sub: reader, range)
        if field.isMap {
            let (key, value) = mapEntry(&inner, schema, depth: depth + 1)
            body.addMapEntry(field, key: key, value: value)
        } else {
            body.add(field, message(&inner, schema, depth: depth + 1))
        }
    }

    /// A group (wire types 3 and 4): fields up to the matching end tag.
    mutating func group(_ field: FieldSchema, fieldStart: Int, _ reader: inout WireReader, depth: Int, into body: inout MemberList) -> Bool {
        guard depth < depthLimit, let typeName = field.typeName, let schema = pool.message(named: typeName) else {
            // Keep the group raw: skip it to its end tag first.
            let reason = depth < depthLimit ? "type \(field.typeName ?? "?") of group \(field.name) is not in the descriptor pool"
                : "nested deeper than \(depthLimit)"
            if depth >= depthLimit { problems.append(Self.problem("schema.depth-limit", "group \(field.name): \(reason)", at: reader.absolute(fieldStart))) }
            guard skipGroup(field.number, fieldStart: fieldStart, &reader, &body) else { return false }
            body.addIrregular(field, .unknown(raw(reader, fieldStart..<reader.index), note: reason))
            return true
        }
        let start = reader.offset
        var inner = MemberList()
        let complete = fields(&reader, schema, depth: depth + 1, endGroup: field.number, into: &inner)
        body.add(field, finish(inner, schema, at: start))
        if !complete {
            // The group's end is unknown: nothing after it can be read.
            body.addError("decoding stopped inside group \(field.name)")
        }
        return complete
    }

    /// A map entry (protobuf.dev "Language Guide", Maps): key and value, with their defaults when
    /// absent. An entry with anything else in it keeps all its members as the value.
    mutating func mapEntry(_ reader: inout WireReader, _ schema: MessageSchema, depth: Int) -> (String, ProtoValue) {
        var entry = MemberList()
        _ = fields(&reader, schema, depth: depth, endGroup: nil, into: &entry)
        let keyField = schema.field(number: 1)
        let valueField = schema.field(number: 2)
        var key = ProtoValue.string("")
        if let value = entry.value(slot: 1) { key = value } else if let keyField { key = defaultValue(keyField) }
        let keyText = Self.mapKeyText(key) ?? "?"
        guard !entry.irregular, keyField != nil, let valueField else {
            return (keyText, .object(entry.members))
        }
        if let value = entry.value(slot: 2) { return (keyText, value) }
        return (keyText, defaultValue(valueField))
    }

    /// protobuf.dev "ProtoJSON Format", Maps: keys as JSON strings.
    static func mapKeyText(_ key: ProtoValue) -> String? {
        switch key {
        case let .string(text): text
        case let .int(number), let .int64(number): String(number)
        case let .uint(number), let .uint64(number): String(number)
        case let .bool(flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// The value of an absent field (protobuf.dev "Language Guide", Default Values), as map
    /// entries need: proto2 `[default = …]` is honoured for scalars.
    mutating func defaultValue(_ field: FieldSchema) -> ProtoValue {
        switch field.type {
        case .message, .group:
            guard let typeName = field.typeName, let schema = pool.message(named: typeName) else { return .object([]) }
            var empty = WireReader([][...], baseOffset: 0)
            return message(&empty, schema, depth: depthLimit)
        case .enum:
            let enumSchema = field.typeName.flatMap { pool.enumType(named: $0) }
            if field.typeName == WellKnownTypes.nullValue { return .null }
            var number: Int32 = enumSchema?.defaultNumber ?? 0
            if let text = field.defaultValue, let named = enumSchema?.values.first(where: { $0.name == text }) { number = named.number }
            return .enumValue(name: enumSchema?.name(of: number), number: number)
        default:
            return ScalarDefaults.value(field.type, text: field.defaultValue)
        }
    }

    /// Packed repeated scalars (protobuf.dev "Encoding", Packed Repeated Fields), accepted whatever
    /// the declaration says.
    mutating func packed(_ field: FieldSchema, fieldStart: Int, _ reader: inout WireReader, _ body: inout MemberList) -> Bool {
        guard let range = lengthDelimited(field.number, fieldStart: fieldStart, &reader, &body) else { return false }
        var inner = WireReader(sub: reader, range)
        let values = packedValues(&inner, field)
        if !inner.isAtEnd {
            problems.append(Self.problem("schema.packed.misaligned", "field \(field.number) (\(field.name)): packed values do not fill the \(range.count) bytes", at: inner.offset))
            contradict(field, raw(reader, fieldStart..<reader.index), note: "packed \(field.type.rawValue) values of field \(field.name) are malformed", into: &body)
            return true
        }
        body.addAll(field, values)
        return true
    }

    /// The values of a packed run, read up to the end of `inner` or to the first that does not
    /// fit (`inner` is then not at its end).
    func packedValues(_ inner: inout WireReader, _ field: FieldSchema) -> [ProtoValue] {
        var values: [ProtoValue] = []
        switch field.type.wireType {
        case 0:
            while !inner.isAtEnd, let value = inner.readVarint() { values.append(varint(value, field)) }
        case 1:
            while !inner.isAtEnd, let value = inner.readFixed64() { values.append(fixed64(value, field)) }
        default:
            while !inner.isAtEnd, let value = inner.readFixed32() { values.append(fixed32(value, field)) }
        }
        return values
    }

    // MARK: Scalars

    func varint(_ value: UInt64, _ field: FieldSchema) -> ProtoValue {
        switch field.type {
        case .int32: return .int(Int64(Int32(truncatingIfNeeded: value)))
        case .int64: return .int64(Int64(bitPattern: value))
        case .uint32: return .uint(UInt64(UInt32(truncatingIfNeeded: value)))
        case .uint64: return .uint64(value)
        case .sint32:
            let bits = UInt32(truncatingIfNeeded: value)
            return .int(Int64(Int32(bitPattern: (bits >> 1) ^ (0 &- (bits & 1)))))
        case .sint64: return .int64(value.zigZagDecoded)
        case .bool: return .bool(value != 0)
        case .enum:
            let number = Int32(truncatingIfNeeded: value)
            if field.typeName == WellKnownTypes.nullValue { return .null }
            return .enumValue(name: field.typeName.flatMap { pool.enumType(named: $0)?.name(of: number) }, number: number)
        default: return .uint64(value)
        }
    }

    func fixed64(_ value: UInt64, _ field: FieldSchema) -> ProtoValue {
        switch field.type {
        case .double: .double(Double(bitPattern: value))
        case .sfixed64: .int64(Int64(bitPattern: value))
        default: .uint64(value)
        }
    }

    func fixed32(_ value: UInt32, _ field: FieldSchema) -> ProtoValue {
        switch field.type {
        case .float: .float(Float(bitPattern: value))
        case .sfixed32: .int(Int64(Int32(bitPattern: value)))
        default: .uint(UInt64(value))
        }
    }

    // MARK: Unknown and contradicting fields

    mutating func contradict(_ field: FieldSchema, _ rawField: RawField, note: String, into body: inout MemberList) {
        contradictions += 1
        body.addIrregular(field, .unknown(rawField, note: note))
    }

    /// Skips one value of `wireType` (the tag already read); false after a failure.
    mutating func skipValue(_ wireType: UInt8, number: Int, fieldStart: Int, _ reader: inout WireReader, _ body: inout MemberList) -> Bool {
        switch wireType {
        case 0:
            guard reader.readVarint() != nil else {
                return fail("field \(number): varint runs past the end or over 10 bytes", at: fieldStart, &reader, &body)
            }
        case 1:
            guard reader.skip(8) else { return fail("field \(number): fixed64 needs 8 bytes, \(reader.remaining) left", at: fieldStart, &reader, &body) }
        case 5:
            guard reader.skip(4) else { return fail("field \(number): fixed32 needs 4 bytes, \(reader.remaining) left", at: fieldStart, &reader, &body) }
        case 2:
            return lengthDelimited(number, fieldStart: fieldStart, &reader, &body) != nil
        case 3:
            return skipGroup(number, fieldStart: fieldStart, &reader, &body)
        default:
            return fail("unexpected wire type \(wireType)", at: fieldStart, &reader, &body)
        }
        return true
    }

    /// Skips a group's fields and its end tag, iteratively (no recursion on hostile nesting).
    mutating func skipGroup(_ number: Int, fieldStart: Int, _ reader: inout WireReader, _ body: inout MemberList) -> Bool {
        var open: [Int] = [number]
        while let innermost = open.last {
            let tagStart = reader.index
            guard let tag = reader.readVarint() else {
                return fail(reader.isAtEnd ? "group \(innermost) has no end tag" : "tag is not a valid varint", at: tagStart, &reader, &body)
            }
            let wireType = UInt8(tag & 7)
            let inner = Int(truncatingIfNeeded: tag >> 3)
            guard wireType <= 5, tag >> 3 >= 1, tag >> 3 <= 0x1FFF_FFFF else {
                return fail("invalid tag \(tag) inside group \(innermost)", at: tagStart, &reader, &body)
            }
            switch wireType {
            case 3:
                guard open.count < depthLimit else { return fail("groups nested deeper than \(depthLimit)", at: tagStart, &reader, &body) }
                open.append(inner)
            case 4:
                guard inner == innermost else { return fail("end of group \(inner) inside group \(innermost)", at: tagStart, &reader, &body) }
                open.removeLast()
            default:
                guard skipValue(wireType, number: inner, fieldStart: tagStart, &reader, &body) else { return false }
            }
        }
        return true
    }

    /// The raw (schema-less) reading of the field in `range`, for `.unknown` values.
    func raw(_ reader: WireReader, _ range: Range<Int>) -> RawField {
        let decoded = RawDecoder.decode(reader.bytes[range], baseOffset: reader.absolute(range.lowerBound))
        if let field = decoded.fields.first { return field }
        // Unreachable for ranges this decoder validated; a zero-length reading keeps types total.
        return RawDecoder.decode([0x08, 0x00], baseOffset: reader.absolute(range.lowerBound)).fields[0]
    }

    /// Records malformed bytes at `position` (an index of the reader's bytes), ends the reader
    /// and marks `body` with an "!" member. Always false.
    mutating func fail(_ text: String, at position: Int, _ reader: inout WireReader, _ body: inout MemberList) -> Bool {
        let problem = Self.problem("schema.wire.malformed", text, at: reader.absolute(position))
        problems.append(problem)
        reader.index = reader.end
        body.addError(problem.message)
        return false
    }

    /// A problem at absolute byte `offset`, its message ending with where it was (`(at byte N)`).
    static func problem(_ code: String, _ text: String, at offset: Int) -> Diagnostic {
        Diagnostic(.schema, code, .warning, "\(text) (at byte \(offset))", span: ByteSpan(start: offset, count: 0))
    }

    static func wireTypeName(_ wireType: UInt8) -> String {
        WireType(rawValue: wireType)?.description ?? String(wireType)
    }
}

extension Layer {
    /// Decoding against a schema (and loading schemas).
    public static let schema = Layer(rawValue: "schema")
}
