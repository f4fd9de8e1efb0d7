#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Render

/// Reading a capture file: the file's chunks through the pipeline, a progress line on a terminal.
struct ReadCommand {
    let path: String
    let request: ViewRequest

    /// Returns the exit status: 0 when the capture could be read, 1 when nothing could, 2 for a bad filter.
    func run() -> Int32 {
        let filter = request.input.filter.joined(separator: " "), threads = request.input.threadCount(fileSize: Self.regularFileSize(path))
        do {
            if threads == 1 {
                var pipeline = try CapturePipeline(request, bpfFilter: filter, live: false)
                return run(&pipeline)
            }
            var pipeline = try ThreadedPipeline(request, bpfFilter: filter, threads: threads)
            return run(&pipeline)
        } catch {
            TextOutput.error(error.description)
            return 2
        }
    }

    /// The size of the file at `path` when it is a regular file (not standard input or a pipe).
    static func regularFileSize(_ path: String) -> Int64? {
        var status = stat()
        guard path != "-", stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(status.st_size)
    }

    private func run(_ pipeline: inout some CaptureDecoding) -> Int32 {
        var file: InputFile
        do {
            file = try InputFile(path: path)
        } catch {
            TextOutput.error(error.description)
            return 1
        }
        defer { file.close() }
        var readError: String?
        var progress = ProgressLine(totalBytes: file.size)
        while true {
            let chunk: ArraySlice<UInt8>?
            do { chunk = try file.read() } catch {
                readError = error.description
                break
            }
            guard let chunk else { break }
            if let line = progress.advance(by: chunk.count) { pipeline.progress(line) }
            pipeline.feed(chunk)
            if chunk.count < file.chunkSize { pipeline.caughtUp() }
        }
        if progress.isEnabled { pipeline.progress(nil) }
        pipeline.finish()
        if let readError { TextOutput.error(readError) }
        if let output = request.input.writeFile {
            do {
                try CaptureBundle.write(from: path, to: output, randoms: pipeline.clientRandoms, keyLog: pipeline.keyLog)
            } catch {
                TextOutput.error(error.description)
                return 1
            }
        }
        TextOutput.error(CaptureSummary.text(pipeline.statistics, connections: pipeline.connections, http2: pipeline.statistics.http2))
        guard pipeline.foundCapture else { return 1 }
        if let destination = request.report, !destination.write(pipeline.report(for: destination)) { return 1 }
        return 0
    }
}
