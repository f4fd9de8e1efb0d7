import GRPC
import WireCore

/// One call as the report shows it: what the timeline, the tables and the detail need.
struct ReportCall {
    /// 1-based, in order of start time (`data-call-id` in the page).
    var id = 0
    /// The call's connection: its index in the report's connection list.
    var connection: Int
    var stream: UInt32
    var method: String
    /// The gRPC status code; `nil` when it is not known (an incomplete call, unknown trailers).
    var status: StatusCode?
    var statusMessage: String?
    var start: Timestamp
    var end: Timestamp
    var requests: Int
    var responses: Int
    var requestBytes: Int
    var responseBytes: Int
    var incomplete: Bool
    /// Whether its status carries google.rpc.Status details (grpc-status-details-bin).
    var hasStatusDetails: Bool
    /// Where the call as `--json` writes it, with its frames, is kept (`DetailChunks`): shown
    /// when the call is opened.
    var detail: (chunk: Int, index: Int)

    var latencyNanoseconds: Int64 { end.nanoseconds(since: start) }

    /// The name the tables and colours group by: the status name, or INCOMPLETE/UNKNOWN.
    var statusName: String { status?.description ?? (incomplete ? "INCOMPLETE" : "UNKNOWN") }
}

extension ReportCall {
    init(_ call: GRPCCall, connection: Int, detail: (chunk: Int, index: Int)) {
        self.connection = connection
        stream = call.streamID
        method = call.path ?? "(no :path)"
        status = call.status?.code
        statusMessage = call.status?.message
        start = call.start
        end = call.end
        requests = call.requests.count
        responses = call.responses.count
        requestBytes = call.requests.reduce(0) { $0 + $1.declaredLength }
        responseBytes = call.responses.reduce(0) { $0 + $1.declaredLength }
        incomplete = call.incomplete
        hasStatusDetails = call.status?.details != nil
        self.detail = detail
    }
}
