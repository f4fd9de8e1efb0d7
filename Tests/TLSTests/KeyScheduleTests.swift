import Dispatch
import Synchronization
import Testing
@testable import TLS

/// The key schedule and record protection against RFC 8448 §3 (a TLS 1.3 handshake with every
/// secret, key and record written out) and the TLS 1.2 PRF against the published vectors.
@Suite struct KeyScheduleTests {
    nonisolated(unsafe) static let rfc = try! Fixture.json("rfc8448-simple-1rtt.json")
    static let suite = CipherSuite.named(0x1301)

    static func value(_ key: String) -> [UInt8] { Fixture.hex(rfc[key] as! String) }

    @Test(arguments: [
        ("server_handshake_traffic_secret", "server_handshake"), ("client_handshake_traffic_secret", "client_handshake"),
        ("server_application_traffic_secret_0", "server_application"), ("client_application_traffic_secret_0", "client_application"),
    ])
    func trafficKeysAndIVs(secret: String, keys: String) throws {
        let derived = try #require(KeySchedule.trafficKeys(Self.value(secret), suite: Self.suite))
        let expected = Self.rfc["keys"] as! [String: String]
        #expect(derived.key == Fixture.hex(expected["\(keys)_write_key"]!))
        #expect(derived.iv == Fixture.hex(expected["\(keys)_write_iv"]!))
    }

    @Test func derivedSecretsFollowTheSchedule() {
        // RFC 8448 §3: "derived" = Derive-Secret(early secret, "derived", "") — HKDF-Expand-Label with the empty hash.
        let emptyHash = Fixture.hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(KeySchedule.expandLabel(Self.value("early_secret"), "derived", context: emptyHash, length: 32, hash: .sha256) == Self.value("derived_for_handshake"))
        // Traffic secrets from the handshake secret and the transcript hash of ClientHello..ServerHello.
        #expect(KeySchedule.expandLabel(Self.value("handshake_secret"), "s hs traffic", context: Self.value("transcript_hash_ch_sh"), length: 32, hash: .sha256)
            == Self.value("server_handshake_traffic_secret"))
        #expect(KeySchedule.expandLabel(Self.value("master_secret"), "c ap traffic", context: Self.value("transcript_hash_ch_server_finished"), length: 32, hash: .sha256)
            == Self.value("client_application_traffic_secret_0"))
    }

    /// Each thread keeps its own HMAC contexts (one per hash): threads deriving at once, SHA-256
    /// and SHA-384 in turn, each get the same keys as one thread alone.
    @Test func threadsDerivingAtOnceGetTheSameKeys() {
        let rfcSecret = Self.value("server_handshake_traffic_secret")
        let suites = [Self.suite, CipherSuite.named(0x1302)]
        // A secret of its own for each thread (a thread using another's context would get its keys).
        let secrets = (0..<4).map { thread in [UInt8(thread)] + rfcSecret.dropFirst() }
        let expected = secrets.map { secret in suites.map { KeySchedule.trafficKeys(secret, suite: $0)! } }
        #expect(KeySchedule.trafficKeys(rfcSecret, suite: Self.suite)!.key == Fixture.hex((Self.rfc["keys"] as! [String: String])["server_handshake_write_key"]!))
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: secrets.count) { thread in
            var wrong = 0
            for round in 0..<20_000 {
                let derived = KeySchedule.trafficKeys(secrets[thread], suite: suites[round % 2])!
                if derived.key != expected[thread][round % 2].key || derived.iv != expected[thread][round % 2].iv { wrong += 1 }
            }
            mismatches.withLock { $0 += wrong }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }

    @Test(arguments: ["server_handshake_flight", "client_finished", "server_new_session_ticket", "client_application_data",
                      "server_application_data", "client_alert", "server_alert"])
    func protectedRecordsOpen(name: String) throws {
        let record = (Self.rfc["records"] as! [String: [String: Any]])[name]!
        let keys = (record["keys"] as! String).replacingOccurrences(of: " ", with: "_")
        let secret = Self.value(keys.hasSuffix("handshake") ? "\(keys)_traffic_secret" : "\(keys)_traffic_secret_0")
        let protection = try #require(RecordProtection(suite: Self.suite, trafficSecret: secret))
        let wire = Fixture.hex(record["record"] as! String)
        let tlsRecord = TLSRecord(type: ContentType(rawValue: wire[0]), version: UInt16(wire[1]) << 8 | UInt16(wire[2]), fragment: wire[5...], offset: 0)
        let opened = protection.open(tlsRecord, sequence: UInt64(record["seq"] as! Int))
        guard case let .success((type, plaintext)) = opened else { Issue.record("\(name) did not open: \(opened)"); return }
        #expect(type.rawValue == UInt8(record["inner_content_type"] as! Int))
        #expect(plaintext == Fixture.hex(record["plaintext"] as! String))
        // One sequence number off, or one bit changed: the tag does not verify.
        #expect(failure(protection.open(tlsRecord, sequence: UInt64(record["seq"] as! Int) + 1)) == .authentication)
        var altered = tlsRecord
        altered.fragment[altered.fragment.startIndex + altered.fragment.count / 2] ^= 0x01
        #expect(failure(protection.open(altered, sequence: UInt64(record["seq"] as! Int))) == .authentication)
    }

    @Test func prfVectors() throws {
        let vectors = try Fixture.json("tls12-prf-vectors.json")["vectors"] as! [[String: Any]]
        var checked = 0
        for vector in vectors {
            let hash: CipherSuite.Hash
            switch vector["hash"] as! String {
            case "SHA-256": hash = .sha256
            case "SHA-384": hash = .sha384
            default: continue  // SHA-224 and SHA-512: no TLS 1.2 suite uses them
            }
            let output = KeySchedule.prf(Fixture.hex(vector["secret"] as! String), label: vector["label"] as! String,
                                         seed: Fixture.hex(vector["seed"] as! String), length: vector["output_length"] as! Int, hash: hash)
            #expect(output == Fixture.hex(vector["output"] as! String), "\(vector["name"]!)")
            checked += 1
        }
        #expect(checked == 2)
    }
}

/// The failure of an open, `nil` when it succeeded.
func failure(_ result: Result<(ContentType, [UInt8]), RecordProtection.Failure>) -> RecordProtection.Failure? {
    if case let .failure(failure) = result { failure } else { nil }
}
