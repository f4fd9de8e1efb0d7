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
                    index += Self.turnAround(settled, in: &batch)
                }
            default:
                break
            }
            index += 1
        }
    }

    /// Reverses the directions of `info`'s events in `batch` (they were made before the swap) and
    /// puts `rolesChanged` before the first of them that is not `opened`; returns 1 (the event
    /// inserted).
    private static func turnAround(_ info: ConnectionInfo, in batch: inout [ReassemblyEvent]) -> Int {
        var first: Int?
        for index in batch.indices {
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
            if first == nil { first = index }
        }
        batch.insert(.rolesChanged(info), at: first ?? batch.endIndex)
        return 1
    }
}
