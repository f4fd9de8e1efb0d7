import GRPCCore
import GRPCNIOTransportHTTP2
import ReferenceProtos

/// The reference gRPC server (`grpcdump serve`): every reference service, health and server
/// reflection (v1 and v1alpha), over plaintext HTTP/2 (prior knowledge) or TLS/mTLS, gzip and deflate, requests up to 16 MiB, client keepalive pings allowed
/// every 100 ms.
public enum ReferenceServer {
    public static let services = [
        "userservice.UserService", "reference.FileService", "reference.LogService", "reference.MetricsService", "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
    ]

    /// Starts the server on `host:port` (0: any free port), in plaintext or with `tls`, runs
    /// `body` with the port it listens on, then shuts down gracefully.
    public static func with<Result: Sendable>(
        host: String = "127.0.0.1", port: Int = 0, tls: ReferenceTLS? = nil, reflection: Set<ReflectionVersion> = Set(ReflectionVersion.allCases),
        changed: Bool = false, compression accepted: Bool = true, log: CallLog = .silent, _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        var compression = HTTP2ServerTransport.Config.Compression.defaults
        compression.enabledAlgorithms = accepted ? .all : .none
        var rpc = HTTP2ServerTransport.Config.RPC.defaults
        rpc.maxRequestPayloadSize = 16 << 20
        var connection = HTTP2ServerTransport.Config.Connection.defaults
        connection.keepalive.clientBehavior.allowWithoutCalls = true
        connection.keepalive.clientBehavior.minPingIntervalWithoutCalls = .milliseconds(100)

        guard let tls else {
            let transport = HTTP2ServerTransport.Posix(
                address: .ipv4(host: host, port: port), transportSecurity: .plaintext,
                config: .defaults { config in
                    config.compression = compression
                    config.rpc = rpc
                    config.connection = connection
                })
            return try await run(transport, listeningPort: { try? await transport.listeningAddress.ipv4?.port }, host: host, port: port, reflection: reflection,
                                 changed: changed, log: log, body)
        }
        var config = HTTP2ServerTransport.Custom<TLSListenerFactory>.Config.defaults
        config.compression = compression
        config.rpc = rpc
        config.connection = connection
        let transport = HTTP2ServerTransport.Custom(
            listenerFactory: TLSListenerFactory(host: host, port: port, context: try tls.serverContext()), config: config)
        return try await run(transport, listeningPort: { await transport.listeningAddress?.ipv4?.port }, host: host, port: port, reflection: reflection,
                             changed: changed, log: log, body)
    }

    private static func run<Transport: ServerTransport, Result: Sendable>(
        _ transport: Transport, listeningPort: @Sendable () async -> Int?, host: String, port: Int, reflection: Set<ReflectionVersion>,
        changed: Bool, log: CallLog, _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        let offered = services.filter { name in ReflectionVersion.allCases.allSatisfy { name != $0.serviceName || reflection.contains($0) } }
        let health = HealthService(services: offered)
        let index = try ReflectionIndex(descriptorSet: referenceDescriptorSet, services: offered)
        var handlers: [any RegistrableRPCService] = [
            UserService(directory: UserDirectory(changed: changed), chatRoom: ChatRoom()), FileService(), LogService(), MetricsService(), health,
        ]
        if reflection.contains(.v1) { handlers.append(ReflectionServiceV1(index: index)) }
        if reflection.contains(.v1alpha) { handlers.append(ReflectionServiceV1Alpha(index: index)) }
        let server = GRPCServer(
            transport: transport,
            services: handlers,
            interceptors: [ServerLoggingInterceptor(log: log), ServerAuthInterceptor()])
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            guard let listening = await listeningPort() else {
                server.beginGracefulShutdown()
                throw ListenError(host: host, port: port)
            }
            let outcome: Swift.Result<Result, any Error>
            do { outcome = .success(try await body(listening)) } catch { outcome = .failure(error) }
            // Graceful shutdown waits for open RPCs; a stream a peer left open would hold it
            // forever, so after a 2 s grace period the server is cancelled.
            server.beginGracefulShutdown()
            group.addTask { try await Task.sleep(for: .seconds(2)) }
            _ = try? await group.next()
            group.cancelAll()
            return try outcome.get()
        }
    }
}

/// The versions of the server reflection service.
public enum ReflectionVersion: String, CaseIterable, Sendable {
    case v1, v1alpha
    public var serviceName: String { "grpc.reflection.\(rawValue).ServerReflection" }
}

/// The server could not listen: the port is taken, or the host is not an address of this machine.
public struct ListenError: Error, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var description: String { "cannot listen on \(host):\(port): the port is in use or the address is not this machine's" }
}
