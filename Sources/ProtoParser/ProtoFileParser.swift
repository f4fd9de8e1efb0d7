import SwiftProtobuf

/// Parses one `.proto` source into an unlinked `FileDescriptorProto`.
///
/// Type names are kept as written; options other than `default` and
/// `json_name` are kept as `uninterpreted_option`s, to be interpreted after linking.
/// Implements the top-level productions of protobuf.dev/reference/protobuf/proto2-spec
/// (`proto = [syntax] { import | package | option | topLevelDef | emptyStatement }`),
/// proto3-spec and edition-2023-spec (`edition = "2023";`).
public enum ProtoFileParser {
    public static func parse(_ source: String, path: String) -> (file: Google_Protobuf_FileDescriptorProto, diagnostics: [ProtoDiagnostic]) {
        let result = parseWithLocations(source, path: path)
        return (result.file, result.diagnostics)
    }

    struct Result {
        var file: Google_Protobuf_FileDescriptorProto
        var diagnostics: [ProtoDiagnostic]
        /// Source positions of named elements, keyed by their package-relative dotted name.
        var locations: [String: (line: Int, column: Int)]
        var syntax: ParserState.Syntax
    }

    static func parseWithLocations(_ source: String, path: String) -> Result {
        let (tokens, tokenErrors) = Tokenizer.tokenize(source)
        var parser = FileParser(state: ParserState(tokens: tokens, path: path))
        parser.file.name = path
        for e in tokenErrors {
            parser.state.diagnostics.append(ProtoDiagnostic(file: path, line: e.line, column: e.column, message: e.message))
        }
        parser.parseFile()
        var diagnostics = parser.state.diagnostics
        diagnostics.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        return Result(file: parser.file, diagnostics: diagnostics, locations: parser.locations, syntax: parser.state.syntax)
    }
}

/// Recursive-descent parser state for one file.
struct FileParser {
    var state: ParserState
    var file = Google_Protobuf_FileDescriptorProto()
    var locations: [String: (line: Int, column: Int)] = [:]

    init(state: ParserState) {
        self.state = state
    }

    mutating func record(_ name: String, _ token: Token) {
        if locations[name] == nil { locations[name] = (token.line, token.column) }
    }

    mutating func parseFile() {
        // syntax = "syntax" "=" ("'proto2'" | "'proto3'") ";"  /  edition = "edition" "=" strLit ";"
        if state.lookingAt("syntax") || state.lookingAt("edition") {
            let isEdition = state.current.text == "edition"
            let keyword = state.current
            do {
                state.advance()
                try state.consume("=")
                let valueToken = state.current
                let value = String(decoding: try state.consumeString(isEdition ? "Expected edition string." : "Expected syntax identifier."), as: UTF8.self)
                try state.consumeEndOfStatement()
                if isEdition {
                    if value == "2023" || value == "2024" {
                        state.syntax = .editions
                        file.syntax = "editions"
                        file.edition = value == "2023" ? .edition2023 : .edition2024
                    } else {
                        state.error("Unknown edition \"\(value)\".", at: valueToken)
                        // Keep parsing with editions grammar to avoid cascading errors.
                        state.syntax = .editions
                        file.syntax = "editions"
                    }
                } else if value == "proto3" {
                    state.syntax = .proto3
                    file.syntax = "proto3"
                } else if value != "proto2" {
                    state.error("Unrecognized syntax identifier \"\(value)\".  This parser only recognizes \"proto2\" and \"proto3\".", at: valueToken)
                }
            } catch {
                _ = keyword
                state.skipStatement()
            }
        }
        while !state.atEnd {
            let before = state.position
            parseTopLevelStatement()
            if state.position == before { state.advance() }
        }
    }

    mutating func parseTopLevelStatement() {
        do {
            if state.tryConsume(";") { return }
            if let visibility = parseVisibility() {
                if state.lookingAt("message") {
                    var message = Google_Protobuf_DescriptorProto()
                    message.visibility = visibility
                    try parseMessage(&message, scope: "")
                    file.messageType.append(message)
                } else {
                    var e = Google_Protobuf_EnumDescriptorProto()
                    e.visibility = visibility
                    try parseEnum(&e, scope: "")
                    file.enumType.append(e)
                }
            } else if state.lookingAt("message") {
                var message = Google_Protobuf_DescriptorProto()
                try parseMessage(&message, scope: "")
                file.messageType.append(message)
            } else if state.lookingAt("enum") {
                var e = Google_Protobuf_EnumDescriptorProto()
                try parseEnum(&e, scope: "")
                file.enumType.append(e)
            } else if state.lookingAt("service") {
                var s = Google_Protobuf_ServiceDescriptorProto()
                try parseService(&s)
                file.service.append(s)
            } else if state.lookingAt("extend") {
                var extensions: [Google_Protobuf_FieldDescriptorProto] = []
                var nested: [Google_Protobuf_DescriptorProto] = []
                defer {
                    file.extension += extensions
                    file.messageType += nested
                }
                try parseExtend(extensions: &extensions, nestedTypes: &nested, scope: "")
            } else if state.lookingAt("import") {
                try parseImport()
            } else if state.lookingAt("package") {
                try parsePackage()
            } else if state.lookingAt("option") {
                state.advance()
                var options = file.options
                try parseOptionStatement(into: &options.uninterpretedOption, element: "")
                file.options = options
            } else if state.lookingAt("syntax") || state.lookingAt("edition") {
                state.error("Expected top-level statement (e.g. \"message\").")
                throw ParserState.Failure()
            } else {
                state.error("Expected top-level statement (e.g. \"message\").")
                throw ParserState.Failure()
            }
        } catch {
            state.skipStatement()
        }
    }

    /// import = "import" [ "weak" | "public" ] strLit ";"
    mutating func parseImport() throws {
        let importToken = state.current
        try state.consume("import")
        var isPublic = false, isWeak = false, isOption = false
        if state.lookingAt("option"), state.peek(1).kind == .string {
            // Edition 2024 `import option`: needed only to interpret options.
            state.advance()
            isOption = true
        } else if state.tryConsume("public") {
            isPublic = true
        } else if state.tryConsume("weak") {
            isWeak = true
        }
        let nameToken = state.current
        let name = String(decoding: try state.consumeString("Expected a string naming the file to import."), as: UTF8.self)
        try state.consumeEndOfStatement()
        if isOption {
            file.optionDependency.append(name)
            record("import:" + name, importToken)
            return
        }
        if file.dependency.contains(name) {
            state.error("Import \"\(name)\" was listed twice.", at: nameToken)
            return
        }
        let index = Int32(file.dependency.count)
        file.dependency.append(name)
        if isPublic { file.publicDependency.append(index) }
        if isWeak { file.weakDependency.append(index) }
        record("import:" + name, importToken)
    }

    /// Edition 2024 symbol visibility: `export` or `local` before `message`/`enum`.
    mutating func parseVisibility() -> Google_Protobuf_SymbolVisibility? {
        guard state.lookingAt("export") || state.lookingAt("local"),
              state.peek(1).isIdentifier("message") || state.peek(1).isIdentifier("enum") else { return nil }
        let visibility: Google_Protobuf_SymbolVisibility = state.current.text == "export" ? .visibilityExport : .visibilityLocal
        state.advance()
        return visibility
    }

    /// package = "package" fullIdent ";"
    mutating func parsePackage() throws {
        let token = state.current
        try state.consume("package")
        if file.hasPackage {
            state.error("Multiple package definitions.", at: token)
        }
        let name = try state.consumeFullIdent("Expected identifier.")
        try state.consumeEndOfStatement()
        file.package = name
    }
}
