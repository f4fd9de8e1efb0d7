import Protobuf
import WireCore

/// Labels every byte of a protobuf blob (protobuf.dev "Encoding"): each tag with its field number
/// and wire type, each length prefix, each value with its readings, nested messages, groups and
/// packed values with their boundaries. With a schema, fields get their names and values are read
/// as their declared types; without one, as `RawDecoder` reads them. A malformed blob is labelled
/// up to the faulty byte, and the rest is one error range with the reason.
public struct ProtobufAnnotator: Sendable {
    public var schema: (any AnnotationSchema)?

    public init(schema: (any AnnotationSchema)? = nil) {
        self.schema = schema
    }

    /// `bytes` as message `type` (nil: no schema), offsets counted from `baseOffset`.
    public func annotate(_ bytes: ArraySlice<UInt8>, type: String?, baseOffset: Int = 0) -> [AnnotatedRange] {
        var ranges: [AnnotatedRange] = []
        message(RawDecoder.decode(bytes, baseOffset: baseOffset), type: type, depth: 0, into: &ranges)
        return ranges
    }

    func message(_ raw: RawMessage, type: String?, depth: Int, into ranges: inout [AnnotatedRange]) {
        for field in raw.fields { self.field(field, parent: type, depth: depth, into: &ranges) }
        if let undecoded = raw.undecoded {
            let reason = raw.problems.first?.message ?? "undecodable bytes"
            ranges.append(AnnotatedRange(offset: undecoded.start, length: undecoded.count, depth: depth, kind: .error, text: "! " + reason))
        }
    }

    func field(_ field: RawField, parent: String?, depth: Int, into ranges: inout [AnnotatedRange]) {
        let info = parent.flatMap { schema?.field(field.number, of: $0) }
        func add(_ span: ByteSpan, _ kind: AnnotatedRange.Kind, _ text: String, depth level: Int) {
            ranges.append(AnnotatedRange(offset: span.start, length: span.count, depth: level, kind: kind, text: text, field: field.number, name: info?.name))
        }
        let label = "field \(field.number)" + (info.map { " (\($0.name))" } ?? "")
        add(field.tagSpan, .tag, "tag: \(label), wire type \(field.wireType.rawValue) \(field.wireType.description.uppercased())", depth: depth)
        let valueSpan = ByteSpan(start: (field.lengthSpan ?? field.tagSpan).end, end: field.span.end)
        let mismatch = info.flatMap { Self.mismatch($0.kind, field.wireType) }.map { "  ! schema says \($0)" } ?? ""
        switch field.value {
        case let .varint(value):
            add(valueSpan, .varint, ValueReadings.varint(value, info) + mismatch, depth: depth + 1)
        case let .fixed32(value):
            add(valueSpan, .fixed32, ValueReadings.fixed32(value, info?.kind) + mismatch, depth: depth + 1)
        case let .fixed64(value):
            add(valueSpan, .fixed64, ValueReadings.fixed64(value, info?.kind) + mismatch, depth: depth + 1)
        case let .group(fields):
            var inner = RawMessage()
            inner.fields = fields
            let type: String? = if case let .group(name)? = info?.kind { name } else { nil }
            ranges.append(AnnotatedRange(offset: field.tagSpan.end, length: 0, depth: depth + 1, kind: .messageStart, text: "group" + (type.map { " " + $0 } ?? "") + " {" + mismatch, field: field.number))
            message(inner, type: type, depth: depth + 2, into: &ranges)
            let endTag = ByteSpan(start: fields.last?.span.end ?? field.tagSpan.end, end: field.span.end)
            ranges.append(AnnotatedRange(offset: endTag.start, length: 0, depth: depth + 1, kind: .messageEnd, text: "}", field: field.number))
            if endTag.count > 0 { add(endTag, .groupEnd, "tag: \(label), wire type 4 EGROUP", depth: depth) }
        case let .lengthDelimited(content):
            if let lengthSpan = field.lengthSpan { add(lengthSpan, .length, "length \(content.bytes.count)", depth: depth + 1) }
            lengthDelimited(content, field: field, info: info, mismatch: mismatch, depth: depth + 1, into: &ranges)
        }
    }

    func lengthDelimited(_ content: LengthDelimited, field: RawField, info: AnnotatedFieldInfo?, mismatch: String, depth: Int, into ranges: inout [AnnotatedRange]) {
        func add(_ kind: AnnotatedRange.Kind, _ text: String) {
            ranges.append(AnnotatedRange(offset: content.span.start, length: content.span.count, depth: depth, kind: kind, text: text, field: field.number, name: info?.name))
        }
        func nested(_ type: String?) {
            let inner = RawDecoder.decode(content.bytes, baseOffset: content.span.start)
            ranges.append(AnnotatedRange(offset: content.span.start, length: 0, depth: depth, kind: .messageStart, text: "message" + (type.map { " " + $0 } ?? "") + " {", field: field.number))
            message(inner, type: type, depth: depth + 1, into: &ranges)
            ranges.append(AnnotatedRange(offset: content.span.end, length: 0, depth: depth, kind: .messageEnd, text: "}", field: field.number))
        }
        if let info, mismatch.isEmpty {
            switch info.kind {
            case let .message(type), let .group(type):
                return nested(type)
            case .string:
                guard let text = String(validating: content.bytes, as: UTF8.self) else { return add(.bytes, "string, \(content.bytes.count) bytes  ! not valid UTF-8") }
                return add(.string, "string " + ValueReadings.quoted(text))
            case .bytes:
                return add(.bytes, "bytes, \(content.bytes.count)")
            default:
                // A repeated scalar in one LEN field: packed (protobuf.dev "Encoding", Packed Repeated Fields).
                return packed(content, field: field, info: info, depth: depth, into: &ranges)
            }
        }
        switch content.interpretation {
        case .message:
            nested(nil)
        case let .text(text):
            add(.string, "text " + ValueReadings.quoted(text) + mismatch)
        case .packedVarints, .packedFixed32, .packedFixed64:
            packed(content, field: field, info: nil, depth: depth, into: &ranges)
        case .bytes:
            add(.bytes, "bytes, \(content.bytes.count)" + mismatch)
        }
    }

    /// Packed values one by one: with a schema as its type, without as the heuristics chose.
    func packed(_ content: LengthDelimited, field: RawField, info: AnnotatedFieldInfo?, depth: Int, into ranges: inout [AnnotatedRange]) {
        let width: Int? = switch info?.kind {
        case .fixed32?, .sfixed32?, .float?: 4
        case .fixed64?, .sfixed64?, .double?: 8
        case nil:
            switch content.interpretation {
            case .packedFixed32: 4
            case .packedFixed64: 8
            default: nil
            }
        default: nil
        }
        var values: [AnnotatedRange] = []
        var reader = ByteReader(content.bytes, baseOffset: content.span.start)
        while !reader.isAtEnd {
            let start = reader.offset
            let text: String
            if width == 4, let value = reader.readUInt32(littleEndian: true) {
                text = ValueReadings.fixed32(value, info?.kind)
            } else if width == 8, let value = reader.readUInt64(littleEndian: true) {
                text = ValueReadings.fixed64(value, info?.kind)
            } else if width == nil, let value = RawDecoder.readVarint(&reader) {
                text = ValueReadings.varint(value, info)
            } else {
                values.append(AnnotatedRange(offset: start, length: content.span.end - start, depth: depth + 1, kind: .error,
                                             text: "! packed values end inside a value", field: field.number))
                break
            }
            values.append(AnnotatedRange(offset: start, length: reader.offset - start, depth: depth + 1, kind: .packedValue, text: text, field: field.number, name: info?.name))
        }
        let kind = width.map { "fixed\($0 * 8)" } ?? "varint"
        ranges.append(AnnotatedRange(offset: content.span.start, length: 0, depth: depth, kind: .packedStart,
                                     text: "packed \(kind)s, \(values.count) value\(values.count == 1 ? "" : "s") {", field: field.number))
        ranges += values
        ranges.append(AnnotatedRange(offset: content.span.end, length: 0, depth: depth, kind: .packedEnd, text: "}", field: field.number))
    }

    /// The schema's type when it cannot be encoded with `wireType`, e.g. "string".
    static func mismatch(_ kind: AnnotatedFieldInfo.Kind, _ wireType: WireType) -> String? {
        let fits: Bool = switch kind {
        case .int32, .int64, .uint32, .uint64, .sint32, .sint64, .bool, .enumeration: wireType == .varint || wireType == .len
        case .fixed32, .sfixed32, .float: wireType == .i32 || wireType == .len
        case .fixed64, .sfixed64, .double: wireType == .i64 || wireType == .len
        case .string, .bytes, .message: wireType == .len
        case .group: wireType == .startGroup
        }
        return fits ? nil : ValueReadings.name(kind)
    }
}
