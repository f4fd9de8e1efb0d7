import ByteStream
import Packet
import WireCore

/// A connection's two byte streams as a fuzz input: records of a header byte (bit 0: the
/// direction, server→client when set; bit 1: a gap rather than data) and a 16-bit-length chunk
/// (for a gap, its first byte times 64 is the gap's length). The events are what TCP reassembly
/// (or TLS, below HTTP) hands the layer above: opened, in-order data and gaps per direction, closed.
public enum ByteStreamScript {
    public static let connection = ConnectionInfo(
        id: ConnectionID(rawValue: 1),
        client: Endpoint(IPAddress("10.0.0.1")!, 50_000), server: Endpoint(IPAddress("10.0.0.2")!, 443),
        clientEvidence: .syn, firstPacket: 1, start: Timestamp(seconds: 1_700_000_000, nanoseconds: 0))

    public static func events(_ input: inout FuzzInput) -> [ByteStreamEvent] {
        var events: [ByteStreamEvent] = [.opened(connection)]
        var offsets: [Int64] = [0, 0]
        var packet = 1
        while !input.isAtEnd {
            let header = input.byte()
            let direction: Direction = header & 1 == 0 ? .clientToServer : .serverToClient
            let chunk = input.chunk()
            packet += 1
            let position = StreamPosition(
                connection: connection.id, direction: direction, packet: packet,
                time: Timestamp(seconds: 1_700_000_000, nanoseconds: Int64(packet) * 1000))
            if header & 2 != 0 {
                let length = Int64(chunk.first ?? 1) * 64 + 1
                events.append(.gap(StreamGap(position: position, offset: offsets[direction.rawValue], length: length, reason: .notCaptured)))
                offsets[direction.rawValue] += length
            } else {
                events.append(.data(StreamData(position: position, offset: offsets[direction.rawValue], bytes: chunk)))
                offsets[direction.rawValue] += Int64(chunk.count)
            }
        }
        events.append(.closed(StreamEnd(info: connection, lastPacket: packet + 1, time: Timestamp(seconds: 1_700_000_001, nanoseconds: 0), bytes: offsets)))
        return events
    }

    /// The layout `events` reads, from one connection's events (seeds from real captures).
    public static func write(_ events: [ByteStreamEvent], to writer: inout FuzzInputWriter) {
        for event in events {
            switch event {
            case let .data(data):
                var start = data.bytes.startIndex
                repeat {  // longer runs split at the chunk's limit
                    let end = min(data.bytes.endIndex, start + Int(UInt16.max))
                    writer.byte(data.position.direction == .clientToServer ? 0 : 1)
                    writer.chunk(data.bytes[start..<end])
                    start = end
                } while start < data.bytes.endIndex
            case let .gap(gap):
                writer.byte((gap.position.direction == .clientToServer ? 0 : 1) | 2)
                writer.chunk([UInt8(min(255, gap.length / 64))])
            case .opened, .closed:
                break
            }
        }
    }
}
