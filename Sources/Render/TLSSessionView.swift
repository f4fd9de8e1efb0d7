import Analysis
import ByteStream
import Foundation
import Protobuf
import TLS
import WireCore

/// The `--layer tls` view: a line per TLS connection when it ends — client and server, version,
/// cipher, SNI, ALPN, certificate subject, resumed or full handshake, records and plaintext bytes
/// each way, and whether it was decrypted (with the reason when not); `-v` adds a line per
/// handshake message, alert and key change as they happen. With `--json`, one object per
/// connection (docs/tls.md).
public struct TLSSessionView {
    public var json: Bool
    public var verbose: Bool
    private var endpoints = ConnectionEndpoints()

    public init(json: Bool, verbose: Bool) {
        self.json = json
        self.verbose = verbose
    }

    public mutating func render(_ event: AnalysisEvent) -> [String] {
        if endpoints.follow(event) { return [] }
        switch event {
        case let .tlsMessage(message) where verbose && !json:
            return ["\(message.connection) \(message.direction == .clientToServer ? "c→s" : "s→c") packet \(message.packet) \(message.time.timeOfDay())  \(message.text)"]
        case let .tlsSession(session):
            return [json ? jsonText(session) : text(session)]
        default:
            return []
        }
    }

    private func ends(_ connection: ConnectionID) -> String {
        endpoints.text(of: connection)
    }

    func text(_ session: TLSSession) -> String {
        var parts = [session.version?.description ?? "TLS"]
        if let suite = session.cipherSuite { parts.append(suite.name) }
        if let sni = session.serverName { parts.append("SNI \(sni)") }
        if let alpn = session.alpn { parts.append("ALPN \(alpn)") } else if !session.alpnOffered.isEmpty { parts.append("ALPN offered " + session.alpnOffered.joined(separator: ",")) }
        parts.append(!session.handshakeSeen ? "handshake not captured" : session.resumed ? "resumed" : "full handshake")
        if session.helloRetryRequest { parts.append("after HelloRetryRequest") }
        if let certificate = session.certificate { parts.append("certificate \(certificate.subject)") }
        parts.append("records \(session.records[0])/\(session.records[1])")
        parts.append("plaintext \(session.applicationBytes[0])/\(session.applicationBytes[1]) bytes")
        if session.keyUpdates > 0 { parts.append("\(session.keyUpdates) KeyUpdate\(session.keyUpdates == 1 ? "" : "s")") }
        if let reason = session.notDecryptedReason {
            parts.append("NOT DECRYPTED: \(reason)")
        } else {
            parts.append(session.decrypted ? "decrypted" : "no protected records")
        }
        return "\(session.connection)\(ends(session.connection)): " + parts.joined(separator: "  ")
    }

    func jsonText(_ session: TLSSession) -> String {
        var object = JSONObject()
        object.add("connection", session.connection.rawValue)
        if let ends = endpoints[session.connection] {
            object.add("client", ends.client.description)
            object.add("server", ends.server.description)
        }
        if let version = session.version { object.add("version", version.description) }
        if let suite = session.cipherSuite { object.add("cipher", suite.name) }
        if let sni = session.serverName { object.add("sni", sni) }
        if let alpn = session.alpn { object.add("alpn", alpn) }
        object.add("alpn_offered", session.alpnOffered)
        object.add("handshake_seen", session.handshakeSeen)
        object.add("resumed", session.resumed)
        object.add("hello_retry_request", session.helloRetryRequest)
        if let random = session.clientRandom { object.add("client_random", Hex.string(random)) }
        if let certificate = session.certificate {
            var item = JSONObject()
            item.add("subject", certificate.subject)
            item.add("issuer", certificate.issuer)
            item.add("not_before", ISO8601DateFormatter().string(from: certificate.notValidBefore))
            item.add("not_after", ISO8601DateFormatter().string(from: certificate.notValidAfter))
            item.add("chain_length", certificate.chainLength)
            object.add("certificate", item)
        }
        object.add("decrypted", session.decrypted)
        if let reason = session.notDecryptedReason { object.add("reason", reason) }
        for (key, values) in [("records", session.records.map(Int64.init)), ("application_bytes", session.applicationBytes),
                              ("encrypted_records", session.encryptedRecords.map(Int64.init))] {
            var item = JSONObject()
            item.add("client_to_server", values[0])
            item.add("server_to_client", values[1])
            object.add(key, item)
        }
        object.add("key_updates", session.keyUpdates)
        object.add("alerts", session.alerts)
        return object.text
    }
}
