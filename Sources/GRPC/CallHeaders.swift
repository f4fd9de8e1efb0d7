import HTTPExchange
import WireCore

/// What the request headers say about a call (gRPC doc "PROTOCOL-HTTP2.md", Requests).
enum RequestHeaders {
    /// None of these is binary metadata: the fields are read as they came, before `Metadata`.
    static func apply(_ headers: [HeaderLine], to call: inout GRPCCall) {
        for line in headers {
            let (name, value) = (line.name, line.value)
            // The length first: most fields are none of these, and telling two different Strings
            // apart costs more than reading a length (1.5% of the small-calls summary).
            switch name.utf8.count {
            case 5 where name == ":path": call.path = value
            case 10 where name == ":authority": call.authority = value
            case 12 where name == "content-type":
                call.contentType = value
                call.callProtocol = callProtocol(contentType: value)
            case 12 where name == "grpc-timeout":
                if let timeout = GRPCTimeout.parse(value) {
                    call.timeoutNanoseconds = timeout
                } else {
                    call.warnings.append(CallDiagnostic.invalidTimeout(value))
                }
            case 13 where name == "grpc-encoding": call.requestEncoding = value
            case 20 where name == "grpc-accept-encoding": call.acceptEncoding = value
            case 10 where name == "user-agent": call.userAgent = value
            default: break
            }
        }
    }

    /// application/grpc, application/grpc+proto, application/grpc+json …; gRPC-Web's own types.
    /// The media type before its parameters, without case (RFC 9110 §8.3.1), compared as bytes
    /// in place: every call's content-type is read, and lowercasing a String costs more than the
    /// rest of it.
    static func callProtocol(contentType: String) -> CallProtocol {
        var contentType = contentType
        let protocolFromBytes: CallProtocol? = contentType.withUTF8 { bytes in
            let type = bytes[..<(bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex)]
            guard type.allSatisfy({ $0 < 0x80 }) else { return nil }
            if hasPrefix(type, "application/grpc-web-text") { return .grpcWebText }
            if hasPrefix(type, "application/grpc-web") { return .grpcWeb }
            if hasPrefix(type, "application/grpc") && (type.count == 16 || type[type.startIndex + 16] == UInt8(ascii: "+")) { return .grpc }
            return .http2
        }
        if let protocolFromBytes { return protocolFromBytes }
        // Beyond ASCII, lowercased as Unicode text (as it always was).
        let type = contentType.lowercased().split(separator: ";").first.map(String.init) ?? ""
        if type.hasPrefix("application/grpc-web-text") { return .grpcWebText }
        if type.hasPrefix("application/grpc-web") { return .grpcWeb }
        if type == "application/grpc" || type.hasPrefix("application/grpc+") { return .grpc }
        return .http2
    }

    /// Whether ASCII `bytes` start with `prefix` (lowercase ASCII), case aside.
    private static func hasPrefix(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { prefix in
            guard bytes.count >= prefix.count else { return false }
            return zip(bytes, prefix).allSatisfy { byte, expected in (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == expected }
        }
    }
}

/// What the response headers say (gRPC doc "PROTOCOL-HTTP2.md", Responses).
enum ResponseHeaders {
    static func apply(_ headers: [HeaderLine], to call: inout GRPCCall) {
        for line in headers {
            switch line.name {
            case ":status": call.httpStatus = Int(line.value)
            case "grpc-encoding": call.responseEncoding = line.value
            case "content-type" where call.callProtocol == .http2:
                call.callProtocol = RequestHeaders.callProtocol(contentType: line.value)
            default: break
            }
        }
    }
}

/// grpc-status, grpc-message and grpc-status-details-bin from the trailers.
enum TrailerStatus {
    /// Whether the status is read from a field of this name (by length first, as `RequestHeaders`).
    static func reads(_ name: String) -> Bool {
        switch name.utf8.count {
        case 11: name == "grpc-status"
        case 12: name == "grpc-message"
        case 23: name == "grpc-status-details-bin"
        default: false
        }
    }

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
