// swift-tools-version:6.1
// grpcdump: a gRPC capture inspector. One library module per layer (see docs/architecture.md);
// the decoding core (WireCore … Render) does no I/O and holds no global state.
import PackageDescription

let package = Package(
    name: "grpcdump",
    products: [
        .executable(name: "grpcdump", targets: ["grpcdump"]),
        // The fuzz targets' driver (scripts/fuzz.sh builds it with libFuzzer; docs/reliability.md).
        .executable(name: "grpcdump-fuzz", targets: ["grpcdump-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Tests only: NIOHPACK's encoder is an independent oracle for our HPACK decoder.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        // The reference gRPC client and server (`grpcdump serve`, `grpcdump call`).
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // The reference server's test certificate authority (TLS, mTLS).
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // libpcap, for BPF filters (and live capture). Debian: libpcap-dev.
        .systemLibrary(name: "CPcap", path: "Sources/CPcap", providers: [.apt(["libpcap-dev"])]),

        // zlib (Debian zlib1g-dev) for gzip/deflate gRPC messages and compressed test corpora.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibCrypto", path: "Sources/CLibCrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(name: "Zlib", dependencies: ["CZlib"]),
        // HPACK (RFC 7541): a decoder that reports every representation and survives unknown dynamic entries.
        .target(name: "HPACK", dependencies: ["WireCore"]),

        // Shared vocabulary of the decoding core: byte spans, diagnostics, timestamps.
        .target(name: "WireCore"),
        // Capture files: pcap and pcapng, read as a stream; writers for -w and tests.
        .target(name: "Capture", dependencies: ["WireCore"]),
        // Per-packet layers: link, IPv4/IPv6 (with defragmentation), TCP header.
        .target(name: "Packet", dependencies: ["WireCore", "Capture"]),
        // The byte-stream vocabulary between connection layers (opened, data at an offset, gap,
        // closed), the recognition of a stream's first bytes, and the demultiplexer that names a
        // connection's next layer.
        .target(name: "ByteStream", dependencies: ["WireCore", "Packet"]),
        // TCP reassembly per connection and direction: emits byte streams.
        .target(name: "Reassembly", dependencies: ["WireCore", "Packet", "ByteStream"]),
        // TLS 1.2/1.3 records and handshake, decrypted with key-log secrets: consumes a byte
        // stream, emits the plaintext as one (docs/tls.md). Primitives from swift-crypto, and
        // libcrypto (OpenSSL) for the AEAD records and HKDF.
        .target(name: "TLS", dependencies: [
            "WireCore", "ByteStream", "CLibCrypto",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        // HTTP/1.x requests and responses (gRPC-Web): consumes a byte stream, produces exchanges.
        .target(name: "HTTP1", dependencies: ["WireCore", "ByteStream", "HTTPExchange"]),
        // The exchange vocabulary between HTTP and the call layer (head, body, trailers, reset),
        // whichever HTTP version produced it.
        .target(name: "HTTPExchange", dependencies: ["WireCore", "ByteStream"]),
        // HTTP/2 framing (RFC 9113), flow control and stream state: consumes a byte stream,
        // produces exchanges.
        .target(name: "HTTP2", dependencies: ["WireCore", "ByteStream", "HPACK", "HTTPExchange"]),
        // Protobuf wire format without a schema, keeping byte offsets.
        .target(name: "Protobuf", dependencies: ["WireCore"]),
        // .proto sources parsed and linked into FileDescriptorProtos, as protoc would (docs/schemas.md).
        .target(name: "ProtoParser", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // Descriptor pools and schema-driven decoding of messages, well-known types in JSON form.
        .target(name: "Schema", dependencies: ["WireCore", "Protobuf", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // Byte-by-byte annotation of one protobuf blob or raw HTTP/2 (`grpcdump annotate`).
        .target(name: "Annotate", dependencies: ["WireCore", "ByteStream", "Protobuf", "GRPC", "HTTP2", "HPACK", "Zlib"]),
        // gRPC calls (gRPC doc PROTOCOL-HTTP2.md): metadata, message de-framing, status.
        .target(name: "GRPC", dependencies: ["WireCore", "ByteStream", "HTTPExchange", "Zlib"]),
        // libpcap wrapper: BPF filters applied to packets read by our own reader.
        .target(name: "LibPcap", dependencies: ["CPcap", "Capture"]),
        // The synchronous pipeline: capture records in, layer events out.
        .target(name: "Analysis", dependencies: ["WireCore", "Capture", "Packet", "ByteStream", "Reassembly", "TLS", "HTTPExchange", "HTTP1", "HTTP2", "GRPC"]),
        // Rendering of events and summaries as text.
        .target(name: "Render", dependencies: ["WireCore", "Capture", "Packet", "ByteStream", "TLS", "HTTPExchange", "Reassembly", "HPACK", "HTTP2", "GRPC", "Protobuf", "Analysis", "Schema", "Annotate"]),
        // Two captures' calls paired and compared field by field (`grpcdump diff`).
        // `grpcdump report`: one self-contained HTML page of a capture's calls, flow control and problems.
        .target(name: "Report", dependencies: ["WireCore", "ByteStream", "Reassembly", "TLS", "HTTP2", "GRPC", "Protobuf", "Analysis", "Render", "Zlib"]),
        // `grpcdump replay`: captured calls sent again with grpc-swift's client, as raw bytes.
        .target(name: "Replay", dependencies: [
            "WireCore", "Capture", "Packet", "GRPC",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "CallDiff", dependencies: ["WireCore", "GRPC", "Protobuf", "Schema", "Render"]),
        // Code generated by protoc from dissectors/ (scripts/gen-protos.sh); committed.
        .target(name: "ReferenceProtos", dependencies: [
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        // The reference gRPC server and client: services, interceptors, scenarios, TLS.
        .target(name: "Reference", dependencies: [
            "ReferenceProtos",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        // The command-line shell.
        .executableTarget(name: "grpcdump", dependencies: [
            "Analysis", "Render", "Capture", "LibPcap", "CMalloc", "GRPC", "HTTP2", "Packet", "TLS", "Reference", "ProtoParser", "Schema", "Annotate", "CallDiff", "Report", "Replay",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // One fuzz target per decoder, and seeds for them made from real captures (docs/reliability.md).
        .target(name: "FuzzTargets", dependencies: [
            "WireCore", "Capture", "Packet", "ByteStream", "Reassembly", "TLS", "HTTP1", "HTTP2", "HPACK", "HTTPExchange",
            "GRPC", "Protobuf", "ProtoParser", "Schema", "Annotate", "Analysis", "Render", "Report", "Zlib",
        ]),
        .executableTarget(name: "grpcdump-fuzz", dependencies: ["FuzzTargets", "TestSupport"]),

        // Builders for packets and capture files, shared by the tests.
        .target(name: "TestSupport", dependencies: ["WireCore", "Capture", "Packet", "Zlib"]),

        .testTarget(name: "CaptureTests", dependencies: ["Capture", "TestSupport"]),
        .testTarget(name: "PacketTests", dependencies: ["Packet", "TestSupport"]),
        .testTarget(name: "ReassemblyTests", dependencies: ["ByteStream", "Reassembly", "Analysis", "TestSupport", "TLS", "Capture", "Packet", "WireCore"]),
        .testTarget(name: "ZlibTests", dependencies: ["Zlib"]),
        .testTarget(name: "HPACKTests", dependencies: ["HPACK", "Zlib"], exclude: ["Fixtures"]),
        .testTarget(name: "HPACKOracleTests", dependencies: [
            "HPACK", "TestSupport",
            .product(name: "NIOHPACK", package: "swift-nio-http2"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "HTTP2Tests", dependencies: ["ByteStream", "HTTPExchange", "HTTP2", "Analysis", "Reassembly", "TestSupport", "WireCore"]),
        .testTarget(name: "GRPCTests", dependencies: ["ByteStream", "HTTPExchange", "GRPC", "HTTP2", "Analysis", "Reassembly", "TestSupport", "Zlib"]),
        .testTarget(name: "ProtobufTests", dependencies: ["Protobuf", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "GRPC", "Packet", "Protobuf", "Analysis", "Capture", "TestSupport"]),
        .testTarget(name: "ProtoParserTests", dependencies: ["ProtoParser", .product(name: "SwiftProtobuf", package: "swift-protobuf")], exclude: ["Fixtures"]),
        .testTarget(name: "SchemaTests", dependencies: ["Schema", "Protobuf", .product(name: "SwiftProtobuf", package: "swift-protobuf")], resources: [.copy("Fixtures")]),
        // The decoder and parser against SwiftProtobuf's generated code for dissectors/reference.
        .testTarget(name: "SchemaOracleTests", dependencies: ["ProtoParser", "Schema", "Protobuf", "Render", "ReferenceProtos", .product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Analysis", "Render", "GRPC", "HTTP2", "ByteStream", "WireCore", "Protobuf"]),
        .testTarget(name: "CallDiffTests", dependencies: ["CallDiff", "Protobuf", "GRPC", "ByteStream", "WireCore"]),
        .testTarget(name: "AnnotateTests", dependencies: ["Annotate", "Render", "Protobuf", "ProtoParser", "Schema"]),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "ByteStream", "Analysis", "Capture", "Reassembly", "TestSupport"], exclude: ["Fixtures"]),
        // Hostile captures: each limit reported where it is hit, and the capture still decoded.
        .testTarget(name: "ReliabilityTests", dependencies: ["Analysis", "Capture", "GRPC", "HTTP2", "Packet", "Reassembly", "Render", "Report", "TestSupport"]),
        // The committed fuzz corpora and every input a fuzzer found, replayed through their targets.
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzTargets"], exclude: ["Corpus", "Regressions"]),
        .testTarget(name: "CLITests", dependencies: ["grpcdump", "TestSupport", "Capture", "ByteStream", "Analysis", "Reassembly", "Reference", "ReferenceProtos"], exclude: ["Goldens"]),
    ],
    swiftLanguageModes: [.v6]
)
