import ArgumentParser
import Foundation
import TLS

/// Secrets for decrypting TLS: NSS key log files (`SSLKEYLOGFILE`). A pcapng file's own
/// Decryption Secrets Blocks are read without being asked.
struct KeyLogOptions: ParsableArguments {
    @Option(name: .customLong("keylog"), help: ArgumentHelp(
        "Decrypt TLS with the secrets of this NSS key log (SSLKEYLOGFILE); repeatable. With -i it is read again as it grows.",
        valueName: "file"))
    var files: [String] = []

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    /// Every file's secrets; malformed lines are reported on standard error with their line numbers.
    /// `live`: a file that does not exist yet is fine (it is watched for as it is written).
    func load(live: Bool = false) throws(ReadError) -> KeyLog {
        var keys = KeyLog()
        for path in files {
            if live, !FileManager.default.fileExists(atPath: path) {
                TextOutput.error("\(path): no key log yet; its secrets are read as it is written")
                continue
            }
            var file: InputFile
            do { file = try InputFile(path: path) } catch { throw ReadError(description: "cannot read key log: \(error.description)") }
            defer { file.close() }
            var text: [UInt8] = []
            do {
                while let chunk = try file.read() { text += chunk }
            } catch { throw ReadError(description: "cannot read key log '\(path)': \(error.description)") }
            var log = KeyLog(text: text, source: path)
            for problem in log.problems { TextOutput.error(problem.message) }
            if log.isEmpty, log.problems.isEmpty { TextOutput.error("\(path): no TLS secrets in this key log") }
            log.forgetProblems()
            keys.merge(log)
        }
        return keys
    }
}
