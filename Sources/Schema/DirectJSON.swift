import Protobuf

/// Schema decoding written straight as proto3 JSON, without building the `ProtoValue` tree, for
/// the common message whose fields are plain: each known, of the declared wire type, singular
/// fields once, the occurrences of a repeated field (or map) next to each other, no groups. Any
/// message level that is not plain is rolled back and decoded by the tree path (`DecodeRun.message`),
/// whose JSON is the reference: the bytes written are the same either way.
extension DecodeRun {
    /// Writes the rest of `reader` as a message of `schema`.
    mutating func writeMessage(_ reader: WireReader, _ schema: MessageSchema, depth: Int, preserveNames: Bool,
                               into json: inout JSONBuffer) {
        let mark = (bytes: json.count, problems: problems.count, contradictions: contradictions, unknownFields: unknownFields)
        if writePlain(reader, schema, depth: depth, preserveNames: preserveNames, into: &json) { return }
        json.truncate(to: mark.bytes)
        problems.removeLast(problems.count - mark.problems)
        contradictions = mark.contradictions
        unknownFields = mark.unknownFields
        messagesFromTree += 1
        var reader = reader
        ProtoJSON.write(message(&reader, schema, depth: depth), preserveNames: preserveNames, into: &json)
    }

    /// False as soon as the message is found not to be plain (what was written is then garbage).
    private mutating func writePlain(_ reader: WireReader, _ schema: MessageSchema, depth: Int, preserveNames: Bool,
                                     into json: inout JSONBuffer) -> Bool {
        // Well-known types (Any included) have forms of their own.
        guard !schema.isWellKnown else { return false }
        var reader = reader
        var run = PlainRun()
        json.raw(UInt8(ascii: "{"))
        while !reader.isAtEnd {
            guard let tag = reader.readVarint() else { return false }
            let wireType = UInt8(tag & 7), number = Int(truncatingIfNeeded: tag >> 3)
            guard wireType <= 5, wireType != 3, wireType != 4, tag >> 3 >= 1, tag >> 3 <= 0x1FFF_FFFF,
                  let field = schema.field(number: number) ?? pool.extensionField(of: schema.fullName, number: number)
            else { return false }
            let packed = wireType == 2 && field.isRepeated && field.type.isPackable
            guard wireType == field.type.wireType || packed else { return false }
            guard run.enter(field, json: &json, preserveNames: preserveNames) else { return false }
            switch wireType {
            case 0:
                guard let value = reader.readVarint() else { return false }
                run.beginElement(json: &json)
                ProtoJSON.write(varint(value, field), preserveNames: preserveNames, into: &json)
            case 1:
                guard let value = reader.readFixed64() else { return false }
                run.beginElement(json: &json)
                ProtoJSON.write(fixed64(value, field), preserveNames: preserveNames, into: &json)
            case 5:
                guard let value = reader.readFixed32() else { return false }
                run.beginElement(json: &json)
                ProtoJSON.write(fixed32(value, field), preserveNames: preserveNames, into: &json)
            default:
                guard let length = reader.readVarint(), length <= UInt64(reader.remaining) else { return false }
                let content = WireReader(sub: reader, reader.index..<(reader.index + Int(length)))
                reader.index = content.end
                let written = packed
                    ? writePacked(content, field, run: &run, json: &json, preserveNames: preserveNames)
                    : writeLengthDelimited(content, field, depth: depth, run: &run, json: &json, preserveNames: preserveNames)
                guard written else { return false }
            }
        }
        run.close(json: &json)
        json.raw(UInt8(ascii: "}"))
        return true
    }

    private mutating func writeLengthDelimited(_ content: WireReader, _ field: FieldSchema, depth: Int, run: inout PlainRun,
                                               json: inout JSONBuffer, preserveNames: Bool) -> Bool {
        let bytes = content.bytes[content.index..<content.end]
        switch field.type {
        case .string:
            // Validated in place and written from the message's bytes: no String is made.
            guard (try? UTF8Span(validating: bytes.span)) != nil else { return false }
            run.beginElement(json: &json)
            bytes.withUnsafeBufferPointer { json.string(utf8: $0) }
        case .bytes:
            run.beginElement(json: &json)
            json.base64(bytes)
        default:
            guard depth < depthLimit, let typeName = field.typeName, let schema = pool.message(named: typeName) else { return false }
            guard field.isMap else {
                run.beginElement(json: &json)
                writeMessage(content, schema, depth: depth + 1, preserveNames: preserveNames, into: &json)
                return true
            }
            var entry = content
            let (key, value) = mapEntry(&entry, schema, depth: depth + 1)
            guard run.beginMapEntry(key, json: &json) else { return false }
            ProtoJSON.write(value, preserveNames: preserveNames, into: &json)
        }
        return true
    }

    private func writePacked(_ content: WireReader, _ field: FieldSchema, run: inout PlainRun, json: inout JSONBuffer,
                             preserveNames: Bool) -> Bool {
        var inner = content
        let values = packedValues(&inner, field)
        guard inner.isAtEnd else { return false }
        for value in values {
            run.beginElement(json: &json)
            ProtoJSON.write(value, preserveNames: preserveNames, into: &json)
        }
        return true
    }
}

/// Where the plain writer is in a message: the member being written (a repeated field or map
/// stays open while its occurrences follow each other) and the members already closed.
private struct PlainRun {
    /// What the writer needs of the open member's field.
    private struct OpenField {
        var number: Int
        var isRepeated: Bool
        var isMap: Bool
    }

    private var current: OpenField?
    /// Elements written in the open list or map.
    private var elements = 0
    /// The fields already closed: numbers 1–64 as bits (no array to allocate for most
    /// messages), larger ones listed.
    private var closedLow: UInt64 = 0
    private var closedHigh: [Int] = []
    private var mapKeys: Set<String> = []

    private func wasClosed(_ number: Int) -> Bool {
        (1...64).contains(number) ? closedLow & (1 << (number - 1)) != 0 : closedHigh.contains(number)
    }

    /// Opens `field`'s member or continues it; false when the message is not plain (a singular
    /// field again, or a field seen before with others between).
    mutating func enter(_ field: FieldSchema, json: inout JSONBuffer, preserveNames: Bool) -> Bool {
        if let current, current.number == field.number { return field.isRepeated }
        guard !wasClosed(field.number) else { return false }
        if current != nil {
            close(json: &json)
            json.raw(UInt8(ascii: ","))
        }
        current = OpenField(number: field.number, isRepeated: field.isRepeated, isMap: field.isMap)
        elements = 0
        mapKeys = []
        json.key(preserveNames ? field.name : field.jsonName)
        if field.isMap {
            json.raw(UInt8(ascii: "{"))
        } else if field.isRepeated {
            json.raw(UInt8(ascii: "["))
        }
        return true
    }

    /// Before a value: the comma between elements of the open list.
    mutating func beginElement(json: inout JSONBuffer) {
        guard let current, current.isRepeated, !current.isMap else { return }
        if elements > 0 { json.raw(UInt8(ascii: ",")) }
        elements += 1
    }

    /// Before a map entry's value: its key (and the comma before it). False when the key was seen
    /// before: the later value wins, which the tree path resolves.
    mutating func beginMapEntry(_ key: String, json: inout JSONBuffer) -> Bool {
        guard mapKeys.insert(key).inserted else { return false }
        if elements > 0 { json.raw(UInt8(ascii: ",")) }
        elements += 1
        json.key(key)
        return true
    }

    mutating func close(json: inout JSONBuffer) {
        guard let current else { return }
        if (1...64).contains(current.number) { closedLow |= 1 << (current.number - 1) } else { closedHigh.append(current.number) }
        if current.isMap { json.raw(UInt8(ascii: "}")) } else if current.isRepeated { json.raw(UInt8(ascii: "]")) }
        self.current = nil
    }
}
