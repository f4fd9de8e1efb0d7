import Foundation
import TLS

/// Key log files read again as they grow during a live capture (`SSLKEYLOGFILE=keys ./app` next
/// to `grpcdump -i lo --keylog keys`): each poll reads what was appended since the last one, and a
/// file that does not exist yet is looked for again. A file once opened stays open, so that it
/// can still be read after `-Z` gave up the rights to open it.
struct KeyLogFollower {
    private struct Followed {
        var path: String
        var handle: FileHandle?
        var offset: UInt64 = 0
        /// The file's lines so far (a line without its newline waits for the rest).
        var log: KeyLog
        var reportedProblems = 0
        var generation = 0
    }

    private var files: [Followed]

    init(paths: [String]) {
        files = paths.map { Followed(path: $0, log: KeyLog()) }
    }

    var isEmpty: Bool { files.isEmpty }

    /// The secrets of every file that grew since the last poll (all its secrets: merging is idempotent).
    mutating func poll() -> KeyLog? {
        var found: KeyLog?
        for index in files.indices {
            if files[index].handle == nil { files[index].handle = FileHandle(forReadingAtPath: files[index].path) }
            guard let handle = files[index].handle else { continue }
            guard (try? handle.seek(toOffset: files[index].offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else { continue }
            files[index].offset += UInt64(data.count)
            files[index].log.add(data)
            for problem in files[index].log.problems.dropFirst(files[index].reportedProblems) { TextOutput.error(problem.message) }
            files[index].reportedProblems = files[index].log.problems.count
            guard files[index].log.generation != files[index].generation else { continue }
            files[index].generation = files[index].log.generation
            var secrets = files[index].log
            secrets.forgetProblems()
            if found == nil { found = KeyLog() }
            found!.merge(secrets)
        }
        return found
    }
}
