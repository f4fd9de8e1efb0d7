import ByteStream
import WireCore

/// A TLS 1.3 connection joined after its handshake: the capture has no ClientHello to name the
/// session, and the record sequence number is unknown. Every application traffic secret of the
/// key log (and the next generations a KeyUpdate would give) is tried on one record at sequence
/// numbers 0, 1, 2, … up to `sequenceBound`; the first that opens the record's AEAD tag names the
/// secret, the suite and the sequence number, and decryption goes on from there.
///
/// Why these bounds (docs/tls.md): each try is one AEAD open of the smallest of the first records
/// (a few hundred nanoseconds for a small record). A search makes at most `attemptBudget` tries:
/// first the likely candidates (the direction's own role, no KeyUpdate) at every number up to
/// 16,384 — a connection that had sent 16,384 records (at least 16K requests or responses, or
/// 256 MiB at full-size records) before the capture began — then the others, as far as the rest
/// of the budget goes. A connection of junk records thus costs a few tens of milliseconds, not
/// seconds (fuzzing found a 7 KB input taking 3 s when every candidate went to 16,384).
/// A TLS 1.2 session cannot be joined this way: its keys depend on both hello randoms.
enum MidSessionSearch {
    static let sequenceBound: UInt64 = 16_384
    /// AEAD opens per search, all candidates together.
    static let attemptBudget = 1 << 16
    /// KeyUpdate generations tried per secret.
    static let generations = 4
    /// How many of the first waiting records the smallest is chosen from.
    static let recordsConsidered = 8

    struct Found {
        var clientRandom: [UInt8]
        var suite: CipherSuite
        var secret: [UInt8]
        var protection: RecordProtection
        /// Whose secret opened the records: the client's or the server's. Without a handshake TCP
        /// may have guessed the roles the wrong way round; this says who really sent them.
        var sender: Direction
    }

    struct Candidate {
        var random: [UInt8]
        var secret: [UInt8]
        var suite: CipherSuite
        var sender: Direction
        /// KeyUpdates since the first traffic secret (RFC 8446 §4.6.3).
        var generation: Int
    }

    /// Candidates for one direction: every session's traffic secrets (the sender's role first, the
    /// other role's after it, in case the roles were guessed wrong), for every generation.
    static func candidates(_ keyLog: KeyLog, direction: Direction, clientRandom: [UInt8]?) -> [Candidate] {
        var result: [Candidate] = []
        for sender in [direction, direction.reversed] {
            for (random, secrets) in keyLog.sessions.sorted(by: { Hex.string($0.key) < Hex.string($1.key) }) {
                if let clientRandom, clientRandom != random { continue }
                guard let first = sender == .clientToServer ? secrets.clientTraffic0 : secrets.serverTraffic0 else { continue }
                // RFC 8446 §B.4: the secret's length is its suite's hash length.
                let suites = (first.count == 48 ? [0x1302] : [0x1301, 0x1303]).map(CipherSuite.named)
                for suite in suites {
                    var secret = first
                    for generation in 0..<generations {
                        result.append(Candidate(random: random, secret: secret, suite: suite, sender: sender, generation: generation))
                        secret = KeySchedule.nextTrafficSecret(secret, suite: suite)
                    }
                }
            }
        }
        return result
    }

    /// Searches `records` (the first protected records of one direction, in order); returns the
    /// keys positioned at the first record's sequence number.
    static func search(_ records: [TLSRecord], _ keyLog: KeyLog, direction: Direction, clientRandom: [UInt8]?) -> Found? {
        let considered = records.prefix(recordsConsidered)
        guard let (index, target) = considered.enumerated().min(by: { $0.element.fragment.count < $1.element.fragment.count }).map({ ($0.offset, $0.element) })
        else { return nil }
        let candidates = candidates(keyLog, direction: direction, clientRandom: clientRandom).compactMap { candidate in
            RecordProtection(suite: candidate.suite, trafficSecret: candidate.secret).map { (candidate, $0) }
        }
        guard !candidates.isEmpty else { return nil }
        let likely = candidates.filter { $0.0.sender == direction && $0.0.generation == 0 }
        let others = candidates.filter { !($0.0.sender == direction && $0.0.generation == 0) }
        var attemptsLeft = attemptBudget
        for pass in [likely, others] where !pass.isEmpty {
            let end = min(sequenceBound, UInt64(index) + UInt64(attemptsLeft / pass.count))
            guard end > UInt64(index) else { break }
            attemptsLeft -= Int(end - UInt64(index)) * pass.count
            for sequence in UInt64(index)..<end {
                for (candidate, protection) in pass {
                    if case .success = protection.open(target, sequence: sequence) {
                        var positioned = protection
                        positioned.sequence = sequence - UInt64(index)
                        return Found(clientRandom: candidate.random, suite: candidate.suite, secret: candidate.secret, protection: positioned, sender: candidate.sender)
                    }
                }
            }
        }
        return nil
    }
}

extension TLSConnection {
    /// Looks for the keys of a direction of a connection joined mid-session, once per key log
    /// generation; on success the plaintext stream starts with a gap (what went before is unknown).
    mutating func searchMidSession(_ side: Int, _ output: inout [TLSOutput]) {
        guard sides[side].protection == nil, !sides[side].waiting.isEmpty, searchedGeneration[side] != keyLog.generation else { return }
        searchedGeneration[side] = keyLog.generation
        let direction = Direction(rawValue: side)!
        guard let found = MidSessionSearch.search(sides[side].waiting.map(\.record), keyLog, direction: direction, clientRandom: session.clientRandom)
        else { return }
        if found.sender != direction {
            // Once only: the roles are not turned back and forth.
            guard !rolesTurned else { return }
            rolesTurned = true
            // TCP guessed the roles from the ports, the other way round: the secrets say who the
            // client is. This connection's state turns around, and the evidence goes back to TCP.
            // The records labelled `direction` are the `found.sender`'s: the client is the sender of
            // the bytes labelled `direction` if they are the client's, else of the others.
            emit(.clientEvidence(sender: found.sender == .clientToServer ? direction : direction.reversed), &output)
            turnAround()
            return searchMidSession(found.sender.rawValue, &output)
        }
        session.clientRandom = found.clientRandom
        session.version = .tls13
        session.cipherSuite = found.suite
        sides[side].protection = found.protection
        sides[side].applicationSecret = found.secret
        let position = sides[side].waiting[0].position
        note("joined mid-session: records open with the key log's secret of client random \(Hex.string(found.clientRandom.prefix(8)))…, \(found.suite.name), from sequence number \(found.protection.sequence)", position, &output)
        // What was sent before the capture began is unknown: the plaintext starts after a gap.
        emit(.stream(.gap(StreamGap(position: position, offset: 0, length: 1, reason: .notDecrypted))), &output)
        sides[side].plaintextOffset = 1
        openWaiting(direction, &output)
        // The other direction may hold records already: it is searched with the same session's secret.
        let other = direction.reversed.rawValue
        if sides[other].protection == nil, !sides[other].waiting.isEmpty { searchMidSession(other, &output) }
    }

    /// Swaps the two directions' state (the roles were the other way round).
    private mutating func turnAround() {
        sides.swapAt(0, 1)
        for side in sides.indices {
            for index in sides[side].waiting.indices { sides[side].waiting[index].position.direction = Direction(rawValue: side)! }
        }
        searchedGeneration = [-1, -1]
        failedRecord.swapAt(0, 1)
        session.records.swapAt(0, 1)
        session.encryptedRecords.swapAt(0, 1)
        session.decryptedRecords.swapAt(0, 1)
        session.applicationBytes.swapAt(0, 1)
    }
}
