import SwiftProtobuf

/// Token-stream helpers and error recovery shared by the construct parsers.
///
/// Grammar references: protobuf.dev/reference/protobuf/proto2-spec,
/// protobuf.dev/reference/protobuf/proto3-spec and
/// protobuf.dev/reference/protobuf/edition-2023-spec.
struct ParserState {
    enum Syntax: Sendable { case proto2, proto3, editions }

    var tokens: [Token]
    var position = 0
    var path: String
    var diagnostics: [ProtoDiagnostic] = []
    var syntax: Syntax = .proto2
    var depth = 0
    static let maxDepth = 100

    init(tokens: [Token], path: String) {
        self.tokens = tokens
        self.path = path
    }

    var current: Token { tokens[position] }
    var atEnd: Bool { current.kind == .end }

    func peek(_ offset: Int) -> Token {
        let i = min(position + offset, tokens.count - 1)
        return tokens[i]
    }

    mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    mutating func error(_ message: String, at token: Token? = nil) {
        let t = token ?? current
        diagnostics.append(ProtoDiagnostic(file: path, line: t.line, column: t.column, message: message))
    }

    func lookingAt(_ text: String) -> Bool {
        (current.kind == .symbol || current.kind == .identifier) && current.text == text
    }

    mutating func tryConsume(_ text: String) -> Bool {
        if lookingAt(text) {
            advance()
            return true
        }
        return false
    }

    struct Failure: Error {}

    mutating func consume(_ text: String, _ message: String? = nil) throws {
        if tryConsume(text) { return }
        error(message ?? "Expected \"\(text)\".")
        throw Failure()
    }

    mutating func consumeIdentifier(_ message: String) throws -> String {
        guard current.kind == .identifier else {
            error(message)
            throw Failure()
        }
        let text = current.text
        advance()
        return text
    }

    mutating func consumeInteger(_ message: String) throws -> UInt64 {
        guard current.kind == .integer else {
            error(message)
            throw Failure()
        }
        guard let value = NumberLiterals.parseInteger(current.text) else {
            error("Integer out of range.")
            throw Failure()
        }
        advance()
        return value
    }

    /// Signed integer with an optional leading "-", checked against the given range.
    mutating func consumeSignedInteger(_ message: String, min: Int64, max: Int64) throws -> Int64 {
        let negative = tryConsume("-")
        let magnitude = try consumeInteger(message)
        if negative {
            if magnitude > UInt64(-(min + 1)) + 1 {
                error("Integer out of range.")
                throw Failure()
            }
            return magnitude == UInt64(-(min + 1)) + 1 ? min : -Int64(magnitude)
        }
        if magnitude > UInt64(max) {
            error("Integer out of range.")
            throw Failure()
        }
        return Int64(magnitude)
    }

    /// One or more adjacent string literals, concatenated (strLit { strLit }).
    mutating func consumeString(_ message: String) throws -> [UInt8] {
        guard current.kind == .string else {
            error(message)
            throw Failure()
        }
        var bytes: [UInt8] = []
        while current.kind == .string {
            bytes += current.bytes
            advance()
        }
        return bytes
    }

    mutating func consumeEndOfStatement() throws {
        try consume(";", "Expected \";\".")
    }

    /// Error recovery: skip to the end of the current statement or block.
    mutating func skipStatement() {
        var depth = 0
        while !atEnd {
            if current.isSymbol("{") {
                depth += 1
            } else if current.isSymbol("}") {
                if depth == 0 { return }
                depth -= 1
                if depth == 0 {
                    advance()
                    return
                }
            } else if current.isSymbol(";"), depth == 0 {
                advance()
                return
            }
            advance()
        }
    }

    /// Skips the rest of a block whose "{" was consumed, including its "}".
    mutating func skipRestOfBlock() {
        var depth = 1
        while !atEnd {
            if current.isSymbol("{") { depth += 1 }
            if current.isSymbol("}") {
                depth -= 1
                if depth == 0 {
                    advance()
                    return
                }
            }
            advance()
        }
    }

    /// fullIdent = ident { "." ident }
    mutating func consumeFullIdent(_ message: String) throws -> String {
        var name = try consumeIdentifier(message)
        while tryConsume(".") {
            name += "." + (try consumeIdentifier("Expected identifier."))
        }
        return name
    }

    /// messageType = [ "." ] { ident "." } messageName
    mutating func consumeTypeName(_ message: String) throws -> String {
        var name = ""
        if tryConsume(".") { name = "." }
        name += try consumeIdentifier(message)
        while tryConsume(".") {
            name += "." + (try consumeIdentifier("Expected identifier."))
        }
        return name
    }
}
