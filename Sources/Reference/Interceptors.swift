import GRPCCore
import Synchronization

/// Bearer tokens of the reference server: `authorization: Bearer <token>`.
public enum Authorization {
    public enum Role: Sendable { case user, admin }
    public static let userToken = "user-token"
    public static let adminToken = "admin-token"

    static func role(_ metadata: Metadata) -> Role? {
        for value in metadata[stringValues: "authorization"] {
            switch value {
            case "Bearer \(userToken)": return .user
            case "Bearer \(adminToken)": return .admin
            default: continue
            }
        }
        return nil
    }
}

/// Where interceptors write their one-line log records (`grpcdump serve` prints them on stderr).
public struct CallLog: Sendable {
    let write: @Sendable (String) -> Void
    public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }
    public static let silent = CallLog { _ in }
}

/// Server side: UserService calls need a bearer token (UNAUTHENTICATED otherwise).
struct ServerAuthInterceptor: ServerInterceptor {
    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        if context.descriptor.service.fullyQualifiedService == "userservice.UserService", Authorization.role(request.metadata) == nil {
            throw RPCError(code: .unauthenticated, message: "missing or unknown bearer token")
        }
        return try await next(request, context)
    }
}

/// Server side: logs each call's method, peer and outcome; honours `x-simulate-delay-ms` (a pause
/// before the handler, to provoke deadlines).
struct ServerLoggingInterceptor: ServerInterceptor {
    let log: CallLog

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        log.write("server: \(context.descriptor.fullyQualifiedMethod) from \(context.remotePeer)")
        if let delay = request.metadata.firstString("x-simulate-delay-ms").flatMap({ Int($0) }) {
            try await Task.sleep(for: .milliseconds(delay))
        }
        do {
            return try await next(request, context)
        } catch {
            log.write("server: \(context.descriptor.fullyQualifiedMethod) failed: \(error)")
            throw error
        }
    }
}

/// Client side: adds the bearer token (when there is one) and a request id to every call.
struct ClientAuthInterceptor: ClientInterceptor {
    let token: String?
    private let counter = RequestCounter()

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>, context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        var request = request
        if let token, request.metadata.firstString("authorization") == nil {
            request.metadata.addString("Bearer \(token)", forKey: "authorization")
        }
        let id = counter.next()
        request.metadata.addString("req-\(id)", forKey: "x-request-id")
        return try await next(request, context)
    }
}

/// Client side: logs each call and its outcome.
struct ClientLoggingInterceptor: ClientInterceptor {
    let log: CallLog

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>, context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        log.write("client: \(context.descriptor.fullyQualifiedMethod)")
        let response = try await next(request, context)
        if case let .failure(error) = response.accepted { log.write("client: \(context.descriptor.fullyQualifiedMethod) → \(error.code)") }
        return response
    }
}

/// Numbers the requests of one client.
final class RequestCounter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}

extension Metadata {
    /// The first string value of `key`, if any.
    func firstString(_ key: String) -> String? {
        var values = self[stringValues: key].makeIterator()
        return values.next()
    }
}
