import WireCore

/// Reassembles fragmented IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) datagrams.
///
/// Memory is bounded: at most `maxPendingDatagrams` datagrams wait for fragments, each for at most
/// `timeout` of capture time; what never completes is reported, not silently dropped.
public struct IPDefragmenter: Sendable {
    public var timeoutNanoseconds: Int64
    public var maxPendingDatagrams: Int

    /// RFC 791 §3.2 and RFC 8200 §4.5 identify a datagram by addresses, identification and (IPv4) protocol.
    struct Key: Hashable, Sendable {
        var source: IPAddress
        var destination: IPAddress
        var protocolNumber: UInt8
        var identification: UInt32
    }

    struct Pending: Sendable {
        var template: IPPacket
        /// Fragments in arrival order: where the data goes and the data.
        var pieces: [(offset: Int, data: ArraySlice<UInt8>)] = []
        var totalLength: Int?
        var firstPacket: Int
        var lastSeen: Timestamp
        var lostToSnapLength = false
    }

    private var pending: [Key: Pending] = [:]
    /// Largest reassembled payload: IPv4's 16-bit total length; IPv6 non-jumbo payloads are alike.
    static let maxDatagramLength = 65_535

    public init(timeoutNanoseconds: Int64 = 30_000_000_000, maxPendingDatagrams: Int = 1024) {
        self.timeoutNanoseconds = timeoutNanoseconds
        self.maxPendingDatagrams = maxPendingDatagrams
    }

    public var pendingCount: Int { pending.count }

    /// Adds a fragment; returns the whole datagram once its last missing piece arrives.
    public mutating func add(_ fragmentPacket: IPPacket, packet number: Int, time: Timestamp) -> (IPPacket?, [Diagnostic]) {
        guard let fragment = fragmentPacket.fragment else { return (fragmentPacket, []) }
        var diagnostics: [Diagnostic] = []
        let key = Key(source: fragmentPacket.source, destination: fragmentPacket.destination,
                      protocolNumber: fragmentPacket.version == 4 ? fragmentPacket.protocolNumber : 0,
                      identification: fragment.identification)
        let end = fragment.offset + fragmentPacket.payload.count + fragmentPacket.missingBytes
        guard end <= Self.maxDatagramLength else {
            return (nil, [Diagnostic(.ip, "ip.fragment.too-long", .warning,
                                     "fragment at offset \(fragment.offset) of datagram \(fragment.identification) ends past \(Self.maxDatagramLength) bytes; dropped",
                                     packet: number)])
        }
        if pending[key] == nil, pending.count >= maxPendingDatagrams, let oldest = pending.min(by: { $0.value.lastSeen < $1.value.lastSeen }) {
            diagnostics.append(lost(oldest.value, key: oldest.key, reason: "too many datagrams awaiting fragments"))
            pending[oldest.key] = nil
        }
        var entry = pending[key] ?? Pending(template: fragmentPacket, firstPacket: number, lastSeen: time)
        entry.lastSeen = time
        if fragment.offset == 0 { entry.template = fragmentPacket }
        if fragmentPacket.missingBytes > 0 { entry.lostToSnapLength = true }
        if !fragment.moreFragments { entry.totalLength = end }
        entry.pieces.append((fragment.offset, fragmentPacket.payload))
        guard let total = entry.totalLength, let assembled = Self.assemble(entry.pieces, total: total) else {
            pending[key] = entry
            return (nil, diagnostics)
        }
        pending[key] = nil
        if assembled.overlapped {
            diagnostics.append(Diagnostic(.ip, "ip.fragment.overlap", .note,
                                          "fragments of datagram \(fragment.identification) overlap; the first copy of each byte is kept",
                                          packet: number))
        }
        var whole = entry.template
        whole.fragment = nil
        whole.payload = assembled.bytes[...]
        whole.missingBytes = 0
        return (whole, diagnostics)
    }

    /// Reports and drops datagrams that waited longer than the timeout.
    public mutating func expire(now: Timestamp) -> [Diagnostic] {
        let stale = pending.filter { now.nanoseconds(since: $0.value.lastSeen) > timeoutNanoseconds }
        for key in stale.keys { pending[key] = nil }
        return stale.sorted { $0.value.firstPacket < $1.value.firstPacket }
            .map { lost($0.value, key: $0.key, reason: "no further fragment within \(formatDuration(nanoseconds: timeoutNanoseconds))") }
    }

    /// At the end of the capture: reports every datagram still incomplete.
    public mutating func finish() -> [Diagnostic] {
        defer { pending = [:] }
        return pending.sorted { $0.value.firstPacket < $1.value.firstPacket }
            .map { lost($0.value, key: $0.key, reason: "the capture ended") }
    }

    private func lost(_ entry: Pending, key: Key, reason: String) -> Diagnostic {
        let have = entry.pieces.reduce(0) { $0 + $1.data.count }
        let of = entry.totalLength.map { "\($0)" } ?? "an unknown number of"
        let snap = entry.lostToSnapLength ? " (the snapshot length cut some fragments)" : ""
        return Diagnostic(.ip, "ip.fragment.incomplete", .warning,
                          "datagram \(key.identification) from \(key.source) to \(key.destination) never completed: \(have) of \(of) bytes arrived\(snap); \(reason)",
                          packet: entry.firstPacket)
    }

    /// Joins the pieces when they cover `0..<total` without a hole.
    private static func assemble(_ pieces: [(offset: Int, data: ArraySlice<UInt8>)], total: Int) -> (bytes: [UInt8], overlapped: Bool)? {
        var covered = 0
        var overlapped = false
        for piece in pieces.sorted(by: { $0.offset < $1.offset }) {
            guard piece.offset <= covered else { return nil }
            if piece.offset < covered { overlapped = true }
            covered = max(covered, piece.offset + piece.data.count)
        }
        guard covered >= total else { return nil }
        var bytes = [UInt8](repeating: 0, count: total)
        // Later copies first, so that the first copy of every byte wins.
        for piece in pieces.reversed() {
            let end = min(piece.offset + piece.data.count, total)
            guard end > piece.offset else { continue }
            bytes.replaceSubrange(piece.offset..<end, with: piece.data.prefix(end - piece.offset))
        }
        return (bytes, overlapped)
    }
}
