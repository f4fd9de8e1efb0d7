import Foundation
import SwiftProtobuf

/// Option statements and bracketed field options.
///
/// option = "option" optionName "=" constant ";"
/// optionName = ( ident | "(" fullIdent ")" ) { "." ( ident | "(" fullIdent ")" ) }
/// (protobuf.dev/reference/protobuf/proto2-spec, "Option"). Values are stored as
/// `UninterpretedOption`s; aggregate values (`{ ... }`) keep their token text.
extension FileParser {
    /// Parses `optionName "=" constant ";"` after the `option` keyword.
    /// `element` names the element the option belongs to; the option's position
    /// is recorded under `opt:<element>:<index>` for later diagnostics.
    mutating func parseOptionStatement(into list: inout [Google_Protobuf_UninterpretedOption], element: String) throws {
        let option = try parseOptionAssignment(element: element, index: list.count)
        try state.consumeEndOfStatement()
        list.append(option)
    }

    mutating func parseOptionName() throws -> [Google_Protobuf_UninterpretedOption.NamePart] {
        var parts: [Google_Protobuf_UninterpretedOption.NamePart] = []
        repeat {
            var part = Google_Protobuf_UninterpretedOption.NamePart()
            if state.tryConsume("(") {
                var name = ""
                if state.tryConsume(".") { name = "." }
                name += try state.consumeIdentifier("Expected identifier.")
                while state.tryConsume(".") {
                    name += "." + (try state.consumeIdentifier("Expected identifier."))
                }
                try state.consume(")")
                part.namePart = name
                part.isExtension = true
            } else {
                part.namePart = try state.consumeIdentifier("Expected identifier.")
                part.isExtension = false
            }
            parts.append(part)
        } while state.tryConsume(".")
        return parts
    }

    mutating func parseOptionAssignment(element: String, index: Int) throws -> Google_Protobuf_UninterpretedOption {
        record("opt:\(element):\(index)", state.current)
        var option = Google_Protobuf_UninterpretedOption()
        option.name = try parseOptionName()
        try state.consume("=")
        try parseOptionValue(into: &option)
        return option
    }

    /// constant = fullIdent | ( [ "-" | "+" ] intLit ) | ( [ "-" | "+" ] floatLit ) | strLit | boolLit | MessageValue
    mutating func parseOptionValue(into option: inout Google_Protobuf_UninterpretedOption) throws {
        let negative = state.tryConsume("-")
        if !negative { _ = state.tryConsume("+") }
        let token = state.current
        switch token.kind {
        case .identifier:
            if negative {
                guard token.text == "inf" || token.text == "nan" else {
                    state.error("Identifier after '-' symbol must be inf or nan.")
                    throw ParserState.Failure()
                }
                // NaN keeps a positive sign even when written "-nan".
                option.doubleValue = token.text == "inf" ? -Double.infinity : Double.nan
                state.advance()
                return
            }
            var name = token.text
            state.advance()
            while state.lookingAt("."), state.peek(1).kind == .identifier {
                state.advance()
                name += "." + state.current.text
                state.advance()
            }
            option.identifierValue = name
        case .integer:
            guard let value = NumberLiterals.parseInteger(token.text) else {
                state.error("Integer out of range.")
                throw ParserState.Failure()
            }
            state.advance()
            if negative {
                if value > UInt64(Int64.max) + 1 {
                    option.doubleValue = -Double(value)
                } else {
                    option.negativeIntValue = value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value)
                }
            } else {
                option.positiveIntValue = value
            }
        case .float:
            guard let value = NumberLiterals.parseFloat(token.text) else {
                state.error("Invalid float literal.")
                throw ParserState.Failure()
            }
            state.advance()
            option.doubleValue = negative ? -value : value
        case .string:
            if negative {
                state.error("Invalid '-' symbol before string.")
                throw ParserState.Failure()
            }
            option.stringValue = Data(try state.consumeString("Expected string."))
        case .symbol where token.text == "{" || token.text == "<":
            if negative {
                state.error("Invalid '-' symbol before aggregate value.")
                throw ParserState.Failure()
            }
            option.aggregateValue = try parseAggregateText()
        default:
            state.error("Expected option value.")
            throw ParserState.Failure()
        }
    }

    /// Collects the tokens of a `{ ... }` block as text (braces excluded).
    mutating func parseAggregateText() throws -> String {
        let open = state.current.text
        let close = open == "{" ? "}" : ">"
        state.advance()
        var depth = 1
        var parts: [String] = []
        while !state.atEnd {
            if state.lookingAt(open) {
                depth += 1
            } else if state.lookingAt(close) {
                depth -= 1
                if depth == 0 {
                    state.advance()
                    return parts.joined(separator: " ")
                }
            }
            parts.append(state.current.text)
            state.advance()
        }
        state.error("Unexpected end of stream while parsing aggregate value.")
        throw ParserState.Failure()
    }

    /// fieldOptions = "[" fieldOption { "," fieldOption } "]"; handles the
    /// pseudo-options `default` and `json_name`.
    mutating func parseFieldOptions(_ field: inout Google_Protobuf_FieldDescriptorProto, element: String) throws {
        guard state.tryConsume("[") else { return }
        repeat {
            if state.lookingAt("default"), state.peek(1).isSymbol("=") {
                let token = state.current
                state.advance()
                state.advance()
                if field.hasDefaultValue {
                    state.error("Already set option \"default\".", at: token)
                }
                try parseDefaultValue(&field)
            } else if state.lookingAt("json_name"), state.peek(1).isSymbol("=") {
                let token = state.current
                state.advance()
                state.advance()
                if field.hasJsonName {
                    state.error("Already set option \"json_name\".", at: token)
                }
                field.jsonName = String(decoding: try state.consumeString("Expected string for JSON name."), as: UTF8.self)
            } else {
                let option = try parseOptionAssignment(element: element, index: field.options.uninterpretedOption.count)
                field.options.uninterpretedOption.append(option)
            }
        } while state.tryConsume(",")
        try state.consume("]")
    }

    /// Parses a `default` value and stores it in the canonical text form
    /// (decimal integers, shortest round-trip floats, escaped bytes).
    mutating func parseDefaultValue(_ field: inout Google_Protobuf_FieldDescriptorProto) throws {
        if field.label == .repeated {
            state.error("Repeated fields can't have default values.")
        }
        if state.syntax == .proto3 {
            state.error("Explicit default values are not allowed in proto3.")
        }
        let t = field.hasType ? field.type : nil
        switch t {
        case .int32?, .sint32?, .sfixed32?:
            field.defaultValue = String(try state.consumeSignedInteger("Expected integer for field default value.", min: Int64(Int32.min), max: Int64(Int32.max)))
        case .int64?, .sint64?, .sfixed64?:
            field.defaultValue = String(try state.consumeSignedInteger("Expected integer for field default value.", min: Int64.min, max: Int64.max))
        case .uint32?, .fixed32?, .uint64?, .fixed64?:
            if state.lookingAt("-") {
                state.error("Unsigned field can't have negative default value.")
                throw ParserState.Failure()
            }
            let value = try state.consumeInteger("Expected integer for field default value.")
            let limit: UInt64 = (t == .uint32 || t == .fixed32) ? UInt64(UInt32.max) : UInt64.max
            if value > limit {
                state.error("Integer out of range.")
                throw ParserState.Failure()
            }
            field.defaultValue = String(value)
        case .float?, .double?:
            let negative = state.tryConsume("-")
            var value: Double
            let token = state.current
            if token.kind == .integer || token.kind == .float {
                guard let v = NumberLiterals.parseFloat(token.text) else {
                    state.error("Expected number.")
                    throw ParserState.Failure()
                }
                value = v
            } else if token.kind == .identifier, token.text == "inf" || token.text == "nan" {
                value = token.text == "inf" ? .infinity : .nan
            } else {
                state.error("Expected number.")
                throw ParserState.Failure()
            }
            state.advance()
            if negative { value = -value }
            field.defaultValue = t == .float ? DefaultValueFormat.float(Float(value)) : DefaultValueFormat.double(value)
        case .bool?:
            if state.lookingAt("true") || state.lookingAt("false") {
                field.defaultValue = state.current.text
                state.advance()
            } else {
                state.error("Expected \"true\" or \"false\".")
                throw ParserState.Failure()
            }
        case .string?:
            let bytes = try state.consumeString("Expected string.")
            field.defaultValue = String(decoding: bytes, as: UTF8.self)
        case .bytes?:
            let bytes = try state.consumeString("Expected string.")
            field.defaultValue = DefaultValueFormat.cEscape(bytes)
        case .group?, .message?:
            state.error("Messages can't have default values.")
            throw ParserState.Failure()
        case .enum?, nil:
            // Named type: an enum value identifier (checked after linking).
            if state.lookingAt("-") || state.current.kind != .identifier {
                state.error("Default value for an enum field must be an identifier.")
                throw ParserState.Failure()
            }
            field.defaultValue = state.current.text
            state.advance()
        }
    }
}
