/// An HTTP/2 error code (RFC 9113 §7). An open registry: unknown codes keep their number.
public struct ErrorCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let noError = ErrorCode(rawValue: 0x0)
    public static let protocolError = ErrorCode(rawValue: 0x1)
    public static let internalError = ErrorCode(rawValue: 0x2)
    public static let flowControlError = ErrorCode(rawValue: 0x3)
    public static let settingsTimeout = ErrorCode(rawValue: 0x4)
    public static let streamClosed = ErrorCode(rawValue: 0x5)
    public static let frameSizeError = ErrorCode(rawValue: 0x6)
    public static let refusedStream = ErrorCode(rawValue: 0x7)
    public static let cancel = ErrorCode(rawValue: 0x8)
    public static let compressionError = ErrorCode(rawValue: 0x9)
    public static let connectError = ErrorCode(rawValue: 0xA)
    public static let enhanceYourCalm = ErrorCode(rawValue: 0xB)
    public static let inadequateSecurity = ErrorCode(rawValue: 0xC)
    public static let http11Required = ErrorCode(rawValue: 0xD)

    static let names = [
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
        "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    ]

    public var name: String? { rawValue < Self.names.count ? Self.names[Int(rawValue)] : nil }
    public var description: String { name ?? "UNKNOWN_ERROR(0x\(String(rawValue, radix: 16)))" }
}

/// A SETTINGS parameter identifier (RFC 9113 §6.5.2, RFC 8441, RFC 9218). Open registry.
public struct SettingsParameter: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let headerTableSize = SettingsParameter(rawValue: 0x1)
    public static let enablePush = SettingsParameter(rawValue: 0x2)
    public static let maxConcurrentStreams = SettingsParameter(rawValue: 0x3)
    public static let initialWindowSize = SettingsParameter(rawValue: 0x4)
    public static let maxFrameSize = SettingsParameter(rawValue: 0x5)
    public static let maxHeaderListSize = SettingsParameter(rawValue: 0x6)
    /// RFC 8441 §3.
    public static let enableConnectProtocol = SettingsParameter(rawValue: 0x8)
    /// RFC 9218 §2.1.
    public static let noRFC7540Priorities = SettingsParameter(rawValue: 0x9)

    public var name: String? {
        switch rawValue {
        case 1: "HEADER_TABLE_SIZE"
        case 2: "ENABLE_PUSH"
        case 3: "MAX_CONCURRENT_STREAMS"
        case 4: "INITIAL_WINDOW_SIZE"
        case 5: "MAX_FRAME_SIZE"
        case 6: "MAX_HEADER_LIST_SIZE"
        case 8: "ENABLE_CONNECT_PROTOCOL"
        case 9: "NO_RFC7540_PRIORITIES"
        // gRPC core's extension: the peer accepts -bin metadata as raw bytes after a 0x00 byte.
        case 0xFE03: "GRPC_ALLOW_TRUE_BINARY_METADATA"
        default: nil
        }
    }

    public var description: String { name ?? "UNKNOWN_SETTING(0x\(String(rawValue, radix: 16)))" }
}
