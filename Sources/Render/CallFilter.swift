import GRPC
import Packet

/// Which calls to show: `--method GLOB`, `--status CODE|NAME`, `--host ADDRESS`, `--port N`.
/// Every given criterion must hold.
public struct CallFilter: Sendable {
    public var methodGlob: String?
    public var statuses: [StatusCode] = []
    public var host: IPAddress?
    public var port: UInt16?

    public init(methodGlob: String? = nil, statuses: [StatusCode] = [], host: IPAddress? = nil, port: UInt16? = nil) {
        self.methodGlob = methodGlob
        self.statuses = statuses
        self.host = host
        self.port = port
    }

    public var isEmpty: Bool { methodGlob == nil && statuses.isEmpty && host == nil && port == nil }

    public func matches(_ call: GRPCCall, endpoints: (client: Endpoint, server: Endpoint)?) -> Bool {
        if !statuses.isEmpty {
            guard let code = call.status?.code, statuses.contains(code) else { return false }
        }
        return mayMatch(path: call.path, endpoints: endpoints)
    }

    /// Every criterion but the status: for messages of a call still in progress.
    public func mayMatch(path: String?, endpoints: (client: Endpoint, server: Endpoint)?) -> Bool {
        if let methodGlob {
            // A glob without a leading `/` matches the path without it too: `*.UserService/*`.
            let path = path ?? ""
            guard Glob.matches(methodGlob, path) || Glob.matches(methodGlob, String(path.drop { $0 == "/" })) else { return false }
        }
        if let host {
            guard let endpoints, endpoints.client.address == host || endpoints.server.address == host else { return false }
        }
        if let port {
            guard let endpoints, endpoints.client.port == port || endpoints.server.port == port else { return false }
        }
        return true
    }
}

/// Shell-style globs: `*` any run of characters, `?` one character, `[abc]` / `[a-z]` / `[!a]` a set.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(Array(pattern), 0, Array(text), 0)
    }

    private static func matches(_ p: [Character], _ i: Int, _ t: [Character], _ j: Int) -> Bool {
        var i = i, j = j
        var starI = -1, starJ = -1
        while j < t.count {
            if i < p.count, p[i] == "*" {
                starI = i
                starJ = j
                i += 1
            } else if i < p.count, let (matched, next) = single(p, i, t[j]), matched {
                i = next
                j += 1
            } else if starI >= 0 {
                i = starI + 1
                starJ += 1
                j = starJ
            } else {
                return false
            }
        }
        while i < p.count, p[i] == "*" { i += 1 }
        return i == p.count
    }

    /// Whether the pattern element at `i` matches `c`, and where the next element starts.
    private static func single(_ p: [Character], _ i: Int, _ c: Character) -> (Bool, Int)? {
        switch p[i] {
        case "?": return (true, i + 1)
        case "[":
            guard let close = p[(i + 1)...].firstIndex(of: "]"), close > i + 1 else { return (p[i] == c, i + 1) }
            var set = Array(p[(i + 1)..<close])
            let negate = set.first == "!"
            if negate { set.removeFirst() }
            var found = false
            var k = 0
            while k < set.count {
                if k + 2 < set.count, set[k + 1] == "-" {
                    if set[k] <= c && c <= set[k + 2] { found = true }
                    k += 3
                } else {
                    if set[k] == c { found = true }
                    k += 1
                }
            }
            return (found != negate, close + 1)
        default:
            return (p[i] == c, i + 1)
        }
    }
}
