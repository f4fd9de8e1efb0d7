#if canImport(Glibc)
import Glibc
#endif

/// Buffered line output to standard output (write(2), no stdio); diagnostics go to standard
/// error at once. A kept output (`keeping: true`, a decoding thread's) writes nothing: its text
/// and diagnostics wait to be taken and merged in capture order (`OutputMerger`).
struct TextOutput {
    private(set) var pending: [UInt8] = []
    private let keeps: Bool
    /// Kept diagnostics, each with the length of `pending` when it came.
    private var keptDiagnostics: [(offset: Int, text: String)] = []

    init(keeping: Bool = false) {
        keeps = keeping
    }

    mutating func line(_ text: String) {
        appendLines { pending in
            pending.append(contentsOf: text.utf8)
            pending.append(0x0A)
        }
    }

    /// Lines appended as bytes by `write`, each with its newline; written out past 64 KiB.
    mutating func appendLines(_ write: (inout [UInt8]) -> Void) {
        write(&pending)
        if pending.count >= 64 << 10, !keeps { flush() }
    }

    /// Text already made of lines (a large piece is written as it is, not copied).
    mutating func write(_ text: ArraySlice<UInt8>) {
        guard keeps || text.count < 16 << 10 else {
            flush()
            return text.withUnsafeBytes { Self.writeAll($0, to: STDOUT_FILENO) }
        }
        appendLines { $0 += text }
    }

    /// A diagnostic, on standard error after the lines before it.
    mutating func diagnostic(_ text: String) {
        guard !keeps else { return keptDiagnostics.append((pending.count, text)) }
        flush()
        Self.error(text)
    }

    mutating func flush() {
        guard !keeps else { return }
        Self.writeAll(pending, to: STDOUT_FILENO)
        pending.removeAll(keepingCapacity: true)
    }

    /// A kept output's diagnostics so far, taken.
    mutating func takeDiagnostics() -> [(offset: Int, text: String)] {
        defer { keptDiagnostics.removeAll() }
        return keptDiagnostics
    }

    /// A kept output's text so far, taken; the next starts with as much room.
    mutating func takeText() -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(pending.count)
        swap(&text, &pending)
        return text
    }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static func wantsColour(disabled: Bool) -> Bool {
        !disabled && isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil
    }

    /// A progress line on standard error, rewritten in place (only when standard error is a terminal).
    static func progress(_ text: String?) {
        guard isatty(STDERR_FILENO) == 1 else { return }
        writeAll(Array(("\r\u{1B}[K" + (text.map { "grpcdump: " + $0 } ?? "")).utf8), to: STDERR_FILENO)
    }

    /// One line to standard output at once (for long-running commands whose output is followed live).
    static func immediate(_ text: String) {
        writeAll(Array((text + "\n").utf8), to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        writeAll(Array(("grpcdump: " + text + "\n").utf8), to: STDERR_FILENO)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { writeAll($0, to: descriptor) }
    }

    private static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }  // e.g. a closed pipe: nothing more can be shown
            offset += written
        }
    }
}
