import GRPCCore
import ReferenceProtos
import Synchronization

/// grpc.health.v1.Health (gRPC doc "health-checking.md"): Check answers from the table, NOT_FOUND
/// for a service it does not know; Watch sends the current status and every change until cancelled.
final class HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol, Sendable {
    typealias Status = Grpc_Health_V1_HealthCheckResponse.ServingStatus
    private struct State {
        var statuses: [String: Status]
        var watchers: [String: [Int: AsyncStream<Status>.Continuation]] = [:]
        var nextWatcher = 0
    }
    private let state: Mutex<State>

    init(services: [String]) {
        var statuses: [String: Status] = ["": .serving]
        for service in services { statuses[service] = .serving }
        state = Mutex(State(statuses: statuses))
    }

    func set(_ service: String, _ status: Status) {
        state.withLock { state in
            state.statuses[service] = status
            for watcher in state.watchers[service, default: [:]].values { watcher.yield(status) }
        }
    }

    func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard let status = state.withLock({ $0.statuses[request.service] }) else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
        }
        return .with { $0.status = status }
    }

    func watch(request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>, context: ServerContext) async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Status.self)
        let id = state.withLock { state in
            state.nextWatcher += 1
            state.watchers[request.service, default: [:]][state.nextWatcher] = continuation
            continuation.yield(state.statuses[request.service] ?? .serviceUnknown)
            return state.nextWatcher
        }
        defer { _ = state.withLock { $0.watchers[request.service]?.removeValue(forKey: id) } }
        try await withTaskCancellationHandler {
            for await status in stream { try await response.write(.with { $0.status = status }) }
        } onCancel: {
            continuation.finish()
        }
    }
}
