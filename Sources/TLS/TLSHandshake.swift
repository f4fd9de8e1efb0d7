import ByteStream
import WireCore

/// The handshake as a TLS connection follows it (RFC 8446 §4, RFC 5246 §7.4): what each message
/// says about the session, and when each side's keys change.
extension TLSConnection {
    mutating func handshake(_ type: HandshakeType, _ body: ArraySlice<UInt8>, _ position: StreamPosition, _ output: inout [TLSOutput]) {
        let side = position.direction.rawValue
        let fromServer = position.direction == .serverToClient
        // The text that describes the message is made only for views that show it
        // (`describesHandshake`): making it for every message cost more than the keys.
        let describing = describesHandshake
        var text = describing ? "\(type)" : ""
        switch type {
        case .clientHello where !fromServer:
            guard let hello = ClientHello(body) else { return note("ClientHello (malformed)", position, &output) }
            clientHello = hello
            session.handshakeSeen = true
            session.clientRandom = hello.random
            session.serverName = hello.serverName
            session.alpnOffered = hello.alpn
            if let serverHello, !serverHello.sessionID.isEmpty, serverHello.sessionID == hello.sessionID, serverHello.version != .tls13 { session.resumed = true }
            if describing { note(text + ": " + Self.describe(hello), position, &output) }
            keysMayBeKnown(&output)
            return
        case .serverHello where fromServer:
            guard let hello = ServerHello(body) else { return note("ServerHello (malformed)", position, &output) }
            if hello.isHelloRetryRequest {
                session.helloRetryRequest = true
                if describing { text = "HelloRetryRequest" + (hello.selectedGroup.map { ": group \(Self.groupName($0))" } ?? "") }
                break
            }
            serverHello = hello
            let suite = CipherSuite.named(hello.cipherSuite)
            session.version = hello.version
            session.cipherSuite = suite
            if let alpn = hello.alpn { session.alpn = alpn }
            if hello.version == .tls13 {
                session.resumed = hello.acceptedPSK
                sides[0].encrypted = true
                sides[1].encrypted = true
            } else if let clientHello, !hello.sessionID.isEmpty, hello.sessionID == clientHello.sessionID {
                session.resumed = true
            }
            if describing {
                text += ": \(hello.version), \(suite.name)" + (hello.acceptedPSK ? ", PSK accepted" : "") + (hello.encryptThenMAC ? ", encrypt-then-MAC" : "")
            }
            if hello.version != .tls13 {
                for side in sides.indices where sides[side].sawChangeCipherSpec { sides[side].encrypted = true }
            }
            note(text, position, &output)
            keysMayBeKnown(&output)
            return
        case .encryptedExtensions:
            let extensions = EncryptedExtensions(body)
            if let alpn = extensions.alpn { session.alpn = alpn }
            if describing, let alpn = extensions.alpn { text += ": ALPN \(alpn)" }
        case .certificate, .serverKeyExchange:
            if fromServer { serverAuthenticated = true }
            if type == .certificate, fromServer, describesHandshake, let summary = CertificateSummary(body, isTLS13: negotiatedTLS13) {
                session.certificate = summary
                text += ": \(summary.subject), issued by \(summary.issuer), \(summary.chainLength) in the chain"
            }
        case .finished where negotiatedTLS13:
            // RFC 8446 §7.1: after its Finished, a side sends under its application traffic secret.
            switch position.direction {
            case .serverToClient: useApplicationKeys(side, keyLog.secrets(clientRandom: clientHello?.random ?? [])?.serverTraffic0)
            case .clientToServer: useApplicationKeys(side, keyLog.secrets(clientRandom: clientHello?.random ?? [])?.clientTraffic0)
            }
        case .endOfEarlyData where !fromServer:
            // RFC 8446 §4.5: the client's handshake keys follow.
            if let fallback = sides[side].fallbacks.first {
                sides[side].protection = fallback
                sides[side].fallbacks.removeFirst()
            }
        case .keyUpdate:
            // RFC 8446 §4.6.3: the sender's next records use the next generation of its secret.
            session.keyUpdates += 1
            if let secret = sides[side].applicationSecret, let suite = session.cipherSuite {
                let next = KeySchedule.nextTrafficSecret(secret, suite: suite)
                sides[side].applicationSecret = next
                sides[side].protection = RecordProtection(suite: suite, trafficSecret: next)
                sides[side].fallbacks = []
            }
            if describing, body.first == 1 { text += ": update requested" }
        case .newSessionTicket:
            if describing { text += ": ticket of \(max(0, body.count - 4)) bytes" }
        default:
            break
        }
        note(text, position, &output)
    }

    /// Both hellos may be known now (in a capture reordered between directions the ServerHello may
    /// come first): the keys are set up, and the records that waited for them opened — the
    /// client's early data among them.
    mutating func keysMayBeKnown(_ output: inout [TLSOutput]) {
        setUpKeys()
        for direction in Direction.allCases { openWaiting(direction, &output) }
    }

    /// Sets up the record keys once the ServerHello and the session's secrets are known.
    mutating func setUpKeys() {
        guard let clientHello, let serverHello, let suite = session.cipherSuite, suite.protection != nil,
              let secrets = keyLog.secrets(clientRandom: clientHello.random) else { return }
        let client = Direction.clientToServer.rawValue, server = Direction.serverToClient.rawValue
        if serverHello.version == .tls13 {
            // RFC 8446 §7.1, §2.3: client early data (if offered), then handshake, then application keys.
            guard sides[client].protection == nil, sides[server].protection == nil else { return }
            var clientPhases = [secrets.clientHandshakeTraffic, secrets.clientTraffic0].compactMap { $0 }
            if clientHello.offersEarlyData, let early = secrets.clientEarlyTraffic { clientPhases.insert(early, at: 0) }
            let serverPhases = [secrets.serverHandshakeTraffic, secrets.serverTraffic0].compactMap { $0 }
            for (side, phases, traffic0) in [(client, clientPhases, secrets.clientTraffic0), (server, serverPhases, secrets.serverTraffic0)] {
                let protections = phases.compactMap { RecordProtection(suite: suite, trafficSecret: $0) }
                sides[side].protection = protections.first
                sides[side].fallbacks = Array(protections.dropFirst())
                sides[side].applicationSecret = traffic0
            }
        } else {
            guard let master = secrets.masterSecret,
                  let (clientKeys, serverKeys) = KeySchedule.keyBlock12(masterSecret: master, clientRandom: clientHello.random,
                                                                         serverRandom: serverHello.random, suite: suite) else { return }
            let etm = serverHello.encryptThenMAC && !suite.isAEAD
            for (side, keys) in [(client, clientKeys), (server, serverKeys)] where sides[side].afterChangeCipherSpec == nil {
                sides[side].afterChangeCipherSpec = RecordProtection(suite: suite, isTLS13: false, keys: keys, encryptThenMAC: etm)
                if sides[side].encrypted, sides[side].protection == nil { sides[side].protection = sides[side].afterChangeCipherSpec }
            }
        }
    }

    private mutating func useApplicationKeys(_ side: Int, _ secret: [UInt8]?) {
        guard let secret, let suite = session.cipherSuite else { return }
        // `setUpKeys` made the keys of this secret already, as the side's last fallback: they
        // are taken rather than derived again (two HKDF expansions and a cipher context).
        if secret == sides[side].applicationSecret, let prepared = sides[side].fallbacks.last, prepared.sequence == 0 {
            sides[side].protection = prepared
        } else {
            sides[side].protection = RecordProtection(suite: suite, trafficSecret: secret)
        }
        sides[side].fallbacks = []
        sides[side].applicationSecret = secret
    }

    /// What a ClientHello offers, for `--layer tls -v`.
    private static func describe(_ hello: ClientHello) -> String {
        var parts = ["random \(Hex.string(hello.random.prefix(8)))…"]
        if let name = hello.serverName { parts.append("SNI \(name)") }
        if !hello.alpn.isEmpty { parts.append("ALPN " + hello.alpn.joined(separator: ",")) }
        parts.append("\(hello.cipherSuites.count) cipher suites")
        if !hello.supportedVersions.isEmpty {
            parts.append("versions " + hello.supportedVersions.map { ProtocolVersion(rawValue: $0).description }.joined(separator: ","))
        }
        if !hello.keyShareGroups.isEmpty { parts.append("key shares " + hello.keyShareGroups.map(Self.groupName).joined(separator: ",")) }
        if hello.offersPSK { parts.append("PSK offered") }
        if hello.offersEarlyData { parts.append("early data") }
        return parts.joined(separator: ", ")
    }

    /// IANA "TLS Supported Groups" names for the common groups.
    static func groupName(_ group: UInt16) -> String {
        switch group {
        case 0x0017: "secp256r1"
        case 0x0018: "secp384r1"
        case 0x0019: "secp521r1"
        case 0x001D: "x25519"
        case 0x001E: "x448"
        case 0x11EC: "X25519MLKEM768"
        default: "0x" + String(group, radix: 16)
        }
    }
}
