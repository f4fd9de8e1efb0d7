import ArgumentParser
import Foundation
import Report
import Schema
#if canImport(Glibc)
import Glibc
#endif

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
        var request: ViewRequest
        do {
            request = ViewRequest(input: input, output: try OutputOptions.parse([]), filter: calls.filter,
                                  types: try await SchemaLoader(options: schemas).load(), preserveNames: schemas.preserveNames)
            request.keyLog = try keys.load(live: input.interface != nil)
            request.keyLogFiles = keys.files
        } catch let error as CustomStringConvertible {
            TextOutput.error(error.description)
            throw ExitCode(2)
        }
        do {
            request.report = try ReportDestination(path: output, title: title(input), filterText: filterText(input))
        } catch {
            TextOutput.error(error.description)
            throw ExitCode(1)
        }
        defer { request.report?.discard() }
        // ReadCommand and LiveCommand write the page once the capture is read; it is removed if not.
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

/// The page `grpcdump report` writes: its file is opened before the capture is read (a live
/// capture may give up root before it ends, as with -w) and removed again if no page is written.
final class ReportDestination {
    /// Messages longer than this are listed in the page without their content.
    static let maxMessageBytes = 16 << 10

    struct OpenError: Error, CustomStringConvertible {
        var description: String
    }

    let path: String
    let title: String
    let filterText: String
    private var descriptor: Int32
    private(set) var written = false

    init(path: String, title: String, filterText: String) throws(OpenError) {
        self.path = path
        self.title = title
        self.filterText = filterText
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw OpenError(description: "cannot write '\(path)': \(String(cString: strerror(errno)))") }
        if let owner = PrivilegeDrop.invokingUser { _ = fchown(descriptor, owner.uid, owner.gid) }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Writes the page of a finished pipeline; false (and a message) when it could not be written.
    func write(_ report: Report?) -> Bool {
        guard let report, descriptor >= 0 else { return false }
        let page = report.html
        var offset = 0
        while offset < page.count {
            let count = page[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                TextOutput.error("cannot write '\(path)': \(String(cString: strerror(errno)))")
                return false
            }
            offset += count
        }
        close(descriptor)
        descriptor = -1
        written = true
        TextOutput.error("report: \(report.callCount) call\(report.callCount == 1 ? "" : "s") written to \(path) (\(page.count) bytes)")
        return true
    }

    /// No page after all (nothing readable, or it failed): the file opened for it is removed.
    func discard() {
        guard !written else { return }
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(path)
    }
}
