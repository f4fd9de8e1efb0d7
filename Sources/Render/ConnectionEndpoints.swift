import Analysis
import ByteStream
import Packet
import Reassembly

/// The client and server of each open connection, as a view learns them from the TCP events:
/// set when a connection opens or its roles are settled, forgotten when it closes (its last
/// frames and calls come before that event).
struct ConnectionEndpoints {
    private var table: [ConnectionID: (client: Endpoint, server: Endpoint, text: String)] = [:]

    subscript(connection: ConnectionID) -> (client: Endpoint, server: Endpoint)? { table[connection].map { ($0.client, $0.server) } }

    /// " client → server", with its leading space, or "" for a connection not known: made once a
    /// connection (every call line shows it).
    func text(of connection: ConnectionID) -> String { table[connection]?.text ?? "" }

    /// Follows `event`; true when it was one of those connection events.
    mutating func follow(_ event: AnalysisEvent) -> Bool {
        switch event {
        case let .tcp(.opened(info)), let .tcp(.rolesChanged(info)):
            table[info.id] = (info.client, info.server, " \(info.client) → \(info.server)")
            return true
        case let .tcp(.closed(summary)):
            table[summary.info.id] = nil
            return true
        default:
            return false
        }
    }
}
