/// Lexical analysis of `.proto` sources.
///
/// Follows the "Lexical elements" section shared by
/// protobuf.dev/reference/protobuf/proto2-spec, proto3-spec and edition-2023-spec:
/// identifiers, decimal/octal/hex integer literals, floating point literals,
/// single- or double-quoted strings with C-style escapes, `//` and `/* */` comments.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier
        case integer
        case float
        case string
        case symbol
        case end
    }

    var kind: Kind
    /// The token exactly as written (strings include their quotes).
    var text: String
    /// For `.string`: the decoded bytes.
    var bytes: [UInt8] = []
    /// 1-based position of the first character.
    var line: Int
    var column: Int
}

struct Tokenizer {
    private let input: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1
    private(set) var errors: [(line: Int, column: Int, message: String)] = []

    init(_ source: String) {
        var bytes = Array(source.utf8)
        // A leading UTF-8 byte order mark is not part of the source.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.input = bytes
    }

    /// Tokenizes the whole input; the last token is always `.end`.
    static func tokenize(_ source: String) -> (tokens: [Token], errors: [(line: Int, column: Int, message: String)]) {
        var tokenizer = Tokenizer(source)
        var tokens: [Token] = []
        while true {
            let token = tokenizer.next()
            tokens.append(token)
            if token.kind == .end { break }
        }
        return (tokens, tokenizer.errors)
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let i = index + offset
        return i < input.count ? input[i] : nil
    }

    private mutating func advance() {
        guard index < input.count else { return }
        let c = input[index]
        index += 1
        if c == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if c == UInt8(ascii: "\t") {
            // Tabs advance to the next multiple of 8, as protobuf compilers report columns.
            column += 8 - ((column - 1) % 8)
        } else if c & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func error(_ message: String, line: Int? = nil, column: Int? = nil) {
        errors.append((line ?? self.line, column ?? self.column, message))
    }

    private mutating func skipWhitespaceAndComments() {
        while let c = peek() {
            if c == 32 || c == 9 || c == 10 || c == 13 || c == 11 || c == 12 {
                advance()
            } else if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                while let d = peek(), d != 10 { advance() }
            } else if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                let startLine = line, startColumn = column
                advance(); advance()
                var closed = false
                while let d = peek() {
                    if d == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                        advance(); advance()
                        closed = true
                        break
                    }
                    advance()
                }
                if !closed { error("End-of-file inside block comment.", line: startLine, column: startColumn) }
            } else {
                return
            }
        }
    }

    static func isLetter(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
    }

    private func text(from start: Int) -> String {
        String(decoding: input[start..<index], as: UTF8.self)
    }

    mutating func next() -> Token {
        skipWhitespaceAndComments()
        let startLine = line, startColumn = column, start = index
        guard let c = peek() else {
            return Token(kind: .end, text: "", line: line, column: column)
        }
        if Tokenizer.isLetter(c) {
            while let d = peek(), Tokenizer.isLetter(d) || Tokenizer.isDigit(d) { advance() }
            return Token(kind: .identifier, text: text(from: start), line: startLine, column: startColumn)
        }
        if Tokenizer.isDigit(c) || (c == UInt8(ascii: ".") && peek(1).map(Tokenizer.isDigit) == true) {
            let kind = scanNumber()
            return Token(kind: kind, text: text(from: start), line: startLine, column: startColumn)
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            let bytes = scanString(quote: c)
            return Token(kind: .string, text: text(from: start), bytes: bytes, line: startLine, column: startColumn)
        }
        advance()
        if c >= 0x80 {
            // Consume the rest of a UTF-8 sequence so the symbol text stays valid.
            while let d = peek(), d & 0xC0 == 0x80 { advance() }
        }
        return Token(kind: .symbol, text: text(from: start), line: startLine, column: startColumn)
    }

    /// intLit = decimalLit | octalLit | hexLit; floatLit = decimals "." [decimals] [exponent] | ... | "inf" | "nan"
    private mutating func scanNumber() -> Token.Kind {
        let first = peek()!
        if first == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            advance(); advance()
            var any = false
            while let d = peek(), Tokenizer.isHexDigit(d) { advance(); any = true }
            if !any { error("\"0x\" must be followed by hex digits.") }
            checkTrailingLetters()
            return .integer
        }
        var isFloat = false
        if first == UInt8(ascii: ".") {
            isFloat = true
            advance()
        }
        while let d = peek(), Tokenizer.isDigit(d) { advance() }
        if !isFloat, peek() == UInt8(ascii: ".") {
            isFloat = true
            advance()
            while let d = peek(), Tokenizer.isDigit(d) { advance() }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            isFloat = true
            advance()
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { advance() }
            var any = false
            while let d = peek(), Tokenizer.isDigit(d) { advance(); any = true }
            if !any { error("\"e\" must be followed by exponent.") }
        }
        if let f = peek(), !isFloat || true, f == UInt8(ascii: "f") || f == UInt8(ascii: "F"), isFloat {
            advance()
        }
        checkTrailingLetters()
        return isFloat ? .float : .integer
    }

    private mutating func checkTrailingLetters() {
        if let d = peek(), Tokenizer.isLetter(d) || Tokenizer.isDigit(d) {
            error("Need space between number and identifier.")
            while let d = peek(), Tokenizer.isLetter(d) || Tokenizer.isDigit(d) { advance() }
        }
    }

    private static func hexValue(_ c: UInt8) -> UInt32 {
        if isDigit(c) { return UInt32(c - 48) }
        if c >= 97 { return UInt32(c - 87) }
        return UInt32(c - 55)
    }

    /// strLit = ("'" { charValue } "'") | ('"' { charValue } '"'), with
    /// charValue = hexEscape | octEscape | charEscape | unicodeEscape | /[^\0\n\\]/
    private mutating func scanString(quote: UInt8) -> [UInt8] {
        let startLine = line, startColumn = column
        advance()
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                error("Unexpected end of string.", line: startLine, column: startColumn)
                return out
            }
            if c == quote {
                advance()
                return out
            }
            if c == 10 {
                error("String literals cannot cross line boundaries.")
                return out
            }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                advance()
                continue
            }
            let escLine = line, escColumn = column
            advance()
            guard let e = peek() else { continue }
            switch e {
            case UInt8(ascii: "a"): out.append(7); advance()
            case UInt8(ascii: "b"): out.append(8); advance()
            case UInt8(ascii: "f"): out.append(12); advance()
            case UInt8(ascii: "n"): out.append(10); advance()
            case UInt8(ascii: "r"): out.append(13); advance()
            case UInt8(ascii: "t"): out.append(9); advance()
            case UInt8(ascii: "v"): out.append(11); advance()
            case UInt8(ascii: "\\"), UInt8(ascii: "?"), UInt8(ascii: "'"), UInt8(ascii: "\""):
                out.append(e); advance()
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value: UInt32 = 0
                var count = 0
                while count < 3, let d = peek(), d >= 48, d <= 55 {
                    value = value * 8 + UInt32(d - 48)
                    advance()
                    count += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                advance()
                var value: UInt32 = 0
                var count = 0
                while count < 2, let d = peek(), Tokenizer.isHexDigit(d) {
                    value = value * 16 + Tokenizer.hexValue(d)
                    advance()
                    count += 1
                }
                if count == 0 { error("Expected hex digits for escape sequence.", line: escLine, column: escColumn) }
                out.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let digits = e == UInt8(ascii: "u") ? 4 : 8
                advance()
                var value: UInt32 = 0
                var count = 0
                while count < digits, let d = peek(), Tokenizer.isHexDigit(d) {
                    value = value &* 16 &+ Tokenizer.hexValue(d)
                    advance()
                    count += 1
                }
                if count < digits {
                    error("Expected \(digits) hex digits for unicode escape.", line: escLine, column: escColumn)
                }
                if let scalar = Unicode.Scalar(value) {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                } else {
                    error("Invalid unicode escape.", line: escLine, column: escColumn)
                }
            default:
                error("Invalid escape sequence in string literal.", line: escLine, column: escColumn)
                advance()
            }
        }
    }
}

extension Token {
    func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
    func isIdentifier(_ s: String) -> Bool { kind == .identifier && text == s }
}
