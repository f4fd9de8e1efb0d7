import ByteStream
import WireCore

/// One connection's byte streams seen as TLS (RFC 8446, RFC 5246): records read each way, the
/// handshake followed (hellos, HelloRetryRequest, EncryptedExtensions, certificates, Finished,
/// KeyUpdate, tickets), records opened with the secrets of an NSS key log, and the plaintext handed
/// on as a byte stream of its own — data at plaintext offsets, gaps where records could not be
/// opened — so that the layer above does not know TLS fed it.
///
/// Records that arrive before their keys wait (up to `maxWaitingBytes` a direction): a live
/// capture's key log may be written just after the first records. A connection joined after its
/// handshake is decrypted with a TLS 1.3 application traffic secret found by trying the key log's
/// secrets at sequence numbers 0 up to `MidSessionSearch.sequenceBound`.
public struct TLSConnection: ByteStreamConsumer, Sendable {
    public typealias Output = TLSOutput

    /// Protected bytes held per direction while their keys are missing.
    public static let maxWaitingBytes = 4 << 20

    public let id: ConnectionID
    public internal(set) var session: TLSSession
    var sides = [TLSDirection(), TLSDirection()]
    var keyLog: KeyLog
    var clientHello: ClientHello?
    var serverHello: ServerHello?
    /// The server sent a Certificate or ServerKeyExchange (a TLS 1.2 full handshake).
    var serverAuthenticated = false
    /// The first protected record came with no handshake before it.
    var joinedMidSession = false
    /// The key log generation last searched for a mid-session secret, per direction.
    var searchedGeneration = [-1, -1]
    /// The roles were found the other way round (MidSessionSearch) and turned.
    var rolesTurned = false
    /// The first record that would not open, per direction: its 1-based number among the protected records.
    var failedRecord: [Int?] = [nil, nil]
    /// Application data opened from the records of one segment, gathered into one piece for the
    /// layer above (one byte-stream event per segment rather than per record: records are often
    /// small); handed on before any other output, so that the order of the outputs is kept.
    private var piece: (bytes: [UInt8], position: StreamPosition?, offset: Int64) = ([], nil, 0)

    /// Whether handshake messages, alerts and key changes are described (`TLSOutput.message`) and
    /// the certificate read: only for views that show them, as formatting them costs more than
    /// decrypting a short connection.
    public let describesHandshake: Bool

    public init(id: ConnectionID, keyLog: KeyLog, describesHandshake: Bool = true) {
        self.id = id
        self.keyLog = keyLog
        self.describesHandshake = describesHandshake
        session = TLSSession(connection: id)
    }

    public var keyLogGeneration: Int { keyLog.generation }

    var negotiatedTLS13: Bool { serverHello.map { $0.version == .tls13 } ?? false }

    /// New secrets (a key log that grew, a secrets block in the capture): records waiting for
    /// keys are tried again.
    public mutating func updateKeys(_ keyLog: KeyLog, into output: inout [TLSOutput]) {
        self.keyLog = keyLog
        setUpKeys()
        for direction in Direction.allCases { openWaiting(direction, &output) }
        handOnPlaintext(&output)
    }

    public mutating func receive(_ data: StreamData, into output: inout [TLSOutput]) {
        let side = data.position.direction.rawValue
        sides[side].reader.append(data.bytes, at: data.offset)
        while let next = sides[side].reader.next() {
            switch next {
            case let .record(record): take(record, data.position, &output)
            case var .skipped(problem):
                problem.packet = data.position.packet
                note(problem.message, data.position, &output)
            }
        }
        handOnPlaintext(&output)
    }

    public mutating func gap(_ gap: StreamGap, into output: inout [TLSOutput]) {
        let side = gap.position.direction.rawValue
        sides[side].reader.gap(at: gap.offset, length: gap.length)
        // The records lost took sequence numbers with them: the next one is found by trying.
        sides[side].protection.map { _ in sides[side].sequenceUncertainBy = Int(min(gap.length / 22 + 2, 1 << 16)) }
        emitGap(side, length: gap.length, gap.position, &output)
    }

    public mutating func finish(_ end: StreamEnd, into output: inout [TLSOutput]) {
        for direction in Direction.allCases {
            let side = direction.rawValue
            if case let .skipped(problem)? = sides[side].reader.finish() { note(problem.message, end.position(direction), &output) }
            session.encryptedRecords[side] += sides[side].waiting.count
            sides[side].waiting = []
        }
        if session.notDecryptedReason == nil { session.notDecryptedReason = reasonNotDecrypted() }
        emit(.stream(.closed(StreamEnd(info: end.info, lastPacket: end.lastPacket, time: end.time, bytes: session.applicationBytes))), &output)
        emit(.session(session), &output)
    }

    /// Appends an output, after the plaintext gathered so far.
    mutating func emit(_ item: TLSOutput, _ output: inout [TLSOutput]) {
        handOnPlaintext(&output)
        output.append(item)
    }

    /// The plaintext gathered from the records of a segment, as one piece of the byte stream.
    private mutating func handOnPlaintext(_ output: inout [TLSOutput]) {
        guard let position = piece.position else { return }
        output.append(.stream(.data(StreamData(position: position, offset: piece.offset, bytes: piece.bytes[...]))))
        piece = ([], nil, 0)
    }

    // MARK: - Records

    private mutating func take(_ record: TLSRecord, _ position: StreamPosition, _ output: inout [TLSOutput]) {
        let side = position.direction.rawValue
        session.records[side] += 1
        if record.type == .changeCipherSpec {
            changeCipherSpec(side, position, &output)
        } else if sides[side].encrypted && !negotiatedTLS13 || record.type == .applicationData
                    || side == Direction.clientToServer.rawValue && serverHello == nil && sides[side].sawChangeCipherSpec
                        && record.type == .handshake && !Self.isClientHello(record) {
            // (A handshake record after a ChangeCipherSpec that came before the ServerHello —
            // a capture reordered between directions — is TLS 1.2's protected Finished, unless
            // it is the second ClientHello after a HelloRetryRequest.)
            if clientHello == nil, serverHello == nil { joinedMidSession = true }
            sides[side].protectedRecords += 1
            protected(record, position, &output)
        } else {
            readUnprotected(record.type, record.fragment, position, &output)
        }
    }

    /// RFC 5246 §7.1: from its ChangeCipherSpec on, a side's records are protected. In TLS 1.3 it
    /// is only for middlebox compatibility (RFC 8446 §D.4).
    private mutating func changeCipherSpec(_ side: Int, _ position: StreamPosition, _ output: inout [TLSOutput]) {
        guard let serverHello else {
            // Before the ServerHello (in a capture reordered between directions): TLS 1.2's if
            // the ClientHello offered nothing newer, else undecided until the ServerHello says.
            sides[side].sawChangeCipherSpec = true
            if let clientHello, !clientHello.supportedVersions.contains(ProtocolVersion.tls13.rawValue) { sides[side].encrypted = true }
            return note("ChangeCipherSpec (before the ServerHello)", position, &output)
        }
        guard serverHello.version != .tls13 else {
            return note("ChangeCipherSpec (middlebox compatibility)", position, &output)
        }
        if side == Direction.serverToClient.rawValue, !serverAuthenticated { session.resumed = true }
        sides[side].encrypted = true
        sides[side].protection = sides[side].afterChangeCipherSpec
        note("ChangeCipherSpec: records protected from here", position, &output)
    }

    private mutating func protected(_ record: TLSRecord, _ position: StreamPosition, _ output: inout [TLSOutput]) {
        let side = position.direction.rawValue
        guard sides[side].protection != nil, sides[side].waiting.isEmpty else {
            wait(record, position, &output)
            return
        }
        open(record, position, &output)
    }

    private mutating func wait(_ record: TLSRecord, _ position: StreamPosition, _ output: inout [TLSOutput]) {
        let side = position.direction.rawValue
        if sides[side].waitingBytes + record.wireLength > Self.maxWaitingBytes {
            // Keys that never come must not hold the connection's memory: the oldest goes.
            let dropped = sides[side].waiting.removeFirst()
            sides[side].waitingBytes -= dropped.record.wireLength
            session.encryptedRecords[side] += 1
            emitGap(side, length: Int64(dropped.record.fragment.count), dropped.position, &output)
        }
        // A record read from the stream shares the reader's buffer: the one kept is copied out.
        var kept = record
        kept.fragment = ArraySlice(Array(record.fragment))
        sides[side].waiting.append((kept, position))
        sides[side].waitingBytes += record.wireLength
        if joinedMidSession { searchMidSession(side, &output) }
    }

    mutating func openWaiting(_ direction: Direction, _ output: inout [TLSOutput]) {
        let side = direction.rawValue
        if joinedMidSession, sides[side].protection == nil { searchMidSession(side, &output) }
        while sides[side].protection != nil, !sides[side].waiting.isEmpty {
            let (record, position) = sides[side].waiting.removeFirst()
            sides[side].waitingBytes -= record.wireLength
            open(record, position, &output)
        }
    }

    private mutating func open(_ record: TLSRecord, _ position: StreamPosition, _ output: inout [TLSOutput]) {
        let side = position.direction.rawValue
        guard sides[side].protection != nil else { return wait(record, position, &output) }
        // Opened straight into the segment's plaintext piece, unless that holds another
        // segment's (or direction's) bytes, which are handed on first.
        if let held = piece.position, held.packet != position.packet || held.direction != position.direction { handOnPlaintext(&output) }
        let start = piece.bytes.count
        // The keys are used and advanced in place: a copy would retain every one of them.
        var opened = sides[side].protection!.open(record, appendingTo: &piece.bytes)
        if case .failure = opened, let (type, plaintext) = recover(record, side) {
            piece.bytes += plaintext
            opened = .success(type)
        }
        sides[side].sequenceUncertainBy = 0
        switch opened {
        case let .success(type):
            session.decryptedRecords[side] += 1
            deliver(type, from: start, position, &output)
        case let .failure(failure):
            sides[side].protection!.sequence &+= 1
            session.encryptedRecords[side] += 1
            if failedRecord[side] == nil {
                failedRecord[side] = sides[side].protectedRecords
                let mac = sides[side].protection!.suite.isAEAD ? "AEAD tag" : "MAC"
                let what = failure == .padding ? "its padding is malformed" : failure == .tooShort ? "it is too short" : "the \(mac) does not verify"
                let text = "record \(sides[side].protectedRecords) (\(position.direction)) not decrypted: \(what)"
                note(text, position, &output)
            }
            emitGap(side, length: Int64(record.fragment.count), position, &output)
        }
    }

    /// A record the current keys did not open: after a capture gap, the records lost took an
    /// unknown number of sequence numbers, so the next few are tried; then the keys waiting in
    /// `fallbacks`, in order. The keys that opened it become the side's.
    private mutating func recover(_ record: TLSRecord, _ side: Int) -> (ContentType, [UInt8])? {
        if sides[side].sequenceUncertainBy > 0, let protection = sides[side].protection {
            for skipped in 1...UInt64(sides[side].sequenceUncertainBy) {
                if case let .success(result) = protection.open(record, sequence: protection.sequence &+ skipped) {
                    sides[side].protection!.sequence &+= skipped + 1
                    return result
                }
            }
        }
        for (index, fallback) in sides[side].fallbacks.enumerated() {
            var candidate = fallback
            if case let .success(result) = candidate.open(record) {
                sides[side].protection = candidate
                sides[side].fallbacks.removeFirst(index + 1)
                return result
            }
        }
        return nil
    }

    /// An opened record, its plaintext at `start` in the piece: application data stays there for
    /// the layer above; handshake messages and alerts are taken out and read.
    private mutating func deliver(_ type: ContentType, from start: Int, _ position: StreamPosition, _ output: inout [TLSOutput]) {
        let side = position.direction.rawValue
        guard type == .applicationData else {
            let content = Array(piece.bytes[start...])
            piece.bytes.removeSubrange(start...)
            return readUnprotected(type, content[...], position, &output)
        }
        let count = piece.bytes.count - start
        guard count > 0 else { return }
        if piece.position == nil { (piece.position, piece.offset) = (position, sides[side].plaintextOffset) }
        sides[side].plaintextOffset += Int64(count)
        session.applicationBytes[side] += Int64(count)
    }

    /// Handshake messages and alerts (in the clear, or once opened).
    private mutating func readUnprotected(_ type: ContentType, _ fragment: ArraySlice<UInt8>, _ position: StreamPosition, _ output: inout [TLSOutput]) {
        let side = position.direction.rawValue
        switch type {
        case .handshake:
            for (messageType, body) in sides[side].handshake.append(fragment) {
                handshake(messageType, body, position, &output)
            }
        case .alert:
            var reader = TLSReader(fragment)
            while let level = reader.u8(), let code = reader.u8() {
                let alert = Alert(level: level, code: code)
                session.alerts.append("\(position.direction.sender): \(alert)")
                note("alert: \(alert)", position, &output)
            }
        default:
            note("\(type) record, \(fragment.count) bytes", position, &output)
        }
    }

    /// Plaintext that will never be seen: the layer above resynchronises.
    private mutating func emitGap(_ side: Int, length: Int64, _ position: StreamPosition, _ output: inout [TLSOutput]) {
        guard length > 0 else { return }
        var at = position
        at.direction = Direction(rawValue: side)!
        emit(.stream(.gap(StreamGap(position: at, offset: sides[side].plaintextOffset, length: length, reason: .notDecrypted))), &output)
        sides[side].plaintextOffset += length
    }

    mutating func note(_ text: @autoclosure () -> String, _ position: StreamPosition, _ output: inout [TLSOutput]) {
        guard describesHandshake else { return }
        emit(.message(TLSMessage(connection: id, direction: position.direction, packet: position.packet, time: position.time, text: text())), &output)
    }

    /// Whether a record holds exactly one plaintext ClientHello (type 1 and a length that fills
    /// the record): what a protected Finished is only by a 1 in 2^24 chance.
    static func isClientHello(_ record: TLSRecord) -> Bool {
        let bytes = record.fragment, start = bytes.startIndex
        guard bytes.count >= 4, bytes[start] == HandshakeType.clientHello.rawValue else { return false }
        return Int(bytes[start + 1]) << 16 | Int(bytes[start + 2]) << 8 | Int(bytes[start + 3]) == bytes.count - 4
    }

    private func reasonNotDecrypted() -> String? {
        let left = session.encryptedRecords[0] + session.encryptedRecords[1]
        let protected = sides[0].protectedRecords + sides[1].protectedRecords
        guard protected > 0 else { return nil }
        let leftText = "\(left) record\(left == 1 ? "" : "s") left encrypted"
        if let suite = session.cipherSuite, suite.protection == nil { return "cipher suite \(suite.name) is not supported (\(leftText))" }
        if let failed = failedRecord.enumerated().first(where: { $0.element != nil }) {
            return "key present but the record protection fails at record \(failed.element!) \(Direction(rawValue: failed.offset)!) (wrong key log?); \(leftText)"
        }
        guard left > 0 else { return nil }
        if joinedMidSession {
            guard !keyLog.isEmpty else { return "handshake not in the capture (joined mid-session) and no key log given (\(leftText))" }
            // RFC 5246 §6.3: TLS 1.2 keys come from the master secret and both hellos' randoms.
            let tls12 = keyLog.sessions.values.contains { $0.masterSecret != nil }
                ? "; the key log's TLS 1.2 master secrets (CLIENT_RANDOM) need the hellos' randoms, which were not captured" : ""
            return "handshake not in the capture (joined mid-session): no TLS 1.3 traffic secret in the key log opens its records at sequence numbers 0..<\(MidSessionSearch.sequenceBound) (KeyUpdates and swapped roles: fewer)\(tls12) (\(leftText))"
        }
        if let random = clientHello?.random, keyLog.secrets(clientRandom: random) == nil || !hasSecrets(for: random) {
            return (keyLog.isEmpty ? "no key log given" : "no key for client random \(Hex.string(random.prefix(8)))…") + " (\(leftText))"
        }
        return "\(leftText)"
    }

    private func hasSecrets(for random: [UInt8]) -> Bool {
        guard let secrets = keyLog.secrets(clientRandom: random) else { return false }
        return negotiatedTLS13 ? secrets.serverHandshakeTraffic != nil || secrets.serverTraffic0 != nil : secrets.masterSecret != nil
    }
}

extension CipherSuite {
    var isAEAD: Bool { if case .aesCBC = protection { false } else { true } }
}
