import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import ReferenceProtos
import SwiftProtobuf

/// What a server's reflection service told about its schemas.
public struct ReflectedSchema: Sendable {
    /// "grpc.reflection.v1" or "grpc.reflection.v1alpha".
    public var service: String
    public var services: [String]
    /// Serialized google.protobuf.FileDescriptorProto of every file the services need.
    public var files: [[UInt8]]
    /// Error responses of the server, as "request: message".
    public var problems: [String]
}

/// A gRPC server reflection client (grpc/proto grpc/reflection/v1/reflection.proto): lists the
/// services, then asks for the file containing each and for every dependency not yet sent, on one
/// stream. grpc.reflection.v1 first; on UNIMPLEMENTED, v1alpha, whose messages are the same on the
/// wire (same fields and numbers), so the v1 types serve both.
public enum ReflectionClient {
    public struct Timeout: Error, CustomStringConvertible {
        public var description: String { "no answer in time" }
    }

    /// `fetch(_:)`, given up after `timeout`.
    public static func fetch(_ client: ReferenceClient, timeout: Duration) async throws -> ReflectedSchema {
        try await withThrowingTaskGroup(of: ReflectedSchema?.self) { group in
            group.addTask { try await fetch(client) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let schema = try await group.next(), let schema else { throw Timeout() }
            return schema
        }
    }

    public static func fetch(_ client: ReferenceClient) async throws -> ReflectedSchema {
        do {
            return try await fetch(client, service: "grpc.reflection.v1")
        } catch let error as RPCError where error.code == .unimplemented {
            return try await fetch(client, service: "grpc.reflection.v1alpha")
        }
    }

    typealias Request = Grpc_Reflection_V1_ServerReflectionRequest
    typealias Response = Grpc_Reflection_V1_ServerReflectionResponse

    static func fetch(_ client: ReferenceClient, service: String) async throws -> ReflectedSchema {
        let method = MethodDescriptor(fullyQualifiedService: service + ".ServerReflection", method: "ServerReflectionInfo", type: .bidirectionalStreaming)
        let (questions, asker) = AsyncStream.makeStream(of: Request.self)
        let request = StreamingClientRequest<Request> { writer in
            for await question in questions { try await writer.write(question) }
        }
        return try await client.with(token: nil) { grpc in
            try await grpc.bidirectionalStreaming(
                request: request, descriptor: method, serializer: ProtobufSerializer<Request>(), deserializer: ProtobufDeserializer<Response>(),
                options: .defaults
            ) { response in
                var schema = ReflectedSchema(service: service, services: [], files: [], problems: [])
                var received = Set<String>(), requested = Set<String>()
                var outstanding = 0
                func ask(_ question: Request.OneOf_MessageRequest) {
                    outstanding += 1
                    asker.yield(.with { $0.messageRequest = question })
                }
                ask(.listServices(""))
                for try await answer in response.messages {
                    outstanding -= 1
                    switch answer.messageResponse {
                    case let .listServicesResponse(list):
                        schema.services = list.service.map(\.name)
                        for name in schema.services { ask(.fileContainingSymbol(name)) }
                    case let .fileDescriptorResponse(files):
                        for data in files.fileDescriptorProto {
                            let file = try Google_Protobuf_FileDescriptorProto(serializedBytes: data)
                            guard received.insert(file.name).inserted else { continue }
                            schema.files.append(Array(data))
                            for dependency in file.dependency where !received.contains(dependency) && requested.insert(dependency).inserted {
                                ask(.fileByFilename(dependency))
                            }
                        }
                    case let .errorResponse(error):
                        schema.problems.append("\(answer.originalRequest.messageRequest.map { "\($0)" } ?? "request"): \(error.errorMessage) (code \(error.errorCode))")
                    case .allExtensionNumbersResponse, nil:
                        break
                    }
                    if outstanding == 0 { break }
                }
                asker.finish()
                return schema
            }
        }
    }
}
