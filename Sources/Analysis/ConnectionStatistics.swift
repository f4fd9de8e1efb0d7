import ByteStream
import HTTP2

/// What the layers above TCP made of a capture's connections, counted from the events they
/// emitted. A value with `merge`, so that connections decoded apart add up.
public struct HTTP2Statistics: Sendable, Hashable {
    public var http2Connections = 0
    /// Connections that carried something else, by what it was.
    public var otherConnections: [OtherProtocol: Int] = [:]
    /// Connections that carried no payload at all.
    public var emptyConnections = 0
    /// TLS connections, and those whose protected records were all decrypted.
    public var tlsConnections = 0
    /// HTTP/1.x connections decoded (gRPC-Web and other requests and responses).
    public var http1Connections = 0
    public var tlsDecrypted = 0
    public var frames = 0
    public var violations = 0

    public init() {}

    mutating func count(_ event: HTTP2Event) {
        switch event {
        case .detected: http2Connections += 1
        case let .frame(record):
            frames += 1
            violations += record.violations.count
        default: break
        }
    }

    public mutating func merge(_ other: HTTP2Statistics) {
        http2Connections += other.http2Connections
        otherConnections.merge(other.otherConnections, uniquingKeysWith: +)
        emptyConnections += other.emptyConnections
        tlsConnections += other.tlsConnections
        http1Connections += other.http1Connections
        tlsDecrypted += other.tlsDecrypted
        frames += other.frames
        violations += other.violations
    }
}
