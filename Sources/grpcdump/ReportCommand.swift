import ArgumentParser
import Foundation
import Report
import Schema

/// `grpcdump report FILE -o report.html`: the capture's calls, flow control and problems drawn on
/// one self-contained HTML page (docs/report.md). Also live: `grpcdump report -i IFACE --duration S`.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpcdump report",
        abstract: "Write one self-contained HTML page of a capture: timeline, flow control, methods, errors.",
        discussion: """
            The page opens offline (file://), with everything inline. The capture is a file (first \
            argument, or -r) or a live interface (-i, with --duration or -c; Ctrl-C ends it and \
            writes the page). A filter expression in tcpdump's syntax may follow; --method, \
            --status, --host and --port choose the calls shown.
            """)

    @OptionGroup var input: InputOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var output: String

    @OptionGroup(title: "Call filters") var calls: CallFilterOptions
    @OptionGroup(title: "Schemas") var schemas: SchemaOptions
    @OptionGroup(title: "TLS") var keys: KeyLogOptions

    /// `grpcdump report FILE …` is `grpcdump report -r FILE …` (the capture first, as tcpdump's -r
    /// would be, unless -r or -i says where packets come from).
    static func arguments(_ arguments: [String]) -> [String] {
        let named = arguments.contains { ["-r", "--read", "-i", "--interface", "-D", "--list-interfaces", "-h", "--help"].contains($0) }
        guard !named, let first = arguments.first, !first.hasPrefix("-") || first == "-" else { return arguments }
        return ["-r", first] + arguments.dropFirst()
    }

    func validate() throws {
        if input.threads.map({ $0 != 1 }) ?? false { throw ValidationError("a report is made on one thread: leave --threads out") }
    }

    func run() async throws {
        if input.listInterfaces { return try LiveCommand.listInterfaces() }
        var input = input
        input.threads = 1
        let request: ViewRequest
        do {
            var built = ViewRequest(input: input, output: try OutputOptions.parse([]), filter: calls.filter,
                                    types: try await SchemaLoader(options: schemas).load(), preserveNames: schemas.preserveNames)
            built.keyLog = try keys.load(live: input.interface != nil)
            built.keyLogFiles = keys.files
            built.report = ReportDestination(path: output, title: title(input), filterText: filterText(input))
            request = built
        } catch let error as CustomStringConvertible {
            TextOutput.error(error.description)
            throw ExitCode(2)
        }
        // The page is written where the view would have ended; open it to see it.
        let exitCode = if let interface = input.interface {
            LiveCommand(interface: interface, request: request).run()
        } else {
            ReadCommand(path: input.file ?? "-", request: request).run()
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    private func title(_ input: InputOptions) -> String {
        if let interface = input.interface { return "live capture on \(interface)" }
        guard let file = input.file, file != "-" else { return "standard input" }
        return URL(fileURLWithPath: file).lastPathComponent
    }

    /// What chose the calls, as the user wrote it.
    private func filterText(_ input: InputOptions) -> String {
        var parts: [String] = []
        if !input.filter.isEmpty { parts.append(input.filter.joined(separator: " ")) }
        if let method = calls.method { parts.append("--method \(method)") }
        for status in calls.status { parts.append("--status \(status)") }
        if let host = calls.host { parts.append("--host \(host)") }
        if let port = calls.port { parts.append("--port \(port)") }
        return parts.joined(separator: " ")
    }
}

/// Where and under what title `grpcdump report` writes its page.
struct ReportDestination {
    /// Messages longer than this are listed in the page without their content.
    static let maxMessageBytes = 16 << 10

    let path: String
    let title: String
    let filterText: String

    /// Writes the page of a finished pipeline; false (and a message) when it could not be written.
    func write(_ report: Report?) -> Bool {
        guard let report else { return false }
        let page = report.html
        do {
            try Data(page).write(to: URL(fileURLWithPath: path))
        } catch {
            TextOutput.error("cannot write '\(path)': \((error as NSError).localizedDescription)")
            return false
        }
        TextOutput.error("report: \(report.callCount) call\(report.callCount == 1 ? "" : "s") written to \(path) (\(page.count) bytes)")
        return true
    }
}
