#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file (or standard input) read in large chunks with read(2).
struct InputFile {
    let descriptor: Int32
    let name: String
    /// The file's size when it is a regular file (not standard input or a pipe).
    private(set) var size: Int64?
    private var buffer: [UInt8]

    struct OpenError: Error, CustomStringConvertible {
        let description: String
    }

    init(path: String, chunkSize: Int = 1 << 20) throws(OpenError) {
        name = path == "-" ? "standard input" : path
        if path == "-" {
            descriptor = STDIN_FILENO
        } else {
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw OpenError(description: "cannot open '\(path)': \(String(cString: strerror(errno)))") }
            var status = stat()
            if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
                _ = Glibc.close(descriptor)
                throw OpenError(description: "cannot read '\(path)': it is a directory")
            }
            if status.st_mode & S_IFMT == S_IFREG { size = Int64(status.st_size) }
        }
        buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    /// The most a read returns.
    var chunkSize: Int { buffer.count }

    /// The next chunk, or `nil` at the end of the file.
    mutating func read() throws(OpenError) -> ArraySlice<UInt8>? {
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return buffer[0..<count] }
            if count == 0 { return nil }
            if errno == EINTR { continue }
            throw OpenError(description: "cannot read '\(name)': \(String(cString: strerror(errno)))")
        }
    }

    func close() {
        if descriptor != STDIN_FILENO { _ = Glibc.close(descriptor) }
    }
}
