import WireCore

/// What one sending direction of an HTTP/2 connection holds: how its bytes are read, the windows
/// it sends against, the frame size its peer allows it, its SETTINGS and PINGs awaiting an answer,
/// and its header blocks with their HPACK decoding context.
struct DirectionState: Sendable {
    var reader = DirectionReader.sniffing(buffer: [], start: 0)
    /// RFC 9113 §6.9: the connection's and each stream's window for what this side sends.
    var windows = SendWindows(known: true)
    /// SETTINGS_MAX_FRAME_SIZE this side announced: it limits what the *other* side sends (§4.2).
    var maxFrameSize = 16_384
    /// SETTINGS this side sent that are not acknowledged yet: packet, time, values (§6.5.3).
    var pendingSettings: [(packet: Int, time: Timestamp, settings: [Setting])] = []
    /// PINGs this side sent, by opaque data (§6.7).
    var pendingPings: [UInt64: (packet: Int, time: Timestamp)] = [:]
    /// SETTINGS and PINGs kept awaiting an answer; past it the oldest is dropped, and its answer,
    /// if it ever comes, matches nothing.
    static let maxPending = 256
    var headerBlocks: HeaderBlockAssembler
}
