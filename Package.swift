// swift-tools-version:6.1
// grpcdump: a gRPC capture inspector. One library module per layer (see docs/architecture.md);
// the decoding core (WireCore … Render) does no I/O and holds no global state.
import PackageDescription

let package = Package(
    name: "grpcdump",
    products: [
        .executable(name: "grpcdump", targets: ["grpcdump"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Tests only: NIOHPACK's encoder is an independent oracle for our HPACK decoder.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
    ],
    targets: [
        // libpcap, for BPF filters (and live capture). Debian: libpcap-dev.
        .systemLibrary(name: "CPcap", path: "Sources/CPcap", providers: [.apt(["libpcap-dev"])]),

        // zlib (Debian zlib1g-dev) for gzip/deflate gRPC messages and compressed test corpora.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Zlib", dependencies: ["CZlib"]),
        // HPACK (RFC 7541): a decoder that reports every representation and survives unknown dynamic entries.
        .target(name: "HPACK", dependencies: ["WireCore"]),

        // Shared vocabulary of the decoding core: byte spans, diagnostics, timestamps.
        .target(name: "WireCore"),
        // Capture files: pcap and pcapng, read as a stream; writers for -w and tests.
        .target(name: "Capture", dependencies: ["WireCore"]),
        // Per-packet layers: link, IPv4/IPv6 (with defragmentation), TCP header.
        .target(name: "Packet", dependencies: ["WireCore", "Capture"]),
        // TCP reassembly per connection and direction.
        .target(name: "Reassembly", dependencies: ["WireCore", "Packet"]),
        // HTTP/2 framing (RFC 9113), flow control and stream state.
        .target(name: "HTTP2", dependencies: ["WireCore", "Reassembly", "HPACK"]),
        // Protobuf wire format without a schema, keeping byte offsets.
        .target(name: "Protobuf", dependencies: ["WireCore"]),
        // gRPC calls (gRPC doc PROTOCOL-HTTP2.md): metadata, message de-framing, status.
        .target(name: "GRPC", dependencies: ["WireCore", "Reassembly", "HTTP2", "HPACK", "Zlib"]),
        // libpcap wrapper: BPF filters applied to packets read by our own reader.
        .target(name: "LibPcap", dependencies: ["CPcap", "Capture"]),
        // The synchronous pipeline: capture records in, layer events out.
        .target(name: "Analysis", dependencies: ["WireCore", "Capture", "Packet", "Reassembly", "HTTP2", "GRPC"]),
        // Rendering of events and summaries as text.
        .target(name: "Render", dependencies: ["WireCore", "Capture", "Packet", "Reassembly", "HPACK", "HTTP2", "GRPC", "Protobuf", "Analysis"]),
        // The command-line shell.
        .executableTarget(name: "grpcdump", dependencies: [
            "Analysis", "Render", "Capture", "LibPcap", "GRPC", "Packet",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Builders for packets and capture files, shared by the tests.
        .target(name: "TestSupport", dependencies: ["WireCore", "Capture", "Packet"]),

        .testTarget(name: "CaptureTests", dependencies: ["Capture", "TestSupport"]),
        .testTarget(name: "PacketTests", dependencies: ["Packet", "TestSupport"]),
        .testTarget(name: "ReassemblyTests", dependencies: ["Reassembly", "Analysis", "TestSupport"]),
        .testTarget(name: "ZlibTests", dependencies: ["Zlib"]),
        .testTarget(name: "HPACKTests", dependencies: ["HPACK", "Zlib"], exclude: ["Fixtures"]),
        .testTarget(name: "HPACKOracleTests", dependencies: [
            "HPACK", "TestSupport",
            .product(name: "NIOHPACK", package: "swift-nio-http2"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "HTTP2Tests", dependencies: ["HTTP2", "Analysis", "Reassembly", "TestSupport"]),
        .testTarget(name: "GRPCTests", dependencies: ["GRPC", "HTTP2", "Analysis", "Reassembly", "TestSupport", "Zlib"]),
        .testTarget(name: "ProtobufTests", dependencies: ["Protobuf", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "GRPC", "Packet", "Protobuf"]),
        .testTarget(name: "CLITests", dependencies: ["grpcdump", "TestSupport", "Capture", "Analysis", "Reassembly"]),
    ],
    swiftLanguageModes: [.v6]
)
