import Capture
import NIOCore
import Packet
import Synchronization
import WireCore

/// The replay's own traffic as a capture (`--save`): every connection the client makes, as
/// packets synthesized from what its channel wrote and read below TLS (`SynthesizedFlow`), and
/// the TLS secrets the client's key log callback gave, in a Decryption Secrets Block (pcapng
/// §4.7) — so that `grpcdump -r` (or Wireshark) decrypts the file as it is.
public final class ReplayRecorder: Sendable {
    private struct State {
        var packets: [(time: Timestamp, data: [UInt8])] = []
        var keyLog: [UInt8] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// The handler that records one connection, first in its channel's pipeline.
    func handler() -> RecordingHandler { RecordingHandler(recorder: self) }

    /// NIOSSL's key log callback: one NSS key log line.
    func keyLog(_ line: ByteBuffer) {
        state.withLock {
            $0.keyLog += Array(line.readableBytesView)
            if $0.keyLog.last != 0x0A { $0.keyLog.append(0x0A) }
        }
    }

    func record(_ packets: [[UInt8]]) {
        let now = Timestamp.now
        state.withLock { state in for packet in packets { state.packets.append((now, packet)) } }
    }

    /// The capture: a section, one raw-IP interface, the secrets, then the packets in order.
    public func pcapng() -> [UInt8] {
        let writer = PcapngWriter()
        return state.withLock { state in
            var file = writer.sectionHeader() + writer.interfaceDescription(linkType: .raw, name: "grpcdump replay")
            if !state.keyLog.isEmpty { file += writer.decryptionSecrets(type: 0x544C_534B, data: state.keyLog) }
            for packet in state.packets { file += writer.enhancedPacket(interface: 0, timestamp: packet.time, data: packet.data) }
            return file
        }
    }

    static func endpoint(_ address: SocketAddress?) -> Endpoint? {
        guard let address, let text = address.ipAddress, let ip = IPAddress(text), let port = address.port else { return nil }
        return Endpoint(ip, UInt16(port))
    }
}

/// Records the bytes of one connection as they cross its channel's socket end.
final class RecordingHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let recorder: ReplayRecorder
    /// Made when the connection's ends are known (at the first bytes or when it is active).
    private var flow: SynthesizedFlow?
    private var closed = false

    init(recorder: ReplayRecorder) {
        self.recorder = recorder
    }

    private func started(_ context: ChannelHandlerContext) {
        guard flow == nil else { return }
        let channel = context.channel
        var opened = SynthesizedFlow(client: ReplayRecorder.endpoint(channel.localAddress) ?? Endpoint(IPAddress("127.0.0.1")!, 1),
                                     server: ReplayRecorder.endpoint(channel.remoteAddress) ?? Endpoint(IPAddress("127.0.0.1")!, 2))
        recorder.record(opened.open())
        flow = opened
    }

    func channelActive(context: ChannelHandlerContext) {
        started(context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { started(context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        started(context)
        recorder.record(flow!.data(fromClient: false, Array(unwrapInboundIn(data).readableBytesView)))
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        started(context)
        recorder.record(flow!.data(fromClient: true, Array(unwrapOutboundIn(data).readableBytesView)))
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !closed, flow != nil {
            closed = true
            recorder.record(flow!.close())
        }
        context.fireChannelInactive()
    }
}
