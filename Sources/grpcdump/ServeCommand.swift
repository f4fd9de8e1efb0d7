import ArgumentParser
import Reference

/// `grpcdump serve`: the reference gRPC server, for generating traffic to capture.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpcdump serve",
        abstract: "Run the reference gRPC server (plaintext HTTP/2, TLS or mTLS) until interrupted.",
        discussion: "Services: \(ReferenceServer.services.joined(separator: ", ")). Calls are logged on standard error.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 50051
    @Option(help: "Stop after this many seconds.") var duration: Double?
    @Flag(help: "Do not log calls.") var quiet = false
    @Option(help: ArgumentHelp("Server reflection versions to offer, comma-separated: v1, v1alpha, or none.", valueName: "versions"))
    var reflection = "v1,v1alpha"
    @Flag(help: "A second behaviour, for testing replay: user 1's email differs and user 2 is not found.")
    var changed = false
    @Flag(name: .customLong("no-compression"), help: "Accept no compressed request (gzip, deflate): UNIMPLEMENTED, as gRPC specifies.")
    var noCompression = false
    @OptionGroup var tlsOptions: TLSOptions

    func validate() throws { _ = try reflectionVersions() }

    func reflectionVersions() throws -> Set<ReflectionVersion> {
        guard reflection != "none" else { return [] }
        return Set(try reflection.split(separator: ",").map { word in
            guard let version = ReflectionVersion(rawValue: String(word)) else { throw ValidationError("--reflection: unknown version '\(word)'; known: v1, v1alpha, none") }
            return version
        })
    }

    func run() async throws {
        let log = quiet ? CallLog.silent : CallLog { TextOutput.error($0) }
        let duration = duration
        let tls = try tlsOptions.settings()
        let mode = tls.map { $0.mutual ? " (mTLS)" : " (TLS)" } ?? ""
        try await ReferenceServer.with(host: host, port: port, tls: tls, reflection: try reflectionVersions(), changed: changed,
                                       compression: !noCompression, log: log) { port in
            TextOutput.immediate("listening on \(host):\(port)\(mode)")
            if let duration { try await Task.sleep(for: .seconds(duration)) } else { while true { try await Task.sleep(for: .seconds(3600)) } }
        }
    }
}
