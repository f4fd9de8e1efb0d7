import Analysis
import Foundation
import Render
import Report
import Testing
import TestSupport

/// `grpcdump report` of each hostile capture (at a size a test can afford): the page is made,
/// its data is valid JSON, and the well-formed call after the attack is on it with its status.
@Suite struct HostileReportTests {
    @Test(arguments: HostileCapture.allCases)
    func theReportOfAnAttackStillShowsTheCallAfterIt(_ capture: HostileCapture) throws {
        var configuration = Analyzer.Configuration()
        configuration.describesFrames = true
        var session = CaptureSession(configuration: configuration)
        var collector = ReportCollector(options: .init(filter: CallFilter(), style: CallJSON.Style(types: nil, preserveNames: false, maxMessageBytes: 16 << 10)))
        var events: [AnalysisEvent] = []
        session.feed(capture.capture(scale: 0.01), into: &events)
        session.finish(into: &events)
        collector.add(events)
        let report = Report(collector, statistics: session.statistics, title: "\(capture)")
        let page = String(decoding: report.html, as: UTF8.self)
        let start = try #require(page.range(of: #"<script type="application/json" id="report-data">"#)).upperBound
        let end = try #require(page.range(of: "</script>", range: start..<page.endIndex)).lowerBound
        let data = try #require(try JSONSerialization.jsonObject(with: Data(page[start..<end].utf8)) as? [String: Any])
        let methods = try #require(data["methods"] as? [String])
        let calls = try #require(data["calls"] as? [[Int]])
        #expect(calls.count == report.callCount)
        // [id, connection, row, method, status, …]: the Health/Check after the attack ended OK.
        let check = try #require(methods.firstIndex(of: HostileCapture.checkPath))
        #expect(calls.contains { $0[3] == check && $0[4] == 0 })
    }
}
