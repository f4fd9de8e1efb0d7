import Analysis
import Capture
import Render
import Testing
import TestSupport

/// `--json` lines are appended as bytes (`CallView.renderJSON`): what `render` gives as lines,
/// byte for byte, the filter and the count of calls shown included.
@Suite struct JSONLinesTests {
    @Test func bytesAreTheLinesRenderGives() throws {
        let packets = StatisticsMergeTests.connection(port: 40001, path: "/pkg.A/Get", calls: 3)
            + StatisticsMergeTests.connection(port: 40002, path: "/pkg.B/List", calls: 2)
        var session = CaptureSession()
        var events: [AnalysisEvent] = []
        session.feed(CaptureFileBuilder.pcap(packets), into: &events)
        session.finish(into: &events)
        for glob in [nil, "/pkg.B/*"] {
            var asLines = CallView(verbosity: 0, hex: false, json: true), asBytes = asLines
            asLines.filter.methodGlob = glob
            asBytes.filter.methodGlob = glob
            #expect(asBytes.writesJSONLines)
            var lines: [String] = [], bytes: [UInt8] = []
            for event in events {
                lines += asLines.render(event)
                asBytes.renderJSON(event, appendingTo: &bytes)
            }
            #expect(lines.count == (glob == nil ? 5 : 2) && lines.allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
            #expect(String(decoding: bytes, as: UTF8.self) == lines.map { $0 + "\n" }.joined(), "filter \(glob ?? "none")")
            #expect(asBytes.statistics.total == asLines.statistics.total && asLines.statistics.total == lines.count)
        }
    }
}
