import ArgumentParser
import Capture
import LibPcap
import Render
import TLS
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGINT and SIGTERM: the capture loop stops at its next turn.
let stopRequested = Atomic<Bool>(false)

/// Live capture (`grpcdump -i IFACE`): packets from libpcap through the pipeline as they come,
/// output flushed after each batch (so a pipe gets lines as they happen), optionally saved to a
/// pcapng file; stops on -c, --duration, Ctrl-C or SIGTERM, then reports open calls and
/// libpcap's counts.
struct LiveCommand {
    let interface: String
    let request: ViewRequest
    var input: InputOptions { request.input }
    var output: OutputOptions { request.output }

    static func listInterfaces() throws {
        do {
            for (index, interface) in try LiveCapture.interfaces().enumerated() {
                var line = "\(index + 1).\(interface.name)"
                if let description = interface.description { line += " (\(description))" }
                if !interface.flags.isEmpty { line += " [" + interface.flags.joined(separator: ", ") + "]" }
                TextOutput.immediate(line)
            }
        } catch {
            TextOutput.error(error.description)
            throw ExitCode(2)
        }
    }

    func run() -> Int32 {
        let capture: LiveCapture
        var pipeline: CapturePipeline
        do {
            capture = try LiveCapture(interface: interface, filter: input.filter.joined(separator: " "))
            pipeline = try CapturePipeline(request, bpfFilter: nil, live: true)
        } catch let error as CustomStringConvertible {
            TextOutput.error(error.description)
            return 2
        }
        var saved: PacketFile?
        if let path = input.writeFile {
            do {
                saved = try PacketFile(path: path, linkType: capture.linkType, interface: interface)
                if let owner = PrivilegeDrop.invokingUser { saved?.changeOwner(owner) }
            } catch {
                TextOutput.error(error.description)
                return 2
            }
        }
        // Key logs are opened now, while they can be: the user -Z names may not read them.
        var keyLogs = KeyLogFollower(paths: request.keyLogFiles)
        let initialSecrets = keyLogs.poll()
        if let user = PrivilegeDrop.user(named: input.user) {
            do {
                let uid = try PrivilegeDrop.drop(to: user)
                if output.verbose > 0 { TextOutput.error("running as \(user) (uid \(uid))") }
            } catch {
                TextOutput.error(error.description)
                return 2
            }
        }
        if let initialSecrets { pipeline.addSecrets(initialSecrets) }
        Self.handleStopSignals()
        TextOutput.error("capturing on \(interface) (\(capture.linkType)); Ctrl-C stops")
        pipeline.ingest(.interface(CaptureInterface(index: 0, linkType: capture.linkType, snapLength: 262_144)))
        let deadline = input.duration.map { ContinuousClock.now + .seconds($0) }
        var packets = 0
        var failure: String?
        var counted: Int { output.layer == .grpc ? pipeline.callsShown : packets }
        var secrets = SessionSecrets()
        /// Decodes what libpcap holds now; false when reading failed.
        func readAvailable() -> Bool {
            // Secrets first: a connection's keys may be written just after its first records.
            if let secrets = keyLogs.poll() { pipeline.addSecrets(secrets) }
            let batch: [CapturedPacket]
            do { batch = try capture.read() } catch {
                failure = error.description
                return false
            }
            for packet in batch {
                packets += 1
                saved?.append(packet)
                pipeline.ingest(.packet(packet))
            }
            // The secrets of the sessions captured so far, as soon as the key log has them.
            if let saved, let block = secrets.block(randoms: pipeline.clientRandoms,
                                                    keyLog: pipeline.keyLog, writer: PcapngWriter()) {
                saved.write(block)
            }
            pipeline.flush()
            return !batch.isEmpty
        }
        while !stopRequested.load(ordering: .relaxed) {
            if let deadline, ContinuousClock.now >= deadline { break }
            if let count = input.count, counted >= count { break }
            capture.wait(milliseconds: 100)
            guard readAvailable() || failure == nil else { break }
        }
        // Packets already captured when asked to stop are still decoded (for at most 2 s: the
        // decoder may lag behind a burst), unless -c was reached.
        let drainUntil = ContinuousClock.now + .seconds(2)
        while failure == nil, input.count.map({ counted < $0 }) ?? true, ContinuousClock.now < drainUntil, readAvailable() {}
        pipeline.finish()
        saved?.close()
        if let failure { TextOutput.error(failure) }
        var summary = CaptureSummary.text(pipeline.session.statistics, connections: pipeline.connections, http2: pipeline.session.statistics.http2)
        if let counts = capture.statistics() {
            summary += "; libpcap: \(counts.received) received by filter, \(counts.dropped) dropped by kernel"
            if counts.droppedByInterface > 0 { summary += ", \(counts.droppedByInterface) dropped by interface" }
        }
        TextOutput.error(summary)
        if let destination = request.report, !destination.write(pipeline.report(for: destination)) { return 1 }
        return failure == nil ? 0 : 1
    }

    /// SIGINT and SIGTERM ask the loop to stop; unblocked first, as a parent may have blocked them.
    static func handleStopSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &signals, nil)
        signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in stopRequested.store(true, ordering: .relaxed) }
    }
}

/// `-w FILE`: the captured packets as pcapng, written as they come.
/// A pcapng file being written: the section header first, then blocks as they come.
struct PacketFile {
    struct OpenError: Error, CustomStringConvertible {
        var description: String
    }

    private let descriptor: Int32
    private let writer = PcapngWriter()

    init(path: String) throws(OpenError) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw OpenError(description: "cannot write '\(path)': \(String(cString: strerror(errno)))") }
        write(writer.sectionHeader())
    }

    /// A file for a live capture: one interface.
    init(path: String, linkType: LinkType, interface: String) throws(OpenError) {
        try self.init(path: path)
        write(writer.interfaceDescription(linkType: linkType, name: interface))
    }

    func append(_ packet: CapturedPacket) {
        write(writer.enhancedPacket(interface: 0, timestamp: packet.timestamp, data: packet.data, originalLength: packet.originalLength))
    }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    func close() { _ = Glibc.close(descriptor) }

    /// Gives the file to the user who ran grpcdump (through sudo), before root is given up.
    func changeOwner(_ owner: (uid: uid_t, gid: gid_t)) { _ = fchown(descriptor, owner.uid, owner.gid) }
}
