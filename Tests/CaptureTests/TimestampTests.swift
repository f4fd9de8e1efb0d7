import Testing
import WireCore

@Suite struct TimestampTests {
    @Test(arguments: [
        (Int64(0), Int64(0), "1970-01-01T00:00:00.000000Z"),
        (951_782_400, 1_000, "2000-02-29T00:00:00.000001Z"),  // a leap day
        (1_700_000_000, 123_456_789, "2023-11-14T22:13:20.123456Z"),
        (4_102_444_799, 999_999_999, "2099-12-31T23:59:59.999999Z"),
        (-1, 500_000_000, "1969-12-31T23:59:59.500000Z"),
    ])
    func rfc3339(seconds: Int64, nanoseconds: Int64, text: String) {
        #expect(Timestamp(seconds: seconds, nanoseconds: nanoseconds).rfc3339() == text)
    }

    @Test func nanosecondFractionAndTimeOfDay() {
        let time = Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789)
        #expect(time.rfc3339(fractionDigits: 9) == "2023-11-14T22:13:20.123456789Z")
        #expect(time.timeOfDay() == "22:13:20.123456")
        #expect(time.rfc3339(fractionDigits: 0) == "2023-11-14T22:13:20Z")
    }

    @Test(arguments: [
        (Int64(850), "850ns"), (12_345, "12.3µs"), (4_560_000, "4.56ms"), (1_234_000_000, "1.234s"),
        (123_500_000_000, "2m03.5s"), (-2_000, "-2.0µs"),
    ])
    func durations(nanoseconds: Int64, text: String) {
        #expect(formatDuration(nanoseconds: nanoseconds) == text)
    }

    @Test func normalisesNegativeNanoseconds() {
        let time = Timestamp(seconds: 10, nanoseconds: -1)
        #expect(time.seconds == 9 && time.nanoseconds == 999_999_999)
        #expect(Timestamp(seconds: 2, nanoseconds: 0).nanoseconds(since: Timestamp(seconds: 1, nanoseconds: 500)) == 999_999_500)
    }
}
