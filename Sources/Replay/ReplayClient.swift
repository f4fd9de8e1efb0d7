import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOSSL
import Packet
import WireCore

/// Where calls are sent again, and how: plaintext HTTP/2 (prior knowledge) or TLS (the system's
/// trust roots or `--cacert`, a client certificate for mutual TLS, the name to check).
public struct ReplayTarget: Sendable {
    public var host: String
    public var port: Int
    public var tls: TLS?
    /// :authority of the calls (default: HOST:PORT).
    public var authority: String?

    public struct TLS: Sendable {
        public var caCertificate: String?
        public var certificate: String?
        public var privateKey: String?
        /// The name sent in SNI and checked against the certificate (default: the host).
        public var serverName: String?

        public init(caCertificate: String? = nil, certificate: String? = nil, privateKey: String? = nil, serverName: String? = nil) {
            self.caCertificate = caCertificate
            self.certificate = certificate
            self.privateKey = privateKey
            self.serverName = serverName
        }
    }

    public init(host: String, port: Int, tls: TLS? = nil, authority: String? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
        self.authority = authority
    }

    func context(keyLog: NIOSSLKeyLogCallback? = nil) throws -> NIOSSLContext? {
        guard let tls else { return nil }
        var config = TLSConfiguration.makeClientConfiguration()
        if let ca = tls.caCertificate { config.trustRoots = .file(ca) }
        if let certificate = tls.certificate { config.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) } }
        if let key = tls.privateKey { config.privateKey = .file(key) }
        config.applicationProtocols = ["h2"]
        config.keyLogCallback = keyLog
        return try NIOSSLContext(configuration: config)
    }
}

/// Sends captured calls again over one HTTP/2 connection of grpc-swift's client: every kind as a
/// bidirectional stream at the HTTP/2 level (requests in their captured order, then the end of the
/// stream; responses collected as they come), which is what each kind is on the wire.
public enum ReplayClient {
    /// Runs `body` with a client connected to `target`; `recorder` records its connections.
    public static func with<Result: Sendable>(_ target: ReplayTarget, recorder: ReplayRecorder? = nil,
                                              _ body: @Sendable (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result) async throws -> Result {
        var keyLog: NIOSSLKeyLogCallback?
        if let recorder { keyLog = { line in recorder.keyLog(line) } }
        let context = try target.context(keyLog: keyLog)
        let serverName = target.tls?.serverName ?? target.host
        // An address, not a name: no SNI unless --servername gives one (RFC 6066 §3).
        let literal = IPAddress(target.host)
        let resolvable: any ResolvableTarget = switch literal {
        case .v4?: .ipv4(address: target.host, port: target.port)
        case .v6?: .ipv6(address: target.host, port: target.port)
        case nil: .dns(host: target.host, port: target.port)
        }
        let transport = try HTTP2ClientTransport.Posix(
            target: resolvable,
            transportSecurity: context == nil ? .plaintext : .customSecure,
            config: .defaults { config in
                config.compression.enabledAlgorithms = .all
                config.http2.authority = target.authority ?? (context == nil ? nil : serverName)
                if context != nil || recorder != nil {
                    // TLS first in each new connection's pipeline, and the recorder before it, at the socket.
                    config.channelDebuggingCallbacks.onCreateTCPConnection = { channel in
                        channel.eventLoop.makeCompletedFuture {
                            if let context {
                                try channel.pipeline.syncOperations.addHandler(
                                    NIOSSLClientHandler(context: context, serverHostname: literal != nil && target.tls?.serverName == nil ? nil : serverName), position: .first)
                            }
                            if let recorder {
                                try channel.pipeline.syncOperations.addHandler(recorder.handler(), position: .first)
                            }
                        }
                    }
                }
            })
        return try await withGRPCClient(transport: transport, handleClient: body)
    }

    /// Sends one call; never throws: what went wrong is in the outcome. `paced`: each request
    /// message is sent as long after the call's start as it was in the capture. A call compressed
    /// as captured that the target refuses for its compression (UNIMPLEMENTED naming it, gRPC doc
    /// "compression.md") is sent again uncompressed, and the outcome says so.
    public static func send(_ request: ReplayRequest, with client: GRPCClient<HTTP2ClientTransport.Posix>, paced: Bool = false) async -> ReplayOutcome {
        let outcome = await sendOnce(request, with: client, paced: paced)
        guard let compression = request.compression, outcome.responses.isEmpty, let status = outcome.status,
              status.code == RPCError.Code.unimplemented.rawValue,
              let message = status.message?.lowercased(), message.contains("compress") || message.contains(compression)
        else { return outcome }
        var uncompressed = request
        uncompressed.compression = nil
        var retried = await sendOnce(uncompressed, with: client, paced: paced)
        retried.note = "sent uncompressed: the target does not accept \(compression)"
        return retried
    }

    private static func sendOnce(_ request: ReplayRequest, with client: GRPCClient<HTTP2ClientTransport.Posix>, paced: Bool) async -> ReplayOutcome {
        let started = Timestamp.now
        let clock = ContinuousClock(), start = clock.now
        let streaming = StreamingClientRequest<[UInt8]>(metadata: request.gRPCMetadata) { writer in
            for (message, offset) in zip(request.messages, request.messageOffsets) {
                if paced { try await clock.sleep(until: start + .nanoseconds(offset)) }
                try await writer.write(message)
            }
        }
        let descriptor = MethodDescriptor(service: ServiceDescriptor(fullyQualifiedService: request.service), method: request.method)
        do {
            var outcome = try await client.bidirectionalStreaming(
                request: streaming, descriptor: descriptor, serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer(),
                options: request.options
            ) { response -> ReplayOutcome in
                var outcome = ReplayOutcome(start: started, end: started)
                switch response.accepted {
                case let .success(contents):
                    outcome.responseHeaders = ReplayOutcome.headers(contents.metadata)
                    do {
                        for try await part in contents.bodyParts {
                            switch part {
                            case let .message(bytes): outcome.responses.append(bytes)
                            case let .trailingMetadata(metadata): outcome.finish(code: 0, message: "", metadata: metadata)
                            }
                            if request.cancelAfterResponses == outcome.responses.count {
                                // Cancelled as the captured client did (leaving the handler resets the stream).
                                outcome.finish(code: RPCError.Code.cancelled.rawValue, message: "", metadata: [:])
                                break
                            }
                        }
                    } catch let error as RPCError {
                        outcome.finish(code: error.code.rawValue, message: error.message, metadata: error.metadata)
                    }
                case let .failure(error):
                    outcome.finish(code: error.code.rawValue, message: error.message, metadata: error.metadata)
                }
                return outcome
            }
            outcome.end = .now
            return cancelledInTime(outcome, request)
        } catch let error as RPCError {
            var outcome = ReplayOutcome(start: started, end: .now)
            outcome.finish(code: error.code.rawValue, message: error.message, metadata: error.metadata)
            return cancelledInTime(outcome, request)
        } catch {
            var outcome = ReplayOutcome(start: started, end: .now)
            outcome.failure = "\(error)"
            return outcome
        }
    }
}

/// A call the captured client cancelled, whose responses did not come before the deadline set in
/// place of the cancelling: cancelled, as the captured one was.
private func cancelledInTime(_ outcome: ReplayOutcome, _ request: ReplayRequest) -> ReplayOutcome {
    guard request.cancelLimit != nil, outcome.status?.code == RPCError.Code.deadlineExceeded.rawValue else { return outcome }
    var outcome = outcome
    outcome.finish(code: RPCError.Code.cancelled.rawValue, message: "", metadata: [:])
    return outcome
}

extension Timestamp {
    static var now: Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int64(spec.tv_nsec))
    }
}
