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
        public var pieces: FragmentPlaces
        /// Bytes past `maxBlockBytes`, not kept: the block is then not decoded.
        public var droppedBytes = 0
    }

    /// Where each fragment of a block starts: in the block, and in its frame's stream (or buffer)
    /// offsets. The first is held apart, so the usual block of one fragment needs no array.
    public struct FragmentPlaces: RandomAccessCollection, Sendable {
        public typealias Element = (blockOffset: Int, offset: Int)
        /// Where the first fragment (block offset 0) starts.
        let first: Int
        /// The CONTINUATION fragments'.
        var later: [Element] = []

        public var startIndex: Int { 0 }
        public var endIndex: Int { later.count + 1 }
        public subscript(position: Int) -> Element { position == 0 ? (0, first) : later[position - 1] }
    }

    /// What became of a CONTINUATION fragment.
    public enum Continuation: Sendable, Equatable {
        case joined
        /// The block passed `maxBlockBytes` with this fragment (reported once per block).
        case passedLimit
        /// Past the limit already: dropped.
        case dropped
        /// No block of its stream is open (RFC 9113 §6.10).
        case noOpenBlock
    }

    public private(set) var hpack: HPACKDecoder
    /// Whether a block was decoded (the decoder then holds state of its own).
    public private(set) var used = false
    public private(set) var open: OpenBlock?
    /// The longest block kept (a CONTINUATION flood, CVE-2024-27316, must not grow it without end).
    public let maxBlockBytes: Int

    public init(hpack: HPACKDecoder = HPACKDecoder(), maxBlockBytes: Int = HTTP2Limits.default.maxHeaderBlockBytes) {
        self.hpack = hpack
        self.maxBlockBytes = maxBlockBytes
    }

    /// The stream of the open block (asked without copying the block).
    public var openStream: UInt32? { open?.stream }

    /// A fresh decoder for a connection joined mid-way (its table holds entries never seen), unless
    /// this one has already decoded something.
    public mutating func joinedMidway() {
        if !used { hpack = HPACKDecoder(startsMidConnection: true) }
    }

    /// RFC 7541 §4.2, RFC 9113 §6.5.2: the peer acknowledged a SETTINGS_HEADER_TABLE_SIZE.
    public mutating func setMaxTableSize(_ size: Int) {
        hpack.setMaxTableSize(size)
    }

    /// A HEADERS or PUSH_PROMISE fragment starts a block (any block still open is abandoned).
    public mutating func begin(stream: UInt32, startedBy type: FrameType, fragment: ArraySlice<UInt8>, at offset: Int) {
        if open != nil { abandon() }
        open = OpenBlock(stream: stream, startedBy: type, bytes: [], pieces: FragmentPlaces(first: offset))
        add(fragment)
    }

    /// A CONTINUATION fragment of the open block (RFC 9113 §6.10).
    public mutating func `continue`(stream: UInt32, fragment: ArraySlice<UInt8>, at offset: Int) -> Continuation {
        guard open?.stream == stream else { return .noOpenBlock }
        let wasWithinLimit = open!.droppedBytes == 0
        open!.pieces.later.append((open!.bytes.count + open!.droppedBytes, offset))
        add(fragment)
        return open!.droppedBytes == 0 ? .joined : wasWithinLimit ? .passedLimit : .dropped
    }

    private mutating func add(_ fragment: ArraySlice<UInt8>) {
        if open!.droppedBytes == 0, open!.bytes.count + fragment.count <= maxBlockBytes {
            open!.bytes += fragment
        } else {
            open!.droppedBytes += fragment.count
        }
    }

    /// Drops the open block (its CONTINUATION never came): the encoder's table changed with it,
    /// in ways this decoder will not learn.
    public mutating func abandon() {
        guard open != nil else { return }
        open = nil
        hpack.loseTableContext()
    }

    /// The frame with END_HEADERS arrived: the joined block, decoded, and where its fragments
    /// were. A block over the limit is not decoded, and the table is lost with it.
    public mutating func finish() -> (block: HeaderBlockRecord, pieces: FragmentPlaces)? {
        guard let block = open else { return nil }
        open = nil
        used = true
        guard block.droppedBytes == 0 else {
            hpack.loseTableContext()
            return (HeaderBlockRecord(stream: block.stream, startedBy: block.startedBy, bytes: block.bytes, frames: block.pieces.count,
                                      decoded: nil, tablePartlyKnown: true), block.pieces)
        }
        let decoded = hpack.decode(block: block.bytes)
        let record = HeaderBlockRecord(stream: block.stream, startedBy: block.startedBy, bytes: block.bytes, frames: block.pieces.count,
                                       decoded: decoded, tablePartlyKnown: hpack.isTablePartlyKnown)
        return (record, block.pieces)
    }
}
