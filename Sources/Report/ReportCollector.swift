import Analysis
import ByteStream
import GRPC
import HTTP2
import Protobuf
import Render
import WireCore

/// Gathers what `grpcdump report` draws from the analysis events of a capture, as they come:
/// the calls (with their `--json` detail and frames), the connections and what each layer said
/// about them, the flow-control windows over time, and the capture's diagnostics.
public struct ReportCollector {
    public struct Options {
        public var filter: CallFilter
        public var style: CallJSON.Style

        public init(filter: CallFilter, style: CallJSON.Style) {
            self.filter = filter
            self.style = style
        }
    }

    let options: Options
    private(set) var connections: [ReportConnection] = []
    private var connectionIndex: [ConnectionID: Int] = [:]
    private(set) var calls: [ReportCall] = []
    private(set) var details = DetailChunks()
    /// Calls decoded, before the filter.
    private(set) var decodedCalls = 0
    /// Capture diagnostics (container, packet headers) by code: how many, and the first message.
    private(set) var diagnostics: [String: (count: Int, first: String)] = [:]

    /// TCP connections seen so far.
    public var connectionCount: Int { connections.count }
    /// Calls kept for the page so far (those the filter let through).
    public var callCount: Int { calls.count }

    public init(options: Options) {
        self.options = options
    }

    public mutating func add(_ events: some Collection<AnalysisEvent>) {
        for event in events { add(event) }
    }

    public mutating func add(_ event: AnalysisEvent) {
        switch event {
        case let .diagnostic(diagnostic):
            diagnostics[diagnostic.code, default: (0, diagnostic.description)].count += 1
        case let .tcp(.opened(info)):
            guard connectionIndex[info.id] == nil else { return }
            connectionIndex[info.id] = connections.count
            connections.append(ReportConnection(index: connections.count, info: info))
        case let .tcp(.rolesChanged(info)):
            update(info.id) { $0.info = info }
        case let .tcp(.closed(summary)):
            update(summary.info.id) {
                $0.summary = summary
                $0.stalls.finish(at: summary.end)
            }
        case let .http2(.frame(record)):
            update(record.connection) { $0.add(record) }
        case let .http2(.detected(id, detection, _)):
            update(id) { $0.http2Detection = detection.rawValue }
        case let .http2(.other(id, other, _)), let .undecoded(id, other, _):
            update(id) { $0.otherProtocol = other.rawValue }
        case let .http2(.skipped(id, _, diagnostic)):
            update(id) { $0.add(problem: diagnostic.description) }
        case let .tlsSession(session):
            update(session.connection) { $0.tls = session }
        case let .call(call):
            add(call)
        case .tcp, .http2, .tlsMessage, .message:
            break
        }
    }

    private mutating func update(_ id: ConnectionID, _ change: (inout ReportConnection) -> Void) {
        guard let index = connectionIndex[id] else { return }
        change(&connections[index])
    }

    private mutating func add(_ call: GRPCCall) {
        decodedCalls += 1
        guard let index = connectionIndex[call.connection] else { return }
        let (frames, omitted) = connections[index].takeFrames(of: call.streamID)
        let info = connections[index].info
        guard options.filter.matches(call, endpoints: (info.client, info.server)) else { return }
        connections[index].calls += 1
        var json = JSONBuffer()
        JSONObject.write(into: &json) { object in
            CallJSON.write(call, endpoints: (info.client, info.server), style: options.style, into: &object)
            object.add("frames") { json in
                // [µs after the call's start, direction (0: from the client), type, flags, length, notes]
                json.array(frames) { json, frame in
                    json.raw("[")
                    json.int(frame.time.nanoseconds(since: call.start) / 1_000)
                    json.raw(frame.direction == .clientToServer ? ",0," : ",1,")
                    json.string(frame.type)
                    json.raw(",")
                    json.array(frame.flags) { $0.string($1) }
                    json.raw(",")
                    json.int(frame.length)
                    json.raw(",")
                    json.array(frame.notes) { $0.string($1) }
                    json.raw("]")
                }
            }
            if omitted > 0 { object.add("frames_omitted", omitted) }
        }
        calls.append(ReportCall(call, connection: index, detail: details.append(json)))
    }
}
