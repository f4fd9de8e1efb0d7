import Analysis
import ByteStream
import Capture
import Foundation
import Packet
import Reassembly

/// Reassembles a capture file with grpcdump's pipeline and keeps every connection's two streams.
struct CollectedConnection {
    var client: Endpoint
    var server: Endpoint
    var clientToServer: [UInt8] = []
    var serverToClient: [UInt8] = []
    var gaps = 0
    /// Closed by FINs or RST (not merely by the end of the capture).
    var closed = false
}

enum StreamCollector {
    static func connections(in bytes: [UInt8], filter: (@Sendable (CapturedPacket) -> Bool)? = nil) -> [CollectedConnection] {
        var session = CaptureSession(filter: filter)
        var events: [AnalysisEvent] = []
        session.feed(bytes, into: &events)
        session.finish(into: &events)
        var connections: [ConnectionID: CollectedConnection] = [:]
        for case let .tcp(event) in events {
            switch event {
            case let .opened(info):
                connections[info.id] = CollectedConnection(client: info.client, server: info.server)
            case let .rolesChanged(info):
                guard var connection = connections[info.id] else { break }
                connection.client = info.client
                connection.server = info.server
                (connection.clientToServer, connection.serverToClient) = (connection.serverToClient, connection.clientToServer)
                connections[info.id] = connection
            case let .data(data):
                if data.position.direction == .clientToServer {
                    connections[data.position.connection]?.clientToServer += data.bytes
                } else {
                    connections[data.position.connection]?.serverToClient += data.bytes
                }
            case let .gap(gap):
                connections[gap.position.connection]?.gaps += 1
            case let .closed(summary):
                connections[summary.info.id]?.closed = summary.reason == .fin || summary.reason == .rst
            default:
                break
            }
        }
        return connections.sorted { $0.key < $1.key }.map(\.value)
    }
}
