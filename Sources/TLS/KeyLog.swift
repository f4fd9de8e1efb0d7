import WireCore

/// Secrets in the NSS key log format (`SSLKEYLOGFILE`), as curl, Go's `KeyLogWriter`,
/// BoringSSL/OpenSSL, browsers and NIOSSL write them: one `LABEL <client random> <secret>` per
/// line, hex, `#` comments. Keyed by the ClientHello random, so a connection finds its secrets by
/// its handshake; TLS 1.3 traffic secrets are also listed for connections joined mid-session.
///
/// Fed text incrementally (`add`), so that a live capture can read the file as it grows: a line
/// without its newline waits for the rest.
public struct KeyLog: Sendable {
    /// The secrets of one session.
    public struct Secrets: Sendable, Hashable {
        /// TLS 1.2 (RFC 5246 §8.1): `CLIENT_RANDOM`, the 48-byte master secret.
        public var masterSecret: [UInt8]?
        /// TLS 1.3 (RFC 8446 §7.1).
        public var clientEarlyTraffic: [UInt8]?
        public var clientHandshakeTraffic: [UInt8]?
        public var serverHandshakeTraffic: [UInt8]?
        public var clientTraffic0: [UInt8]?
        public var serverTraffic0: [UInt8]?
        public var exporter: [UInt8]?
        public var earlyExporter: [UInt8]?

        public init() {}
    }

    public private(set) var sessions: [[UInt8]: Secrets] = [:]
    /// Lines that could not be read, with their line numbers.
    public private(set) var problems: [Diagnostic] = []
    /// Incremented whenever secrets are added, so that a connection waiting for keys knows to look again.
    public private(set) var generation = 0
    private var partialLine: [UInt8] = []
    private var lineNumber = 0
    /// Where the lines come from, for messages (`keys.log`, `pcapng secrets block`).
    private var source = "key log"

    public init() {}

    /// Reads a whole key log (a file, or a pcapng Decryption Secrets Block).
    public init(text: some Collection<UInt8>, source: String = "key log") {
        self.source = source
        add(text)
        finish()
    }

    public var isEmpty: Bool { sessions.isEmpty }

    public func secrets(clientRandom: [UInt8]) -> Secrets? { sessions[clientRandom] }

    /// Appends text read from the key log; complete lines are taken in.
    public mutating func add(_ text: some Collection<UInt8>) {
        // Line by line over contiguous bytes: byte by byte through the generic collection (not
        // specialised across modules) read a key log at some 20 MB/s.
        if text.withContiguousStorageIfAvailable({ add(contiguous: $0) }) == nil {
            Array(text).withUnsafeBufferPointer { add(contiguous: $0) }
        }
    }

    private mutating func add(contiguous text: UnsafeBufferPointer<UInt8>) {
        var start = text.startIndex
        while let newline = text[start...].firstIndex(of: 0x0A) {
            partialLine.append(contentsOf: text[start..<newline])
            takeLine()
            start = newline + 1
        }
        partialLine.append(contentsOf: text[start...])
    }

    /// The last line, even without its newline (end of the file).
    public mutating func finish() {
        if !partialLine.isEmpty { takeLine() }
    }

    /// Adds every session of `other` (secrets already known are kept).
    public mutating func merge(_ other: KeyLog) {
        for (random, theirs) in other.sessions {
            var mine = sessions[random] ?? Secrets()
            mine.masterSecret = mine.masterSecret ?? theirs.masterSecret
            mine.clientEarlyTraffic = mine.clientEarlyTraffic ?? theirs.clientEarlyTraffic
            mine.clientHandshakeTraffic = mine.clientHandshakeTraffic ?? theirs.clientHandshakeTraffic
            mine.serverHandshakeTraffic = mine.serverHandshakeTraffic ?? theirs.serverHandshakeTraffic
            mine.clientTraffic0 = mine.clientTraffic0 ?? theirs.clientTraffic0
            mine.serverTraffic0 = mine.serverTraffic0 ?? theirs.serverTraffic0
            mine.exporter = mine.exporter ?? theirs.exporter
            mine.earlyExporter = mine.earlyExporter ?? theirs.earlyExporter
            sessions[random] = mine
        }
        problems += other.problems
        if !other.sessions.isEmpty { generation += 1 }
    }

    /// The key log's text, as a pcapng Decryption Secrets Block holds it (sorted, so that the same
    /// secrets always give the same bytes).
    public var text: String {
        var lines: [String] = []
        for (random, secrets) in sessions.sorted(by: { Hex.string($0.key) < Hex.string($1.key) }) {
            let r = Hex.string(random)
            let labelled: [(String, [UInt8]?)] = [
                ("CLIENT_RANDOM", secrets.masterSecret), ("CLIENT_EARLY_TRAFFIC_SECRET", secrets.clientEarlyTraffic),
                ("CLIENT_HANDSHAKE_TRAFFIC_SECRET", secrets.clientHandshakeTraffic), ("SERVER_HANDSHAKE_TRAFFIC_SECRET", secrets.serverHandshakeTraffic),
                ("CLIENT_TRAFFIC_SECRET_0", secrets.clientTraffic0), ("SERVER_TRAFFIC_SECRET_0", secrets.serverTraffic0),
                ("EXPORTER_SECRET", secrets.exporter), ("EARLY_EXPORTER_SECRET", secrets.earlyExporter),
            ]
            for case let (label, secret?) in labelled { lines.append("\(label) \(r) \(Hex.string(secret))") }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Drops the problems once they were reported.
    public mutating func forgetProblems() {
        problems = []
    }

    /// Only the sessions whose client random is in `randoms` (for writing a capture's own secrets).
    public func restricted(to randoms: Set<[UInt8]>) -> KeyLog {
        var log = KeyLog()
        log.sessions = sessions.filter { randoms.contains($0.key) }
        return log
    }

    private mutating func takeLine() {
        lineNumber += 1
        defer { partialLine.removeAll(keepingCapacity: true) }
        var line = partialLine[...]
        while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line = line.dropLast() }
        while let first = line.first, first == 0x20 || first == 0x09 { line = line.dropFirst() }
        if line.isEmpty || line.first == UInt8(ascii: "#") { return }
        let words = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
        guard words.count == 3 else { return problem("expected LABEL CLIENT_RANDOM SECRET, found \(words.count) field\(words.count == 1 ? "" : "s")") }
        let label = String(decoding: words[0], as: UTF8.self)
        guard let random = Self.hex(words[1]), random.count == 32 else { return problem("the client random is not 32 bytes of hex") }
        guard let secret = Self.hex(words[2]), !secret.isEmpty else { return problem("the secret is not hex") }
        var secrets = sessions[random] ?? Secrets()
        switch label {
        case "CLIENT_RANDOM":
            guard secret.count == 48 else { return problem("a TLS 1.2 master secret is 48 bytes, not \(secret.count)") }
            secrets.masterSecret = secret
        case "CLIENT_EARLY_TRAFFIC_SECRET": secrets.clientEarlyTraffic = secret
        case "CLIENT_HANDSHAKE_TRAFFIC_SECRET": secrets.clientHandshakeTraffic = secret
        case "SERVER_HANDSHAKE_TRAFFIC_SECRET": secrets.serverHandshakeTraffic = secret
        case "CLIENT_TRAFFIC_SECRET_0": secrets.clientTraffic0 = secret
        case "SERVER_TRAFFIC_SECRET_0": secrets.serverTraffic0 = secret
        case "EXPORTER_SECRET": secrets.exporter = secret
        case "EARLY_EXPORTER_SECRET": secrets.earlyExporter = secret
        case "RSA": return  // RSA key-exchange premaster hints: not a session secret we use
        default: return problem("unknown label \(label)")
        }
        sessions[random] = secrets
        generation += 1
    }

    private mutating func problem(_ text: String) {
        problems.append(Diagnostic(.tls, "tls.keylog.malformed", .warning, "\(source) line \(lineNumber): \(text); line skipped"))
    }

    static func hex(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var high: UInt8?
        for character in text {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high { bytes.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        return bytes
    }
}
