import ByteStream
import WireCore

extension Layer {
    public static let grpc = Layer(rawValue: "grpc")
}

/// The problems found in a call, with stable codes (safe to match in scripts and tests) and,
/// where they concern bytes, the packet and stream span. Their messages are what views show.
enum CallDiagnostic {
    /// gRPC doc "PROTOCOL-HTTP2.md": Timeout → TimeoutValue TimeoutUnit.
    static func invalidTimeout(_ value: String) -> Diagnostic {
        Diagnostic(.grpc, "grpc.timeout.invalid", .warning, "grpc-timeout \"\(value)\" is not a valid timeout")
    }

    static func statusNotANumber(_ text: String) -> Diagnostic {
        Diagnostic(.grpc, "grpc.status.not-a-number", .warning, "grpc-status \"\(text)\" is not a number")
    }

    static let invalidPercentEncoding = Diagnostic(.grpc, "grpc.message.percent-encoding", .warning,
                                                   "grpc-message has an invalid percent-encoding; shown as sent")

    static func invalidStatusDetails(at character: Int) -> Diagnostic {
        Diagnostic(.grpc, "grpc.status-details.base64", .warning, "grpc-status-details-bin is not valid base64 at character \(character)")
    }

    static func tooManyOpenCalls(limit: Int, packet: Int) -> Diagnostic {
        Diagnostic(.grpc, "grpc.call.evicted", .warning,
                   "\(limit) calls were open at once on this connection at packet \(packet) (--max-open-calls); this one, the oldest, is reported unfinished and the rest of its stream not shown",
                   packet: packet)
    }

    static func secondClientHeaderBlock(stream: UInt32) -> Diagnostic {
        Diagnostic(.grpc, "grpc.headers.client-trailers", .warning, "client sent a second header block (trailers) on stream \(stream)")
    }

    static func messageTooLarge(_ direction: Direction, length: Int, offset: Int64, packet: Int, limit: Int) -> Diagnostic {
        Diagnostic(.grpc, "grpc.message.too-large", .warning,
                   "\(direction.sender) message at stream offset \(offset) (packet \(packet)) declares \(length) bytes, over the \(limit)-byte limit; skipped",
                   packet: packet, span: ByteSpan(start: Int(offset), count: MessageDeframer.prefixLength),
                   length: .init(required: length, available: limit, source: "gRPC message length prefix"))
    }

    /// gRPC's default limit on a received message: 4 MiB in grpc-go, grpc-java, gRPC core (C++,
    /// Python, Ruby …), grpc-swift, grpc-dotnet and grpc-js; a larger one fails the call with
    /// RESOURCE_EXHAUSTED at a receiver that kept the default.
    static let defaultReceiveLimit = 4 << 20

    static func overDefaultReceiveLimit(_ direction: Direction, length: Int, packet: Int) -> Diagnostic {
        Diagnostic(.grpc, "grpc.message.over-default-limit", .note,
                   "\(direction.sender) message of \(length) bytes (packet \(packet)) is over 4 MiB, gRPC's default limit for a received message: a receiver that kept the default rejects it (RESOURCE_EXHAUSTED)",
                   packet: packet)
    }

    static func messageCutShort(_ direction: Direction, offset: Int64, received: Int, declared: Int?) -> Diagnostic {
        let of = declared.map { "\($0 + MessageDeframer.prefixLength)" } ?? "an unknown number of"
        return Diagnostic(.grpc, "grpc.message.cut-short", .warning,
                          "\(direction.sender) message at stream offset \(offset) cut short: \(received) of \(of) bytes",
                          span: ByteSpan(start: Int(offset), count: received),
                          length: declared.map { .init(required: $0 + MessageDeframer.prefixLength, available: received, source: "gRPC message length prefix") })
    }

    static func unexpectedTrailersFrame(_ direction: Direction, offset: Int64, packet: Int) -> Diagnostic {
        Diagnostic(.grpc, "grpc.message.trailers-flag", .warning,
                   "\(direction.sender) frame at stream offset \(offset) (packet \(packet)) has flag 0x80 (gRPC-Web trailers) outside a gRPC-Web response; skipped",
                   packet: packet, span: ByteSpan(start: Int(offset), count: MessageDeframer.prefixLength))
    }

    static let missingStatus = Diagnostic(.grpc, "grpc.status.missing", .warning, "no grpc-status in the trailers")

    static let startNotCaptured = Diagnostic(.grpc, "grpc.stream.start-not-captured", .note, "the start of this stream was not captured")
}
