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

    /// Reverses the directions of `info`'s events in `batch` from `start` on (they were made
    /// before the swap), and puts the swapped roles into its `closed` summary.
    static func turnAround(_ info: ConnectionInfo, in batch: inout [ReassemblyEvent], from start: Int) {
        for index in batch.indices.dropFirst(start) where batch[index].concerns(info.id) {
            batch[index] = batch[index].relabelled(info, reversed: true)
        }
    }
}

extension ReassemblyEvent {
    /// The connection the event belongs to.
    public var connection: ConnectionID {
        switch self {
        case let .opened(info), let .rolesChanged(info): info.id
        case let .data(data): data.position.connection
        case let .gap(gap): gap.position.connection
        case let .segment(note): note.position.connection
        case let .closed(summary): summary.info.id
        }
    }

    /// Whether the event belongs to connection `id`.
    func concerns(_ id: ConnectionID) -> Bool { connection == id }

    var isOpened: Bool { if case .opened = self { true } else { false } }

    /// The event as TCP would have made it had it known the roles in `info` (settled after TCP
    /// made it): its direction reversed when `reversed`, and `info` in its `closed` summary.
    func relabelled(_ info: ConnectionInfo, reversed: Bool) -> ReassemblyEvent {
        switch self {
        case var .data(data) where reversed:
            data.position.direction = data.position.direction.reversed
            return .data(data)
        case var .gap(gap) where reversed:
            gap.position.direction = gap.position.direction.reversed
            return .gap(gap)
        case var .segment(note) where reversed:
            note.position.direction = note.position.direction.reversed
            return .segment(note)
        case var .closed(summary):
            summary.info = info
            if reversed { swap(&summary.clientToServer, &summary.serverToClient) }
            return .closed(summary)
        default:
            return self
        }
    }
}
