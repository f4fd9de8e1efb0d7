import ByteStream
import HTTPExchange
import WireCore

/// What kind of exchange a stream carries, from its content-type (gRPC doc "PROTOCOL-HTTP2.md"
/// and "PROTOCOL-WEB.md").
public enum CallProtocol: String, Sendable, Hashable {
    case grpc
    case grpcWeb = "grpc-web"
    case grpcWebText = "grpc-web-text"
    /// An HTTP/2 exchange that is not gRPC.
    case http2
    /// An HTTP/1.x exchange that is not gRPC.
    case http1
}

/// One gRPC call: an HTTP/2 stream's request and response, decoded. Its fields (`Record`) are
/// read and written as the call's own (`call.path`).
///
/// A call is handed on through several layers and event arrays before it is shown. Its fields are
/// kept behind one reference, copied only when a call that is shared is changed: handing a call
/// on costs one reference count, where copying the record moved its 460 bytes and retained and
/// released each of its twenty strings and arrays, some twenty times a call.
@dynamicMemberLookup
public struct GRPCCall: Sendable {
    @usableFromInline var storage: Storage

    init(connection: ConnectionID, streamID: UInt32, start: Timestamp, packet: Int) {
        storage = Storage(Record(connection: connection, streamID: streamID, start: start, packet: packet))
    }

    /// The record's fields, as the call's.
    @inlinable public subscript<Value>(dynamicMember field: WritableKeyPath<Record, Value>) -> Value {
        get { storage.record[keyPath: field] }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.record) }
            yield &storage.record[keyPath: field]
        }
    }

    /// A call's record behind a reference. It is changed only while uniquely referenced
    /// (`isKnownUniquelyReferenced` above), so sharing it across threads is safe, and no two
    /// accesses can overlap: the run-time exclusivity check of a class property (2% of the
    /// small-calls profile) is left out.
    @usableFromInline final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) @usableFromInline var record: Record
        @usableFromInline init(_ record: Record) { self.record = record }
    }

    /// `package.Service` and `Method` from the path.
    public var serviceAndMethod: (service: String, method: String)? {
        guard let path = storage.record.path, path.hasPrefix("/") else { return nil }
        let parts = path.dropFirst().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// From the first request header to the end of the call.
    public var latencyNanoseconds: Int64 { storage.record.end.nanoseconds(since: storage.record.start) }
}

extension GRPCCall {
    /// What a call is: its stream, headers, messages, status and timing.
    public struct Record: Sendable {
        public var connection: ConnectionID
        public var streamID: UInt32
        public var callProtocol: CallProtocol = .http2
        /// `/package.Service/Method`.
        public var path: String?
        public var authority: String?
        public var contentType: String?
        public var timeoutNanoseconds: Int64?
        /// grpc-encoding of each direction.
        public var requestEncoding: String?
        public var responseEncoding: String?
        public var acceptEncoding: String?
        public var userAgent: String?
        public var requestHeaders: [(name: String, value: String)] = []
        public var responseHeaders: [(name: String, value: String)] = []
        public var trailers: [(name: String, value: String)] = []
        /// The server answered with a single HEADERS frame carrying END_STREAM (gRPC Trailers-Only).
        public var trailersOnly = false
        public var httpStatus: Int?
        /// Body bytes of a stream that is not gRPC, per direction (`Direction.rawValue`).
        public var bodyBytes = [0, 0]
        public var requests: [GRPCMessage] = []
        public var responses: [GRPCMessage] = []
        public var status: GRPCStatus?
        /// RST_STREAM error code, when the stream was reset.
        public var resetCode: ErrorCode?
        /// Whether the client (rather than the server) sent the RST_STREAM.
        public var resetByClient = false
        public var start: Timestamp
        public var firstPacket: Int
        public var firstResponseTime: Timestamp?
        public var end: Timestamp
        public var lastPacket: Int
        /// The call was taken for gRPC from its DATA (length-prefixed messages) or its connection,
        /// its content-type being unknown (an HPACK entry from before the capture) or not captured.
        public var protocolInferred = false
        /// Some header fields of the request, or of the response and trailers, are unknown HPACK
        /// entries from before the capture began.
        public var requestHeadersPartlyUnknown = false
        public var responseHeadersPartlyUnknown = false
        /// Why the status is not known when it is not (`status` is then nil): its trailers hold unknown
        /// header fields, one of which may be grpc-status. Never guessed as OK.
        public var statusUnknownReason: String?
        /// The method, when `:path` was not known and it was inferred from the messages against the
        /// loaded schemas (set by the views that have the schemas; see `MethodInference`).
        public var methodInferred = false
        public var methodInference: String?
        /// What protected the call's connection (TLS version, cipher, SNI, ALPN), when something did.
        public var security: StreamSecurity?
        /// The capture ended (or the connection did) before the call finished.
        public var incomplete = false
        /// What was wrong with the call, as diagnostics with stable codes (`grpc.…`).
        public var warnings: [Diagnostic] = []

        init(connection: ConnectionID, streamID: UInt32, start: Timestamp, packet: Int) {
            self.connection = connection
            self.streamID = streamID
            self.start = start
            self.end = start
            self.firstPacket = packet
            self.lastPacket = packet
        }
    }
}

/// A call's outcome: the gRPC status, from trailers, or derived (HTTP status, RST_STREAM).
public struct GRPCStatus: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable {
        case trailers
        /// No grpc-status: derived from the HTTP status (gRPC doc "http-grpc-status-mapping.md").
        case httpStatus = "http status"
        /// The stream was reset (RST_STREAM CANCEL is CANCELLED).
        case reset = "rst_stream"
        /// The server's GOAWAY said it did not process the stream: UNAVAILABLE.
        case goaway
    }

    public var code: StatusCode
    /// grpc-message, percent-decoded.
    public var message: String?
    /// grpc-status-details-bin, base64-decoded (a serialized google.rpc.Status).
    public var details: [UInt8]?
    public var source: Source
}
