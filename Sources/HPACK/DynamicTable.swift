/// One dynamic table entry. Either part may be unknown (`nil`) when the decoder could not learn it:
/// a literal whose name referred to an entry from before the capture started, a string over the
/// length limit, or the last field of a truncated block.
public struct DynamicTableEntry: Sendable, Hashable {
    public var name: [UInt8]?
    public var value: [UInt8]?
    /// A lower bound of `size`, exact when both parts are known.
    public var minimumSize: Int
    /// When the name came from an entry of the unknown region: that entry's stable number
    /// (`DynamicTable.unknownEntryNumber`).
    public var unknownName: Int?
    /// The entry's text, made when it is inserted.
    var sharedText = SharedTextSlot()

    /// RFC 7541 §4.1: the size of an entry is the sum of its name's length in octets, its value's
    /// length in octets, and 32.
    public static let overhead = 32

    public init(name: [UInt8]?, value: [UInt8]?, minimumSize: Int? = nil, unknownName: Int? = nil) {
        self.name = name
        self.value = value
        self.unknownName = unknownName
        self.minimumSize = minimumSize ?? ((name?.count ?? 0) + (value?.count ?? 0) + Self.overhead)
    }

    /// The RFC 7541 §4.1 size, or `nil` when a part is unknown.
    public var size: Int? { isComplete ? minimumSize : nil }
    public var isComplete: Bool { name != nil && value != nil }
}

/// The HPACK dynamic table (RFC 7541 §2.3.2, §4) as a decoder sees it, possibly only partly known.
///
/// Entries are kept newest first by `dynamicIndex` (1 = most recent insert = wire index 62).
/// Insertion always happens at the front and eviction at the back, so an entry's index depends only
/// on how many entries were inserted after it, never on evictions. That is what makes decoding
/// possible when a capture starts mid-connection: the table is modelled as the entries seen since
/// the capture started (known, newest first) followed by an *unknown region* of older entries whose
/// number and contents were never seen (`mayHaveUnknownEntries`). A reference past the known
/// entries lands in that region and decodes as a placeholder; every insert pushes the region one
/// index further out, and entries learnt later are used normally.
///
/// Sizes are tracked as lower bounds (`DynamicTableEntry.minimumSize`). Eviction removes entries
/// whose eviction is certain; an entry that may or may not have been evicted by the encoder stays,
/// which is harmless because an encoder never references an evicted entry. The unknown region is
/// known to be empty once no entry (each at least 32 octets) can fit beside the known ones, or once a
/// known entry has been evicted (the older unknown ones went first).
public struct DynamicTable: Sendable {
    /// The table's maximum size (RFC 7541 §4.2): the last dynamic table size update, or the
    /// protocol maximum (SETTINGS_HEADER_TABLE_SIZE) set on the decoder.
    public private(set) var maxSize: Int
    /// The size this decoder actually keeps: `maxSize` capped by `HPACKLimits.maxTableSize`. While
    /// lower than `maxSize`, entries this decoder evicts may still be in the encoder's table, so they
    /// join the unknown region.
    public private(set) var storageLimit: Int
    /// Sum of the entries' sizes (RFC 7541 §4.1); a lower bound while `isPartlyKnown`.
    public private(set) var size: Int = 0
    /// Whether entries inserted before the capture started (or otherwise lost) may still be present
    /// behind the known entries.
    public private(set) var mayHaveUnknownEntries: Bool

    /// Oldest first from `head`; slots before `head` are evicted and dropped in batches.
    private var storage: [DynamicTableEntry] = []
    private var head = 0
    /// Entries added since the decoder started (each pushes the unknown region one index out).
    public private(set) var insertions = 0
    private var incompleteCount = 0

    init(maxSize: Int, storageLimit: Int, startsUnknown: Bool) {
        self.maxSize = maxSize
        self.storageLimit = min(storageLimit, maxSize)
        self.mayHaveUnknownEntries = startsUnknown && maxSize >= DynamicTableEntry.overhead
    }

    /// Number of entries held (known or partly known; the unknown region is not counted).
    public var count: Int { storage.count - head }

    /// Whether the decoder's view may differ from the encoder's table: an unknown region may exist,
    /// or some entry has an unknown name or value.
    public var isPartlyKnown: Bool { mayHaveUnknownEntries || incompleteCount > 0 }

    /// The most entries a table of `maxSize` can hold (each entry has at least 32 octets).
    public var maxPossibleEntries: Int { maxSize / DynamicTableEntry.overhead }

    /// The entry at `dynamicIndex` (1 = newest; wire index minus 61), or `nil` past the held entries.
    public subscript(dynamicIndex index: Int) -> DynamicTableEntry? {
        guard index >= 1 && index <= count else { return nil }
        return storage[storage.count - index]
    }

    /// A stable number for the entry of the unknown region at `dynamicIndex`: 1 for the newest
    /// entry inserted before the capture began, 2 for the one before it, and so on. Later
    /// insertions move the entry's index, not its number, so the same unknown entry is recognised
    /// in every header block that refers to it. `nil` when the index is not in the unknown region
    /// as first seen (after the decoder gave up its entries).
    public func unknownEntryNumber(dynamicIndex: Int) -> Int? {
        let number = dynamicIndex - insertions
        return number >= 1 && dynamicIndex > count ? number : nil
    }

    /// The held entries, newest first (dynamic index 1 first).
    public var entries: [DynamicTableEntry] { storage[head...].reversed() }

    /// RFC 7541 §4.4: before an entry is added, entries are evicted from the end of the table until
    /// it fits; an entry larger than the maximum size empties the table and is not added.
    /// Returns whether the entry was added, and the entries evicted (oldest first).
    mutating func insert(_ entry: DynamicTableEntry) -> (inserted: Bool, evicted: [DynamicTableEntry]) {
        guard entry.minimumSize <= storageLimit else {
            let evicted = evict(toFit: storageLimit + 1)  // everything held
            // The encoder's table is now empty too, unless it keeps more than this decoder can:
            // then it holds this entry, which this decoder does not.
            mayHaveUnknownEntries = entry.minimumSize <= maxSize
            return (false, evicted)
        }
        let evicted = evict(toFit: entry.minimumSize)
        storage.append(entry)
        insertions += 1
        size += entry.minimumSize
        if !entry.isComplete { incompleteCount += 1 }
        refreshUnknownRegion()
        return (true, evicted)
    }

    /// RFC 7541 §4.3: reducing the maximum size evicts entries from the end until the size fits.
    mutating func setMaxSize(_ newMaxSize: Int, storageLimit newStorageLimit: Int) -> [DynamicTableEntry] {
        maxSize = newMaxSize
        storageLimit = min(newStorageLimit, newMaxSize)
        let evicted = evict(toFit: 0)
        refreshUnknownRegion()
        return evicted
    }

    /// Gives up every held entry: after a block could not be parsed to its end, the encoder may have
    /// inserted any number of entries, so no held entry's index can be trusted. Everything becomes
    /// the unknown region.
    mutating func forgetEntries() {
        storage.removeAll()
        head = 0
        size = 0
        incompleteCount = 0
        mayHaveUnknownEntries = maxSize >= DynamicTableEntry.overhead
    }

    /// Evicts oldest entries until `incoming` more octets fit within `storageLimit`.
    private mutating func evict(toFit incoming: Int) -> [DynamicTableEntry] {
        var evicted: [DynamicTableEntry] = []
        while head < storage.count && size + incoming > storageLimit {
            let entry = storage[head]
            head += 1
            size -= entry.minimumSize
            if !entry.isComplete { incompleteCount -= 1 }
            evicted.append(entry)
        }
        if !evicted.isEmpty {
            // A held entry left, so every older (unknown) one left before it; unless this decoder
            // keeps less than the encoder, whose table may still have what was evicted here.
            mayHaveUnknownEntries = storageLimit < maxSize
            if head >= 32 && head * 2 >= storage.count {
                storage.removeFirst(head)
                head = 0
            }
        }
        return evicted
    }

    /// The unknown region is empty once no entry of at least 32 octets fits beside the held ones.
    private mutating func refreshUnknownRegion() {
        if maxSize - size < DynamicTableEntry.overhead { mayHaveUnknownEntries = false }
    }
}
