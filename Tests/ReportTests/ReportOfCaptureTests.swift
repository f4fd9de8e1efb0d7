import Analysis
import Foundation
import Render
import Testing
@testable import Report

/// A report of a reference capture, checked against what the capture is known to hold
/// (captures/README.md: 76 calls on 21 connections, a 4.5 MiB upload held up by flow control).
struct ReportOfCaptureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func report(_ name: String, filter: CallFilter = CallFilter()) throws -> Report {
        let bytes = try Data(contentsOf: root.appendingPathComponent("captures").appendingPathComponent(name))
        var configuration = Analyzer.Configuration()
        configuration.describesFrames = true
        var session = CaptureSession(configuration: configuration)
        var collector = ReportCollector(options: .init(filter: filter, style: CallJSON.Style(types: nil, preserveNames: false, maxMessageBytes: 16 << 10)))
        var events: [AnalysisEvent] = []
        session.feed(bytes, into: &events)
        session.finish(into: &events)
        collector.add(events)
        return Report(collector, statistics: session.statistics, title: name)
    }

    @Test func callsAreNumberedByStartAndEachHasItsDetail() throws {
        let report = try Self.report("reference-lo.pcap")
        #expect(report.calls.count == 76 && report.connections.count == 21)
        #expect(report.calls.map(\.id) == Array(1...76))
        #expect(zip(report.calls, report.calls.dropFirst()).allSatisfy { $0.start <= $1.start })
        let getUser = try #require(report.methods.first { $0.method == "/userservice.UserService/GetUser" })
        #expect(getUser.calls == 59 && getUser.errors == 5)
        let chunks = try report.details.chunks.map(DetailChunks.objects)
        #expect(chunks.map(\.count) == [76])
        for call in report.calls {
            let detail = chunks[call.detail.chunk][call.detail.index]
            #expect(detail["method"] as? String == call.method)
            #expect(detail["stream_id"] as? Int == Int(call.stream))
            // Every call's HEADERS frames are listed with it, the first at its start.
            let frames = try #require(detail["frames"] as? [[Any]])
            #expect(frames.first?[2] as? String == "HEADERS" && frames.first?[0] as? Int == 0, "call \(call.id)")
        }
    }

    @Test func theUploadIsHeldUpByFlowControlAndTheStallsNameIt() throws {
        let report = try Self.report("reference-lo.pcap")
        let stalls = report.stalls(ids: report.callIDs())
        #expect(!stalls.isEmpty)
        let uploads = Set(report.calls.filter { $0.method == "/reference.FileService/UploadFile" }.map(\.id))
        for item in stalls {
            // Only the client's sending is held up, and only the upload's.
            #expect(item.stall.sender == .clientToServer)
            #expect(item.call.map(uploads.contains) == true, "stall at \(item.stall.start) names call \(String(describing: item.call))")
            #expect(item.stall.durationNanoseconds > 0 && item.stall.ended)
        }
        // The longest, as `grpcdump -r captures/reference-lo.pcap --layer http2 -v` annotates it:
        // "connection unblocked after 2.06ms" on connection 12.
        let longest = try #require(stalls.first)
        #expect(longest.stall.windows == "connection and stream 1")
        #expect((2_000_000..<2_100_000).contains(longest.stall.durationNanoseconds))
    }

    @Test func thePageCarriesTitleDataAndScript() throws {
        let report = try Self.report("reference-lo.pcap", filter: CallFilter(methodGlob: "*GetUser"))
        #expect(report.calls.count == 59 && report.decodedCalls == 76)
        let page = String(decoding: report.html, as: UTF8.self)
        #expect(page.contains("<title>reference-lo.pcap — grpcdump report</title>"))
        for loader in [" src=", "<link", "url(", "@import", "fetch(", "XMLHttpRequest", "import("] {
            #expect(!page.contains(loader), "the page must load nothing: found \(loader)")
        }
        let start = try #require(page.range(of: #"<script type="application/json" id="report-data">"#)).upperBound
        let end = try #require(page.range(of: "</script>", range: start..<page.endIndex)).lowerBound
        let data = try #require(try JSONSerialization.jsonObject(with: Data(page[start..<end].utf8)) as? [String: Any])
        #expect((data["calls"] as? [[Int]])?.count == 59)
        #expect((data["detail_chunks"] as? [String])?.count == 1)
        #expect((data["methods"] as? [String]) == ["/userservice.UserService/GetUser"])
        let capture = try #require(data["capture"] as? [String: Any])
        #expect(capture["calls_decoded"] as? Int == 76 && capture["packets"] as? Int == 639)
    }
}
