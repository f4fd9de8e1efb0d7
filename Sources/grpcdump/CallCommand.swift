import ArgumentParser
import Reference

/// `grpcdump call`: the reference gRPC client, running documented scenarios (docs/reference.md).
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpcdump call",
        abstract: "Run reference client scenarios against a reference server.",
        discussion: "Without --target, a reference server is started on a free loopback port for the run. Exit status 1 if a scenario did not behave as specified.")

    @Option(help: "Server address as HOST:PORT.") var target: String?
    @Option(help: "Scenario to run, or 'all' (repeatable).") var scenario: [String] = ["all"]
    @Flag(help: "List the scenarios and exit.") var list = false
    @Flag(help: "Log each call on standard error.") var verbose = false
    @OptionGroup var tlsOptions: TLSOptions

    func validate() throws {
        for name in scenario where name != "all" && Scenario.named(name) == nil {
            throw ValidationError("unknown scenario '\(name)'; known: \(Scenario.all.map(\.name).joined(separator: ", "))")
        }
        if let target, Self.split(target) == nil { throw ValidationError("--target must be HOST:PORT, got '\(target)'") }
    }

    static func split(_ target: String) -> (String, Int)? {
        guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        return (String(target[..<colon]), port)
    }

    func run() async throws {
        if list {
            for scenario in Scenario.all { TextOutput.immediate("\(scenario.name): \(scenario.summary)") }
            return
        }
        let chosen = scenario.contains("all") ? Scenario.all : scenario.compactMap(Scenario.named)
        let log = verbose ? CallLog { TextOutput.error($0) } : CallLog.silent
        let tls = try tlsOptions.settings()
        let results: [ScenarioResult]
        if let target, let (host, port) = Self.split(target) {
            results = await Self.run(chosen, ReferenceClient(host: host, port: port, tls: tls, log: log))
        } else {
            results = try await ReferenceServer.with(tls: tls, log: log) { port in
                await Self.run(chosen, ReferenceClient(host: "127.0.0.1", port: port, tls: tls, log: log))
            }
        }
        let failed = results.filter { !$0.passed }
        TextOutput.immediate("\(results.count - failed.count) of \(results.count) scenarios passed")
        if !failed.isEmpty { throw ExitCode(1) }
    }

    /// Runs scenarios one after the other, printing each result as it comes.
    static func run(_ scenarios: [Scenario], _ client: ReferenceClient) async -> [ScenarioResult] {
        var results: [ScenarioResult] = []
        for scenario in scenarios {
            let result = await scenario.result(against: client)
            TextOutput.immediate("\(result.passed ? "PASS" : "FAIL") \(result.name)")
            for line in result.lines { TextOutput.immediate("  " + line) }
            results.append(result)
        }
        return results
    }
}
