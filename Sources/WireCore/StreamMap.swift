/// A map keyed by a 32-bit identifier (an HTTP/2 stream, RFC 9113 §5.1.1), for the tables a
/// connection consults on every frame: stream states, flow-control windows, calls in progress.
///
/// A connection has few streams open at once, and a `Dictionary` hashes each key with SipHash
/// before it looks: a measurable share of the time of a capture of small calls. Here entries are
/// kept densely (`keys`, `values`, in the order they were added, the last moved into the hole a
/// removal leaves); up to `linearLimit` of them a lookup scans the keys, past it an index of
/// open-addressed slots (linear probing, multiplicative hash, backward-shift deletion) finds
/// them. Values are changed in place through `subscript(valueAt:)`.
public struct StreamMap<Value> {
    @usableFromInline var storedKeys: [UInt32] = []
    @usableFromInline var storedValues: [Value] = []
    /// Indices into `storedKeys` (-1: empty); kept only past `linearLimit` entries.
    @usableFromInline var slots: [Int32] = []
    @usableFromInline var shift: UInt32 = 32

    /// Entries up to which a lookup scans the keys rather than keeping an index.
    @usableFromInline static var linearLimit: Int { 16 }

    @inlinable public init() {}

    @inlinable public var count: Int { storedKeys.count }
    @inlinable public var isEmpty: Bool { storedKeys.isEmpty }
    /// The keys, in no particular order (sort them for a deterministic one).
    @inlinable public var keys: [UInt32] { storedKeys }
    @inlinable public var values: [Value] { storedValues }

    /// The position of `key`'s entry, for `subscript(valueAt:)` and `remove(at:)`.
    @inlinable public func index(forKey key: UInt32) -> Int? {
        if slots.isEmpty { return storedKeys.firstIndex(of: key) }
        var slot = ideal(key)
        let mask = slots.count - 1
        while true {
            let entry = slots[slot]
            if entry < 0 { return nil }
            if storedKeys[Int(entry)] == key { return Int(entry) }
            slot = (slot + 1) & mask
        }
    }

    @inlinable public subscript(valueAt index: Int) -> Value {
        get { storedValues[index] }
        _modify { yield &storedValues[index] }
    }

    @inlinable public subscript(key: UInt32) -> Value? {
        get { index(forKey: key).map { storedValues[$0] } }
        set {
            if let index = index(forKey: key) {
                if let newValue { storedValues[index] = newValue } else { remove(at: index) }
            } else if let newValue {
                insertNew(key, newValue)
            }
        }
    }

    /// Sets the value of `key`; returns the value it replaced.
    @inlinable @discardableResult public mutating func updateValue(_ value: Value, forKey key: UInt32) -> Value? {
        if let index = index(forKey: key) {
            let old = storedValues[index]
            storedValues[index] = value
            return old
        }
        insertNew(key, value)
        return nil
    }

    @inlinable @discardableResult public mutating func removeValue(forKey key: UInt32) -> Value? {
        guard let index = index(forKey: key) else { return nil }
        return remove(at: index).value
    }

    /// Removes the entry at `index`; the last entry takes its place.
    @inlinable @discardableResult public mutating func remove(at index: Int) -> (key: UInt32, value: Value) {
        let key = storedKeys[index]
        let last = storedKeys.count - 1
        if !slots.isEmpty {
            clearSlot(of: key)
            if index != last { slots[slot(of: storedKeys[last])] = Int32(index) }
        }
        storedKeys.swapAt(index, last)
        storedValues.swapAt(index, last)
        storedKeys.removeLast()
        return (key, storedValues.removeLast())
    }

    @inlinable public mutating func removeAll() {
        storedKeys.removeAll()
        storedValues.removeAll()
        slots = []
        shift = 32
    }

    // MARK: - The index

    @inlinable func ideal(_ key: UInt32) -> Int { Int((key &* 0x9E37_79B1) >> shift) }

    @inlinable mutating func insertNew(_ key: UInt32, _ value: Value) {
        storedKeys.append(key)
        storedValues.append(value)
        if slots.isEmpty {
            if storedKeys.count > Self.linearLimit { rebuildIndex() }
        } else if storedKeys.count * 2 > slots.count {
            rebuildIndex()
        } else {
            place(storedKeys.count - 1)
        }
    }

    /// An index at most half full.
    @inlinable mutating func rebuildIndex() {
        var size = 64
        while size < storedKeys.count * 4 { size *= 2 }
        slots = Array(repeating: -1, count: size)
        shift = UInt32(32 - size.trailingZeroBitCount)
        for entry in storedKeys.indices { place(entry) }
    }

    @inlinable mutating func place(_ entry: Int) {
        let mask = slots.count - 1
        var slot = ideal(storedKeys[entry])
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry)
    }

    /// The slot holding `key` (which is present).
    @inlinable func slot(of key: UInt32) -> Int {
        let mask = slots.count - 1
        var slot = ideal(key)
        while storedKeys[Int(slots[slot])] != key { slot = (slot + 1) & mask }
        return slot
    }

    /// Empties `key`'s slot, moving later entries of its probe run back so that none is cut off
    /// from its ideal slot (backward-shift deletion).
    @inlinable mutating func clearSlot(of key: UInt32) {
        let mask = slots.count - 1
        var hole = slot(of: key)
        var next = (hole + 1) & mask
        while slots[next] >= 0 {
            let home = ideal(storedKeys[Int(slots[next])])
            // The entry at `next` may move into the hole when its home is not in (hole, next].
            let distanceToNext = (next - home) & mask
            let distanceToHole = (hole - home) & mask
            if distanceToHole < distanceToNext {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = -1
    }
}

extension StreamMap: Sendable where Value: Sendable {}
