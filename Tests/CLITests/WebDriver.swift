import Foundation

/// A headless Chromium driven through chromedriver (W3C WebDriver over HTTP on loopback), for
/// tests that click in a page the way a person would. Started per test, stopped by `quit()`; the
/// driver itself exits with the test process at the latest.
final class WebDriver {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static var available: Bool { ["chromium", "chromedriver", "curl"].allSatisfy { CommandRunner.which($0) != nil } }

    private let process = Process()
    private let base: URL
    private var session = ""

    init(width: Int = 1400, height: Int = 1000) throws {
        let port = Int.random(in: 30_000..<60_000)
        base = URL(string: "http://127.0.0.1:\(port)")!
        process.executableURL = CommandRunner.which("chromedriver")
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while ((try? request("GET", "/status"))?["value"] as? [String: Any])?["ready"] as? Bool != true {
            guard Date() < deadline, process.isRunning else { throw Failure(description: "chromedriver did not start on port \(port)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let options: [String: Any] = ["binary": CommandRunner.which("chromium")!.path,
                                      "args": ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=\(width),\(height)"]]
        let answer = try request("POST", "/session", ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]])
        guard let id = (answer["value"] as? [String: Any])?["sessionId"] as? String else { throw Failure(description: "no WebDriver session: \(answer)") }
        session = "/session/" + id
    }

    deinit { quit() }

    func quit() {
        if !session.isEmpty { _ = try? request("DELETE", session) }
        session = ""
        if process.isRunning { process.terminate() }
    }

    func open(_ url: URL) throws { _ = try request("POST", session + "/url", ["url": url.absoluteString]) }

    /// The result of a script run in the page (`return …`).
    func run(_ script: String) throws -> Any? { try request("POST", session + "/execute/sync", ["script": script, "args": []])["value"] ?? nil }

    /// Waits (at most 10 s) until `script` returns true.
    func waitFor(_ script: String) throws {
        let deadline = Date().addingTimeInterval(10)
        while try run(script) as? Bool != true {
            guard Date() < deadline else { throw Failure(description: "still false after 10 s: \(script)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func click(_ selector: String) throws {
        let found = try request("POST", session + "/element", ["using": "css selector", "value": selector])
        guard let element = (found["value"] as? [String: Any])?.values.first as? String else { throw Failure(description: "no element \(selector)") }
        _ = try request("POST", session + "/element/\(element)/click", [:])
    }

    /// A PNG of the window.
    func screenshot() throws -> Data {
        guard let text = try request("GET", session + "/screenshot")["value"] as? String, let png = Data(base64Encoded: text) else {
            throw Failure(description: "no screenshot")
        }
        return png
    }

    /// One WebDriver command, sent with curl (FoundationNetworking's client fails on chromedriver's
    /// answers here: "Failed writing header").
    private func request(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> [String: Any] {
        var arguments = ["--silent", "--show-error", "--max-time", "60", "-X", method, base.absoluteString + path]
        var input: Data?
        if let body {
            input = try JSONSerialization.data(withJSONObject: body)
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
        }
        let result = try CommandRunner.run(CommandRunner.which("curl")!, arguments, stdin: input)
        guard result.status == 0 else { throw Failure(description: "WebDriver \(method) \(path): curl: \(result.stderr)") }
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        if let value = object["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure(description: "WebDriver \(method) \(path): \(error): \(value["message"] ?? "")")
        }
        return object
    }
}
