import ByteStream
import Foundation
import GRPC
import HTTP2
import Protobuf
import Testing
import WireCore
@testable import Report

/// The report's pure parts: rows of the timeline, flow-control stalls, the per-method table.
struct ReportModelTests {
    static func time(_ microseconds: Int64) -> Timestamp { Timestamp(seconds: 1_000, nanoseconds: 0).adding(nanoseconds: microseconds * 1_000) }

    @Test func rowsKeepOverlappingCallsApartAndReuseFreedRows() {
        // a: 0–10, b: 5–20 (overlaps a), c: 11–30 (a is over), d: 12–13 (overlaps b and c), e: 25–26 (b and d are over).
        let spans: [(start: Timestamp, end: Timestamp)] = [(0, 10), (5, 20), (11, 30), (12, 13), (25, 26)].map { (Self.time($0.0), Self.time($0.1)) }
        let rows = TimelineLayout.rows(spans)
        #expect(rows == [0, 1, 0, 2, 2])  // e takes the row that came free first (d's)
        for i in spans.indices {
            for j in spans.indices where i < j && rows[i] == rows[j] {
                #expect(spans[i].1 < spans[j].0 || spans[j].1 < spans[i].0, "calls \(i) and \(j) share row \(rows[i]) but overlap")
            }
        }
        // As many rows as calls open at once: 3 (b, c, d at 12).
        #expect(Set(rows).count == 3)
    }

    static func point(_ at: Int64, _ sender: Direction = .clientToServer, connection: Int64, stream: Int64?, on streamID: UInt32 = 1,
                      data: Bool, known: Bool = true) -> FlowPoint {
        FlowPoint(time: time(at), reading: FlowReading(sender: sender, connectionWindow: connection, streamWindow: stream, known: known),
                  stream: streamID, isData: data)
    }

    @Test func aStallRunsFromTheDataThatExhaustsAWindowToTheUpdateThatOpensIt() {
        var stalls = FlowStalls()
        stalls.follow(Self.point(0, connection: 30_000, stream: 30_000, data: true))
        stalls.follow(Self.point(10, connection: 0, stream: 0, data: true))  // both windows run out
        stalls.follow(Self.point(15, connection: 0, stream: 0, data: false))  // an update of 0 changes nothing
        stalls.follow(Self.point(40, connection: 0, stream: 65_535, data: false))  // the stream's opens…
        stalls.follow(Self.point(40, connection: 65_535, stream: nil, on: 0, data: false))  // …and the connection's, at once
        // The server's connection window alone, never opened again.
        stalls.follow(Self.point(50, .serverToClient, connection: -5, stream: 100, on: 3, data: true))
        stalls.finish(at: Self.time(90))
        #expect(stalls.count == 2)
        #expect(stalls.stalls == [
            FlowStall(sender: .clientToServer, connectionWindow: true, streamWindow: 1, blockedStream: 1, start: Self.time(10), end: Self.time(40), ended: true),
            FlowStall(sender: .serverToClient, connectionWindow: true, streamWindow: nil, blockedStream: 3, start: Self.time(50), end: Self.time(90), ended: false),
        ])
        #expect(stalls.stalls[0].windows == "connection and stream 1")
        #expect(stalls.stalls[0].durationNanoseconds == 30_000)
    }

    @Test func windowsOfAConnectionJoinedMidWayShowNoStall() {
        var stalls = FlowStalls()
        stalls.follow(Self.point(0, connection: -1_000, stream: -1_000, data: true, known: false))
        stalls.follow(Self.point(5, connection: 10, stream: 10, data: false, known: false))
        stalls.finish(at: Self.time(10))
        #expect(stalls.count == 0)
    }

    @Test func onlyTheLongestStallsAreKept() {
        var stalls = FlowStalls()
        for index in 0..<Int64(2_500) {
            stalls.follow(Self.point(index * 100, connection: 0, stream: nil, on: 0, data: true))
            stalls.follow(Self.point(index * 100 + 1 + index % 50, connection: 1, stream: nil, on: 0, data: false))
        }
        #expect(stalls.count == 2_500)
        #expect(stalls.stalls.count < 2 * FlowStalls.kept)
        // Every stall of the longest duration (50 of them) is among those kept.
        #expect(stalls.stalls.filter { $0.durationNanoseconds == 50_000 }.count == 50)
    }

    @Test func methodTablePercentilesHistogramAndErrors() {
        let latencies: [Int64] = [5, 15, 30, 120, 900, 2_000_000, 40, 41, 42, 43]  // µs
        let calls = latencies.enumerated().map { index, micros in
            ReportCall(id: index + 1, method: "/a.B/C", status: index == 3 ? .init(rawValue: 5) : .ok, start: Self.time(0), end: Self.time(micros))
        }
        let summary = MethodSummary.summarise("/a.B/C", calls)
        #expect(summary.calls == 10 && summary.errors == 1)
        #expect(summary.statuses == ["OK": 9, "NOT_FOUND": 1])
        // Nearest rank over 5, 15, 30, 40, 41, 42, 43, 120, 900, 2,000,000 µs.
        #expect(summary.p50 == 41_000 && summary.p90 == 900_000 && summary.p99 == 2_000_000_000 && summary.max == 2_000_000_000)
        // Buckets: < 10 µs, < 20, < 50 (30, 40, 41, 42, 43), …, < 200 (120), < 1 ms (900), < 2 s is the 2 s bucket's upper edge: 2 s falls in < 5 s.
        var expected = Array(repeating: 0, count: MethodSummary.histogramEdges.count + 1)
        expected[0] = 1
        expected[1] = 1
        expected[2] = 5
        expected[4] = 1
        expected[6] = 1
        expected[MethodSummary.histogramEdges.firstIndex(of: 5_000_000)!] = 1
        #expect(summary.histogram == expected)
    }

    @Test func errorsAreGroupedByStatusAndMessageLargestFirst() {
        let outcomes: [(StatusCode?, String?)] = [(.ok, nil), (.init(rawValue: 5), "no user"), (.init(rawValue: 14), "down"),
                                                   (.init(rawValue: 5), "no user"), (nil, nil), (.init(rawValue: 5), "other")]
        let calls = outcomes.enumerated().map { index, outcome in
            ReportCall(id: index + 1, method: "/a.B/C", status: outcome.0, message: outcome.1, start: Self.time(0), end: Self.time(1), incomplete: outcome.0 == nil)
        }
        let groups = ErrorGroup.groups(calls)
        #expect(groups.map(\.status) == ["NOT_FOUND", "UNAVAILABLE", "INCOMPLETE", "NOT_FOUND"])
        #expect(groups[0] == ErrorGroup(status: "NOT_FOUND", code: 5, message: "no user", calls: [2, 4]))
        #expect(groups[2].code == nil && groups[2].calls == [5])
    }

    @Test func detailsArePackedInDeflatedChunksInOrder() throws {
        var chunks = DetailChunks()
        var places: [(chunk: Int, index: Int)] = []
        for number in 0..<(DetailChunks.callsPerChunk + 3) {
            var json = JSONBuffer()
            JSONObject.write(into: &json) { $0.add("n", number) }
            places.append(chunks.append(json))
        }
        chunks.finish()
        #expect(chunks.chunks.count == 2)
        #expect(places[0] == (0, 0) && places[DetailChunks.callsPerChunk - 1] == (0, DetailChunks.callsPerChunk - 1))
        #expect(places[DetailChunks.callsPerChunk] == (1, 0) && places.last! == (1, 2))
        let second = try DetailChunks.objects(in: chunks.chunks[1])
        #expect(second.map { $0["n"] as? Int } == [500, 501, 502])
        // Deflated: the same keys over and over shrink.
        #expect(chunks.chunks[0].count < 2_000)
    }

    @Test func dataInThePageCannotEndItsScriptElement() throws {
        let json = Array(#"{"a":"</script><script>alert(1)</script><!-- x","b":"<"}"#.utf8)
        var page: [UInt8] = []
        Report.appendScriptSafe(json, to: &page)
        let text = String(decoding: page, as: UTF8.self)
        #expect(!text.contains("<"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(page)) as? [String: String])
        #expect(object == ["a": "</script><script>alert(1)</script><!-- x", "b": "<"])
        #expect(Report.escape(#"a<b>&"c'"#) == "a&lt;b&gt;&amp;&quot;c&#39;")
    }
}

extension ReportCall {
    /// A call with only what the tables look at.
    init(id: Int, method: String, status: StatusCode?, message: String? = nil, start: Timestamp, end: Timestamp, incomplete: Bool = false) {
        self.init(id: id, connection: 0, stream: 1, method: method, status: status, statusMessage: message, start: start, end: end,
                  requests: 1, responses: 1, requestBytes: 0, responseBytes: 0, incomplete: incomplete, hasStatusDetails: false, detail: (0, 0))
    }
}

extension DetailChunks {
    /// A chunk's details, inflated and parsed.
    static func objects(in chunk: [UInt8]) throws -> [[String: Any]] {
        let text = try #require(details(in: chunk))
        return try #require(try JSONSerialization.jsonObject(with: Data(text)) as? [[String: Any]])
    }
}
