import Capture
import Packet
import WireCore
import Zlib

/// Captures that attack one resource each (docs/reliability.md), written with the project's own
/// writers; each ends with a well-formed call on a connection of its own, which must still
/// decode. `scale` 1 is the size the reliability figures are measured at; tests use less.
public enum HostileCapture: String, CaseIterable, Sendable {
    /// Dynamic table size updates by the thousand, then a block that references past the table.
    case hpackSizeStorm = "hpack-size-storm"
    /// A HEADERS frame followed by CONTINUATION frames without END_HEADERS (CVE-2024-27316).
    case continuationFlood = "continuation-flood"
    /// A million streams opened and never closed.
    case streamFlood = "stream-flood"
    /// SETTINGS (changing the initial window each time) and PINGs never answered.
    case settingsPingFlood = "settings-ping-flood"
    /// WINDOW_UPDATEs that take the windows to 2^31-1 and past it.
    case windowOverflow = "window-overflow"
    /// A gRPC message declaring 4 GiB.
    case hugeMessage = "huge-message"
    /// A protobuf message nested far past any depth limit.
    case deepNesting = "deep-nesting"
    /// A gzip-compressed message that inflates a thousandfold.
    case gzipBomb = "gzip-bomb"
    /// 100,000 SYNs never answered (half-open connections).
    case synFlood = "syn-flood"
    /// Overlapping IPv4 fragments: half the datagrams completed, the others never.
    case ipFragments = "ip-fragments"
    /// A TCP stream whose sequence numbers jump 2 GB ahead at every segment (4 GB every two).
    case sequenceGap = "sequence-gap"

    /// The method of the well-formed call each capture ends with.
    public static let checkPath = "/grpc.health.v1.Health/Check"

    /// The capture as pcap bytes.
    public func capture(scale: Double = 1) -> [UInt8] {
        CaptureFileBuilder.pcap(packets(scale: scale))
    }

    public func packets(scale: Double = 1) -> [CapturedPacket] {
        func count(_ full: Int) -> Int { max(1, Int(Double(full) * scale)) }
        var attack = TCPConversation(client: Endpoint(IPAddress("10.0.0.66")!, 40_666), server: Endpoint(IPAddress("10.0.0.2")!, 50051))
        var packets: [CapturedPacket]
        switch self {
        case .hpackSizeStorm:
            packets = Self.http2Start(&attack)
            // RFC 7541 §6.3: size updates (0, then 4096, over and over) in one block, then
            // indexed references to the highest dynamic indices a 32-bit integer can name.
            var storm: [UInt8] = []
            for _ in 0..<count(100_000) { storm += [0x20, 0x3F, 0xE1, 0x1F] }
            packets += Self.frames(&attack, .client, [HTTP2FrameBuilder.headers(stream: 1, block: storm, endStream: true)])
            let pastTable: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0xBF]
            packets += Self.frames(&attack, .client, (0..<count(10_000)).map { HTTP2FrameBuilder.headers(stream: UInt32(3 + 2 * $0), block: pastTable, endStream: true) })
        case .continuationFlood:
            packets = Self.http2Start(&attack)
            let fragment = [UInt8](repeating: 0x40, count: 1024)
            var frames = [HTTP2FrameBuilder.headers(stream: 1, block: Self.requestBlock, endHeaders: false)]
            frames += (0..<count(50_000)).map { _ in HTTP2FrameBuilder.continuation(stream: 1, block: fragment, endHeaders: false) }
            packets += Self.frames(&attack, .client, frames)
        case .streamFlood:
            packets = Self.http2Start(&attack)
            // Each stream opened with a one-byte block (an indexed :method GET) and left open.
            packets += Self.frames(&attack, .client, (0..<count(1_000_000)).map { HTTP2FrameBuilder.headers(stream: UInt32(1 + 2 * $0), block: [0x82]) })
        case .settingsPingFlood:
            packets = Self.http2Start(&attack)
            packets += Self.frames(&attack, .client, (0..<count(20_000)).map { HTTP2FrameBuilder.headers(stream: UInt32(1 + 2 * $0), block: [0x82]) })
            packets += Self.frames(&attack, .server, (0..<count(200_000)).map { index in
                index % 2 == 0 ? HTTP2FrameBuilder.settings([(4, UInt32(index % 65_536))]) : HTTP2FrameBuilder.ping(UInt64(index))
            })
        case .windowOverflow:
            packets = Self.http2Start(&attack)
            packets += Self.frames(&attack, .client, [HTTP2FrameBuilder.headers(stream: 1, block: Self.requestBlock)])
            packets += Self.frames(&attack, .server, (0..<count(200_000)).map { index in
                HTTP2FrameBuilder.windowUpdate(stream: index % 2 == 0 ? 0 : 1, increment: 0x7FFF_FFFF)
            })
        case .hugeMessage:
            packets = Self.http2Start(&attack)
            let prefix: [UInt8] = [0, 0xFF, 0xFF, 0xFF, 0xFF]
            var frames = [HTTP2FrameBuilder.headers(stream: 1, block: Self.requestBlock)]
            frames += [HTTP2FrameBuilder.data(stream: 1, prefix + [UInt8](repeating: 7, count: 16_000))]
            frames += (0..<count(1_000)).map { _ in HTTP2FrameBuilder.data(stream: 1, [UInt8](repeating: 7, count: 16_000)) }
            packets += Self.frames(&attack, .client, frames)
        case .deepNesting:
            packets = Self.http2Start(&attack)
            let message = Self.nested(depth: count(100_000))
            packets += Self.frames(&attack, .client, [HTTP2FrameBuilder.headers(stream: 1, block: Self.requestBlock)]
                + Self.dataFrames(stream: 1, grpcMessage(message), endStream: true))
        case .gzipBomb:
            packets = Self.http2Start(&attack)
            let bomb = Deflater.compress([UInt8](repeating: 0, count: count(256 << 20)), format: .gzip, level: 9)
            packets += Self.frames(&attack, .client, [HTTP2FrameBuilder.headers(stream: 1, block: LiteralHeaderBlock.encode(Self.requestHeaders + [("grpc-encoding", "gzip")]))]
                + Self.dataFrames(stream: 1, grpcMessage(bomb, compressed: true), endStream: true))
        case .synFlood:
            packets = (0..<count(100_000)).map { index in
                var conversation = TCPConversation(
                    client: Endpoint(IPAddress("10.\(1 + index >> 16).\((index >> 8) & 0xFF).\(index & 0xFF)")!, UInt16(1024 + index % 60_000)),
                    server: Endpoint(IPAddress("10.0.0.2")!, 50051), clientISN: UInt32(truncatingIfNeeded: index &* 7919))
                conversation.time = Timestamp(seconds: 1_700_000_000, nanoseconds: Int64(index) * 1000)
                return conversation.segment(.client, flags: .syn, consumes: 1)
            }
        case .ipFragments:
            packets = []
            let source = IPAddress("10.0.0.66")!, destination = IPAddress("10.0.0.2")!
            for index in 0..<count(100_000) {
                let identification = UInt16(truncatingIfNeeded: index)
                // Two fragments overlapping at offset 8; every other datagram gets its last fragment.
                for offset in index % 2 == 0 ? [0, 8, 64] : [0, 8] {
                    let fragment = PacketBuilder.ipv4(source: source, destination: destination, payload: [UInt8](repeating: UInt8(offset), count: 64),
                                                      identification: identification, moreFragments: offset < 64, fragmentOffset: offset)
                    packets.append(attack.packet(fragment))
                }
            }
        case .sequenceGap:
            packets = Self.http2Start(&attack)
            for index in 0..<count(20_000) {
                let sequence = attack.clientSequence &+ UInt32(index + 1) &* 0x7FFF_0000
                packets.append(attack.segment(.client, flags: [.ack, .psh], payload: HTTP2FrameBuilder.ping(UInt64(index)), sequence: sequence))
            }
        }
        return packets + Self.wellFormedCall(after: packets.last?.timestamp ?? attack.time)
    }

    // MARK: - Pieces

    static func requestHeaders(path: String) -> [(String, String)] {
        [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "10.0.0.2:50051"),
         ("content-type", "application/grpc"), ("te", "trailers")]
    }
    static let requestHeaders = requestHeaders(path: "/userservice.UserService/GetUser")
    static let requestBlock = LiteralHeaderBlock.encode(requestHeaders)

    /// Handshake, preface and both SETTINGS.
    static func http2Start(_ conversation: inout TCPConversation) -> [CapturedPacket] {
        conversation.handshake()
            + [conversation.send(.client, HTTP2FrameBuilder.preface + HTTP2FrameBuilder.settings()),
               conversation.send(.server, HTTP2FrameBuilder.settings() + HTTP2FrameBuilder.settings(ack: true)),
               conversation.send(.client, HTTP2FrameBuilder.settings(ack: true))]
    }

    /// Frames sent back to back, in segments of 32 KiB.
    static func frames(_ conversation: inout TCPConversation, _ side: TCPConversation.Side, _ frames: [[UInt8]]) -> [CapturedPacket] {
        let stream = Array(frames.joined())
        return stride(from: 0, to: stream.count, by: 32 << 10).map { start in
            conversation.send(side, Array(stream[start..<min(stream.count, start + (32 << 10))]))
        }
    }

    /// `bytes` as DATA frames of at most 16 KiB.
    static func dataFrames(stream: UInt32, _ bytes: [UInt8], endStream: Bool) -> [[UInt8]] {
        stride(from: 0, to: max(bytes.count, 1), by: 16_384).map { start in
            let end = min(bytes.count, start + 16_384)
            return HTTP2FrameBuilder.data(stream: stream, Array(bytes[start..<end]), endStream: endStream && end == bytes.count)
        }
    }

    /// Field 1 holding field 1 holding … `depth` levels, built outside in (lengths first).
    static func nested(depth: Int) -> [UInt8] {
        var lengths = [0]
        for _ in 0..<depth { lengths.append(lengths.last! + 1 + varint(lengths.last!).count) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lengths.last!)
        for level in stride(from: depth - 1, through: 0, by: -1) { bytes += [0x0A] + varint(lengths[level]) }
        return bytes
    }

    static func varint(_ value: Int) -> [UInt8] {
        var value = UInt64(value), bytes: [UInt8] = []
        while value >= 0x80 { bytes.append(UInt8(value & 0x7F) | 0x80); value >>= 7 }
        return bytes + [UInt8(value)]
    }

    /// A unary health check, complete, on a connection of its own.
    static func wellFormedCall(after time: Timestamp) -> [CapturedPacket] {
        var call = TCPConversation(client: Endpoint(IPAddress("10.0.0.1")!, 40_001), server: Endpoint(IPAddress("10.0.0.2")!, 50051))
        call.time = time.adding(nanoseconds: 1_000_000)
        let request = LiteralHeaderBlock.encode(requestHeaders(path: checkPath))
        let response = LiteralHeaderBlock.encode([(":status", "200"), ("content-type", "application/grpc")])
        return http2Start(&call) + [
            call.send(.client, HTTP2FrameBuilder.headers(stream: 1, block: request) + HTTP2FrameBuilder.data(stream: 1, grpcMessage([]), endStream: true)),
            call.send(.server, HTTP2FrameBuilder.headers(stream: 1, block: response) + HTTP2FrameBuilder.data(stream: 1, grpcMessage([0x08, 0x01]))
                + HTTP2FrameBuilder.headers(stream: 1, block: LiteralHeaderBlock.encode([("grpc-status", "0")]), endStream: true)),
            call.fin(.client), call.fin(.server),
        ]
    }
}
