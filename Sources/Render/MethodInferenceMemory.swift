import ByteStream
import GRPC
import Schema

/// Methods inferred for calls whose `:path` is not known, remembered per connection: the same
/// unknown header fields on another stream of the connection (the same HPACK entries from before
/// the capture, so the same `:path` entry) name the same method.
struct MethodInferenceMemory {
    private var byConnection: [ConnectionID: [String: (path: String, stream: UInt32)]] = [:]

    /// Sets the call's path when it is not known and the loaded schemas (or another stream of the
    /// connection with the same unknown fields) name one.
    mutating func infer(_ call: inout GRPCCall, types: MessageTypes) {
        guard call.path == nil, call.callProtocol == .grpc else { return }
        // The unknown request fields, by their stable labels: the key of the unknown :path entry.
        let key = call.requestHeaders.filter { $0.name.hasPrefix("<unknown entry") }.map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
        if !key.isEmpty, let known = byConnection[call.connection]?[key] {
            call.path = known.path
            call.methodInferred = true
            call.methodInference = "the same unknown header fields (the same :path entry) as stream \(known.stream), whose method was inferred"
            return
        }
        guard let inference = types.inferMethod(requests: call.requests.compactMap(\.bytes), responses: call.responses.compactMap(\.bytes)) else { return }
        call.path = inference.path
        call.methodInferred = true
        call.methodInference = inference.explanation + (inference.alternatives.isEmpty ? "" : "; also fit: " + inference.alternatives.joined(separator: ", "))
        if !key.isEmpty { byConnection[call.connection, default: [:]][key] = (inference.path, call.streamID) }
    }

    mutating func forget(_ connection: ConnectionID) {
        byConnection[connection] = nil
    }
}
