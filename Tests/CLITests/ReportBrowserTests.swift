import Foundation
import Testing

/// `grpcdump report` pages loaded in a real browser (Debian's headless Chromium): what a person
/// would see is what the tests read, from the rendered DOM. Screenshots go to
/// $GRPCDUMP_SCREENSHOTS when it is set (docs/report.md's pictures are made so).
@Suite(.enabled(if: WebDriver.available, "chromium and chromedriver are not installed (scripts/setup.sh)"))
struct ReportBrowserTests {
    /// Writes the report of `capture` (in captures/) with `options`; returns its path.
    static func report(_ capture: String, _ options: [String] = []) throws -> URL {
        let directory = try CommandRunner.temporaryDirectory("report")
        let page = directory.appendingPathComponent(capture + ".html")
        let result = try CommandRunner.grpcdump(["report", "captures/" + capture, "-o", page.path] + options)
        try #require(result.status == 0, "grpcdump report failed: \(result.stderr)")
        #expect(result.stderr.contains("written to \(page.path)"))
        return page
    }

    /// The DOM after the page's script ran, from `chromium --dump-dom` (a window tall enough for
    /// every lane of the timeline to be in view).
    static func renderedDOM(_ page: URL, fragment: String = "") throws -> String {
        let result = try CommandRunner.run(CommandRunner.which("chromium")!, [
            "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,4000", "--dump-dom", page.absoluteString + fragment,
        ])
        try #require(result.status == 0, "chromium failed: \(result.stderr)")
        return result.stdout
    }

    static func count(_ pattern: String, in text: String) throws -> Int {
        try NSRegularExpression(pattern: pattern).numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    /// Calls as `grpcdump --json` decodes them: the count the page must show.
    static func decodedCalls(_ capture: String, _ options: [String] = []) throws -> Int {
        let result = try CommandRunner.grpcdump(["-r", "captures/" + capture, "--json"] + options)
        return result.stdout.split(separator: "\n").count
    }

    static func saveScreenshot(_ png: Data, _ name: String) throws {
        #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a PNG of a drawn page")
        guard let directory = ProcessInfo.processInfo.environment["GRPCDUMP_SCREENSHOTS"] else { return }
        try png.write(to: URL(fileURLWithPath: directory).appendingPathComponent(name + ".png"))
    }

    @Test(arguments: [
        ("reference-lo.pcap", [String]()),
        ("reference-tls.pcap", ["--keylog", "captures/reference-tls.keys"]),
        ("grpcio-python.pcap", []),
        ("grpcio-long-cut80.pcap", []),  // joined mid-connection
        ("web-h1.pcap", []),  // gRPC-Web over HTTP/1.1
        ("web-h2.pcap", []),
        ("grpc-go-h2c.pcap", []),  // grpc-go: window updates and a stall from the first milliseconds
    ])
    func everyCallIsOneBarOfTheTimeline(capture: String, options: [String]) throws {
        let page = try Self.report(capture, options)
        let dom = try Self.renderedDOM(page)
        #expect(dom.contains("<title>\(capture) — grpcdump report</title>"))
        #expect(dom.contains(#"<body data-ready="1""#), "the script did not finish")
        #expect(try Self.count(#"<div id="script-error" hidden="""#, in: dom) == 1, "script error shown")
        let calls = try Self.decodedCalls(capture, options)
        #expect(calls > 0)
        #expect(try Self.count(#"class="bar[^"]*" data-call-id="\d+""#, in: dom) == calls)
        for id in 1...calls { #expect(dom.contains(#"data-call-id="\#(id)""#), "call \(id) has no bar") }
        // Axes padded to before the first packet label those times with a minus sign, not "+-".
        #expect(try Self.count(#">\+-\d"#, in: dom) == 0, "a time reads +-")
    }

    @Test func theCaptureSectionNamesConnectionsThatWereNotDecrypted() throws {
        let page = try Self.report("reference-tls.pcap")  // no key log
        let dom = try Self.renderedDOM(page)
        #expect(try Self.count(##"<li><a href="#connection-\d+">connection \d+</a> [^<]*: TLS not decrypted: no key log given \(\d+ records left encrypted\)</li>"##, in: dom) > 0)
        #expect(dom.contains("No calls."))
    }

    @Test func stallsAreShadedOnTheFlowControlChartOfTheUpload() throws {
        let page = try Self.report("reference-lo.pcap")
        let dom = try Self.renderedDOM(page)
        // The chart opens on the connection with the most stalls: the 4.5 MiB upload's.
        let stalls = try Self.count(#"<rect class="stall"[^>]*data-sender="client"[^>]*data-call-id="\d+""#, in: dom)
        #expect(stalls > 10)
        #expect(try Self.count(#"<rect class="stall"[^>]*data-sender="server""#, in: dom) == 0)
        #expect(dom.contains(#"data-series="connection""#))
        // Each stall names the upload's call, and the list of longest stalls links to it.
        let ids = Set(try NSRegularExpression(pattern: #"<rect class="stall"[^>]*data-call-id="(\d+)""#)
            .matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).map { String(dom[Range($0.range(at: 1), in: dom)!]) })
        #expect(ids.count == 1)
        let tooltip = try #require(try NSRegularExpression(pattern: #"<title>client blocked \(connection and stream 1\) for [0-9.]+ (µs|ms); call (\d+)</title>"#)
            .firstMatch(in: dom, range: NSRange(dom.startIndex..., in: dom)))
        #expect(ids.contains(String(dom[Range(tooltip.range(at: 2), in: dom)!])))
        #expect(dom.contains(##"<a href="#call=\##(ids.first!)">call \##(ids.first!)</a>"##))
    }

    @Test func clickingAnErrorCallOpensItsDetail() throws {
        let page = try Self.report("reference-lo.pcap")
        let browser = try WebDriver(width: 1400, height: 2400)
        defer { browser.quit() }
        try browser.open(page)
        #expect(try browser.run("return document.body.dataset.ready") as? String == "1")
        #expect(try browser.run("return document.getElementById('detail').hidden") as? Bool == true)
        // The first NOT_FOUND call of the timeline, by its colour's status in the page's data.
        let id = try #require(try browser.run("""
            const data = JSON.parse(document.getElementById('report-data').textContent);
            return data.calls.find((c) => c[4] === 5)[0];
            """) as? Int)
        try browser.click(".bar[data-call-id=\"\(id)\"]")
        #expect(try browser.run("return location.hash") as? String == "#call=\(id)")
        #expect(try browser.run("return document.getElementById('detail').hidden") as? Bool == false)
        // The detail is inflated from its chunk by the browser, a moment later.
        try browser.waitFor("return document.body.dataset.detail === '\(id)'")
        let detail = try #require(try browser.run("return document.getElementById('detail').innerText") as? String)
        #expect(detail.contains("Call \(id) · /userservice.UserService/GetUser"))
        #expect(detail.contains("NOT_FOUND"))
        #expect(detail.contains("grpc-status\t5"))
        #expect(detail.contains("HTTP/2 frames"))
        #expect(try browser.run("return document.querySelector('.bar.selected').dataset.callId") as? String == String(id))
        try Self.saveScreenshot(try browser.screenshot(), "detail")
        // Escape closes it.
        _ = try browser.run("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
        #expect(try browser.run("return document.getElementById('detail').hidden") as? Bool == true)
        // An error group shows its first call's google.rpc.Status details when opened.
        try browser.click("#errors details summary")
        try browser.waitFor("return document.querySelector('#errors details pre').textContent.includes('type.googleapis.com/google.rpc.')")
    }

    @Test func zoomDrawsFewerCallsAndFitShowsAllAgain() throws {
        let page = try Self.report("reference-lo.pcap")
        let browser = try WebDriver(width: 1400, height: 4000)
        defer { browser.quit() }
        try browser.open(page)
        let bars = "return document.querySelectorAll('#lanes .bar').length"
        #expect(try browser.run(bars) as? Int == 76)
        try Self.saveScreenshot(try browser.screenshot(), "overview")
        for _ in 0..<4 { try browser.click("#zoom-in") }
        _ = try browser.run("return new Promise((done) => requestAnimationFrame(() => done()))")
        let zoomed = try #require(try browser.run(bars) as? Int)
        #expect(zoomed < 76)
        try browser.click("#zoom-fit")
        _ = try browser.run("return new Promise((done) => requestAnimationFrame(() => done()))")
        #expect(try browser.run(bars) as? Int == 76)
    }
}
