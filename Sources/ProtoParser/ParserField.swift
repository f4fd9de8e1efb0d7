import SwiftProtobuf

/// Field definitions:
/// field = [ label ] type fieldName "=" fieldNumber [ "[" fieldOptions "]" ] ";"
/// group = label "group" groupName "=" fieldNumber messageBody
/// mapField = "map" "<" keyType "," type ">" mapName "=" fieldNumber [ "[" fieldOptions "]" ] ";"
/// (protobuf.dev/reference/protobuf/proto2-spec and proto3-spec, "Fields").
extension FileParser {
    static let scalarTypes: [String: Google_Protobuf_FieldDescriptorProto.TypeEnum] = [
        "double": .double, "float": .float, "int32": .int32, "int64": .int64,
        "uint32": .uint32, "uint64": .uint64, "sint32": .sint32, "sint64": .sint64,
        "fixed32": .fixed32, "fixed64": .fixed64, "sfixed32": .sfixed32, "sfixed64": .sfixed64,
        "bool": .bool, "string": .string, "bytes": .bytes,
    ]

    /// Sets either `type` (scalar) or `type_name` (as written).
    mutating func parseFieldType(_ field: inout Google_Protobuf_FieldDescriptorProto) throws {
        if state.current.kind == .identifier, let scalar = FileParser.scalarTypes[state.current.text] {
            field.type = scalar
            state.advance()
        } else {
            field.typeName = try state.consumeTypeName("Expected type name.")
        }
    }

    mutating func parseField(_ field: inout Google_Protobuf_FieldDescriptorProto,
                             nestedTypes: inout [Google_Protobuf_DescriptorProto],
                             scope: String, inOneof: Bool) throws {
        let startToken = state.current
        var hasLabel = false
        if state.tryConsume("optional") {
            hasLabel = true
            field.label = .optional
            if state.syntax == .proto3 { field.proto3Optional = true }
            if state.syntax == .editions {
                state.error("Label \"optional\" is not supported in editions. By default, all singular fields in editions have explicit presence.", at: startToken)
            }
        } else if state.tryConsume("required") {
            hasLabel = true
            field.label = .required
            if state.syntax == .proto3 {
                state.error("Required fields are not allowed in proto3.", at: startToken)
            } else if state.syntax == .editions {
                state.error("Label \"required\" is not supported in editions, use features.field_presence = LEGACY_REQUIRED.", at: startToken)
            }
        } else if state.tryConsume("repeated") {
            hasLabel = true
            field.label = .repeated
        } else {
            field.label = .optional
        }

        if state.lookingAt("map"), state.peek(1).isSymbol("<") {
            if hasLabel {
                state.error("Field labels (required/optional/repeated) are not allowed on map fields.", at: startToken)
            }
            if inOneof {
                state.error("Map fields are not allowed in oneofs.")
            }
            try parseMapField(&field, nestedTypes: &nestedTypes, scope: scope)
            return
        }

        if !hasLabel, !inOneof, state.syntax == .proto2, !state.lookingAt("group") {
            state.error("Expected \"required\", \"optional\", or \"repeated\".")
        }

        if state.lookingAt("group"), state.peek(1).kind == .identifier {
            try parseGroup(&field, nestedTypes: &nestedTypes, scope: scope, hasLabel: hasLabel || inOneof)
            return
        }

        try parseFieldType(&field)
        let nameToken = state.current
        field.name = try state.consumeIdentifier("Expected field name.")
        record(scope + field.name, nameToken)
        try state.consume("=", "Missing field number.")
        field.number = Int32(truncatingIfNeeded: try state.consumeSignedInteger("Expected field number.", min: Int64(Int32.min), max: Int64(Int32.max)))
        try parseFieldOptions(&field, element: scope + field.name)
        try state.consumeEndOfStatement()
    }

    mutating func parseGroup(_ field: inout Google_Protobuf_FieldDescriptorProto,
                             nestedTypes: inout [Google_Protobuf_DescriptorProto],
                             scope: String, hasLabel: Bool) throws {
        if state.syntax != .proto2 {
            state.error("Group syntax is no longer supported in this syntax. Use a delimited message field instead.")
        }
        try state.consume("group")
        let nameToken = state.current
        let groupName = try state.consumeIdentifier("Expected group name.")
        if let first = groupName.unicodeScalars.first, !(first >= "A" && first <= "Z") {
            state.error("Group names must start with a capital letter.", at: nameToken)
        }
        field.name = groupName.lowercased()
        field.type = .group
        field.typeName = groupName
        record(scope + field.name, nameToken)
        record(scope + groupName, nameToken)
        try state.consume("=", "Missing field number.")
        field.number = Int32(truncatingIfNeeded: try state.consumeSignedInteger("Expected field number.", min: Int64(Int32.min), max: Int64(Int32.max)))
        try parseFieldOptions(&field, element: scope + field.name)
        var group = Google_Protobuf_DescriptorProto()
        group.name = groupName
        try parseMessageBody(&group, scope: scope + groupName + ".")
        nestedTypes.append(group)
    }

    /// The map entry message name: the field name in CamelCase plus "Entry".
    static func mapEntryName(_ fieldName: String) -> String {
        var result = ""
        var capitalizeNext = true
        for c in fieldName {
            if c == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                result += c.isASCII && c.isLowercase ? c.uppercased() : String(c)
                capitalizeNext = false
            } else {
                result.append(c)
            }
        }
        return result + "Entry"
    }

    mutating func parseMapField(_ field: inout Google_Protobuf_FieldDescriptorProto,
                                nestedTypes: inout [Google_Protobuf_DescriptorProto],
                                scope: String) throws {
        try state.consume("map")
        try state.consume("<")
        var key = Google_Protobuf_FieldDescriptorProto()
        let keyToken = state.current
        try parseFieldType(&key)
        if key.hasTypeName || [.float, .double, .bytes].contains(key.type) {
            state.error("Key in map fields cannot be float/double, bytes or message types.", at: keyToken)
        }
        try state.consume(",")
        var value = Google_Protobuf_FieldDescriptorProto()
        try parseFieldType(&value)
        try state.consume(">")
        let nameToken = state.current
        field.name = try state.consumeIdentifier("Expected field name.")
        record(scope + field.name, nameToken)
        try state.consume("=", "Missing field number.")
        field.number = Int32(truncatingIfNeeded: try state.consumeSignedInteger("Expected field number.", min: Int64(Int32.min), max: Int64(Int32.max)))
        field.label = .repeated
        try parseFieldOptions(&field, element: scope + field.name)
        try state.consumeEndOfStatement()

        let entryName = FileParser.mapEntryName(field.name)
        field.typeName = entryName
        var entry = Google_Protobuf_DescriptorProto()
        entry.name = entryName
        entry.options.mapEntry = true
        key.name = "key"
        key.number = 1
        key.label = .optional
        value.name = "value"
        value.number = 2
        value.label = .optional
        entry.field = [key, value]
        nestedTypes.append(entry)
    }
}
