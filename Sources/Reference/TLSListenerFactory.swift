import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix
import NIOSSL

/// Accepts TCP connections and puts a TLS handler in front of gRPC's HTTP/2 pipeline. The
/// transport's own TLS configuration has no key-log hook, so the reference server brings its own
/// NIOSSL context through the transport's `Custom` listener (grpc-swift-nio-transport 2.6+).
struct TLSListenerFactory: HTTP2ServerTransport.ListenerFactory {
    let host: String
    let port: Int
    let context: NIOSSLContext

    var eventLoopGroup: any EventLoopGroup { MultiThreadedEventLoopGroup.singleton }

    func makeListeningChannel(
        listenerConfigurator: HTTP2ServerTransport.ListenerConfigurator,
        connectionConfigurator: HTTP2ServerTransport.ConnectionConfigurator
    ) async throws -> NIOAsyncChannel<HTTP2ServerTransport.ConnectionConfigurator.ConnectionChannel, Never> {
        let context = context
        return try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { listenerConfigurator.configure(channel: $0) }
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                }.flatMap {
                    connectionConfigurator.configure(channel: channel, tls: .configured(requireALPN: false))
                }
            }
    }
}
