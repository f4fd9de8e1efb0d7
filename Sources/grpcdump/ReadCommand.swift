import Analysis
import Render

/// Reading a capture file: the file's chunks through the pipeline, a progress line on a terminal.
struct ReadCommand {
    let path: String
    let request: ViewRequest

    /// Returns the exit status: 0 when the capture could be read, 1 when nothing could, 2 for a bad filter.
    func run() -> Int32 {
        var pipeline: CapturePipeline
        do {
            pipeline = try CapturePipeline(request, bpfFilter: request.input.filter.joined(separator: " "), live: false)
        } catch {
            TextOutput.error(error.description)
            return 2
        }
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
            if let line = progress.advance(by: chunk.count) {
                pipeline.flush()  // the calls so far first, then the progress line
                TextOutput.progress(line)
            }
            pipeline.feed(chunk)
        }
        progress.clear()
        pipeline.finish()
        if let readError { TextOutput.error(readError) }
        if let output = request.input.writeFile {
            do {
                try CaptureBundle.write(from: path, to: output, randoms: pipeline.session.analyzer.clientRandoms, keyLog: pipeline.session.analyzer.keyLog)
            } catch {
                TextOutput.error(error.description)
                return 1
            }
        }
        TextOutput.error(CaptureSummary.text(pipeline.session.statistics, connections: pipeline.connections, http2: pipeline.session.statistics.http2))
        return pipeline.session.foundCapture ? 0 : 1
    }
}
