import Protobuf

/// Which schema type each gRPC message is decoded as (docs/schemas.md): the request and response
/// types of the method named by the call's `:path`, unless `--type`, `--request-type` or
/// `--response-type` force one. Messages with no type are decoded raw.
public struct MessageTypes: Sendable {
    public let pool: DescriptorPool
    public let decoder: SchemaDecoder
    /// Forces the type of every message (`--type`).
    public var forcedType: String?
    public var forcedRequestType: String?
    public var forcedResponseType: String?

    public init(pool: DescriptorPool) {
        self.pool = pool
        decoder = SchemaDecoder(pool: pool)
    }

    /// The same types sharing no storage with these (`DescriptorPool.independentCopy`).
    public func independentCopy() -> MessageTypes {
        var copy = MessageTypes(pool: pool.independentCopy())
        copy.forcedType = forcedType
        copy.forcedRequestType = forcedRequestType
        copy.forcedResponseType = forcedResponseType
        return copy
    }

    /// The message type of one direction of a call, or nil when nothing names one.
    public func typeName(path: String?, isRequest: Bool) -> String? {
        if let forced = (isRequest ? forcedRequestType : forcedResponseType) ?? forcedType { return forced }
        guard let path, let method = pool.method(path: path) else { return nil }
        return isRequest ? method.inputType : method.outputType
    }

    public func decode(_ bytes: [UInt8], path: String?, isRequest: Bool) -> SchemaDecoded? {
        guard let type = typeName(path: path, isRequest: isRequest) else { return nil }
        return decoder.decode(bytes[...], as: type)
    }

    /// grpc-status-details-bin (gRPC doc "PROTOCOL-HTTP2.md"): google.rpc.Status, its details
    /// resolved through every loaded schema (so a service's own error detail types show by name).
    public func statusDetails(_ bytes: [UInt8]) -> ProtoValue {
        decoder.decode(bytes[...], as: "google.rpc.Status")?.value ?? GoogleRPC.status(bytes)
    }
}
