import HPACK
import HTTP2
import Reassembly
import WireCore

/// Assembles gRPC calls from HTTP/2 events: one call per stream, completed when both sides
/// ended the stream, it was reset, or its connection ended (then marked incomplete).
public struct CallAssembler: Sendable {
    public struct Configuration: Sendable {
        /// Messages declaring more than this are reported and skipped, not buffered.
        public var maxMessageLength = 64 << 20
        /// Also report each message as it completes (`takeArrivedMessages()`), for views that
        /// show streams as they happen (live capture).
        public var reportsArrivingMessages = false
        public init() {}
    }

    struct StreamKey: Hashable, Sendable {
        var connection: ConnectionID
        var stream: UInt32
    }

    public let configuration: Configuration
    private var streams: [StreamKey: CallProgress] = [:]
    /// Streams whose call was already reported: frames still arriving for them (after a reset)
    /// do not open a new call. Forgotten when the connection ends.
    private var finished: [ConnectionID: Set<UInt32>] = [:]
    private var arrived: [ArrivedMessage] = []
    /// Deframer outputs of one DATA frame (its storage reused from frame to frame).
    private var outputScratch: [MessageDeframer.Output] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public var openCalls: Int { streams.count }

    /// Messages completed since the last call, when the configuration asks for them.
    public mutating func takeArrivedMessages() -> [ArrivedMessage] {
        defer { arrived.removeAll(keepingCapacity: true) }
        return arrived
    }

    public mutating func process(_ event: HTTP2Event, into calls: inout [GRPCCall]) {
        switch event {
        case let .frame(record):
            process(record, into: &calls)
        case let .closed(connection, packet, time):
            finished[connection] = nil
            let open = streams.keys.filter { $0.connection == connection }.sorted { $0.stream < $1.stream }
            for key in open {
                var progress = streams.removeValue(forKey: key)!
                progress.call.incomplete = true
                progress.call.lastPacket = max(progress.call.lastPacket, packet)
                progress.call.end = time
                calls.append(progress.completed())
            }
        default:
            break
        }
    }

    private mutating func process(_ record: FrameRecord, into calls: inout [GRPCCall]) {
        let frame = record.frame
        guard frame.streamID != 0 else { return }
        let key = StreamKey(connection: record.connection, stream: frame.streamID)
        // The call is worked on in place in the table, so that its message buffers are uniquely
        // referenced and grow in place (a copy would make every DATA frame copy the partial message).
        if let index = streams.index(forKey: key) {
            let ended = streams.values[index].apply(record, configuration: configuration, outputs: &outputScratch, arrived: &arrived)
            if ended { report(streams.remove(at: index).value, key: key, into: &calls) }
            return
        }
        // PRIORITY (and WINDOW_UPDATE) may name streams that never carry a request (RFC 9113 §5.1:
        // PRIORITY on idle streams is allowed); only these frames open a call.
        guard frame.type == .headers || frame.type == .data || frame.type == .rstStream, finished[key.connection]?.contains(key.stream) != true else { return }
        // Only a client's HEADERS opens a call; stray frames of unknown streams (a capture that
        // began mid-call) open one too, so that nothing is lost, with a warning.
        var call = GRPCCall(connection: record.connection, streamID: frame.streamID, start: record.time, packet: record.packet)
        if !(frame.type == .headers && record.direction == .clientToServer) {
            call.warnings.append("the start of this stream was not captured")
        }
        var progress = CallProgress(call: call, maxMessageLength: configuration.maxMessageLength)
        if progress.apply(record, configuration: configuration, outputs: &outputScratch, arrived: &arrived) {
            report(progress, key: key, into: &calls)
        } else {
            streams[key] = progress
        }
    }

    /// A call whose stream ended: reported, and its stream remembered as finished.
    private mutating func report(_ progress: consuming CallProgress, key: StreamKey, into calls: inout [GRPCCall]) {
        finished[key.connection, default: []].insert(key.stream)
        calls.append(progress.completed())
    }
}

/// gRPC doc "PROTOCOL-HTTP2.md", Errors: the status a client reports for a RST_STREAM code.
enum ResetMapping {
    static func status(for code: ErrorCode) -> StatusCode {
        switch code {
        case .refusedStream: .unavailable
        case .cancel: .cancelled
        case .enhanceYourCalm: .resourceExhausted
        case .inadequateSecurity: .permissionDenied
        default: .internal
        }
    }
}
