import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOSSL

/// Connections of the reference client to a reference server.
public struct ReferenceClient: Sendable {
    public var host: String
    public var port: Int
    public var log: CallLog
    /// nil: plaintext HTTP/2 with prior knowledge.
    public var tls: ReferenceTLS?

    public init(host: String, port: Int, tls: ReferenceTLS? = nil, log: CallLog = .silent) {
        self.host = host
        self.port = port
        self.tls = tls
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
        // TLS through `.customSecure`: the transport's own TLS settings have no key-log hook, so
        // the client's TLS handler is put first in each new connection's pipeline.
        let tlsContext = try tls?.clientContext()
        let serverName = Self.isIPv4(host) ? ReferenceTLS.serverName : host
        let transport = try HTTP2ClientTransport.Posix(
            target: Self.isIPv4(host) ? .ipv4(address: host, port: port) : .dns(host: host, port: port),
            transportSecurity: tlsContext == nil ? .plaintext : .customSecure,
            config: .defaults { config in
                config.compression.enabledAlgorithms = .all
                if let keepalive { config.connection.keepalive = .init(time: keepalive, timeout: .seconds(5), allowWithoutCalls: true) }
                if let tlsContext {
                    config.http2.authority = serverName
                    config.channelDebuggingCallbacks.onCreateTCPConnection = { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tlsContext, serverHostname: serverName), position: .first)
                        }
                    }
                }
            })
        return try await withGRPCClient(
            transport: transport,
            interceptors: [ClientLoggingInterceptor(log: log), ClientAuthInterceptor(token: token)], handleClient: body)
    }
}
