import Analysis
import ByteStream
import Capture
import Reassembly
import Testing
@testable import TLS
import TestSupport

/// A capture's TCP byte streams through the TLS layer alone: the plaintext each way and what the
/// session showed, per connection.
struct Decryption {
    /// The client's endpoint, as TLS says (its secrets may have settled roles TCP guessed).
    var clientEndpoint = ""
    var client: [UInt8] = []
    var server: [UInt8] = []
    var gaps = 0
    /// Plaintext pieces that waited for keys given late (`keysLate`).
    var openedWhenKeysCame = 0
    /// Plaintext pieces handed on, and the (direction, packet) pairs they came from.
    var pieces = 0
    var piecePackets: Set<[Int]> = []
    var messages: [String] = []
    var session: TLSSession?

    /// `keysLate`: the connections start with no secrets and are given `keys` just before the
    /// first of them closes (a live capture whose key log is written after the records).
    static func run(_ file: [UInt8], keys: KeyLog, split: Int? = nil, keysLate: Bool = false) -> [Decryption] {
        var configuration = Analyzer.Configuration()
        configuration.depth = .tcp
        var session = CaptureSession(configuration: configuration)
        var events: [AnalysisEvent] = []
        if let split {
            // The file fed in pieces of `split` bytes: records then arrive cut at every position.
            var start = 0
            while start < file.count {
                session.feed(file[start..<min(start + split, file.count)], into: &events)
                start += split
            }
        } else {
            session.feed(file, into: &events)
        }
        session.finish(into: &events)
        var connections: [ConnectionID: TLSConnection] = [:]
        var results: [ConnectionID: Decryption] = [:]
        var outputs: [TLSOutput] = []
        var infos: [ConnectionID: ConnectionInfo] = [:]
        // Connections whose roles TLS turned around: their later bytes are labelled so (the
        // analyzer tells TCP; here the labels are turned by hand).
        var turned: Set<ConnectionID> = []
        var keysGiven = !keysLate
        for case let .tcp(tcp) in events {
            guard let stream = tcp.byteStream else { continue }
            if !keysGiven, case .closed = stream {
                keysGiven = true
                for id in connections.keys.sorted() {
                    connections[id]!.updateKeys(keys, into: &outputs)
                    results[id]!.openedWhenKeysCame += outputs.filter { if case .stream(.data) = $0 { true } else { false } }.count
                    take(outputs, id)
                    outputs.removeAll()
                }
            }
            switch stream {
            case let .opened(info):
                connections[info.id] = TLSConnection(id: info.id, keyLog: keysLate ? KeyLog() : keys)
                results[info.id] = Decryption(clientEndpoint: info.client.description)
                infos[info.id] = info
            case var .data(data):
                if turned.contains(data.position.connection) { data.position.direction = data.position.direction.reversed }
                connections[data.position.connection]?.receive(data, into: &outputs)
            case var .gap(gap):
                if turned.contains(gap.position.connection) { gap.position.direction = gap.position.direction.reversed }
                connections[gap.position.connection]?.gap(gap, into: &outputs)
            case let .closed(end): connections[end.info.id]?.finish(end, into: &outputs)
            }
            take(outputs, current(stream))
            outputs.removeAll()
        }
        return results.keys.sorted().map { results[$0]! }

        func take(_ outputs: [TLSOutput], _ id: ConnectionID) {
            for output in outputs {
                switch output {
                case .clientEvidence:
                    turned.formSymmetricDifference([id])
                    results[id]!.clientEndpoint = turned.contains(id) ? infos[id]!.server.description : infos[id]!.client.description
                case let .stream(.data(data)):
                    results[data.position.connection]!.pieces += 1
                    results[data.position.connection]!.piecePackets.insert([data.position.direction.rawValue, data.position.packet])
                    if data.position.direction == .clientToServer {
                        results[data.position.connection]!.client += data.bytes
                    } else {
                        results[data.position.connection]!.server += data.bytes
                    }
                case let .stream(.gap(gap)): results[gap.position.connection]!.gaps += 1
                case let .message(message): results[message.connection]!.messages.append(message.text)
                case let .session(tls): results[tls.connection]!.session = tls
                case .stream: break
                }
            }
        }
    }

    private static func current(_ event: ByteStreamEvent) -> ConnectionID {
        switch event {
        case let .opened(info): info.id
        case let .data(data): data.position.connection
        case let .gap(gap): gap.position.connection
        case let .closed(end): end.info.id
        }
    }
}

/// Real implementations' TLS (OpenSSL, curl, Python ssl), decrypted from their key logs: the
/// plaintext of every connection equals tshark's (`follow,tls,raw`).
@Suite struct CaptureDecryptionTests {
    @Test(arguments: [
        "tls13-aes128gcm", "tls13-aes256gcm", "tls13-chacha20", "tls13-keyupdate", "tls13-hrr", "tls13-resumption", "tls13-early-data",
        "tls12-ecdhe-rsa-aes128gcm", "tls12-ecdhe-rsa-aes256gcm", "tls12-ecdhe-rsa-chacha20",
        "tls12-ecdhe-rsa-aes128-sha-etm", "tls12-ecdhe-rsa-aes128-sha-noetm", "tls12-ecdhe-rsa-aes128-sha256-etm", "tls12-ecdhe-rsa-aes128-sha256-noetm",
        "tls12-resumption", "tls12-resumption-sessionid", "h2-grpc-curl-proxy-grpcio", "grpc-python-tls-proxy", "rfc8448-simple-1rtt",
        "grpc-go-tls13", "grpc-go-tls12",
    ])
    func plaintextEqualsTshark(name: String) throws {
        let decrypted = Decryption.run(try Fixture.bytes("\(name).pcap"), keys: try Fixture.keyLog("\(name).keys"))
        let oracle = try Fixture.follow("\(name).follow.txt")
        #expect(decrypted.count == oracle.count)
        for (ours, followed) in zip(decrypted, oracle) {
            let theirs = followed.bytes(client: ours.clientEndpoint)
            #expect(ours.client == theirs.client, "\(name): client bytes \(ours.client.count) vs tshark's \(theirs.client.count)")
            #expect(ours.server == theirs.server, "\(name): server bytes \(ours.server.count) vs tshark's \(theirs.server.count)")
            let session = try #require(ours.session)
            #expect(session.decrypted && session.notDecryptedReason == nil, "\(name): \(session.notDecryptedReason ?? "")")
            #expect(session.handshakeSeen && ours.gaps == 0)
        }
    }

    @Test func sessionFactsOfTheHandshakes() throws {
        func session(_ name: String, connection: Int = 0) throws -> TLSSession {
            try #require(Decryption.run(try Fixture.bytes("\(name).pcap"), keys: try Fixture.keyLog("\(name).keys"))[connection].session)
        }
        let hrr = try session("tls13-hrr")
        #expect(hrr.helloRetryRequest && hrr.version == .tls13)
        let update = try session("tls13-keyupdate")
        #expect(update.keyUpdates == 3)  // the client's two and the server's answer
        let chacha = try session("tls12-ecdhe-rsa-chacha20")
        #expect(chacha.version == .tls12 && chacha.cipherSuite?.name == "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
        #expect(chacha.certificate?.subject.contains("CN=localhost") == true)
        let resumed12 = try session("tls12-resumption", connection: 1)
        #expect(resumed12.resumed && resumed12.certificate == nil)
        #expect(try session("tls12-resumption", connection: 0).resumed == false)
        let resumed13 = try session("tls13-resumption", connection: 1)
        #expect(resumed13.resumed)
        let grpc = try session("grpc-python-tls-proxy")
        #expect(grpc.alpn == "h2" && grpc.alpnOffered.contains("h2") && grpc.version == .tls13)
        // Go's crypto/tls (grpc-go), its key log written by tls.Config.KeyLogWriter.
        let go13 = try session("grpc-go-tls13"), go12 = try session("grpc-go-tls12")
        #expect(go13.version == .tls13 && go13.cipherSuite?.name == "TLS_AES_128_GCM_SHA256" && go13.alpn == "h2" && go13.serverName == "localhost")
        #expect(go12.version == .tls12 && go12.cipherSuite?.name == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" && go12.alpn == "h2")
        #expect(go13.certificate?.subject.contains("CN=localhost") == true && !go13.resumed && !go12.resumed)
    }

    @Test func everySplitOfTheCaptureGivesTheSamePlaintext() throws {
        let file = try Fixture.bytes("tls12-ecdhe-rsa-aes128-sha-etm.pcap")
        let keys = try Fixture.keyLog("tls12-ecdhe-rsa-aes128-sha-etm.keys")
        let whole = Decryption.run(file, keys: keys)
        for split in [1, 7, 100, 1000] {
            let pieces = Decryption.run(file, keys: keys, split: split)
            #expect(pieces.map(\.client) == whole.map(\.client) && pieces.map(\.server) == whole.map(\.server), "split \(split)")
        }
    }

    /// Keys that come after the records (a key log written late): the records wait, each copied
    /// out of the reader's buffer, and open when the keys come, in order, to the same plaintext.
    @Test(arguments: ["tls13-aes128gcm", "tls13-keyupdate", "tls13-hrr", "tls12-ecdhe-rsa-aes256gcm", "tls12-ecdhe-rsa-aes128-sha-etm"])
    func recordsWaitingForKeysOpenWhenTheyCome(name: String) throws {
        let keys = try Fixture.keyLog("\(name).keys")
        let early = Decryption.run(try Fixture.bytes("\(name).pcap"), keys: keys)
        let late = Decryption.run(try Fixture.bytes("\(name).pcap"), keys: keys, keysLate: true)
        #expect(late.count == early.count)
        for (late, early) in zip(late, early) {
            #expect(!late.client.isEmpty && late.client == early.client && late.server == early.server, "\(name)")
            #expect(late.gaps == 0 && late.session?.decrypted == true, "\(name): \(late.session?.notDecryptedReason ?? "")")
        }
        #expect(late.contains { $0.openedWhenKeysCame > 0 }, "\(name): no record waited for the keys")
    }

    /// The application data of all the records one segment completes goes up as one piece (the
    /// layer above then takes a segment at a time, not a record at a time).
    @Test(arguments: ["tls13-aes128gcm", "tls13-keyupdate", "tls12-ecdhe-rsa-aes128gcm", "h2-grpc-curl-proxy-grpcio", "grpc-python-tls-proxy"])
    func theRecordsOfOneSegmentGoUpAsOnePiece(name: String) throws {
        let decrypted = Decryption.run(try Fixture.bytes("\(name).pcap"), keys: try Fixture.keyLog("\(name).keys"))
        for connection in decrypted {
            #expect(connection.pieces == connection.piecePackets.count, "\(name): \(connection.pieces) pieces from \(connection.piecePackets.count) segments")
        }
    }

    /// The randoms are for writing the sessions' secrets beside a capture (`-w`); kept for every
    /// connection otherwise, they grew memory with each TLS connection of a large capture.
    @Test func clientRandomsAreKeptOnlyWhenAskedFor() throws {
        let file = try Fixture.bytes("tls13-resumption.pcap")
        let keys = try Fixture.keyLog("tls13-resumption.keys")
        func randoms(keeping: Bool) -> [[UInt8]] {
            var configuration = Analyzer.Configuration()
            configuration.keyLog = keys
            configuration.keepsClientRandoms = keeping
            var session = CaptureSession(configuration: configuration)
            var events: [AnalysisEvent] = []
            session.feed(file, into: &events)
            session.finish(into: &events)
            return session.analyzer.clientRandoms
        }
        #expect(randoms(keeping: false).isEmpty)
        let kept = randoms(keeping: true)
        #expect(kept.count == 2 && Set(kept) == Set(keys.sessions.keys))
    }

    @Test func withoutKeysEachConnectionSaysWhy() throws {
        let file = try Fixture.bytes("tls13-aes128gcm.pcap")
        let none = try #require(Decryption.run(file, keys: KeyLog()).first?.session)
        #expect(!none.decrypted && none.notDecryptedReason?.hasPrefix("no key log given") == true)
        let others = try #require(Decryption.run(file, keys: try Fixture.keyLog("tls13-chacha20.keys")).first?.session)
        #expect(others.notDecryptedReason?.hasPrefix("no key for client random ") == true, "\(others.notDecryptedReason ?? "")")
        #expect(others.encryptedRecords[0] > 0 && others.encryptedRecords[1] > 0)
    }

    @Test func aWrongSecretFailsItsTagAndSaysWhere() throws {
        // The right client random with the secrets of another session.
        var text = String(decoding: try Fixture.bytes("tls13-aes128gcm.keys"), as: UTF8.self)
        let wrong = String(decoding: try Fixture.bytes("tls13-chacha20.keys"), as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ") }
        for (line, other) in zip(text.split(separator: "\n"), wrong) where line.split(separator: " ").count == 3 {
            let parts = line.split(separator: " ")
            text = text.replacingOccurrences(of: String(parts[2]), with: String(other[2]))
        }
        let session = try #require(Decryption.run(try Fixture.bytes("tls13-aes128gcm.pcap"), keys: KeyLog(text: Array(text.utf8))).first?.session)
        #expect(session.notDecryptedReason?.contains("fails at record 1") == true, "\(session.notDecryptedReason ?? "")")
    }

    @Test func aCorruptedCiphertextByteLosesOneRecordOnly() throws {
        var file = try Fixture.bytes("tls13-aes128gcm.pcap")
        let keys = try Fixture.keyLog("tls13-aes128gcm.keys")
        let clean = try #require(Decryption.run(file, keys: keys).first)
        // A byte inside the client's first line: 35 bytes of text, so a 52-byte TLS 1.3 record
        // (content, inner type, 16-byte tag) whose header is 17 03 03 00 34 — the first of that
        // length in the capture (tshark: frame 12; the server's lines follow in frames 16 and 20).
        let header: [UInt8] = [0x17, 0x03, 0x03, 0x00, 0x34]
        let start = try #require((0..<(file.count - 5)).first { Array(file[$0..<$0 + 5]) == header })
        file[start + 12] ^= 0xFF
        let damaged = try #require(Decryption.run(file, keys: keys).first)
        let session = try #require(damaged.session)
        #expect(session.encryptedRecords.reduce(0, +) == 1)
        #expect(session.notDecryptedReason?.contains("fails at record") == true, "\(session.notDecryptedReason ?? "")")
        // The server's bytes are untouched; the client lost that line and nothing else.
        #expect(damaged.server == clean.server)
        #expect(damaged.client == Array(clean.client.dropFirst(35)))
        #expect(damaged.gaps == 1)
    }

    @Test func joinedMidSessionTLS13IsDecryptedFromTrafficSecrets() throws {
        let decrypted = Decryption.run(try Fixture.bytes("grpc-python-tls-proxy-midsession.pcap"), keys: try Fixture.keyLog("grpc-python-tls-proxy-midsession.keys"))
        let connection = try #require(decrypted.first)
        let session = try #require(connection.session)
        #expect(!session.handshakeSeen && session.version == .tls13)
        #expect(session.notDecryptedReason == nil, "\(session.notDecryptedReason ?? "")")
        // What tshark decrypts of the whole capture ends with what the cut one gives.
        let followed = try #require(try Fixture.follow("grpc-python-tls-proxy.follow.txt").first)
        let whole = followed.bytes(client: connection.clientEndpoint)
        #expect(connection.messages.contains { $0.hasPrefix("joined mid-session") })
        #expect(!connection.client.isEmpty && whole.client.ends(with: connection.client))
        #expect(!connection.server.isEmpty && whole.server.ends(with: connection.server))
        #expect(connection.messages.contains { $0.hasPrefix("joined mid-session") })
    }

    /// TLS 1.2 joined after its handshake: its keys need both hellos' randoms, so the master
    /// secret in the key log cannot open it, and the reason says so.
    @Test func joinedMidSessionTLS12SaysWhyItCannotBeDecrypted() throws {
        var reader = CaptureReader()
        reader.append(try Fixture.bytes("grpc-go-tls12.pcap"))
        var records: [CaptureRecord] = []
        while let record = reader.next() { records.append(record) }
        records += reader.finish()
        let packets = records.compactMap { if case let .packet(packet) = $0 { packet } else { nil } }
        // The handshake ends with the server's Finished (tshark: frame 9); from frame 13, records only.
        let cut = CaptureFileBuilder.pcap(Array(packets.dropFirst(12)))
        let session = try #require(Decryption.run(cut, keys: try Fixture.keyLog("grpc-go-tls12.keys")).first?.session)
        #expect(!session.handshakeSeen && !session.decrypted)
        let reason = try #require(session.notDecryptedReason)
        #expect(reason.contains("the key log's TLS 1.2 master secrets (CLIENT_RANDOM) need the hellos' randoms, which were not captured"), "\(reason)")
    }

    @Test func keyLogLinesAreReadAndBadOnesReportedWithTheirNumbers() {
        let text = """
            # a comment
            CLIENT_RANDOM \(String(repeating: "ab", count: 32)) \(String(repeating: "01", count: 48))
            CLIENT_TRAFFIC_SECRET_0 \(String(repeating: "cd", count: 32)) \(String(repeating: "02", count: 32))
            CLIENT_RANDOM tooshort 00
            NOT_A_LABEL \(String(repeating: "cd", count: 32)) 00
            CLIENT_RANDOM \(String(repeating: "ef", count: 32)) 0102
            SERVER_TRAFFIC_SECRET_0 \(String(repeating: "cd", count: 32)) \(String(repeating: "03", count: 32))
            """
        let log = KeyLog(text: Array(text.utf8), source: "keys.txt")
        #expect(log.sessions.count == 2)
        #expect(log.secrets(clientRandom: [UInt8](repeating: 0xCD, count: 32))?.serverTraffic0 == [UInt8](repeating: 3, count: 32))
        #expect(log.problems.map(\.message) == [
            "keys.txt line 4: the client random is not 32 bytes of hex; line skipped",
            "keys.txt line 5: unknown label NOT_A_LABEL; line skipped",
            "keys.txt line 6: a TLS 1.2 master secret is 48 bytes, not 2; line skipped",
        ])
        // Fed in pieces (a file that grows): a line waits for its newline.
        var growing = KeyLog()
        let bytes = Array(text.utf8)
        growing.add(bytes[0..<70])
        #expect(growing.sessions.isEmpty)
        growing.add(bytes[70...])
        growing.finish()
        #expect(growing.sessions == log.sessions)
        // Bytes that are not contiguous in memory, and lines ending in CR LF, read the same.
        var lazily = KeyLog(text: [UInt8](), source: "keys.txt")
        lazily.add(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).lazy.map { $0 })
        lazily.finish()
        #expect(lazily.sessions == log.sessions && lazily.problems.map(\.message) == log.problems.map(\.message))
    }
}

extension Array where Element: Equatable {
    func ends(with suffix: [Element]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
