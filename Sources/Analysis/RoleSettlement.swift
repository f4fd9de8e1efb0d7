import ByteStream
import Reassembly

/// Settles who the client is on connections whose roles TCP could only guess from the ports,
/// with evidence from the first bytes of a direction (`StreamSniffer.clientEvidence`: the HTTP/2
/// client preface). TCP does not parse what it carries; the evidence travels back to it here.
struct RoleSettlement: Sendable {
    /// Connections whose roles are still a guess, by id.
    private var guessed: [ConnectionID: ConnectionInfo] = [:]

    /// Looks through one packet's TCP events for a direction's first bytes; when they show that
    /// the guessed server is the client, the reassembler swaps the roles, the events of that
    /// connection are turned around and `rolesChanged` is put before them.
    mutating func settle(_ batch: inout [ReassemblyEvent], reassembler: inout TCPReassembler) {
        var index = 0
        while index < batch.count {
            switch batch[index] {
            case let .opened(info) where info.clientEvidence == .ports:
                guessed[info.id] = info
            case let .closed(summary):
                guessed[summary.info.id] = nil
            case let .data(data) where data.offset == 0 && !guessed.isEmpty:
                let id = data.position.connection
                guard let info = guessed[id], let evidence = StreamSniffer.clientEvidence(data.bytes) else { break }
                guessed[id] = nil
                if let settled = reassembler.settleClient(of: info, sender: data.position.direction, evidence: evidence) {
                    Self.turnAround(settled, in: &batch, from: 0)
                    let first = batch.firstIndex { $0.concerns(settled.id) && !$0.isOpened } ?? batch.endIndex
                    batch.insert(.rolesChanged(settled), at: first)
                    index += 1
                }
            default:
                break
            }
            index += 1
        }
    }

    /// Evidence from a layer above, found while the events of `batch` were being handed on (a
    /// TLS session joined mid-way, whose secrets say who the client is): TCP settles the roles,
    /// and the events of the connection after `index`, made before the swap, are turned around.
    /// Returns the connection's new info when the roles were swapped.
    mutating func settle(_ info: ConnectionInfo, sender: Direction, evidence: ClientEvidence,
                         batch: inout [ReassemblyEvent], after index: Int, reassembler: inout TCPReassembler) -> ConnectionInfo? {
        guessed[info.id] = nil
        guard let settled = reassembler.settleClient(of: info, sender: sender, evidence: evidence) else { return nil }
        Self.turnAround(settled, in: &batch, from: index + 1)
        return settled
    }

    /// Reverses the directions of `info`'s events in `batch` from `start` on (they were made
    /// before the swap), and puts the swapped roles into its `closed` summary.
    private static func turnAround(_ info: ConnectionInfo, in batch: inout [ReassemblyEvent], from start: Int) {
        for index in batch.indices.dropFirst(start) {
            switch batch[index] {
            case var .data(data) where data.position.connection == info.id:
                data.position.direction = data.position.direction.reversed
                batch[index] = .data(data)
            case var .gap(gap) where gap.position.connection == info.id:
                gap.position.direction = gap.position.direction.reversed
                batch[index] = .gap(gap)
            case var .segment(note) where note.position.connection == info.id:
                note.position.direction = note.position.direction.reversed
                batch[index] = .segment(note)
            case var .closed(summary) where summary.info.id == info.id:
                summary.info = info
                swap(&summary.clientToServer, &summary.serverToClient)
                batch[index] = .closed(summary)
            default:
                continue
            }
        }
    }
}

extension ReassemblyEvent {
    /// Whether the event belongs to connection `id`.
    func concerns(_ id: ConnectionID) -> Bool {
        switch self {
        case let .opened(info), let .rolesChanged(info): info.id == id
        case let .data(data): data.position.connection == id
        case let .gap(gap): gap.position.connection == id
        case let .segment(note): note.position.connection == id
        case let .closed(summary): summary.info.id == id
        }
    }

    var isOpened: Bool { if case .opened = self { true } else { false } }
}
