import HPACK

/// One sending direction's header blocks (RFC 9113 §4.3): a HEADERS or PUSH_PROMISE fragment,
/// joined with the CONTINUATION fragments that follow it, decoded when the block ends with the
/// direction's HPACK decoder (RFC 7541 §2.2: one decoding context per direction). Shared by the
/// connection state and the byte annotator, so both join and decode blocks the same way.
public struct HeaderBlockAssembler: Sendable {
    /// A block waiting for its CONTINUATION frames.
    public struct OpenBlock: Sendable {
        public var stream: UInt32
        public var startedBy: FrameType
        public var bytes: [UInt8]
        /// Where each fragment starts in the block and in its frame's stream (or buffer) offsets.
        public var pieces: [(blockOffset: Int, offset: Int)]
    }

    public private(set) var hpack: HPACKDecoder
    /// Whether a block was decoded (the decoder then holds state of its own).
    public private(set) var used = false
    public private(set) var open: OpenBlock?

    public init(hpack: HPACKDecoder = HPACKDecoder()) {
        self.hpack = hpack
    }

    /// A fresh decoder for a connection joined mid-way (its table holds entries never seen), unless
    /// this one has already decoded something.
    public mutating func joinedMidway() {
        if !used { hpack = HPACKDecoder(startsMidConnection: true) }
    }

    /// RFC 7541 §4.2, RFC 9113 §6.5.2: the peer acknowledged a SETTINGS_HEADER_TABLE_SIZE.
    public mutating func setMaxTableSize(_ size: Int) {
        hpack.setMaxTableSize(size)
    }

    /// A HEADERS or PUSH_PROMISE fragment starts a block (any block still open is dropped).
    public mutating func begin(stream: UInt32, startedBy type: FrameType, fragment: ArraySlice<UInt8>, at offset: Int) {
        open = OpenBlock(stream: stream, startedBy: type, bytes: Array(fragment), pieces: [(0, offset)])
    }

    /// A CONTINUATION fragment; false when no block of `stream` is open (RFC 9113 §6.10).
    public mutating func `continue`(stream: UInt32, fragment: ArraySlice<UInt8>, at offset: Int) -> Bool {
        guard open?.stream == stream else { return false }
        open!.pieces.append((open!.bytes.count, offset))
        open!.bytes += fragment
        return true
    }

    /// Drops the open block (its CONTINUATION never came).
    public mutating func abandon() {
        open = nil
    }

    /// The frame with END_HEADERS arrived: the joined block, decoded, and where its fragments were.
    public mutating func finish() -> (block: HeaderBlockRecord, pieces: [(blockOffset: Int, offset: Int)])? {
        guard let block = open else { return nil }
        open = nil
        used = true
        let decoded = hpack.decode(block: block.bytes)
        let record = HeaderBlockRecord(stream: block.stream, startedBy: block.startedBy, bytes: block.bytes, frames: block.pieces.count,
                                       decoded: decoded, tablePartlyKnown: hpack.isTablePartlyKnown)
        return (record, block.pieces)
    }
}
