import GRPC
import GRPCCore
import WireCore

/// What is sent again for one captured call: its method, metadata (`GRPCCall.replayableMetadata`,
/// `-bin` values as bytes), deadline, request compression and request messages, as captured.
public struct ReplayRequest: Sendable {
    public var service: String
    public var method: String
    public var metadata: [(name: String, value: String)]
    public var timeout: Int64?
    /// grpc-encoding of the captured requests (gzip, deflate), sent the same way.
    public var compression: String?
    public var messages: [[UInt8]]
    /// When each request message was sent, after the call's first header (for `--timing captured`).
    public var messageOffsets: [Int64]
    /// The captured client cancelled the call (RST_STREAM CANCEL) after this many responses: the
    /// call sent again is cancelled when it has had as many (a stream that never ends otherwise).
    public var cancelAfterResponses: Int?
    /// How long the captured client waited before cancelling: the call sent again is cancelled a
    /// second after that at the latest, should its responses not come.
    public var cancelledAfter: Int64?

    /// Why a call cannot be sent again.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case noPath
        case notGRPC
        case messageNotCaptured(index: Int)

        public var description: String {
            switch self {
            case .noPath: "its method (:path) is not known"
            case .notGRPC: "it is not a gRPC call"
            case let .messageNotCaptured(index): "request message \(index + 1) was not captured whole"
            }
        }
    }

    public init(_ call: GRPCCall) throws(Problem) {
        guard call.callProtocol == .grpc || call.callProtocol == .grpcWeb || call.callProtocol == .grpcWebText else { throw .notGRPC }
        guard let (service, method) = call.serviceAndMethod else { throw .noPath }
        self.service = service
        self.method = method
        metadata = call.replayableMetadata
        timeout = call.timeoutNanoseconds
        compression = call.requestEncoding.flatMap { ["gzip", "deflate"].contains($0) ? $0 : nil }
        messages = []
        messageOffsets = call.requests.map { $0.time.nanoseconds(since: call.start) }
        if call.resetByClient {
            cancelAfterResponses = call.responses.count
            cancelledAfter = call.latencyNanoseconds
        }
        for (index, message) in call.requests.enumerated() {
            guard let bytes = message.bytes else { throw .messageNotCaptured(index: index) }
            messages.append(bytes)
        }
    }

    var gRPCMetadata: Metadata {
        var metadata = Metadata()
        for (name, value) in self.metadata {
            if name.hasSuffix("-bin"), case let .success(bytes) = Base64.decode(value) {
                metadata.addBinary(bytes, forKey: name)
            } else {
                metadata.addString(value, forKey: name)
            }
        }
        return metadata
    }

    /// The deadline set in place of the captured client's cancelling (none when the captured
    /// deadline comes first).
    var cancelLimit: Int64? {
        guard let cancelledAfter else { return nil }
        let limit = cancelledAfter + 1_000_000_000
        return timeout.map { $0 <= limit } == true ? nil : limit
    }

    var options: CallOptions {
        var options = CallOptions.defaults
        if let limit = cancelLimit { options.timeout = .nanoseconds(limit) } else if let timeout { options.timeout = .nanoseconds(timeout) }
        switch compression {
        case "gzip": options.compression = .gzip
        case "deflate": options.compression = .deflate
        default: break
        }
        return options
    }
}
