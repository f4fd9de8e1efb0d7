import Annotate
import Protobuf
import Schema

/// Field names and types for `grpcdump annotate`, from the loaded schemas.
public struct PoolAnnotationSchema: AnnotationSchema {
    let pool: DescriptorPool

    public init(_ types: MessageTypes) {
        pool = types.pool
    }

    public func field(_ number: Int, of messageType: String) -> AnnotatedFieldInfo? {
        guard let field = pool.message(named: messageType)?.field(number: number) else { return nil }
        let typeName = field.typeName ?? "?"
        let kind: AnnotatedFieldInfo.Kind = switch field.type {
        case .message: .message(typeName)
        case .group: .group(typeName)
        case .enum: .enumeration(typeName)
        case .double: .double
        case .float: .float
        case .int64: .int64
        case .uint64: .uint64
        case .int32: .int32
        case .fixed64: .fixed64
        case .fixed32: .fixed32
        case .bool: .bool
        case .string: .string
        case .bytes: .bytes
        case .uint32: .uint32
        case .sfixed32: .sfixed32
        case .sfixed64: .sfixed64
        case .sint32: .sint32
        case .sint64: .sint64
        }
        var names: [Int32: String] = [:]
        if field.type == .enum, let enumType = pool.enumType(named: typeName) {
            for value in enumType.values where names[value.number] == nil { names[value.number] = value.name }
        }
        return AnnotatedFieldInfo(name: field.name, kind: kind, repeated: field.isRepeated, enumNames: names)
    }
}

/// One annotated buffer: the blob, or the inflated message of a compressed one.
public struct AnnotationSection: Sendable {
    public var title: String?
    public var bytes: [UInt8]
    public var ranges: [AnnotatedRange]

    public init(title: String?, bytes: [UInt8], ranges: [AnnotatedRange]) {
        self.title = title
        self.bytes = bytes
        self.ranges = ranges
    }

    /// `{"format":"hex","type":…,"length":N,"ranges":[…],"inflated":{"length":N,"ranges":[…]}}`
    public static func json(_ sections: [AnnotationSection], format: String, type: String?) -> String {
        var object = JSONObject()
        object.add("format", format)
        if let type { object.add("type", type) }
        if let blob = sections.first {
            object.add("length", blob.bytes.count)
            object.add("ranges", json: AnnotationJSON.ranges(blob.ranges, bytes: blob.bytes))
        }
        for inflated in sections.dropFirst() {
            var part = JSONObject()
            part.add("length", inflated.bytes.count)
            part.add("ranges", json: AnnotationJSON.ranges(inflated.ranges, bytes: inflated.bytes))
            object.add("inflated", part)
        }
        return object.text
    }
}
