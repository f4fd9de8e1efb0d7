import WireCore

/// One packet record read from a capture, before any protocol decoding.
public struct CapturedPacket: Sendable {
    /// 1-based position of the record among all packet records of the capture (Wireshark's frame number).
    public var number: Int
    public var timestamp: Timestamp
    public var linkType: LinkType
    /// Interface index (pcapng); 0 for pcap files.
    public var interface: Int
    /// The captured bytes (`caplen` of them).
    public var data: [UInt8]
    /// The packet's length on the wire; more than `data.count` when the snapshot length cut it.
    public var originalLength: Int
    /// Absolute offset of the record in the capture file.
    public var fileOffset: Int

    public init(
        number: Int, timestamp: Timestamp, linkType: LinkType, interface: Int = 0,
        data: [UInt8], originalLength: Int? = nil, fileOffset: Int = 0
    ) {
        self.number = number
        self.timestamp = timestamp
        self.linkType = linkType
        self.interface = interface
        self.data = data
        self.originalLength = originalLength ?? data.count
        self.fileOffset = fileOffset
    }

    /// Whether the snapshot length cut the packet short.
    public var isTruncated: Bool { originalLength > data.count }
}

/// What a capture interface is, as declared by a pcap file header or a pcapng Interface
/// Description Block.
public struct CaptureInterface: Sendable, Hashable {
    public var index: Int
    public var linkType: LinkType
    public var snapLength: Int
    public var name: String?

    public init(index: Int, linkType: LinkType, snapLength: Int, name: String? = nil) {
        self.index = index
        self.linkType = linkType
        self.snapLength = snapLength
        self.name = name
    }
}
