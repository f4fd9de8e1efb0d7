/// The fuzz targets, one per decoder (docs/reliability.md). Each drives the real code with the
/// fuzzer's bytes as its input, reading structure (choices, chunk lengths) from them with
/// `FuzzInput` where the decoder takes more than one buffer. A target returns normally for
/// every input: a trap, a sanitizer report, a hang or a blow-up in memory is a finding.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// pcap and pcapng bytes through the streaming capture reader, fed in chunks.
    case captureReader = "capture-reader"
    /// Packets of any link type through link, IPv4/IPv6 (with defragmentation) and TCP decoding.
    case packet
    /// A sequence of TCP segments on a few connections through the reassembler.
    case tcp
    /// A connection's two byte streams through HTTP/2 framing, connection state and HPACK.
    case http2
    /// A connection's two byte streams through the HTTP/1.1 (gRPC-Web) decoder.
    case http1
    /// A key log and a connection's two byte streams through the TLS record and handshake layer.
    case tls
    /// Header blocks, with table size changes, through one HPACK decoder.
    case hpack
    /// HTTP exchange events through the gRPC call assembler and deframer, the calls rendered.
    case grpc
    /// Protobuf bytes through the raw decoder and its text and JSON renderings.
    case protobufRaw = "protobuf-raw"
    /// Protobuf bytes decoded as a message of the reference and google.rpc schemas.
    case protobufSchema = "protobuf-schema"
    /// A .proto source through the parser and linker.
    case protoParser = "proto-parser"
    /// annotate's input: hex, base64 or binary text, then the blob annotated and rendered.
    case annotate
    /// A key log file's text.
    case keylog
    /// A capture file through the whole pipeline, every view rendered.
    case pipeline

    /// Runs one input.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .captureReader: CaptureTargets.captureReader(bytes)
        case .packet: CaptureTargets.packets(bytes)
        case .pipeline: CaptureTargets.pipeline(bytes)
        case .tcp: StreamTargets.tcp(bytes)
        case .http2: StreamTargets.http2(bytes)
        case .http1: StreamTargets.http1(bytes)
        case .tls: StreamTargets.tls(bytes)
        case .hpack: CallTargets.hpack(bytes)
        case .grpc: CallTargets.grpc(bytes)
        case .protobufRaw: MessageTargets.protobufRaw(bytes)
        case .protobufSchema: MessageTargets.protobufSchema(bytes)
        case .protoParser: MessageTargets.protoParser(bytes)
        case .annotate: MessageTargets.annotate(bytes)
        case .keylog: MessageTargets.keylog(bytes)
        }
    }
}
