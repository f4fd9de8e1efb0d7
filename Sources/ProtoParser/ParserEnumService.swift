import SwiftProtobuf

/// Enum and service definitions:
/// enum = "enum" enumName enumBody; enumBody = "{" { option | enumField | reserved | emptyStatement } "}"
/// service = "service" serviceName "{" { option | rpc | emptyStatement } "}"
/// rpc = "rpc" rpcName "(" [ "stream" ] messageType ")" "returns" "(" [ "stream" ] messageType ")"
///       (( "{" { option | emptyStatement } "}" ) | ";")
/// (protobuf.dev/reference/protobuf/proto3-spec, "Enum definition" and "Service definition").
extension FileParser {
    mutating func parseEnum(_ e: inout Google_Protobuf_EnumDescriptorProto, scope: String) throws {
        try state.consume("enum")
        let nameToken = state.current
        e.name = try state.consumeIdentifier("Expected enum name.")
        record(scope + e.name, nameToken)
        try state.consume("{")
        while !state.tryConsume("}") {
            if state.atEnd {
                state.error("Reached end of input in enum definition (missing '}').")
                throw ParserState.Failure()
            }
            let before = state.position
            do {
                try parseEnumStatement(&e, scope: scope)
            } catch {
                state.skipStatement()
            }
            if state.position == before { state.advance() }
        }
    }

    mutating func parseEnumStatement(_ e: inout Google_Protobuf_EnumDescriptorProto, scope: String) throws {
        if state.tryConsume(";") { return }
        if state.lookingAt("option") {
            state.advance()
            var options = e.options
            try parseOptionStatement(into: &options.uninterpretedOption, element: scope + e.name)
            e.options = options
        } else if state.lookingAt("reserved") {
            state.advance()
            if state.current.kind == .string || (state.current.kind == .identifier && !state.lookingAt("max")) {
                e.reservedName += try parseReservedNames("Expected enum value.")
            } else {
                e.reservedRange += try parseRanges(isEnum: true).map { bounds in
                    var range = Google_Protobuf_EnumDescriptorProto.EnumReservedRange()
                    range.start = Int32(truncatingIfNeeded: bounds.start)
                    range.end = bounds.end == Int64.max ? Int32.max : Int32(truncatingIfNeeded: bounds.end)
                    return range
                }
            }
            try state.consumeEndOfStatement()
        } else {
            var value = Google_Protobuf_EnumValueDescriptorProto()
            let nameToken = state.current
            value.name = try state.consumeIdentifier("Expected enum constant name.")
            record(scope + value.name, nameToken)
            try state.consume("=", "Missing numeric value for enum constant.")
            value.number = Int32(try state.consumeSignedInteger("Expected integer.", min: Int64(Int32.min), max: Int64(Int32.max)))
            if state.tryConsume("[") {
                repeat {
                    value.options.uninterpretedOption.append(try parseOptionAssignment(element: scope + value.name, index: value.options.uninterpretedOption.count))
                } while state.tryConsume(",")
                try state.consume("]")
            }
            try state.consumeEndOfStatement()
            e.value.append(value)
        }
    }

    mutating func parseService(_ s: inout Google_Protobuf_ServiceDescriptorProto) throws {
        try state.consume("service")
        let nameToken = state.current
        s.name = try state.consumeIdentifier("Expected service name.")
        record(s.name, nameToken)
        try state.consume("{")
        while !state.tryConsume("}") {
            if state.atEnd {
                state.error("Reached end of input in service definition (missing '}').")
                throw ParserState.Failure()
            }
            let before = state.position
            do {
                if state.tryConsume(";") {
                } else if state.lookingAt("option") {
                    state.advance()
                    var options = s.options
                    try parseOptionStatement(into: &options.uninterpretedOption, element: s.name)
                    s.options = options
                } else if state.lookingAt("rpc") {
                    var method = Google_Protobuf_MethodDescriptorProto()
                    try parseMethod(&method, scope: s.name + ".")
                    s.method.append(method)
                } else {
                    state.error("Expected \"rpc\".")
                    throw ParserState.Failure()
                }
            } catch {
                state.skipStatement()
            }
            if state.position == before { state.advance() }
        }
    }

    mutating func parseMethod(_ m: inout Google_Protobuf_MethodDescriptorProto, scope: String) throws {
        try state.consume("rpc")
        let nameToken = state.current
        m.name = try state.consumeIdentifier("Expected method name.")
        record(scope + m.name, nameToken)
        try state.consume("(")
        if state.lookingAt("stream"), state.peek(1).kind == .identifier || state.peek(1).isSymbol(".") {
            state.advance()
            m.clientStreaming = true
        }
        m.inputType = try state.consumeTypeName("Expected message type.")
        try state.consume(")")
        try state.consume("returns")
        try state.consume("(")
        if state.lookingAt("stream"), state.peek(1).kind == .identifier || state.peek(1).isSymbol(".") {
            state.advance()
            m.serverStreaming = true
        }
        m.outputType = try state.consumeTypeName("Expected message type.")
        try state.consume(")")
        if state.tryConsume("{") {
            // A method body, even an empty one, gives the method an options message.
            m.options = m.options
            while !state.tryConsume("}") {
                if state.atEnd {
                    state.error("Reached end of input in method options (missing '}').")
                    throw ParserState.Failure()
                }
                let before = state.position
                do {
                    if state.tryConsume(";") {
                    } else if state.lookingAt("option") {
                        state.advance()
                        var options = m.options
                        try parseOptionStatement(into: &options.uninterpretedOption, element: scope + m.name)
                        m.options = options
                    } else {
                        state.error("Expected \"option\".")
                        throw ParserState.Failure()
                    }
                } catch {
                    state.skipStatement()
                }
                if state.position == before { state.advance() }
            }
        } else {
            try state.consumeEndOfStatement()
        }
    }
}
