/// A decoding problem, kept as data next to what could be decoded.
///
/// A diagnostic names the layer, a stable code (safe to match in scripts and tests), where it
/// happened (packet number and an absolute byte span) and, for length problems, how many bytes were
/// required, how many were available and which field the requirement came from.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case note, warning, error

        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.note, .warning, .error]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    /// A length requirement that could not be met.
    public struct LengthProblem: Sendable, Hashable {
        public var required: Int
        public var available: Int
        /// The field the required length came from, e.g. `"pcap record incl_len"`.
        public var source: String

        public init(required: Int, available: Int, source: String) {
            self.required = required
            self.available = available
            self.source = source
        }
    }

    public var layer: Layer
    public var code: String
    public var severity: Severity
    public var message: String
    /// 1-based packet number (as Wireshark counts), when the problem belongs to one packet.
    public var packet: Int?
    public var span: ByteSpan?
    public var length: LengthProblem?

    public init(
        _ layer: Layer, _ code: String, _ severity: Severity = .warning, _ message: String,
        packet: Int? = nil, span: ByteSpan? = nil, length: LengthProblem? = nil
    ) {
        self.layer = layer
        self.code = code
        self.severity = severity
        self.message = message
        self.packet = packet
        self.span = span
        self.length = length
    }

    /// The message and the byte range it concerns: `length 64 runs past the end @2..<4`.
    public var messageWithSpan: String { message + (span.map { " @\($0)" } ?? "") }

    public var description: String {
        var text = ""
        if let packet { text += "packet \(packet): " }
        text += "\(layer.rawValue): \(message)"
        if let length {
            text += " (\(length.source) requires \(length.required) bytes, \(length.available) available)"
        }
        if let span { text += " [bytes \(span)]" }
        return text
    }
}

/// The layer a diagnostic or an annotation belongs to. An open set: later layers add their own.
public struct Layer: RawRepresentable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let capture = Layer(rawValue: "capture")
    public static let link = Layer(rawValue: "link")
    public static let ip = Layer(rawValue: "ip")
    public static let tcp = Layer(rawValue: "tcp")
}
