import GRPCCore
import WireCore

/// What a call sent again got back.
public struct ReplayOutcome: Sendable {
    public var responseHeaders: [(name: String, value: String)] = []
    public var responses: [[UInt8]] = []
    /// The server's trailing metadata (grpc-status and grpc-message are in `status`).
    public var trailers: [(name: String, value: String)] = []
    public var status: (code: Int, message: String?, details: [UInt8]?)?
    public var start: Timestamp
    public var end: Timestamp
    /// A failure that is not the server's answer (the connection could not be made, …).
    public var failure: String?
    /// How the call was sent otherwise than captured (without its compression, …).
    public var note: String?

    static func headers(_ metadata: Metadata) -> [(name: String, value: String)] {
        metadata.map { ($0.key, $0.value.encoded()) }
    }

    mutating func finish(code: Int, message: String, metadata: Metadata) {
        var details: [UInt8]?
        for value in metadata[binaryValues: "grpc-status-details-bin"] { details = value }
        status = (code, message.isEmpty ? nil : message, details)
        trailers = Self.headers(metadata)
    }
}
