/// An HTTP/2 frame type (RFC 9113 §6, §11.2). An open registry: unknown types keep their number.
public struct FrameType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let data = FrameType(rawValue: 0x0)
    public static let headers = FrameType(rawValue: 0x1)
    public static let priority = FrameType(rawValue: 0x2)
    public static let rstStream = FrameType(rawValue: 0x3)
    public static let settings = FrameType(rawValue: 0x4)
    public static let pushPromise = FrameType(rawValue: 0x5)
    public static let ping = FrameType(rawValue: 0x6)
    public static let goaway = FrameType(rawValue: 0x7)
    public static let windowUpdate = FrameType(rawValue: 0x8)
    public static let continuation = FrameType(rawValue: 0x9)
    /// RFC 7838 §4.
    public static let altsvc = FrameType(rawValue: 0xA)
    /// RFC 8336 §2.
    public static let origin = FrameType(rawValue: 0xC)
    /// RFC 9218 §7.1.
    public static let priorityUpdate = FrameType(rawValue: 0x10)

    public var name: String? {
        switch self {
        case .data: "DATA"
        case .headers: "HEADERS"
        case .priority: "PRIORITY"
        case .rstStream: "RST_STREAM"
        case .settings: "SETTINGS"
        case .pushPromise: "PUSH_PROMISE"
        case .ping: "PING"
        case .goaway: "GOAWAY"
        case .windowUpdate: "WINDOW_UPDATE"
        case .continuation: "CONTINUATION"
        case .altsvc: "ALTSVC"
        case .origin: "ORIGIN"
        case .priorityUpdate: "PRIORITY_UPDATE"
        default: nil
        }
    }

    public var description: String { name ?? "UNKNOWN(0x\(String(rawValue, radix: 16)))" }

    /// RFC 9113 §6: the frames that belong to a stream and must not use stream 0.
    var requiresStream: Bool { [.data, .headers, .priority, .rstStream, .pushPromise, .continuation].contains(self) }
    /// RFC 9113 §6: the frames that belong to the connection and must use stream 0.
    var requiresConnection: Bool { [.settings, .ping, .goaway].contains(self) }
}

/// Frame flags (RFC 9113 §6), named according to the frame type they appear on.
public struct FrameFlags: RawRepresentable, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let endStream = FrameFlags(rawValue: 0x1)
    public static let ack = FrameFlags(rawValue: 0x1)
    public static let endHeaders = FrameFlags(rawValue: 0x4)
    public static let padded = FrameFlags(rawValue: 0x8)
    public static let priority = FrameFlags(rawValue: 0x20)

    public func contains(_ flag: FrameFlags) -> Bool { rawValue & flag.rawValue == flag.rawValue }

    /// The flags this frame type defines, by name and bit.
    static func defined(for type: FrameType) -> [(String, UInt8)] {
        switch type {
        case .data: [("END_STREAM", 0x1), ("PADDED", 0x8)]
        case .headers: [("END_STREAM", 0x1), ("END_HEADERS", 0x4), ("PADDED", 0x8), ("PRIORITY", 0x20)]
        case .settings, .ping: [("ACK", 0x1)]
        case .pushPromise: [("END_HEADERS", 0x4), ("PADDED", 0x8)]
        case .continuation: [("END_HEADERS", 0x4)]
        default: []
        }
    }

    /// Flag names for `type`; bits the type does not define are shown in hex (RFC 9113 §4.1:
    /// they must be ignored, but an inspector shows them).
    public func names(for type: FrameType) -> [String] {
        var names: [String] = []
        var rest = rawValue
        for (name, bit) in Self.defined(for: type) where rawValue & bit != 0 {
            names.append(name)
            rest &= ~bit
        }
        if rest != 0 { names.append("0x" + String(rest, radix: 16)) }
        return names
    }
}
