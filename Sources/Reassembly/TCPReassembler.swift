import ByteStream
import Packet
import WireCore

/// Reassembles the TCP connections of a capture into ordered byte streams, one per direction.
///
/// Synchronous and deterministic: feed it segments in capture order with `ingest`, call `finish`
/// at the end; each call returns the events it caused. Memory grows with the connections open at
/// once, never with the capture's length: buffered out-of-order data is capped per direction,
/// connections are freed when they close or go idle, and the short memory of closed connections
/// (which absorbs their last ACKs) expires.
public struct TCPReassembler: Sendable {
    public struct Configuration: Sendable {
        /// Out-of-order bytes buffered per direction before a hole is given up as a gap.
        public var maxBufferedBytesPerDirection = 4 << 20
        /// A connection with no packet for this long (capture time) is closed as idle.
        public var idleTimeoutNanoseconds: Int64 = 600_000_000_000
        /// How long the packets trailing a closed connection are absorbed rather than starting a new one.
        public var closedLingerNanoseconds: Int64 = 60_000_000_000
        public var maxLingeringConnections = 65_536
        /// Connections tracked at once; past it, the one idle longest is closed (`limit`), so
        /// that a SYN flood does not grow memory without end (about 2.5 KB a connection).
        public var maxConnections = 100_000

        public init() {}
    }

    public var configuration: Configuration
    private var slots: [Connection?] = []
    private var freeSlots: [Int] = []
    private var slotByFlow: [FlowKey: Int] = [:]
    /// Recently closed connections and when they closed.
    private var lingering: [FlowKey: Timestamp] = [:]
    /// Connections seen without their handshake, held for a few packets (`HeldConnection`).
    private var held: [FlowKey: HeldConnection] = [:]
    private var nextID = 1
    private var lastSweep: Timestamp?
    private var scratch: [HalfStream.Output] = []

    /// Packets that belonged to an already closed connection (its last ACKs, late RSTs …).
    public private(set) var packetsAfterClose = 0
    /// Connections closed because `maxConnections` were open.
    public private(set) var connectionsClosedAtLimit = 0
    /// Open connections by when they were last queued, oldest from `start`: the one closed at
    /// the limit is the first whose last packet is no later than its place (one that was active
    /// since goes to the back, a second chance that approximates least recently used).
    private var limitQueue: (entries: [(index: Int, id: ConnectionID, queued: Timestamp)], start: Int) = ([], 0)

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var openConnectionCount: Int { slotByFlow.count }

    /// Feeds one TCP segment; appends the events it causes.
    public mutating func ingest(
        _ segment: TCPSegment, from source: Endpoint, to destination: Endpoint,
        packet: Int, time: Timestamp, into events: inout [ReassemblyEvent]
    ) {
        sweepIfDue(time, packet: packet, into: &events)
        if !held.isEmpty { openHeldConnections(olderThan: packet, into: &events) }
        let key = FlowKey(source, destination)
        let isInitialSYN = segment.flags.contains(.syn) && !segment.flags.contains(.ack)
        var slot = slotByFlow[key]
        if let existing = slot, isInitialSYN,
           slots[existing]!.isNewIncarnation(synFrom: source, sequence: segment.sequenceNumber) {
            close(existing, .portReused, packet: packet, time: time, into: &events)
            slot = nil
        }
        if slot == nil {
            if !isInitialSYN, let closedAt = lingering[key], time.nanoseconds(since: closedAt) <= configuration.closedLingerNanoseconds {
                packetsAfterClose += 1
                return
            }
            lingering[key] = nil
            // A connection seen without its handshake is held for a few packets: in a reordered
            // capture its SYN may come just after the first data. Its number is taken now.
            if !segment.flags.contains(.syn) {
                var connection = held[key] ?? HeldConnection(id: ConnectionID(rawValue: nextID), firstPacket: packet)
                if held[key] == nil { nextID += 1 }
                connection.segments.append((segment, source, destination, packet, time))
                held[key] = connection
                if connection.segments.count >= Self.heldSegments { openHeld(key, into: &events) }
                return
            }
            slot = open(segment, from: source, to: destination, packet: packet, time: time, key: key, id: held[key]?.id, into: &events)
            take(segment, from: source, packet: packet, time: time, slot: slot!, into: &events)
            // What came before the handshake, in sequence after it.
            for (segment, source, _, packet, time) in held.removeValue(forKey: key)?.segments ?? [] {
                guard let index = slotByFlow[key] else { break }
                take(segment, from: source, packet: packet, time: time, slot: index, into: &events)
            }
            return
        }
        take(segment, from: source, packet: packet, time: time, slot: slot!, into: &events)
    }

    /// Segments of a connection first seen without its SYN, held until its SYN comes or a few more
    /// packets went by (`heldSegments` of its own, `heldPackets` of the capture).
    struct HeldConnection: Sendable {
        var id: ConnectionID
        var firstPacket: Int
        var segments: [(segment: TCPSegment, source: Endpoint, destination: Endpoint, packet: Int, time: Timestamp)] = []
    }

    static let heldSegments = 8
    static let heldPackets = 64

    private mutating func take(_ segment: TCPSegment, from source: Endpoint, packet: Int, time: Timestamp, slot index: Int,
                               into events: inout [ReassemblyEvent]) {
        slots[index]!.receive(segment, from: source, packet: packet, time: time,
                              bufferLimit: configuration.maxBufferedBytesPerDirection, into: &events, scratch: &scratch)
        if slots[index]!.isOver {
            close(index, slots[index]!.sawRST ? .rst : .fin, packet: packet, time: time, into: &events)
        }
    }

    /// Opens a held connection as joined mid-way and hands on its segments.
    private mutating func openHeld(_ key: FlowKey, into events: inout [ReassemblyEvent]) {
        guard let connection = held.removeValue(forKey: key), let first = connection.segments.first else { return }
        let index = open(first.segment, from: first.source, to: first.destination, packet: first.packet, time: first.time, key: key,
                         id: connection.id, into: &events)
        for (segment, source, _, packet, time) in connection.segments {
            guard slotByFlow[key] == index else { break }
            take(segment, from: source, packet: packet, time: time, slot: index, into: &events)
        }
    }

    /// Held connections whose first packet is `heldPackets` or more before `packet`, in the order they appeared.
    private mutating func openHeldConnections(olderThan packet: Int, into events: inout [ReassemblyEvent]) {
        let due = held.filter { packet - $0.value.firstPacket >= Self.heldPackets }.sorted { $0.value.id < $1.value.id }.map(\.key)
        for key in due { openHeld(key, into: &events) }
    }

    /// Evidence from a layer above that `sender` is the client of `connection` (see
    /// `Connection.settleClient`); returns the connection's new info when its roles were swapped.
    public mutating func settleClient(of connection: ConnectionInfo, sender: Direction, evidence: ClientEvidence) -> ConnectionInfo? {
        guard let index = slotByFlow[FlowKey(connection.client, connection.server)], slots[index]!.info.id == connection.id,
              slots[index]!.settleClient(sender, evidence: evidence) else { return nil }
        return slots[index]!.info
    }

    /// Closes idle connections and forgets old closed ones as of capture time `now`.
    public mutating func expire(now: Timestamp, packet: Int, into events: inout [ReassemblyEvent]) {
        let idle = slotByFlow.values.filter {
            now.nanoseconds(since: slots[$0]!.lastSeen) > configuration.idleTimeoutNanoseconds
        }
        for index in idle.sorted(by: { slots[$0]!.info.id < slots[$1]!.info.id }) {
            close(index, .idle, packet: packet, time: now, into: &events)
        }
        lingering = lingering.filter { now.nanoseconds(since: $0.value) <= configuration.closedLingerNanoseconds }
        if lingering.count > configuration.maxLingeringConnections {
            let keep = lingering.sorted { $0.value > $1.value }.prefix(configuration.maxLingeringConnections)
            lingering = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }

    /// Opens every connection held for its SYN (at the end of the input), in the order they appeared.
    public mutating func openHeldConnections(into events: inout [ReassemblyEvent]) {
        for key in held.sorted(by: { $0.value.id < $1.value.id }).map(\.key) { openHeld(key, into: &events) }
    }

    /// At the end of the capture: closes every open connection, in the order they opened.
    public mutating func finish(packet: Int, into events: inout [ReassemblyEvent]) {
        openHeldConnections(into: &events)
        let open = slotByFlow.values.sorted { slots[$0]!.info.id < slots[$1]!.info.id }
        for index in open {
            let reason: ConnectionSummary.CloseReason = slots[index]!.sawRST ? .rst : slots[index]!.sawBothFINs ? .fin : .captureEnded
            close(index, reason, packet: packet, time: slots[index]!.lastSeen, into: &events)
        }
        lingering = [:]
    }

    private mutating func open(
        _ segment: TCPSegment, from source: Endpoint, to destination: Endpoint,
        packet: Int, time: Timestamp, key: FlowKey, id: ConnectionID? = nil, into events: inout [ReassemblyEvent]
    ) -> Int {
        let client: Endpoint, server: Endpoint, evidence: ClientEvidence
        if segment.flags.contains(.syn) {
            let sourceIsClient = !segment.flags.contains(.ack)
            (client, server) = sourceIsClient ? (source, destination) : (destination, source)
            evidence = sourceIsClient ? .syn : .synAck
        } else {
            let sourceIsServer = PortHeuristic.looksLikeServer(source, comparedWith: destination)
            (client, server) = sourceIsServer ? (destination, source) : (source, destination)
            evidence = .ports
        }
        let info = ConnectionInfo(id: id ?? ConnectionID(rawValue: nextID), client: client, server: server,
                                  clientEvidence: evidence, firstPacket: packet, start: time)
        if id == nil { nextID += 1 }
        if slotByFlow.count >= configuration.maxConnections { closeIdlest(packet: packet, time: time, into: &events) }
        let connection = Connection(info: info)
        let index: Int
        if let free = freeSlots.popLast() {
            slots[free] = connection
            index = free
        } else {
            slots.append(connection)
            index = slots.count - 1
        }
        slotByFlow[key] = index
        limitQueue.entries.append((index, info.id, time))
        if limitQueue.entries.count - limitQueue.start > 2 * max(slotByFlow.count, 1024) {
            // Most entries are of connections closed since: only the open ones are kept.
            limitQueue = (limitQueue.entries[limitQueue.start...].filter { slots[$0.index]?.info.id == $0.id }, 0)
        }
        events.append(.opened(info))
        return index
    }

    /// The connection idle longest (nearly: see `limitQueue`) is closed to make room.
    private mutating func closeIdlest(packet: Int, time: Timestamp, into events: inout [ReassemblyEvent]) {
        while limitQueue.start < limitQueue.entries.count {
            let entry = limitQueue.entries[limitQueue.start]
            limitQueue.start += 1
            guard let connection = slots[entry.index], connection.info.id == entry.id else { continue }  // closed already
            if connection.lastSeen > entry.queued {
                limitQueue.entries.append((entry.index, entry.id, connection.lastSeen))
                continue
            }
            connectionsClosedAtLimit += 1
            close(entry.index, .limit, packet: packet, time: time, into: &events)
            break
        }
        if limitQueue.start > 1024, limitQueue.start * 2 > limitQueue.entries.count {
            limitQueue = (Array(limitQueue.entries[limitQueue.start...]), 0)
        }
    }

    private mutating func close(_ index: Int, _ reason: ConnectionSummary.CloseReason, packet: Int, time: Timestamp, into events: inout [ReassemblyEvent]) {
        guard var connection = slots[index] else { return }
        connection.close(reason, packet: packet, time: time, into: &events)
        let key = FlowKey(connection.info.client, connection.info.server)
        slots[index] = nil
        freeSlots.append(index)
        slotByFlow[key] = nil
        if reason == .fin || reason == .rst { lingering[key] = time }
    }

    private mutating func sweepIfDue(_ time: Timestamp, packet: Int, into events: inout [ReassemblyEvent]) {
        guard let last = lastSweep else { lastSweep = time; return }
        guard time.nanoseconds(since: last) >= 10_000_000_000 else { return }
        lastSweep = time
        expire(now: time, packet: packet, into: &events)
    }
}
