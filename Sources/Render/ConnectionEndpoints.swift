import Analysis
import ByteStream
import Packet
import Reassembly

/// The client and server of each open connection, as a view learns them from the TCP events:
/// set when a connection opens or its roles are settled, forgotten when it closes (its last
/// frames and calls come before that event).
struct ConnectionEndpoints {
    private var table: [ConnectionID: (client: Endpoint, server: Endpoint)] = [:]
    /// `text(of:)` of the connections `cachedText(of:)` was asked for, kept until they close.
    private var texts: [ConnectionID: String] = [:]

    subscript(connection: ConnectionID) -> (client: Endpoint, server: Endpoint)? { table[connection] }

    /// " client → server", with its leading space, or "" for a connection not known.
    func text(of connection: ConnectionID) -> String {
        table[connection].map { " \($0.client) → \($0.server)" } ?? ""
    }

    /// `text(of:)` made once a connection, when first asked for (every call line shows it; a
    /// connection without calls, such as one of a SYN flood, never pays for it).
    mutating func cachedText(of connection: ConnectionID) -> String {
        if let text = texts[connection] { return text }
        let text = text(of: connection)
        if !text.isEmpty { texts[connection] = text }
        return text
    }

    /// Follows `event`; true when it was one of those connection events.
    mutating func follow(_ event: AnalysisEvent) -> Bool {
        switch event {
        case let .tcp(.opened(info)), let .tcp(.rolesChanged(info)):
            table[info.id] = (info.client, info.server)
            texts[info.id] = nil
            return true
        case let .tcp(.closed(summary)):
            table[summary.info.id] = nil
            texts[summary.info.id] = nil
            return true
        default:
            return false
        }
    }
}
