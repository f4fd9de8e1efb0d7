import Dispatch
import Foundation
import Synchronization

/// The process's main thread, kept free for what must run on it. The program itself runs as a
/// task on Swift's thread pool; the main thread waits, and runs the work handed to it with
/// `perform`. Giving up root (`-Z`) needs this: setuid(2) made on another thread reaches every
/// other thread through glibc, but not a main thread parked by Swift's asynchronous main, which
/// stayed root.
enum MainThread {
    private static let work = Mutex<[@Sendable () -> Void]>([])
    private static let wake = DispatchSemaphore(value: 0)
    private static let done = Atomic<Bool>(false)

    /// Runs `program` on the thread pool, serving `perform` on this (the main) thread until it ends.
    static func serve(_ program: @escaping @Sendable () async -> Void) {
        Task.detached {
            await program()
            done.store(true, ordering: .releasing)
            wake.signal()
        }
        while true {
            wake.wait()
            for item in work.withLock({ items in defer { items.removeAll() }; return items }) { item() }
            if done.load(ordering: .acquiring) { return }
        }
    }

    /// Runs `body` on the main thread and returns its result.
    static func perform<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        if Thread.isMainThread { return body() }
        let result = Mutex<T?>(nil)
        let finished = DispatchSemaphore(value: 0)
        work.withLock { $0.append { result.withLock { $0 = body() }; finished.signal() } }
        wake.signal()
        finished.wait()
        return result.withLock { $0! }
    }
}
