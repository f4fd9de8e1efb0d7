import SwiftProtobuf

/// Message definitions: message = "message" messageName messageBody, with
/// messageBody = "{" { field | enum | message | extend | extensions | group |
/// option | oneof | mapField | reserved | emptyStatement } "}"
/// (protobuf.dev/reference/protobuf/proto2-spec, "Message definition").
extension FileParser {
    mutating func parseMessage(_ message: inout Google_Protobuf_DescriptorProto, scope: String) throws {
        try state.consume("message")
        let nameToken = state.current
        message.name = try state.consumeIdentifier("Expected message name.")
        record(scope + message.name, nameToken)
        try parseMessageBody(&message, scope: scope + message.name + ".")
    }

    mutating func parseMessageBody(_ message: inout Google_Protobuf_DescriptorProto, scope: String) throws {
        try state.consume("{")
        state.depth += 1
        defer { state.depth -= 1 }
        if state.depth > ParserState.maxDepth {
            state.error("Message nesting is too deep.")
            state.skipRestOfBlock()
            return
        }
        while !state.tryConsume("}") {
            if state.atEnd {
                state.error("Reached end of input in message definition (missing '}').")
                throw ParserState.Failure()
            }
            let before = state.position
            do {
                try parseMessageStatement(&message, scope: scope)
            } catch {
                state.skipStatement()
            }
            if state.position == before { state.advance() }
        }
        generateSyntheticOneofs(&message)
        adjustMaxRanges(&message)
    }

    /// Marks a range end written as `max` until the message's options are known.
    static let maxSentinel: Int32 = -1

    /// `max` means 536870911 (exclusive end 536870912), or 2147483646 for
    /// messages with `option message_set_wire_format = true`.
    func adjustMaxRanges(_ message: inout Google_Protobuf_DescriptorProto) {
        let messageSet = message.options.uninterpretedOption.contains {
            $0.name.count == 1 && !$0.name[0].isExtension && $0.name[0].namePart == "message_set_wire_format" && $0.identifierValue == "true"
        }
        let end: Int32 = messageSet ? Int32.max : 536_870_912
        for i in message.extensionRange.indices where message.extensionRange[i].end == FileParser.maxSentinel {
            message.extensionRange[i].end = end
        }
        for i in message.reservedRange.indices where message.reservedRange[i].end == FileParser.maxSentinel {
            message.reservedRange[i].end = end
        }
    }

    mutating func parseMessageStatement(_ message: inout Google_Protobuf_DescriptorProto, scope: String) throws {
        if state.tryConsume(";") { return }
        if let visibility = parseVisibility() {
            if state.lookingAt("message") {
                var nested = Google_Protobuf_DescriptorProto()
                nested.visibility = visibility
                try parseMessage(&nested, scope: scope)
                message.nestedType.append(nested)
            } else {
                var e = Google_Protobuf_EnumDescriptorProto()
                e.visibility = visibility
                try parseEnum(&e, scope: scope)
                message.enumType.append(e)
            }
        } else if state.lookingAt("message") {
            var nested = Google_Protobuf_DescriptorProto()
            try parseMessage(&nested, scope: scope)
            message.nestedType.append(nested)
        } else if state.lookingAt("enum") {
            var e = Google_Protobuf_EnumDescriptorProto()
            try parseEnum(&e, scope: scope)
            message.enumType.append(e)
        } else if state.lookingAt("extensions") {
            try parseExtensions(&message, element: String(scope.dropLast()) + "#extensions")
        } else if state.lookingAt("reserved") {
            try parseMessageReserved(&message)
        } else if state.lookingAt("extend") {
            var extensions: [Google_Protobuf_FieldDescriptorProto] = []
            var nested: [Google_Protobuf_DescriptorProto] = []
            defer {
                message.extension += extensions
                message.nestedType += nested
            }
            try parseExtend(extensions: &extensions, nestedTypes: &nested, scope: scope)
        } else if state.lookingAt("option") {
            state.advance()
            var options = message.options
            try parseOptionStatement(into: &options.uninterpretedOption, element: String(scope.dropLast()))
            message.options = options
        } else if state.lookingAt("oneof") {
            try parseOneof(&message, scope: scope)
        } else {
            var field = Google_Protobuf_FieldDescriptorProto()
            try parseField(&field, nestedTypes: &message.nestedType, scope: scope, inOneof: false)
            message.field.append(field)
        }
    }

    /// Appends a synthetic oneof `_name` for each proto3 `optional` field,
    /// after all real oneofs (proto3-spec, "Optional fields").
    func generateSyntheticOneofs(_ message: inout Google_Protobuf_DescriptorProto) {
        var names = Set(message.field.map(\.name))
        names.formUnion(message.oneofDecl.map(\.name))
        for i in message.field.indices where message.field[i].proto3Optional {
            var name = message.field[i].name
            if name.isEmpty || !name.hasPrefix("_") { name = "_" + name }
            while names.contains(name) { name = "X" + name }
            names.insert(name)
            message.field[i].oneofIndex = Int32(message.oneofDecl.count)
            var oneof = Google_Protobuf_OneofDescriptorProto()
            oneof.name = name
            message.oneofDecl.append(oneof)
        }
    }

    /// oneof = "oneof" oneofName "{" { option | oneofField | group | emptyStatement } "}"
    mutating func parseOneof(_ message: inout Google_Protobuf_DescriptorProto, scope: String) throws {
        try state.consume("oneof")
        let nameToken = state.current
        var oneof = Google_Protobuf_OneofDescriptorProto()
        oneof.name = try state.consumeIdentifier("Expected oneof name.")
        record(scope + oneof.name, nameToken)
        let index = Int32(message.oneofDecl.count)
        message.oneofDecl.append(oneof)
        try state.consume("{")
        while !state.tryConsume("}") {
            if state.atEnd {
                state.error("Reached end of input in oneof definition (missing '}').")
                throw ParserState.Failure()
            }
            let before = state.position
            do {
                if state.tryConsume(";") {
                } else if state.lookingAt("option") {
                    state.advance()
                    var options = message.oneofDecl[Int(index)].options
                    try parseOptionStatement(into: &options.uninterpretedOption, element: scope + oneof.name)
                    message.oneofDecl[Int(index)].options = options
                } else {
                    if state.lookingAt("required") || state.lookingAt("optional") || state.lookingAt("repeated") {
                        state.error("Fields in oneofs must not have labels (required / optional / repeated).")
                        state.advance()
                    }
                    var field = Google_Protobuf_FieldDescriptorProto()
                    field.oneofIndex = index
                    try parseField(&field, nestedTypes: &message.nestedType, scope: scope, inOneof: true)
                    message.field.append(field)
                }
            } catch {
                state.skipStatement()
            }
            if state.position == before { state.advance() }
        }
    }

    /// extensions = "extensions" ranges [ "[" options "]" ] ";"
    mutating func parseExtensions(_ message: inout Google_Protobuf_DescriptorProto, element: String) throws {
        try state.consume("extensions")
        var ranges = try parseRanges(isEnum: false).map { bounds in
            var range = Google_Protobuf_DescriptorProto.ExtensionRange()
            range.start = Int32(truncatingIfNeeded: bounds.start)
            range.end = bounds.end == Int64.max ? FileParser.maxSentinel : Int32(truncatingIfNeeded: bounds.end + 1)
            return range
        }
        if state.lookingAt("[") {
            state.advance()
            var options = Google_Protobuf_ExtensionRangeOptions()
            repeat {
                options.uninterpretedOption.append(try parseOptionAssignment(element: element, index: options.uninterpretedOption.count))
            } while state.tryConsume(",")
            try state.consume("]")
            for i in ranges.indices { ranges[i].options = options }
        }
        try state.consumeEndOfStatement()
        message.extensionRange += ranges
    }

    /// `ranges = range { "," range }`, `range = intLit [ "to" ( intLit | "max" ) ]`: inclusive
    /// bounds as written, `max` as Int64.max.
    mutating func parseRanges(isEnum: Bool) throws -> [(start: Int64, end: Int64)] {
        var ranges: [(start: Int64, end: Int64)] = []
        repeat {
            let start = try parseRangeBound(allowMax: false, isEnum: isEnum)
            var end = start
            if state.tryConsume("to") { end = try parseRangeBound(allowMax: true, isEnum: isEnum) }
            ranges.append((start, end))
        } while state.tryConsume(",")
        return ranges
    }

    /// Reserved names: quoted strings (proto2, proto3) or identifiers (editions).
    mutating func parseReservedNames(_ expected: String) throws -> [String] {
        var names: [String] = []
        repeat {
            checkReservedNameForm()
            if state.current.kind == .string {
                names.append(String(decoding: try state.consumeString(expected), as: UTF8.self))
            } else {
                names.append(try state.consumeIdentifier(expected))
            }
        } while state.tryConsume(",")
        return names
    }

    /// A range bound; `max` is returned as Int64.max.
    mutating func parseRangeBound(allowMax: Bool, isEnum: Bool) throws -> Int64 {
        if allowMax, state.tryConsume("max") { return Int64.max }
        if isEnum {
            return try state.consumeSignedInteger("Expected integer.", min: Int64(Int32.min), max: Int64(Int32.max))
        }
        return try state.consumeSignedInteger("Expected field number range.", min: Int64(Int32.min), max: Int64(Int32.max))
    }

    /// reserved = "reserved" ( ranges | strFieldNames | fieldNames ) ";"
    mutating func parseMessageReserved(_ message: inout Google_Protobuf_DescriptorProto) throws {
        try state.consume("reserved")
        if state.current.kind == .string || state.current.kind == .identifier {
            message.reservedName += try parseReservedNames("Expected field name.")
        } else {
            message.reservedRange += try parseRanges(isEnum: false).map { bounds in
                var range = Google_Protobuf_DescriptorProto.ReservedRange()
                range.start = Int32(truncatingIfNeeded: bounds.start)
                range.end = bounds.end == Int64.max ? FileParser.maxSentinel : Int32(truncatingIfNeeded: bounds.end + 1)
                return range
            }
        }
        try state.consumeEndOfStatement()
    }

    /// Proto2/proto3 reserve names as string literals, editions as identifiers.
    mutating func checkReservedNameForm() {
        if state.syntax == .editions, state.current.kind == .string {
            state.error("Reserved names must be identifiers in editions, not string literals.")
        } else if state.syntax != .editions, state.current.kind == .identifier {
            state.error("Reserved names must be string literals. (Only editions supports identifiers.)")
        }
    }

    /// extend = "extend" messageType "{" { field | group | emptyStatement } "}"
    mutating func parseExtend(extensions: inout [Google_Protobuf_FieldDescriptorProto],
                              nestedTypes: inout [Google_Protobuf_DescriptorProto],
                              scope: String) throws {
        try state.consume("extend")
        let extendee = try state.consumeTypeName("Expected message type.")
        try state.consume("{")
        while !state.tryConsume("}") {
            if state.atEnd {
                state.error("Reached end of input in extend definition (missing '}').")
                throw ParserState.Failure()
            }
            let before = state.position
            do {
                if !state.tryConsume(";") {
                    var field = Google_Protobuf_FieldDescriptorProto()
                    field.extendee = extendee
                    let start = state.current
                    try parseField(&field, nestedTypes: &nestedTypes, scope: scope, inOneof: false)
                    if field.hasJsonName {
                        state.error("option json_name is not allowed on extension fields.", at: start)
                    }
                    extensions.append(field)
                }
            } catch {
                state.skipStatement()
            }
            if state.position == before { state.advance() }
        }
    }
}
