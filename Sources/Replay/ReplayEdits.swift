import Foundation
import GRPC
import WireCore

/// What the user changes in every call sent again (`--header`, `--strip-header`), what the
/// comparison leaves out, and how a planned call is described (`--dry-run`).
public struct ReplayEdits: Sendable {
    public var added: [(name: String, value: String)]
    public var stripped: Set<String>

    public init(added: [(name: String, value: String)], stripped: Set<String>) {
        self.added = added
        self.stripped = stripped
    }

    /// `name: value`, the name lowercased as HTTP/2 sends it (RFC 9113 §8.2.1).
    public static func header(_ text: String) -> (name: String, value: String)? {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return nil }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty, !name.contains(" ") else { return nil }
        return (name, text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// Stripped entries and those `--header` replaces are left out; `--header`'s are added.
    public func apply(to request: ReplayRequest) -> ReplayRequest {
        var request = request
        let replaced = Set(added.map(\.name))
        request.metadata = request.metadata.filter { !stripped.contains($0.name.lowercased()) && !replaced.contains($0.name.lowercased()) } + added
        return request
    }

    /// Response header fields and trailers that are the server's or the library's own and differ
    /// between any two runs, or that the status already compares.
    public static let notCompared: Set<String> = [
        ":status", "content-type", "content-length", "date", "server", "te", "user-agent",
        "grpc-encoding", "grpc-accept-encoding", "grpc-status", "grpc-message",
    ]

    /// One line per call for `--dry-run`: what would be sent, or why it cannot be.
    public static func describe(_ call: GRPCCall, _ plan: Result<ReplayRequest, ReplayRequest.Problem>, target: String) -> String {
        let name = call.path ?? "stream \(call.streamID)"
        switch plan {
        case let .failure(problem):
            return "\(name): not sent: \(problem)"
        case let .success(request):
            let bytes = request.messages.reduce(0) { $0 + $1.count }
            var line = "\(name) to \(target): \(request.messages.count) message\(request.messages.count == 1 ? "" : "s") (\(bytes) bytes)"
            if let compression = request.compression { line += ", \(compression)" }
            if let timeout = request.timeout { line += ", deadline \(formatDuration(nanoseconds: timeout))" }
            if !request.metadata.isEmpty { line += "; " + request.metadata.map { "\($0.name): \($0.value)" }.joined(separator: "; ") }
            return line
        }
    }
}
