import Analysis
import Capture
import Dispatch
import Render
import Report
import TLS
import WireCore

/// Reading a capture file on several threads. This thread reads the file and runs the packet
/// stage (capture records, IP, TCP reassembly: what must see every packet in order); the
/// connections are split among `DecodeWorker`s (`ShardRouter`: a connection stays with the
/// worker it was given when it opened), each of which decodes its connections' layers above TCP
/// and renders them; a merging thread writes
/// the workers' output in capture order (`OutputMerger`). The output is byte for byte what one
/// thread writes. The work goes out in batches of about `batchBytes` of packets, and at most
/// `maxBatchesInFlight` batches are being decoded or merged at once, which bounds memory. The
/// merger is touched only on `mergeQueue`, everything else only on the reading thread.
final class ThreadedPipeline: CaptureDecoding, @unchecked Sendable {
    static let maxBatchesInFlight = 4
    /// Packet bytes per batch. What a batch holds while it waits and is decoded (its packets,
    /// TLS plaintext, frames, calls) is a few times this: with 1 MiB batches the threaded
    /// summary of the 1.35 GB TLS twin peaked at 83 MB, with 256 KiB at 55 MB, in the same time.
    static let batchBytes = 256 << 10

    private var reader = CaptureReader()
    private var packets: PacketStage
    private var router: ShardRouter
    private let filter: (@Sendable (CapturedPacket) -> Bool)?
    private let workers: [DecodeWorker]
    private let depth: AnalysisDepth
    private let output: OutputOptions
    private let mergeQueue = DispatchQueue(label: "grpcdump.merge")
    /// Touched only on `mergeQueue`.
    private var merger: OutputMerger
    private let slots = DispatchSemaphore(value: ThreadedPipeline.maxBatchesInFlight)
    /// Packet bytes ingested since the last batch went out.
    private var batched = 0
    private var totals: (statistics: CaptureStatistics, connections: Int, randoms: [[UInt8]])?

    init(_ request: ViewRequest, bpfFilter: String?, threads: Int) throws(ViewSetup.SetupError) {
        let setup = try ViewSetup(request, bpfFilter: bpfFilter, live: false)
        output = request.output
        depth = setup.configuration.depth
        filter = setup.filter
        packets = PacketStage(configuration: setup.configuration)
        router = ShardRouter(shards: threads)
        workers = (0..<threads).map { DecodeWorker(index: $0, configuration: setup.configuration, view: setup.view) }
        merger = OutputMerger(header: setup.view.tableHeader)
    }

    func feed(_ chunk: ArraySlice<UInt8>) {
        reader.append(chunk)
        while let record = reader.next() {
            ingest(record)
            if case let .packet(packet) = record { batched += packet.data.count }
            if batched >= Self.batchBytes { dispatch() }
        }
    }

    func caughtUp() {
        dispatch()
    }

    func progress(_ line: String?) {
        mergeQueue.async {
            self.merger.flush()
            TextOutput.progress(line)
        }
    }

    func finish() {
        for record in reader.finish() { ingest(record) }
        router.nextRecord()
        packets.finish(into: &router)
        dispatch()
        mergeQueue.sync {}  // every batch merged, so every worker done
        var statistics = packets.statistics
        var layers = HTTP2Statistics(), calls = CallStatistics(), connections = 0
        var randoms: [(key: OrderKey, random: [UInt8])] = []
        for worker in workers {
            let totals = worker.totals
            layers.merge(totals.statistics)
            calls.merge(totals.calls)
            connections += totals.connections
            randoms += totals.randoms
        }
        if depth != .tcp { statistics.http2 = layers }
        for line in output.statisticsLines(calls) { merger.line(line) }
        merger.flush()
        totals = (statistics, connections, randoms.sorted { $0.key < $1.key }.map(\.random))
    }

    var statistics: CaptureStatistics { totals?.statistics ?? packets.statistics }
    var connections: Int { totals?.connections ?? 0 }
    var clientRandoms: [[UInt8]] { totals?.randoms ?? [] }
    var keyLog: KeyLog { packets.keyLog }
    /// Reports are made on one thread (`grpcdump report` asks for one).
    func report(for destination: ReportDestination) -> Report? { nil }

    private func ingest(_ record: CaptureRecord) {
        router.nextRecord()
        var passes = true
        if case let .packet(packet) = record, let filter { passes = filter(packet) }
        packets.ingest(record, passesFilter: passes, into: &router)
    }

    /// Hands what the records so far made to the workers, and their output to the merger.
    private func dispatch() {
        batched = 0
        guard !router.isEmpty else { return }
        let (work, diagnostics) = router.take()
        slots.wait()
        let batch = Batch(diagnostics: diagnostics, workers: workers.count)
        let group = DispatchGroup()
        for (index, worker) in workers.enumerated() where !work[index].isEmpty {
            let slot = batch.workerShares[index]
            worker.thread.async(group: group) { slot.share = worker.run(work[index]) }
        }
        mergeQueue.async {
            group.wait()
            self.merger.merge([batch.stageShare] + batch.workerShares.map(\.share))
            self.slots.signal()
        }
    }

    /// The shares of one batch: the packet stage's diagnostics, then each worker's (each slot
    /// written by its worker, read by the merger once all are done).
    private final class Batch: Sendable {
        let stageShare: RenderedShare
        let workerShares: [Slot]

        init(diagnostics: [(key: OrderKey, diagnostic: Diagnostic)], workers: Int) {
            stageShare = RenderedShare(diagnostics: diagnostics)
            workerShares = (0..<workers).map { _ in Slot() }
        }
    }

    private final class Slot: @unchecked Sendable {
        var share = RenderedShare()
    }
}
