import SwiftProtobuf

/// Encodes an aggregate option value, written in protobuf text format
/// (`option (my_opt) = { a: 1 b: "x" sub { c: [1, 2] } };`, see the
/// `MessageValue` production in protobuf.dev/reference/protobuf/edition-2023-spec),
/// into wire format with fields in field-number order.
struct TextFormatEncoder {
    var lookup: DescriptorLookup
    var optionName: String
    var tokens: [Token]
    var position = 0
    static let maxDepth = 64

    init(lookup: DescriptorLookup, optionName: String, tokens: [Token]) {
        self.lookup = lookup
        self.optionName = optionName
        self.tokens = tokens
    }

    private var current: Token { tokens[position] }
    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }
    private func lookingAt(_ s: String) -> Bool { (current.kind == .symbol || current.kind == .identifier) && current.text == s }
    private mutating func tryConsume(_ s: String) -> Bool {
        if lookingAt(s) { advance(); return true }
        return false
    }
    private func fail(_ message: String) -> OptionError {
        OptionError(message: "Error while parsing option value for \"\(optionName)\": \(message)")
    }
    private mutating func expect(_ s: String) throws {
        guard tryConsume(s) else { throw fail("Expected \"\(s)\", found \"\(current.text)\".") }
    }

    private struct Entry {
        var field: Google_Protobuf_FieldDescriptorProto
        var payload: [UInt8]
    }

    mutating func encodeMessage(_ typeName: String, depth: Int, close: String?) throws -> [UInt8] {
        guard depth < TextFormatEncoder.maxDepth else { throw fail("Message nesting is too deep.") }
        guard let message = lookup.message(typeName) else {
            throw fail("Message type \"\(typeName)\" is not defined.")
        }
        let fullName = typeName.hasPrefix(".") ? typeName : "." + typeName
        var entries: [Entry] = []
        while true {
            if let close, tryConsume(close) { break }
            if current.kind == .end {
                if close != nil { throw fail("Unexpected end of aggregate value.") }
                break
            }
            let field = try parseFieldName(message, fullName: fullName)
            if field.type == .message || field.type == .group {
                _ = tryConsume(":")
                if tryConsume("[") {
                    if !tryConsume("]") {
                        repeat {
                            entries.append(Entry(field: field, payload: try parseMessageValue(field, depth: depth)))
                        } while tryConsume(",")
                        try expect("]")
                    }
                } else {
                    entries.append(Entry(field: field, payload: try parseMessageValue(field, depth: depth)))
                }
            } else {
                try expect(":")
                if tryConsume("[") {
                    if !tryConsume("]") {
                        repeat {
                            entries.append(Entry(field: field, payload: try parseScalar(field)))
                        } while tryConsume(",")
                        try expect("]")
                    }
                } else {
                    entries.append(Entry(field: field, payload: try parseScalar(field)))
                }
            }
            if !tryConsume(";") { _ = tryConsume(",") }
        }
        return serialize(entries, messageName: fullName)
    }

    private mutating func parseFieldName(_ message: Google_Protobuf_DescriptorProto, fullName: String) throws -> Google_Protobuf_FieldDescriptorProto {
        if tryConsume("[") {
            var name = ""
            while !lookingAt("]") && current.kind != .end {
                name += current.text
                advance()
            }
            try expect("]")
            guard let ext = lookup.extensionField(name), ext.extendee == fullName else {
                throw fail("Extension \"\(name)\" is not defined or is not an extension of \"\(fullName.dropFirst())\".")
            }
            return ext
        }
        guard current.kind == .identifier else { throw fail("Expected identifier, got: \(current.text)") }
        let name = current.text
        advance()
        if let f = message.field.first(where: { $0.name == name }) { return f }
        if let f = message.field.first(where: { $0.type == .group && $0.typeName.split(separator: ".").last.map(String.init) == name }) {
            return f
        }
        throw fail("Message type \"\(fullName.dropFirst())\" has no field named \"\(name)\".")
    }

    private mutating func parseMessageValue(_ field: Google_Protobuf_FieldDescriptorProto, depth: Int) throws -> [UInt8] {
        let close: String
        if tryConsume("{") {
            close = "}"
        } else if tryConsume("<") {
            close = ">"
        } else {
            throw fail("Expected \"{\", found \"\(current.text)\".")
        }
        return try encodeMessage(field.typeName, depth: depth + 1, close: close)
    }

    private mutating func parseScalar(_ field: Google_Protobuf_FieldDescriptorProto) throws -> [UInt8] {
        let negative = tryConsume("-")
        let token = current
        var value: OptionValue
        let isFloat = field.type == .float || field.type == .double
        switch token.kind {
        case .integer:
            guard let v = NumberLiterals.parseInteger(token.text) else { throw fail("Integer out of range.") }
            if isFloat {
                value = .double(negative ? -Double(v) : Double(v))
            } else if negative {
                guard v <= UInt64(Int64.max) + 1 else { throw fail("Integer out of range.") }
                value = .negativeInt(v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v))
            } else if field.type == .bool {
                guard v <= 1 else { throw fail("Invalid value for boolean field.") }
                value = .identifier(v == 1 ? "true" : "false")
            } else if field.type == .enum {
                advance()
                return WireWriter.varint(v)
            } else {
                value = .positiveInt(v)
            }
            advance()
        case .float:
            guard let v = NumberLiterals.parseFloat(token.text) else { throw fail("Invalid float.") }
            value = .double(negative ? -v : v)
            advance()
        case .identifier:
            let lower = token.text.lowercased()
            if isFloat, lower == "inf" || lower == "infinity" || lower == "nan" {
                let d: Double = lower == "nan" ? .nan : .infinity
                value = .double(negative ? -d : d)
            } else if negative {
                throw fail("Invalid value after \"-\".")
            } else if field.type == .bool, ["true", "True", "t"].contains(token.text) {
                value = .identifier("true")
            } else if field.type == .bool, ["false", "False", "f"].contains(token.text) {
                value = .identifier("false")
            } else {
                value = .identifier(token.text)
            }
            advance()
        case .string:
            var bytes: [UInt8] = []
            while current.kind == .string {
                bytes += current.bytes
                advance()
            }
            value = .string(bytes)
        default:
            throw fail("Expected value, found \"\(token.text)\".")
        }
        return try OptionValueEncoder(lookup: lookup).encodeScalar(field, value, optionName: optionName)
    }

    private func isPacked(_ field: Google_Protobuf_FieldDescriptorProto, messageName: String) -> Bool {
        guard field.label == .repeated else { return false }
        switch field.type {
        case .string, .bytes, .message, .group: return false
        default: break
        }
        if field.options.hasPacked { return field.options.packed }
        if let packed = field.options.uninterpretedOption.first(where: { $0.name.count == 1 && $0.name[0].namePart == "packed" && !$0.name[0].isExtension }) {
            return packed.identifierValue == "true"
        }
        return lookup.packedByDefault(messageName)
    }

    /// Fields in number order (the order a serializer writes them), repeated
    /// values kept in order; packed fields written as one length-delimited run.
    private func serialize(_ entries: [Entry], messageName: String) -> [UInt8] {
        var order: [Int32] = []
        var byNumber: [Int32: [Entry]] = [:]
        for e in entries {
            if byNumber[e.field.number] == nil { order.append(e.field.number) }
            byNumber[e.field.number, default: []].append(e)
        }
        var out: [UInt8] = []
        for number in order.sorted() {
            let list = byNumber[number]!
            let field = list[0].field
            if DescriptorLookup.hasSourceRetention(field) { continue }
            let isExtension = field.hasExtendee
            if !isExtension, isPacked(field, messageName: messageName) {
                out += WireWriter.lengthDelimited(number, list.flatMap(\.payload))
                continue
            }
            // A singular field given twice keeps its last value.
            let values = field.label == .repeated ? list : [list[list.count - 1]]
            for e in values {
                switch field.type {
                case .message: out += WireWriter.lengthDelimited(number, e.payload)
                case .group: out += WireWriter.group(number, e.payload)
                default: out += WireWriter.tag(number, OptionValueEncoder.wireType(field.type)) + e.payload
                }
            }
        }
        return out
    }
}
