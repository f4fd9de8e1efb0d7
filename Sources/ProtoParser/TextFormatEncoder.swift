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
            if fullName == ".google.protobuf.Any", lookingAt("["), let expanded = try parseAnyExpansion(message, depth: depth) {
                entries += expanded
                if !tryConsume(";") { _ = tryConsume(",") }
                continue
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

    /// `[type.googleapis.com/pkg.Msg] { ... }` inside a `google.protobuf.Any`:
    /// becomes `type_url` (1) and `value` (2, the serialized message).
    private mutating func parseAnyExpansion(_ any: Google_Protobuf_DescriptorProto, depth: Int) throws -> [Entry]? {
        var i = position + 1
        var url = ""
        while i < tokens.count, tokens[i].kind != .end, !(tokens[i].kind == .symbol && tokens[i].text == "]") {
            url += tokens[i].text
            i += 1
        }
        guard url.contains("/"), let typeURLField = any.field.first(where: { $0.number == 1 }),
              let valueField = any.field.first(where: { $0.number == 2 }) else { return nil }
        position = i
        try expect("]")
        let typeName = "." + (url.split(separator: "/").last.map(String.init) ?? "")
        guard lookup.message(typeName) != nil else { throw fail("Could not find type \"\(url)\" stored in google.protobuf.Any.") }
        _ = tryConsume(":")
        var valueType = Google_Protobuf_FieldDescriptorProto()
        valueType.type = .message
        valueType.typeName = typeName
        let payload = try parseMessageValue(valueType, depth: depth)
        let urlBytes = Array(url.utf8)
        return [
            Entry(field: typeURLField, payload: WireWriter.varint(UInt64(urlBytes.count)) + urlBytes),
            Entry(field: valueField, payload: WireWriter.varint(UInt64(payload.count)) + payload),
        ]
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
                // NaN keeps a positive sign even when written "-nan".
                value = .double(lower == "nan" ? .nan : (negative ? -.infinity : .infinity))
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

    /// Messages declared with `option message_set_wire_format = true`.
    static func isMessageSet(_ message: Google_Protobuf_DescriptorProto) -> Bool {
        if message.options.hasMessageSetWireFormat { return message.options.messageSetWireFormat }
        return message.options.uninterpretedOption.contains {
            $0.name.count == 1 && !$0.name[0].isExtension && $0.name[0].namePart == "message_set_wire_format" && $0.identifierValue == "true"
        }
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
        let messageSet = lookup.message(messageName).map(TextFormatEncoder.isMessageSet) ?? false
        var out: [UInt8] = []
        for number in order.sorted() {
            let list = byNumber[number]!
            let field = list[0].field
            if DescriptorLookup.hasSourceRetention(field) { continue }
            if messageSet, field.hasExtendee, field.type == .message {
                // MessageSet items: group 1 { type_id (2), message (3) }.
                let e = list[list.count - 1]
                let item = WireWriter.tag(2, .varint) + WireWriter.varint(UInt64(UInt32(bitPattern: number)))
                    + WireWriter.lengthDelimited(3, e.payload)
                out += WireWriter.group(1, item)
                continue
            }
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
