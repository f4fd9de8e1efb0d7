import Foundation
import GRPC
import Packet
import Protobuf
import Schema

/// `--export grpcurl`: each call as a grpcurl command that sends it again — the request messages
/// as JSON (`-d`, decoded against the schemas), its metadata (`-H`), its deadline (`-max-time`),
/// TLS or `-plaintext` as captured, and the schema files as they were given (none: grpcurl then
/// asks the server by reflection). A call grpcurl cannot express is named, with the reason, and
/// its nearest command is given as a comment.
public struct GrpcurlExport: Sendable {
    /// The schema options the user gave, as grpcurl's flags (`-proto`, `-import-path`, `-protoset`).
    public var schemaFlags: [String]

    public init(protoFiles: [String] = [], importPaths: [String] = [], protosets: [String] = []) {
        schemaFlags = importPaths.flatMap { ["-import-path", $0] } + protoFiles.flatMap { ["-proto", $0] } + protosets.flatMap { ["-protoset", $0] }
    }

    /// Why grpcurl cannot send `call` as it was, if it cannot.
    public enum Unexpressible: Equatable, Sendable {
        case notGRPC
        case noPath
        case requestNotCaptured(index: Int)
        case noSchema(type: String?)
        case interleaved

        public var reason: String {
            switch self {
            case .notGRPC: "not a gRPC call"
            case .noPath: "its method (:path) is not known"
            case let .requestNotCaptured(index): "request message \(index + 1) was not captured whole"
            case let .noSchema(type): "grpcurl takes requests as JSON, and no schema loaded describes " + (type ?? "this method's request") + " (give --proto or --protoset)"
            case .interleaved: "responses came between its requests; grpcurl sends every request without waiting"
            }
        }
    }

    /// The command's words, and why it does not send the call as captured (if so).
    public func command(_ call: GRPCCall, server: Endpoint?, types: MessageTypes?) -> (words: [String], unexpressible: Unexpressible?) {
        var words = ["grpcurl"]
        var unexpressible: Unexpressible?
        if call.callProtocol != .grpc && call.callProtocol != .grpcWeb && call.callProtocol != .grpcWebText { unexpressible = .notGRPC }
        if call.security == nil { words.append("-plaintext") }
        if let sni = call.security?.serverName, sni != server?.address.description { words += ["-servername", sni] }
        if let authority = call.authority, authority != server?.description { words += ["-authority", authority] }
        for (name, value) in call.replayableMetadata { words += ["-H", "\(name): \(value)"] }
        if let timeout = call.timeoutNanoseconds { words += ["-max-time", Self.seconds(timeout)] }
        words += schemaFlags
        var documents: [String] = []
        let typeName = types?.typeName(path: call.path, isRequest: true)
        for (index, message) in call.requests.enumerated() {
            guard let bytes = message.bytes else {
                unexpressible = unexpressible ?? .requestNotCaptured(index: index)
                continue
            }
            guard let typeName, let decoder = types?.decoder, let schema = decoder.pool.message(named: typeName) else {
                unexpressible = unexpressible ?? .noSchema(type: typeName)
                continue
            }
            var json = JSONBuffer()
            _ = decoder.writeJSON(bytes[...], as: schema, preserveNames: false, into: &json)
            documents.append(json.text)
        }
        if unexpressible == nil, let lastRequest = call.requests.last, call.responses.contains(where: { $0.time < lastRequest.time }), call.requests.count > 1 {
            unexpressible = .interleaved
        }
        words += ["-d", documents.joined(separator: " ")]
        words.append(server?.description ?? call.authority ?? "HOST:PORT")
        if let path = call.path { words.append(String(path.drop { $0 == "/" })) } else { unexpressible = unexpressible ?? .noPath }
        return (words, unexpressible)
    }

    /// Lines for one call: a comment naming it, then the command (commented out, with the reason,
    /// when grpcurl cannot send the call as it was).
    public func lines(_ call: GRPCCall, summary: String, server: Endpoint?, types: MessageTypes?) -> [String] {
        let (words, unexpressible) = command(call, server: server, types: types)
        let text = words.map(Self.shellQuoted).joined(separator: " ")
        guard let unexpressible else { return ["# " + summary, text] }
        return ["# " + summary, "# not expressible with grpcurl: " + unexpressible.reason, "# " + text]
    }

    /// A word for sh: as it is when it holds only safe characters, else in single quotes.
    static func shellQuoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || "-_./:=,@+%".unicodeScalars.contains(scalar)
        }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    static func seconds(_ nanoseconds: Int64) -> String {
        var text = String(nanoseconds / 1_000_000_000)
        let fraction = nanoseconds % 1_000_000_000
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 9 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }
}
