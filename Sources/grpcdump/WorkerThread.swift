import Foundation

/// A thread of its own that runs the blocks given to it, in order. A decoding worker runs on
/// one so that its state (HPACK tables, calls in progress, schemas) stays with one thread, and
/// so with one core's caches and one allocator arena; a dispatch queue may run each block on
/// another thread of its pool. The thread waits for blocks until the process exits.
final class WorkerThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var blocks: [@Sendable () -> Void] = []

    init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Runs `block` on the thread after those given before; `group` is left when it is done.
    func async(group: DispatchGroup, _ block: @escaping @Sendable () -> Void) {
        group.enter()
        condition.lock()
        blocks.append {
            block()
            group.leave()
        }
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while blocks.isEmpty { condition.wait() }
            let block = blocks.removeFirst()
            condition.unlock()
            block()
        }
    }
}
