import Zlib

/// Decompresses a message whose Compressed-Flag is set, by the sender's `grpc-encoding`
/// (gRPC doc "compression.md"). gRPC's `deflate` is zlib framing (RFC 1950), `gzip` RFC 1952.
enum MessageDecompression {
    static func apply(_ message: inout GRPCMessage, encoding: String?, maxLength: Int) {
        guard message.compressed else { return }
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
