import WireCore

/// Stacks the calls of one connection into rows so that no two calls of a row overlap in time:
/// interval partitioning, earliest start first, each call in the row that came free first
/// (as few rows as calls open at once).
enum TimelineLayout {
    /// The row of each call, given the calls' (start, end) in order of start.
    static func rows(_ spans: [(start: Timestamp, end: Timestamp)]) -> [Int] {
        var free = MinHeap()  // (end of a row's last call, row)
        var rows: [Int] = []
        rows.reserveCapacity(spans.count)
        var rowCount = 0
        for span in spans {
            if let first = free.peek, first.end < span.start {
                free.pop()
                rows.append(first.row)
                free.push((span.end, first.row))
            } else {
                rows.append(rowCount)
                free.push((span.end, rowCount))
                rowCount += 1
            }
        }
        return rows
    }

    /// A binary min-heap of (end, row), ordered by end then row.
    private struct MinHeap {
        private var items: [(end: Timestamp, row: Int)] = []

        var peek: (end: Timestamp, row: Int)? { items.first }

        private static func less(_ a: (end: Timestamp, row: Int), _ b: (end: Timestamp, row: Int)) -> Bool {
            a.end < b.end || a.end == b.end && a.row < b.row
        }

        mutating func push(_ item: (end: Timestamp, row: Int)) {
            items.append(item)
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.less(items[child], items[parent]) else { break }
                items.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() {
            items.swapAt(0, items.count - 1)
            items.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, Self.less(items[left], items[smallest]) { smallest = left }
                if right < items.count, Self.less(items[right], items[smallest]) { smallest = right }
                guard smallest != parent else { return }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }
}
