import WireCore

extension GRPCCall {
    /// The call as a client that sent `captured` again saw it: the captured request side, and the
    /// response it got (headers, messages, trailers, status) between `start` and `end`. Compared
    /// with the captured call by the diff engine like a call of another capture.
    public static func replayed(
        of captured: GRPCCall, responseHeaders: [(name: String, value: String)], responses: [[UInt8]],
        trailers: [(name: String, value: String)], status: (code: Int, message: String?, details: [UInt8]?)?,
        start: Timestamp, end: Timestamp
    ) -> GRPCCall {
        var call = GRPCCall(connection: captured.connection, streamID: captured.streamID, start: start, packet: 0)
        call.callProtocol = .grpc
        call.path = captured.path
        call.authority = captured.authority
        call.timeoutNanoseconds = captured.timeoutNanoseconds
        call.requestEncoding = captured.requestEncoding
        call.requestHeaders = captured.requestHeaders
        call.requests = captured.requests
        call.responseHeaders = responseHeaders
        call.trailers = trailers
        call.trailersOnly = false
        call.responseEncoding = responseHeaders.last { $0.name == "grpc-encoding" }?.value
        call.responses = responses.map { bytes in
            GRPCMessage(compressed: false, declaredLength: bytes.count, wireBytes: bytes, bytes: bytes, problem: nil,
                        streamOffset: 0, firstPacket: 0, packet: 0, time: end)
        }
        call.status = status.map { GRPCStatus(code: StatusCode(rawValue: $0.code), message: $0.message, details: $0.details, source: .trailers) }
        call.end = end
        return call
    }
}
