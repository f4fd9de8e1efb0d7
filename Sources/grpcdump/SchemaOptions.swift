import ArgumentParser

/// Where message schemas come from and how decoded messages are named (docs/schemas.md).
struct SchemaOptions: ParsableArguments {
    @Option(name: .customLong("protoset"), help: ArgumentHelp("A FileDescriptorSet (protoc -o --include_imports, buf build -o); repeatable.", valueName: "file"))
    var protosets: [String] = []

    @Option(name: .customLong("proto"), help: ArgumentHelp("A .proto source file, parsed by grpcdump itself; repeatable.", valueName: "file"))
    var protos: [String] = []

    @Option(name: [.customShort("I"), .customLong("import-path")], help: ArgumentHelp("A directory imports of --proto files are looked up in; repeatable.", valueName: "dir"))
    var importPaths: [String] = []

    @Option(name: .customLong("dissectors"), help: ArgumentHelp("A directory of .proto files loaded before the bundled dissectors/; repeatable (also GRPCDUMP_DISSECTORS=DIR:DIR).", valueName: "dir"))
    var dissectorDirectories: [String] = []

    @Flag(name: .customLong("no-dissectors"), help: "Do not load the bundled dissectors/ nor GRPCDUMP_DISSECTORS.")
    var noDissectors = false

    @Option(name: .customLong("reflect"), help: ArgumentHelp("Ask a live server's reflection service (v1, else v1alpha) for its schemas; plaintext.", valueName: "host:port"))
    var reflect: String?

    @Option(name: .customLong("type"), help: ArgumentHelp("Decode every message as this type (e.g. userservice.User).", valueName: "type"))
    var type: String?

    @Option(name: .customLong("request-type"), help: ArgumentHelp("Decode request messages as this type.", valueName: "type"))
    var requestType: String?

    @Option(name: .customLong("response-type"), help: ArgumentHelp("Decode response messages as this type.", valueName: "type"))
    var responseType: String?

    @Flag(name: .customLong("preserve-names"), help: "JSON field names as in the .proto files, not lowerCamelCase.")
    var preserveNames = false

    func validate() throws {
        if let reflect, ReflectTarget(reflect) == nil {
            throw ValidationError("--reflect '\(reflect)' is not HOST:PORT (e.g. 127.0.0.1:50051 or [::1]:50051)")
        }
    }
}

/// `HOST:PORT` or `[IPv6]:PORT`.
struct ReflectTarget {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}
