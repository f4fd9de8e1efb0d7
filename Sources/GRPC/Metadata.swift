import HTTPExchange
import WireCore

/// Header fields as the gRPC layer sees them: names and values as text, with `-bin` values in
/// their canonical base64 form (gRPC doc "PROTOCOL-HTTP2.md": Binary-Header values are base64).
enum Metadata {
    /// gRPC core's "true binary" metadata: once both peers advertise SETTINGS 0xFE03
    /// (GRPC_ALLOW_TRUE_BINARY_METADATA), a `-bin` value may be sent raw, marked by a leading 0x00
    /// byte. Such values are re-encoded as base64 here, so everything above sees one form.
    static func headers(_ lines: [HeaderLine]) -> [(name: String, value: String)] {
        lines.map(field)
    }

    /// Only the fields a call's status is read from (`TrailerStatus`).
    static func statusFields(_ lines: [HeaderLine]) -> [(name: String, value: String)] {
        lines.compactMap { TrailerStatus.reads($0.name) ? field($0) : nil }
    }

    private static func field(_ line: HeaderLine) -> (name: String, value: String) {
        if let raw = line.valueBytes, raw.first == 0, line.name.hasSuffix("-bin") {
            return (line.name, Base64.encode(Array(raw.dropFirst())))
        }
        return (line.name, line.value)
    }
}
