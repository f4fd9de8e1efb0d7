import ByteStream
import Reassembly
import TLS

/// The per-connection half of the pipeline: every layer above TCP (`ConnectionPipeline`) for
/// the connections whose TCP events it is given. Connections share nothing here, so one stage
/// may take all of a capture's connections (`Analyzer`) or each of several threads a share.
public struct ConnectionStage: Sendable {
    private var settings: PipelineSettings
    /// Each open connection's layers above TCP (none for `--layer tcp`).
    private var pipelines: [ConnectionID: ConnectionPipeline] = [:]
    /// Connections whose roles a layer above settled after TCP had guessed them (a TLS session
    /// joined mid-way, whose secrets name the client): TCP's later events of the connection are
    /// relabelled here, as TCP would have made them knowing the roles.
    private var settledAbove: [ConnectionID: (info: ConnectionInfo, reversed: Bool)] = [:]
    public private(set) var statistics = HTTP2Statistics()
    /// The ClientHello randoms of the TLS sessions seen so far, in the order they were seen
    /// (when `keepsClientRandoms`).
    public private(set) var clientRandoms: [[UInt8]] = []
    private let keepsClientRandoms: Bool

    public init(configuration: Analyzer.Configuration) {
        settings = PipelineSettings(depth: configuration.depth, keyLog: configuration.keyLog, calls: configuration.calls, http2: configuration.http2,
                                    reportsLayerDetail: configuration.reportsLayerDetail, describesFrames: configuration.describesFrames)
        keepsClientRandoms = configuration.keepsClientRandoms
    }

    /// Hands on the TCP events of one packet (or of the end of the capture), each followed by
    /// what its connection's layers made of it; a connection's `closed` event comes after the
    /// last frames and calls its closing caused, so that views may forget the connection then.
    public mutating func process(_ batch: inout [ReassemblyEvent], into events: inout [AnalysisEvent]) {
        if !settledAbove.isEmpty {
            for index in batch.indices {
                guard let settled = settledAbove[batch[index].connection] else { continue }
                batch[index] = batch[index].relabelled(settled.info, reversed: settled.reversed)
            }
        }
        let settings = settings  // read once, not once an event
        var index = 0
        while index < batch.count {
            let event = batch[index]
            switch event {
            case .opened, .rolesChanged: events.append(.tcp(event))
            case .closed: break
            case .data, .gap, .segment: if settings.reportsLayerDetail { events.append(.tcp(event)) }
            }
            defer {
                if case .closed = event { events.append(.tcp(event)) }
                index += 1
            }
            guard settings.depth != .tcp else { continue }
            switch event {
            case let .opened(info):
                pipelines[info.id] = ConnectionPipeline(info, settings: settings)
                continue
            case let .rolesChanged(info):
                pipelines[info.id]?.info = info
                continue
            case .segment:
                continue
            case let .data(data):
                // One lookup: the pipeline is worked on in place through its index.
                guard let slot = pipelines.index(forKey: data.position.connection) else { continue }
                pipelines.values[slot].process(.data(data), settings: settings, statistics: &statistics, into: &events)
                if let sender = pipelines.values[slot].takeClientEvidence() { settleRoles(slot, sender: sender, batch: &batch, at: index, into: &events) }
                if let random = pipelines.values[slot].takeNewClientRandom(), keepsClientRandoms { clientRandoms.append(random) }
            case let .gap(gap):
                pipelines[gap.position.connection]?.process(.gap(gap), settings: settings, statistics: &statistics, into: &events)
            case let .closed(summary):
                settledAbove[summary.info.id] = nil
                guard var pipeline = pipelines.removeValue(forKey: summary.info.id), let end = event.byteStream else { break }
                pipeline.process(end, settings: settings, statistics: &statistics, into: &events)
            }
        }
    }

    /// The connections open here, in the order they opened.
    public var connections: [ConnectionID] { pipelines.keys.sorted() }

    /// The key log grew: `keyLog` is all of it now. Records waiting for keys are opened on the
    /// connections in the order they opened (or, with `connections`, on those only).
    public mutating func secretsChanged(_ keyLog: KeyLog, connections: [ConnectionID]? = nil, into events: inout [AnalysisEvent]) {
        settings.keyLog = keyLog
        guard settings.depth != .tcp else { return }
        for id in connections ?? self.connections {
            pipelines[id]?.keysChanged(settings: settings, statistics: &statistics, into: &events)
        }
    }

    /// A layer of the connection found who its client is (TLS secrets of a session joined
    /// mid-way), settling roles TCP could only guess from the ports (as `Connection.settleClient`
    /// would): when the guess was wrong, the connection's events after `index` (made before the
    /// swap) are turned around and the views learn the settled roles.
    private mutating func settleRoles(_ slot: Dictionary<ConnectionID, ConnectionPipeline>.Index, sender: Direction,
                                      batch: inout [ReassemblyEvent], at index: Int, into events: inout [AnalysisEvent]) {
        var info = pipelines.values[slot].info
        guard info.clientEvidence == .ports else { return }
        info.clientEvidence = .tlsClientSecret
        let reversed = sender == .serverToClient
        if reversed { swap(&info.client, &info.server) }
        pipelines.values[slot].info = info
        settledAbove[info.id] = (info, reversed)
        guard reversed else { return }
        RoleSettlement.turnAround(info, in: &batch, from: index + 1)
        events.append(.tcp(.rolesChanged(info)))
    }
}
