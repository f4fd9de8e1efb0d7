import Analysis
import WireCore

/// What one thread rendered of a batch of records: its text, cut into pieces by `OrderKey` so
/// that several threads' shares can be merged in capture order (`OutputMerger`).
struct RenderedShare: Sendable {
    /// A piece: the text from the previous piece's `end` up to its own, then a diagnostic (on
    /// standard error) if it has one.
    struct Piece: Sendable {
        var key: OrderKey
        var end: Int
        var diagnostic: String?
    }

    var text: [UInt8] = []
    /// In key order.
    var pieces: [Piece] = []

    /// The packet stage's diagnostics (they have no text before them).
    init(diagnostics: [(key: OrderKey, diagnostic: Diagnostic)]) {
        pieces = diagnostics.map { Piece(key: $0.key, end: 0, diagnostic: $0.diagnostic.description) }
    }

    init() {}

    /// Marks what `out` (a kept output, whose text becomes this share's) made since the last
    /// call as the pieces of `key`.
    mutating func mark(_ key: OrderKey, in out: inout TextOutput) {
        for diagnostic in out.takeDiagnostics() { pieces.append(Piece(key: key, end: diagnostic.offset, diagnostic: diagnostic.text)) }
        if out.pending.count > (pieces.last?.end ?? 0) { pieces.append(Piece(key: key, end: out.pending.count)) }
    }
}

/// Writes several threads' shares of a batch to standard output and standard error in capture
/// order (a merge by `OrderKey`), as one thread would have written them.
struct OutputMerger {
    private var out = TextOutput()
    /// Printed before the first text (the TCP table's header), then forgotten.
    private var header: String?

    init(header: String?) {
        self.header = header
    }

    mutating func merge(_ shares: [RenderedShare]) {
        defer { out.flush() }
        var next = Array(repeating: 0, count: shares.count)  // each share's next piece
        var written = Array(repeating: 0, count: shares.count)  // and how much of its text is out
        while true {
            var chosen: Int?
            for (index, share) in shares.enumerated() where next[index] < share.pieces.count {
                if let best = chosen, shares[best].pieces[next[best]].key <= share.pieces[next[index]].key { continue }
                chosen = index
            }
            guard let index = chosen else { return }
            let piece = shares[index].pieces[next[index]]
            next[index] += 1
            if piece.end > written[index] {
                if let header {
                    out.line(header)
                    self.header = nil
                }
                out.write(shares[index].text[written[index]..<piece.end])
                written[index] = piece.end
            }
            if let diagnostic = piece.diagnostic { out.diagnostic(diagnostic) }
        }
    }

    /// Lines after the capture's (`--stats`).
    mutating func line(_ text: String) {
        out.line(text)
    }

    mutating func flush() {
        out.flush()
    }
}
