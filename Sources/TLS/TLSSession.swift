import ByteStream
import Foundation
import WireCore

/// What a TLS connection showed, for `--layer tls` and for the calls it carried.
public struct TLSSession: Sendable {
    public var connection: ConnectionID
    /// The negotiated version (ServerHello's supported_versions, else its legacy version).
    public var version: ProtocolVersion?
    public var cipherSuite: CipherSuite?
    /// SNI from the ClientHello (RFC 6066 §3).
    public var serverName: String?
    /// ALPN: what the client offered and what the server chose (ServerHello in 1.2,
    /// EncryptedExtensions in 1.3; RFC 7301).
    public var alpnOffered: [String] = []
    public var alpn: String?
    /// A resumed session: TLS 1.2 session id or ticket accepted, TLS 1.3 PSK accepted.
    public var resumed = false
    public var helloRetryRequest = false
    public var certificate: CertificateSummary?
    /// Whether the ClientHello was in the capture.
    public var handshakeSeen = false
    public var keyUpdates = 0
    public var alerts: [String] = []
    public var clientRandom: [UInt8]?
    /// Records each way (`Direction.rawValue`), and the application data they decrypted to.
    public var records = [0, 0]
    public var applicationBytes: [Int64] = [0, 0]
    /// Protected records opened, and those that stayed encrypted, each way.
    public var decryptedRecords = [0, 0]
    public var encryptedRecords = [0, 0]
    /// Why (some of) the connection was not decrypted; `nil` when everything protected was.
    public var notDecryptedReason: String?

    public init(connection: ConnectionID) {
        self.connection = connection
    }

    /// Decrypted: something protected was opened and nothing protected was left.
    public var decrypted: Bool { notDecryptedReason == nil && decryptedRecords[0] + decryptedRecords[1] > 0 }

    /// What the calls of this connection say about it.
    public var security: StreamSecurity {
        StreamSecurity(protocolName: version?.description ?? "TLS", cipher: cipherSuite?.name, serverName: serverName, alpn: alpn, resumed: resumed)
    }
}

/// What the TLS layer reports, in order.
public enum TLSOutput: Sendable {
    /// The plaintext, as a byte stream (data at plaintext offsets, gaps where records could not
    /// be opened, closed at the end): the layer above consumes it as it would TCP's.
    case stream(ByteStreamEvent)
    /// A handshake message, alert or key change, for `-v`.
    case message(TLSMessage)
    /// At the end of the connection.
    case session(TLSSession)
    /// The bytes labelled as sent by `sender` turned out to be the client's (they open with a
    /// client traffic secret): the roles TCP guessed from the ports were the other way round. The
    /// TLS layer has turned its own state around; the connection's next events should come so.
    case clientEvidence(sender: Direction)
}

/// One handshake message, alert or key change as seen.
public struct TLSMessage: Sendable {
    public var connection: ConnectionID
    public var direction: Direction
    public var packet: Int
    public var time: Timestamp
    public var text: String
}
