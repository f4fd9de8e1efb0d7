import GRPCCore
import GRPCNIOTransportHTTP2

/// Connections of the reference client to a reference server.
public struct ReferenceClient: Sendable {
    public var host: String
    public var port: Int
    public var log: CallLog

    public init(host: String, port: Int, log: CallLog = .silent) {
        self.host = host
        self.port = port
        self.log = log
    }

    static func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Runs `body` with a client on its own HTTP/2 connection. `token`: the bearer token its
    /// interceptor adds; `keepalive`: the interval of client PINGs (also without calls).
    func with<Result: Sendable>(
        token: String? = Authorization.userToken, keepalive: Duration? = nil,
        _ body: @Sendable (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let transport = try HTTP2ClientTransport.Posix(
            target: Self.isIPv4(host) ? .ipv4(address: host, port: port) : .dns(host: host, port: port), transportSecurity: .plaintext,
            config: .defaults { config in
                config.compression.enabledAlgorithms = .all
                if let keepalive { config.connection.keepalive = .init(time: keepalive, timeout: .seconds(5), allowWithoutCalls: true) }
            })
        return try await withGRPCClient(
            transport: transport,
            interceptors: [ClientLoggingInterceptor(log: log), ClientAuthInterceptor(token: token)], handleClient: body)
    }
}
