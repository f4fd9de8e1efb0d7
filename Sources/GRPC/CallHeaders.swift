import WireCore

/// What the request headers say about a call (gRPC doc "PROTOCOL-HTTP2.md", Requests).
enum RequestHeaders {
    static func apply(_ headers: [(name: String, value: String)], to call: inout GRPCCall) {
        for (name, value) in headers {
            switch name {
            case ":path": call.path = value
            case ":authority": call.authority = value
            case "content-type":
                call.contentType = value
                call.callProtocol = callProtocol(contentType: value)
            case "grpc-timeout":
                if let timeout = GRPCTimeout.parse(value) {
                    call.timeoutNanoseconds = timeout
                } else {
                    call.warnings.append(CallDiagnostic.invalidTimeout(value))
                }
            case "grpc-encoding": call.requestEncoding = value
            case "grpc-accept-encoding": call.acceptEncoding = value
            case "user-agent": call.userAgent = value
            default: break
            }
        }
    }

    /// application/grpc, application/grpc+proto, application/grpc+json …; gRPC-Web's own types.
    /// The media type before its parameters, without case (RFC 9110 §8.3.1), compared as bytes:
    /// every call's content-type is read, and lowercasing a String costs more than the rest of it.
    static func callProtocol(contentType: String) -> CallProtocol {
        let utf8 = contentType.utf8
        let type = utf8[..<(utf8.firstIndex(of: UInt8(ascii: ";")) ?? utf8.endIndex)]
        // Beyond ASCII, lowercased as Unicode text (as it always was).
        guard type.allSatisfy({ $0 < 0x80 }) else {
            let lowered = contentType.lowercased().split(separator: ";").first.map(String.init) ?? ""
            return callProtocol(asciiLowercased: Array(lowered.utf8))
        }
        return callProtocol(asciiLowercased: type.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 })
    }

    private static func callProtocol(asciiLowercased type: [UInt8]) -> CallProtocol {
        if type.starts(with: "application/grpc-web-text".utf8) { return .grpcWebText }
        if type.starts(with: "application/grpc-web".utf8) { return .grpcWeb }
        if type.elementsEqual("application/grpc".utf8) || type.starts(with: "application/grpc+".utf8) { return .grpc }
        return .http2
    }
}

/// What the response headers say (gRPC doc "PROTOCOL-HTTP2.md", Responses).
enum ResponseHeaders {
    static func apply(_ headers: [(name: String, value: String)], to call: inout GRPCCall) {
        for (name, value) in headers {
            switch name {
            case ":status": call.httpStatus = Int(value)
            case "grpc-encoding": call.responseEncoding = value
            case "content-type" where call.callProtocol == .http2:
                call.callProtocol = RequestHeaders.callProtocol(contentType: value)
            default: break
            }
        }
    }
}

/// grpc-status, grpc-message and grpc-status-details-bin from the trailers.
enum TrailerStatus {
    static func parse(_ trailers: [(name: String, value: String)], warnings: inout [Diagnostic]) -> GRPCStatus? {
        guard let statusText = trailers.last(where: { $0.name == "grpc-status" })?.value else { return nil }
        guard let number = Int(statusText) else {
            warnings.append(CallDiagnostic.statusNotANumber(statusText))
            return GRPCStatus(code: .unknown, message: nil, details: nil, source: .trailers)
        }
        var status = GRPCStatus(code: StatusCode(rawValue: number), message: nil, details: nil, source: .trailers)
        if let message = trailers.last(where: { $0.name == "grpc-message" })?.value {
            let decoded = PercentDecoding.decode(message)
            status.message = decoded.text
            if decoded.hadInvalidSequence { warnings.append(CallDiagnostic.invalidPercentEncoding) }
        }
        if let details = trailers.last(where: { $0.name == "grpc-status-details-bin" })?.value {
            switch Base64.decode(details) {
            case let .success(bytes): status.details = bytes
            case let .failure(error): warnings.append(CallDiagnostic.invalidStatusDetails(at: error.offset))
            }
        }
        return status
    }
}
