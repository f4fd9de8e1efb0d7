import ByteStream
import Reassembly
import TLS
import WireCore

/// Where a piece of output belongs in capture order: the record (packet, secrets block, the end
/// of the capture) that caused it, then its place among what that record caused. Output made
/// apart (on several threads) and merged by this key comes out as one thread would have made it.
public struct OrderKey: Comparable, Hashable, Sendable {
    public var record: Int
    public var order: Int

    public init(record: Int, order: Int) {
        self.record = record
        self.order = order
    }

    public static func < (a: OrderKey, b: OrderKey) -> Bool {
        (a.record, a.order) < (b.record, b.order)
    }
}

/// Work for one shard's `ConnectionStage`.
public enum ShardWork: Sendable {
    /// One connection's TCP events from one packet (or from the end of the capture).
    case tcp(OrderKey, [ReassemblyEvent])
    /// The key log grew (`KeyLog` is all of it now). What it changes on connection `id` is
    /// ordered at `OrderKey(record: key.record, order: key.order + id.rawValue)`: by connection,
    /// as one stage would go through them.
    case secrets(OrderKey, KeyLog)

    public var key: OrderKey {
        switch self {
        case let .tcp(key, _), let .secrets(key, _): key
        }
    }
}

/// The packet stage's output split by connection among `shards` connection stages: a
/// connection goes, when it opens, to the shard with the fewest open connections (of those, the
/// first in turn after the shard given the last one), and stays there, so each stage sees all
/// of its connections' events in order and nothing of the others'. Every piece of work and every diagnostic gets its `OrderKey`;
/// merging the shards' output by key gives what `Analyzer` gives, whichever shard did the work.
public struct ShardRouter: PacketStageOutput {
    public let shards: Int
    /// Work waiting for each shard, in order.
    public private(set) var work: [[ShardWork]]
    /// Diagnostics of the packet stage (they belong to no connection), in order.
    public private(set) var diagnostics: [(key: OrderKey, diagnostic: Diagnostic)] = []
    private var record = 0
    private var order = 0
    /// The shard of each open connection, and how many are open on each shard.
    private var assigned: [ConnectionID: Int] = [:]
    private var openOnShard: [Int]
    /// Where the search for the least loaded shard starts: the shard after the last one given.
    private var nextShard = 0

    public init(shards: Int) {
        precondition(shards > 0)
        self.shards = shards
        work = Array(repeating: [], count: shards)
        openOnShard = Array(repeating: 0, count: shards)
    }

    /// The shard of `connection`, given one if it has none yet.
    private mutating func shard(of connection: ConnectionID) -> Int {
        if let shard = assigned[connection] { return shard }
        var shard = nextShard
        for step in 1..<shards {
            let candidate = (nextShard + step) % shards
            if openOnShard[candidate] < openOnShard[shard] { shard = candidate }
        }
        nextShard = (shard + 1) % shards
        assigned[connection] = shard
        openOnShard[shard] += 1
        return shard
    }

    /// Call before handing the packet stage each record (and before `finish`).
    public mutating func nextRecord() {
        record += 1
        order = 0
    }

    /// The work and diagnostics routed since the last call.
    public mutating func take() -> (work: [[ShardWork]], diagnostics: [(key: OrderKey, diagnostic: Diagnostic)]) {
        defer {
            work = Array(repeating: [], count: shards)
            diagnostics = []
        }
        return (work, diagnostics)
    }

    /// Whether anything waits to be taken.
    public var isEmpty: Bool { diagnostics.isEmpty && work.allSatisfy(\.isEmpty) }

    public mutating func diagnostic(_ diagnostic: Diagnostic) {
        diagnostics.append((nextKey(), diagnostic))
    }

    /// Splits the batch into runs of one connection's events, each to its connection's shard.
    public mutating func connections(_ batch: inout [ReassemblyEvent]) {
        var start = batch.startIndex
        while start < batch.endIndex {
            let connection = batch[start].connection
            var end = start + 1
            while end < batch.endIndex, batch[end].connection == connection { end += 1 }
            let shard = shard(of: connection)
            work[shard].append(.tcp(nextKey(), Array(batch[start..<end])))
            if case .closed = batch[end - 1] {
                assigned[connection] = nil
                openOnShard[shard] -= 1
            }
            start = end
        }
    }

    public mutating func secretsChanged(_ keyLog: KeyLog) {
        let key = nextKey()
        for shard in 0..<shards { work[shard].append(.secrets(key, keyLog)) }
        order = Int.max / 2  // the record's later pieces (none today) after every connection's
    }

    private mutating func nextKey() -> OrderKey {
        defer { order += 1 }
        return OrderKey(record: record, order: order)
    }
}

extension ConnectionStage {
    /// Does one piece of a shard's work, appending what it made to `events`; `ends` gets, for
    /// each step that made events, its key and where its events end in `events`.
    public mutating func perform(_ work: ShardWork, into events: inout [AnalysisEvent], ends: inout [(key: OrderKey, end: Int)]) {
        func step(_ key: OrderKey) {
            if events.count > (ends.last?.end ?? 0) { ends.append((key, events.count)) }
        }
        switch work {
        case .tcp(let key, var batch):
            process(&batch, into: &events)
            step(key)
        case let .secrets(key, keyLog):
            let ids = connections
            if ids.isEmpty { secretsChanged(keyLog, connections: [], into: &events) }
            for id in ids {
                secretsChanged(keyLog, connections: [id], into: &events)
                step(OrderKey(record: key.record, order: key.order + id.rawValue))
            }
        }
    }
}
