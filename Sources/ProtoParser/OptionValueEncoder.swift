import Foundation
import SwiftProtobuf

/// An option value as written in the source (the `constant` production of
/// protobuf.dev/reference/protobuf/proto2-spec).
enum OptionValue {
    case identifier(String)
    case positiveInt(UInt64)
    case negativeInt(Int64)
    case double(Double)
    case string([UInt8])
    case aggregate(String)

    init(_ option: Google_Protobuf_UninterpretedOption) {
        if option.hasIdentifierValue {
            self = .identifier(option.identifierValue)
        } else if option.hasPositiveIntValue {
            self = .positiveInt(option.positiveIntValue)
        } else if option.hasNegativeIntValue {
            self = .negativeInt(option.negativeIntValue)
        } else if option.hasDoubleValue {
            self = .double(option.doubleValue)
        } else if option.hasStringValue {
            self = .string(Array(option.stringValue))
        } else {
            self = .aggregate(option.aggregateValue)
        }
    }
}

struct OptionError: Error {
    var message: String
}

/// Finds message, enum and extension descriptors, first among the compiled
/// files, then in the built-in `descriptor.proto`.
struct DescriptorLookup {
    var user: SymbolTable
    var builtin: SymbolTable

    private static func strip(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }

    func message(_ name: String) -> Google_Protobuf_DescriptorProto? {
        let n = DescriptorLookup.strip(name)
        return user.messages[n] ?? builtin.messages[n]
    }

    func enumType(_ name: String) -> Google_Protobuf_EnumDescriptorProto? {
        let n = DescriptorLookup.strip(name)
        return user.enums[n] ?? builtin.enums[n]
    }

    func extensionField(_ name: String) -> Google_Protobuf_FieldDescriptorProto? {
        let n = DescriptorLookup.strip(name)
        return user.extensions[n] ?? builtin.extensions[n]
    }

    /// Whether an option field is declared with `retention = RETENTION_SOURCE`
    /// (its values are omitted from descriptors), whether or not the
    /// declaring file's own options were interpreted yet.
    static func hasSourceRetention(_ field: Google_Protobuf_FieldDescriptorProto) -> Bool {
        if field.options.hasRetention { return field.options.retention == .retentionSource }
        return field.options.uninterpretedOption.contains {
            $0.name.count == 1 && !$0.name[0].isExtension && $0.name[0].namePart == "retention" && $0.identifierValue == "RETENTION_SOURCE"
        }
    }

    /// Extensions are packed by default when declared in a proto3 or editions file.
    func extensionPackedByDefault(_ name: String) -> Bool {
        let n = DescriptorLookup.strip(name)
        return user.extensionPackedByDefault[n] ?? builtin.extensionPackedByDefault[n] ?? false
    }

    /// Repeated scalars are packed by default in proto3 and editions files.
    func packedByDefault(_ messageName: String) -> Bool {
        let n = DescriptorLookup.strip(messageName)
        return user.messageIsProto3[n] ?? builtin.messageIsProto3[n] ?? false
    }
}

/// Encodes single option values into wire format according to the field's type.
struct OptionValueEncoder {
    var lookup: DescriptorLookup

    static func wireType(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum) -> WireType {
        switch type {
        case .double, .fixed64, .sfixed64: return .fixed64
        case .float, .fixed32, .sfixed32: return .fixed32
        case .string, .bytes, .message: return .lengthDelimited
        case .group: return .startGroup
        default: return .varint
        }
    }

    static func typeName(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum) -> String {
        switch type {
        case .double: return "double"
        case .float: return "float"
        case .int64: return "int64"
        case .uint64: return "uint64"
        case .int32: return "int32"
        case .fixed64: return "fixed64"
        case .fixed32: return "fixed32"
        case .bool: return "bool"
        case .string: return "string"
        case .group: return "group"
        case .message: return "message"
        case .bytes: return "bytes"
        case .uint32: return "uint32"
        case .enum: return "enum"
        case .sfixed32: return "sfixed32"
        case .sfixed64: return "sfixed64"
        case .sint32: return "sint32"
        case .sint64: return "sint64"
        }
    }

    /// The payload of a scalar (non-message) value, without tag.
    func encodeScalar(_ field: Google_Protobuf_FieldDescriptorProto, _ value: OptionValue, optionName: String) throws -> [UInt8] {
        let typeName = OptionValueEncoder.typeName(field.type)
        func signed(min: Int64, max: Int64) throws -> Int64 {
            switch value {
            case .positiveInt(let v):
                guard v <= UInt64(max) else { throw OptionError(message: "Value out of range for \(typeName) option \"\(optionName)\".") }
                return Int64(v)
            case .negativeInt(let v):
                guard v >= min else { throw OptionError(message: "Value out of range for \(typeName) option \"\(optionName)\".") }
                return v
            default:
                throw OptionError(message: "Value must be integer for \(typeName) option \"\(optionName)\".")
            }
        }
        func unsigned(max: UInt64) throws -> UInt64 {
            switch value {
            case .positiveInt(let v):
                guard v <= max else { throw OptionError(message: "Value out of range for \(typeName) option \"\(optionName)\".") }
                return v
            case .negativeInt:
                throw OptionError(message: "Value must be non-negative integer for \(typeName) option \"\(optionName)\".")
            default:
                throw OptionError(message: "Value must be integer for \(typeName) option \"\(optionName)\".")
            }
        }
        func floating() throws -> Double {
            switch value {
            case .double(let d): return d
            case .positiveInt(let v): return Double(v)
            case .negativeInt(let v): return Double(v)
            case .identifier(let s) where s == "inf": return .infinity
            case .identifier(let s) where s == "nan": return .nan
            default: throw OptionError(message: "Value must be number for \(typeName) option \"\(optionName)\".")
            }
        }
        switch field.type {
        case .int32:
            return WireWriter.varint(UInt64(bitPattern: try signed(min: Int64(Int32.min), max: Int64(Int32.max))))
        case .int64:
            return WireWriter.varint(UInt64(bitPattern: try signed(min: Int64.min, max: Int64.max)))
        case .sint32:
            return WireWriter.varint(WireWriter.zigzag32(Int32(try signed(min: Int64(Int32.min), max: Int64(Int32.max)))))
        case .sint64:
            return WireWriter.varint(WireWriter.zigzag64(try signed(min: Int64.min, max: Int64.max)))
        case .sfixed32:
            return WireWriter.fixed32(UInt32(bitPattern: Int32(try signed(min: Int64(Int32.min), max: Int64(Int32.max)))))
        case .sfixed64:
            return WireWriter.fixed64(UInt64(bitPattern: try signed(min: Int64.min, max: Int64.max)))
        case .uint32:
            return WireWriter.varint(try unsigned(max: UInt64(UInt32.max)))
        case .uint64:
            return WireWriter.varint(try unsigned(max: UInt64.max))
        case .fixed32:
            return WireWriter.fixed32(UInt32(try unsigned(max: UInt64(UInt32.max))))
        case .fixed64:
            return WireWriter.fixed64(try unsigned(max: UInt64.max))
        case .double:
            return WireWriter.fixed64(try floating().bitPattern)
        case .float:
            return WireWriter.fixed32(Float(try floating()).bitPattern)
        case .bool:
            guard case .identifier(let s) = value, s == "true" || s == "false" else {
                throw OptionError(message: "Value must be \"true\" or \"false\" for boolean option \"\(optionName)\".")
            }
            return WireWriter.varint(s == "true" ? 1 : 0)
        case .string, .bytes:
            guard case .string(let bytes) = value else {
                throw OptionError(message: "Value must be quoted string for string option \"\(optionName)\".")
            }
            return WireWriter.varint(UInt64(bytes.count)) + bytes
        case .enum:
            guard case .identifier(let s) = value else {
                throw OptionError(message: "Value must be identifier for enum-valued option \"\(optionName)\".")
            }
            guard let e = lookup.enumType(field.typeName) else {
                throw OptionError(message: "Enum type \"\(field.typeName)\" is not defined.")
            }
            guard let v = e.value.first(where: { $0.name == s }) else {
                throw OptionError(message: "Enum type \"\(field.typeName.dropFirst())\" has no value named \"\(s)\" for option \"\(optionName)\".")
            }
            return WireWriter.varint(UInt64(bitPattern: Int64(v.number)))
        case .message, .group:
            throw OptionError(message: "Option \"\(optionName)\" is a message. To set the entire message, use syntax like \"\(optionName) = { <proto text format> }\". To set fields within it, use syntax like \"\(optionName).foo = value\".")
        }
    }

    /// A complete field (tag and value) for `value`.
    func encodeField(_ field: Google_Protobuf_FieldDescriptorProto, _ value: OptionValue, optionName: String, depth: Int) throws -> [UInt8] {
        if field.type == .message || field.type == .group {
            guard case .aggregate(let text) = value else {
                _ = try encodeScalar(field, value, optionName: optionName)
                return []
            }
            var encoder = TextFormatEncoder(lookup: lookup, optionName: optionName, tokens: Tokenizer.tokenize(text).tokens)
            let payload = try encoder.encodeMessage(field.typeName, depth: depth + 1, close: nil)
            return field.type == .group ? WireWriter.group(field.number, payload) : WireWriter.lengthDelimited(field.number, payload)
        }
        let payload = try encodeScalar(field, value, optionName: optionName)
        return WireWriter.tag(field.number, OptionValueEncoder.wireType(field.type)) + payload
    }
}
