/// google.rpc.Status and the standard error details (googleapis google/rpc/status.proto and
/// error_details.proto), described by hand so that grpc-status-details-bin is readable with no
/// schema loaded.
public enum GoogleRPC {
    public static let schemas: [HandSchema] = [
        HandSchema("google.rpc.Status", [1: .init("code", .int32), 2: .init("message", .string), 3: .init("details", .any, repeated: true)]),
        HandSchema("google.rpc.ErrorInfo", [1: .init("reason", .string), 2: .init("domain", .string), 3: .init("metadata", .stringMap)]),
        HandSchema("google.rpc.RetryInfo", [1: .init("retry_delay", .duration)]),
        HandSchema("google.rpc.DebugInfo", [1: .init("stack_entries", .string, repeated: true), 2: .init("detail", .string)]),
        HandSchema("google.rpc.QuotaFailure", [1: .init("violations", .message("google.rpc.QuotaFailure.Violation"), repeated: true)]),
        HandSchema("google.rpc.QuotaFailure.Violation", [
            1: .init("subject", .string), 2: .init("description", .string), 3: .init("api_service", .string),
            4: .init("quota_metric", .string), 5: .init("quota_id", .string), 6: .init("quota_dimensions", .stringMap),
            7: .init("quota_value", .int64), 8: .init("future_quota_value", .int64),
        ]),
        HandSchema("google.rpc.PreconditionFailure", [1: .init("violations", .message("google.rpc.PreconditionFailure.Violation"), repeated: true)]),
        HandSchema("google.rpc.PreconditionFailure.Violation", [1: .init("type", .string), 2: .init("subject", .string), 3: .init("description", .string)]),
        HandSchema("google.rpc.BadRequest", [1: .init("field_violations", .message("google.rpc.BadRequest.FieldViolation"), repeated: true)]),
        HandSchema("google.rpc.BadRequest.FieldViolation", [
            1: .init("field", .string), 2: .init("description", .string), 3: .init("reason", .string),
            4: .init("localized_message", .message("google.rpc.LocalizedMessage")),
        ]),
        HandSchema("google.rpc.RequestInfo", [1: .init("request_id", .string), 2: .init("serving_data", .string)]),
        HandSchema("google.rpc.ResourceInfo", [1: .init("resource_type", .string), 2: .init("resource_name", .string), 3: .init("owner", .string), 4: .init("description", .string)]),
        HandSchema("google.rpc.Help", [1: .init("links", .message("google.rpc.Help.Link"), repeated: true)]),
        HandSchema("google.rpc.Help.Link", [1: .init("description", .string), 2: .init("url", .string)]),
        HandSchema("google.rpc.LocalizedMessage", [1: .init("locale", .string), 2: .init("message", .string)]),
    ]

    public static let decoder = HandSchemaDecoder(schemas)

    /// grpc-status-details-bin (gRPC doc "PROTOCOL-HTTP2.md"; a serialized google.rpc.Status).
    public static func status(_ bytes: [UInt8]) -> ProtoValue {
        decoder.decode(bytes[...], as: "google.rpc.Status")!
    }
}
