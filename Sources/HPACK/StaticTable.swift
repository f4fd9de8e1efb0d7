/// The HPACK static table, RFC 7541 Appendix A: 61 predefined header fields, addressed by wire
/// indices 1...61 (RFC 7541 §2.3.1). Dynamic table entries follow from index 62 (§2.3.3).
///
/// Provenance: RFC 7541 Appendix A, cross-checked entry by entry against the static table of the
/// Python `hpack` 4.2.0 package (`hpack/table.py`).
public enum StaticTable {
    /// Number of entries; the first dynamic table entry has wire index `count + 1` (62).
    public static let count = 61

    /// The entry for wire index `index` (1...61), or `nil` outside that range.
    public static func entry(at index: Int) -> (name: [UInt8], value: [UInt8])? {
        guard index >= 1 && index <= count else { return nil }
        return entries[index - 1]
    }

    /// The entries as bytes, built once; index 0 here is wire index 1.
    static let entries: [(name: [UInt8], value: [UInt8])] = rows.map { (Array($0.utf8), Array($1.utf8)) }
    /// The entries' text, shared by every field that refers to them; index 0 here is wire index 1.
    static let texts: [SharedFieldText] = entries.map { SharedFieldText(name: $0.name, value: $0.value) }

    private static let rows: [(String, String)] = [
        (":authority", ""),                     // 1
        (":method", "GET"),                     // 2
        (":method", "POST"),                    // 3
        (":path", "/"),                         // 4
        (":path", "/index.html"),               // 5
        (":scheme", "http"),                    // 6
        (":scheme", "https"),                   // 7
        (":status", "200"),                     // 8
        (":status", "204"),                     // 9
        (":status", "206"),                     // 10
        (":status", "304"),                     // 11
        (":status", "400"),                     // 12
        (":status", "404"),                     // 13
        (":status", "500"),                     // 14
        ("accept-charset", ""),                 // 15
        ("accept-encoding", "gzip, deflate"),   // 16
        ("accept-language", ""),                // 17
        ("accept-ranges", ""),                  // 18
        ("accept", ""),                         // 19
        ("access-control-allow-origin", ""),    // 20
        ("age", ""),                            // 21
        ("allow", ""),                          // 22
        ("authorization", ""),                  // 23
        ("cache-control", ""),                  // 24
        ("content-disposition", ""),            // 25
        ("content-encoding", ""),               // 26
        ("content-language", ""),               // 27
        ("content-length", ""),                 // 28
        ("content-location", ""),               // 29
        ("content-range", ""),                  // 30
        ("content-type", ""),                   // 31
        ("cookie", ""),                         // 32
        ("date", ""),                           // 33
        ("etag", ""),                           // 34
        ("expect", ""),                         // 35
        ("expires", ""),                        // 36
        ("from", ""),                           // 37
        ("host", ""),                           // 38
        ("if-match", ""),                       // 39
        ("if-modified-since", ""),              // 40
        ("if-none-match", ""),                  // 41
        ("if-range", ""),                       // 42
        ("if-unmodified-since", ""),            // 43
        ("last-modified", ""),                  // 44
        ("link", ""),                           // 45
        ("location", ""),                       // 46
        ("max-forwards", ""),                   // 47
        ("proxy-authenticate", ""),             // 48
        ("proxy-authorization", ""),            // 49
        ("range", ""),                          // 50
        ("referer", ""),                        // 51
        ("refresh", ""),                        // 52
        ("retry-after", ""),                    // 53
        ("server", ""),                         // 54
        ("set-cookie", ""),                     // 55
        ("strict-transport-security", ""),      // 56
        ("transfer-encoding", ""),              // 57
        ("user-agent", ""),                     // 58
        ("vary", ""),                           // 59
        ("via", ""),                            // 60
        ("www-authenticate", ""),               // 61
    ]
}
