import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process running in the background until `stop()`, started once it has printed `waitFor`.
final class Background {
    let process = Process()
    private(set) var said = ""

    init(_ executable: URL, _ arguments: [String], waitFor text: String, onStandardError: Bool) throws {
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        if onStandardError { process.standardError = pipe } else { process.standardOutput = pipe }
        try process.run()
        var data = Data()
        while !String(decoding: data, as: UTF8.self).contains(text) {
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                stop()
                throw CocoaError(.executableLoad)
            }
            data += chunk
        }
        said = String(decoding: data, as: UTF8.self)
    }

    /// SIGKILL: the test runner's children inherit blocked SIGINT/SIGTERM.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

extension Background {
    /// The port in a server's "listening on HOST:PORT" line.
    var listeningPort: Int? {
        guard let range = said.range(of: "listening on ") else { return nil }
        let address = said[range.upperBound...].prefix { !$0.isWhitespace }
        return address.split(separator: ":").last.flatMap { Int($0) }
    }
}
