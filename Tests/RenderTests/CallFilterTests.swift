import GRPC
import Packet
@testable import Render
import Testing

@Suite struct CallFilterTests {
    @Test(arguments: [
        ("*", "/a.B/C", true), ("/a.B/*", "/a.B/C", true), ("/a.B/*", "/a.X/C", false), ("*.B/?", "/a.B/C", true),
        ("*.B/?", "/a.B/CD", false), ("/[ab].B/C", "/b.B/C", true), ("/[!ab].B/C", "/b.B/C", false), ("/[a-c].B/C", "/c.B/C", true),
        ("*Get*", "/echo.Echo/GetUser", true), ("**", "", true), ("a*b*c", "aXbYc", true), ("a*b*c", "aXbY", false),
    ])
    func globs(pattern: String, text: String, matches: Bool) {
        #expect(Glob.matches(pattern, text) == matches)
    }

    @Test func percentilesAreNearestRank() {
        let values: [Int64] = Array(1...100)
        #expect(CallStatistics.percentile(values, 50) == 50)
        #expect(CallStatistics.percentile(values, 99) == 99)
        #expect(CallStatistics.percentile([7], 99) == 7)
        #expect(CallStatistics.percentile([1, 2, 3], 50) == 2)
    }
}
