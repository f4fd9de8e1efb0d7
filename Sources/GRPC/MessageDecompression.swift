import Zlib

/// Decompresses a message whose Compressed-Flag is set, by the sender's `grpc-encoding`
/// (gRPC doc "compression.md"). gRPC's `deflate` is zlib framing (RFC 1950), `gzip` RFC 1952.
enum MessageDecompression {
    /// `encodingMayBeUnknown`: the sender's header fields include HPACK entries from before the
    /// capture, so grpc-encoding may be one of them: gzip and deflate are tried (by their headers,
    /// RFC 1952 §2.3 and RFC 1950 §2.2) and the message says which one read it.
    static func apply(_ message: inout GRPCMessage, encoding: String?, maxLength: Int, encodingMayBeUnknown: Bool = false) {
        guard message.compressed else { return }
        if encoding == nil, encodingMayBeUnknown {
            for (name, format) in [("gzip", Inflater.Format.gzip), ("deflate", .zlib)] {
                if case let .success(bytes) = Inflater.inflate(message.wireBytes, format: format, maxOutput: maxLength) {
                    message.bytes = bytes
                    message.problem = "grpc-encoding not known (an HPACK entry from before the capture); the message reads as \(name)"
                    return
                }
            }
        }
        let format: Inflater.Format
        switch encoding?.lowercased() {
        case "gzip": format = .gzip
        case "deflate": format = .zlib
        case nil, "identity":
            message.problem = "compressed flag set but grpc-encoding is \(encoding ?? "absent") (gRPC compression.md: INTERNAL)"
            return
        case let other?:
            message.problem = "grpc-encoding \(other) is not supported; payload kept compressed"
            return
        }
        switch Inflater.inflate(message.wireBytes, format: format, maxOutput: maxLength) {
        case let .success(bytes): message.bytes = bytes
        case let .failure(error): message.problem = "\(encoding!) decompression failed at compressed byte \(error.inputOffset): \(error.message)"
        }
    }
}
