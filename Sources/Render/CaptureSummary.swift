import Analysis
import Capture
import Packet

/// The closing summary of a capture read, written to standard error like tcpdump's counts.
public enum CaptureSummary {
    public static func text(_ statistics: CaptureStatistics, connections: Int, http2: HTTP2Statistics? = nil) -> String {
        var text = "\(statistics.packets) packet\(statistics.packets == 1 ? "" : "s")"
        var details: [String] = []
        if let format = statistics.format { details.append("\(format)") }
        let linkTypes = Array(Set(statistics.interfaces.map(\.linkType))).sorted { $0.rawValue < $1.rawValue }
        if !linkTypes.isEmpty { details.append(linkTypes.map { $0.name ?? "\($0.rawValue)" }.joined(separator: "+")) }
        if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
        text += ": \(statistics.tcpPackets) TCP in \(connections) connection\(connections == 1 ? "" : "s")"
        if statistics.filteredOut > 0 { text += ", \(statistics.filteredOut) filtered out" }
        if statistics.skippedTotal > 0 {
            let reasons = statistics.skipped.sorted { $0.value > $1.value || ($0.value == $1.value && "\($0.key)" < "\($1.key)") }
                .map { "\($0.value) \($0.key)" }
            text += ", \(statistics.skippedTotal) skipped (" + reasons.joined(separator: ", ") + ")"
        }
        if let http2, http2.http2Connections + http2.frames > 0 || http2.tlsConnections == 0 {
            text += "; HTTP/2: \(http2.http2Connections) connection\(http2.http2Connections == 1 ? "" : "s"), \(http2.frames) frames"
            if http2.violations > 0 { text += ", \(http2.violations) protocol violation\(http2.violations == 1 ? "" : "s")" }
        }
        if let http2 {
            let others = http2.otherConnections.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
            if !others.isEmpty { text += "; other connections: " + others.joined(separator: ", ") }
        }
        if let http2, http2.http1Connections > 0 {
            text += "; HTTP/1.x: \(http2.http1Connections) connection\(http2.http1Connections == 1 ? "" : "s")"
        }
        if let http2, http2.tlsConnections > 0 {
            text += "; TLS: \(http2.tlsConnections) connection\(http2.tlsConnections == 1 ? "" : "s"), \(http2.tlsDecrypted) decrypted"
        }
        if statistics.truncatedPackets > 0 { text += ", \(statistics.truncatedPackets) cut by the snapshot length" }
        if statistics.diagnostics > 0 { text += "; \(statistics.diagnostics) warning\(statistics.diagnostics == 1 ? "" : "s")" }
        return text
    }
}
