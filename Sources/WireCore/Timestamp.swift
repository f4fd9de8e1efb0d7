/// A capture timestamp: seconds since the Unix epoch and nanoseconds within the second.
public struct Timestamp: Sendable, Hashable, Comparable {
    public var seconds: Int64
    public var nanoseconds: Int64

    public init(seconds: Int64, nanoseconds: Int64) {
        // Normalise so that 0 <= nanoseconds < 1e9.
        let carry = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
        self.seconds = seconds + carry
        self.nanoseconds = nanoseconds - carry * 1_000_000_000
    }

    public static let zero = Timestamp(seconds: 0, nanoseconds: 0)

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// Nanoseconds from `earlier` to `self` (negative if `earlier` is later).
    public func nanoseconds(since earlier: Timestamp) -> Int64 {
        (seconds - earlier.seconds) &* 1_000_000_000 &+ (nanoseconds - earlier.nanoseconds)
    }

    public func adding(nanoseconds delta: Int64) -> Timestamp {
        Timestamp(seconds: seconds, nanoseconds: nanoseconds + delta)
    }
}
