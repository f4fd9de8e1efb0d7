import Testing
import TestSupport
import WireCore

/// `StreamMap` (the stream-keyed table of windows, states and calls) against `Dictionary` under
/// the same operations: few streams (scanned), many (indexed), removals that move the last entry
/// and shift probe runs back, and keys that collide in the index.
@Suite struct StreamMapTests {
    private func expectSame(_ map: StreamMap<Int>, _ reference: [UInt32: Int], _ context: String) {
        #expect(map.count == reference.count, "\(context)")
        #expect(Set(map.keys) == Set(reference.keys), "\(context)")
        for (key, value) in reference { #expect(map[key] == value, "\(context): key \(key)") }
        for (index, key) in map.keys.enumerated() {
            #expect(map.index(forKey: key) == index, "\(context): index of \(key)")
            #expect(map[valueAt: index] == reference[key], "\(context): value at \(index)")
        }
    }

    @Test(arguments: [8, 40, 600])
    func behavesLikeADictionary(keySpace: Int) {
        var generator = SeededRandom(seed: UInt64(keySpace))
        var map = StreamMap<Int>()
        var reference: [UInt32: Int] = [:]
        for step in 0..<20_000 {
            // Odd ids as clients open them, and some arbitrary ones (a hostile peer's).
            let key = Int.random(in: 0..<4, using: &generator) == 0 ? UInt32.random(in: 0...UInt32.max, using: &generator) : UInt32(2 * Int.random(in: 0..<keySpace, using: &generator) + 1)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0, 1:
                map[key] = step
                reference[key] = step
            case 2:
                #expect(map.updateValue(step, forKey: key) == reference.updateValue(step, forKey: key))
            case 3:
                #expect(map.removeValue(forKey: key) == reference.removeValue(forKey: key))
            case 4:
                if let index = map.index(forKey: key) {
                    map[valueAt: index] += 1
                    reference[key]! += 1
                } else {
                    #expect(reference[key] == nil)
                }
            default:
                if !map.isEmpty {
                    let index = Int.random(in: 0..<map.count, using: &generator)
                    let removed = map.remove(at: index)
                    #expect(reference.removeValue(forKey: removed.key) == removed.value)
                }
            }
            if step % 997 == 0 { expectSame(map, reference, "step \(step)") }
        }
        expectSame(map, reference, "end")
        map.removeAll()
        #expect(map.isEmpty && map[1] == nil)
    }

    /// Keys with the same home slot make one long probe run, here from the index's last slot
    /// round to its first; removing from its middle must leave every later key reachable.
    /// (40 entries keep a 128-slot index: the home is the hash's top 7 bits.)
    @Test func collidingKeysStayReachableAfterRemovals() {
        let keys = Array((UInt32(1)...).lazy.filter { ($0 &* 0x9E37_79B1) >> 25 == 127 }.prefix(40))
        var map = StreamMap<UInt32>()
        for key in keys { map[key] = key }
        let removed = Set(keys.enumerated().filter { $0.offset % 3 == 1 }.map(\.element))
        for key in removed { map[key] = nil }
        for key in keys { #expect(map[key] == (removed.contains(key) ? nil : key)) }
        #expect(map.count == keys.count - removed.count)
        for key in keys where !removed.contains(key) { map.removeValue(forKey: key) }
        #expect(map.isEmpty)
    }
}
