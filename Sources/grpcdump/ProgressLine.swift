#if canImport(Glibc)
import Glibc
#endif

/// "reading 42% (96 of 230 MiB)" on standard error, at most once a second, for files over 32 MiB
/// (and only when standard error is a terminal: see `TextOutput.progress`).
struct ProgressLine {
    let totalBytes: Int64?
    private var bytesRead: Int64 = 0
    private var lastShown = monotonicSeconds()
    /// Whether the file is large enough for a progress line.
    var isEnabled: Bool { (totalBytes ?? 0) > 32 << 20 }

    init(totalBytes: Int64?) {
        self.totalBytes = totalBytes
    }

    /// Counts `count` more bytes; returns the line to show when one is due.
    mutating func advance(by count: Int) -> String? {
        bytesRead += Int64(count)
        guard isEnabled, let total = totalBytes, monotonicSeconds() - lastShown >= 1 else { return nil }
        lastShown = monotonicSeconds()
        return "reading \(bytesRead * 100 / max(total, 1))% (\(bytesRead >> 20) of \(total >> 20) MiB)"
    }
}

/// Seconds on the monotonic clock, for pacing the progress line.
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
