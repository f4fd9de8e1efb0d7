import Testing
@testable import HPACK

private func entry(_ name: String, _ value: String) -> DynamicTableEntry {
    DynamicTableEntry(name: bytes(name), value: bytes(value))
}

@Test func entrySizeIsNamePlusValuePlus32() {
    // RFC 7541 §4.1.
    #expect(entry("custom-key", "custom-header").size == 55)
    #expect(DynamicTableEntry(name: nil, value: bytes("v")).size == nil)
    #expect(DynamicTableEntry(name: nil, value: bytes("v")).minimumSize == 33)
}

@Test func insertEvictsOldestFirst() {
    var table = DynamicTable(maxSize: 100, storageLimit: 1 << 20, startsUnknown: false)
    #expect(table.insert(entry("a", "1")).evicted.isEmpty)  // 34
    #expect(table.insert(entry("b", "2")).evicted.isEmpty)  // 68
    let third = table.insert(entry("c", "3"))  // 102 > 100: evict "a"
    #expect(third.inserted && third.evicted == [entry("a", "1")])
    #expect(table.entries == [entry("c", "3"), entry("b", "2")])
    #expect(table[dynamicIndex: 1] == entry("c", "3"))
    #expect(table[dynamicIndex: 3] == nil && table[dynamicIndex: 0] == nil)
    #expect(table.size == 68)
}

// RFC 7541 §4.4: an entry larger than the maximum size empties the table and is not added.
@Test func oversizedEntryEmptiesTheTable() {
    var table = DynamicTable(maxSize: 100, storageLimit: 1 << 20, startsUnknown: false)
    _ = table.insert(entry("a", "1"))
    let change = table.insert(entry("big", String(repeating: "x", count: 80)))
    #expect(!change.inserted && change.evicted == [entry("a", "1")])
    #expect(table.count == 0 && table.size == 0)
    #expect(!table.isPartlyKnown)
}

// RFC 7541 §4.3: lowering the maximum evicts until the table fits.
@Test func loweringTheMaximumEvicts() {
    var table = DynamicTable(maxSize: 4096, storageLimit: 1 << 20, startsUnknown: false)
    for i in 0..<10 { _ = table.insert(entry("k\(i)", "v")) }  // 35 each
    let evicted = table.setMaxSize(100, storageLimit: 1 << 20)
    #expect(evicted.count == 8)
    #expect(table.entries == [entry("k9", "v"), entry("k8", "v")])
    #expect(table.setMaxSize(0, storageLimit: 1 << 20).count == 2)
    #expect(table.count == 0)
}

@Test func indicesStayRightOverManyInsertsAndCompactions() {
    var table = DynamicTable(maxSize: 350, storageLimit: 1 << 20, startsUnknown: false)
    for i in 0..<5000 {
        _ = table.insert(entry("n", String(i % 10)))  // 34 octets: 10 entries fit
        #expect(table.count == min(i + 1, 10))
        #expect(table[dynamicIndex: 1]?.value == bytes(String(i % 10)))
        if i >= 9 { #expect(table[dynamicIndex: 10]?.value == bytes(String((i - 9) % 10))) }
    }
    #expect(table.size == 340)
}

@Test func unknownRegionBookkeeping() {
    var table = DynamicTable(maxSize: 4096, storageLimit: 1 << 20, startsUnknown: true)
    #expect(table.mayHaveUnknownEntries && table.isPartlyKnown)
    #expect(table.maxPossibleEntries == 128)
    _ = table.insert(DynamicTableEntry(name: nil, value: bytes("v")))
    table.forgetEntries()
    #expect(table.count == 0 && table.size == 0 && table.mayHaveUnknownEntries)
    // A table too small for any entry cannot hold unknown ones.
    let tiny = DynamicTable(maxSize: 31, storageLimit: 1 << 20, startsUnknown: true)
    #expect(!tiny.isPartlyKnown)
}
