/// The report as one self-contained HTML page: its style, its data and its script inline, nothing
/// fetched (it opens from `file://` with no network). The page's `<title>` names the capture; the
/// script draws every view from the data (`ReportScript`), each call of the timeline one element
/// with a `data-call-id` attribute.
extension Report {
    public var html: [UInt8] {
        var page: [UInt8] = []
        let data = json.bytes
        page.reserveCapacity(data.count + data.count / 16 + ReportScript.text.utf8.count + 16_384)
        page += Array("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="grpcdump report">
            <title>\(Self.escape(title)) — grpcdump report</title>
            <style>
            \(ReportStyle.text)
            </style>
            </head>
            <body>
            \(ReportStyle.skeleton)
            <script type="application/json" id="report-data">
            """.utf8)
        Self.appendScriptSafe(data, to: &page)
        page += Array("""
            </script>
            <script>
            \(ReportScript.text)
            </script>
            </body>
            </html>

            """.utf8)
        return page
    }

    /// Text for HTML content and attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// JSON inside a `<script>` element: every `<` written as `\u003c` (it can only occur inside
    /// strings, where the escape means the same), so no `</script>` or `<!--` in a message or
    /// header can end the element early (HTML §4.12.1.3).
    static func appendScriptSafe(_ json: [UInt8], to page: inout [UInt8]) {
        var start = 0
        for index in json.indices where json[index] == UInt8(ascii: "<") {
            page += json[start..<index]
            page += Array(#"\u003c"#.utf8)
            start = index + 1
        }
        page += json[start...]
    }
}
