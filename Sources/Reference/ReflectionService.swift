import GRPCCore
import ReferenceProtos
import SwiftProtobuf

/// grpc.reflection.v1.ServerReflection: one answer per request on a bidirectional stream, the
/// request echoed in `original_request`.
struct ReflectionServiceV1: Grpc_Reflection_V1_ServerReflection.SimpleServiceProtocol {
    let index: ReflectionIndex

    func serverReflectionInfo(request: RPCAsyncSequence<Grpc_Reflection_V1_ServerReflectionRequest, any Error>,
                              response: RPCWriter<Grpc_Reflection_V1_ServerReflectionResponse>, context: ServerContext) async throws {
        for try await question in request { try await response.write(Self.reply(to: question, index)) }
    }

    static func reply(to question: Grpc_Reflection_V1_ServerReflectionRequest, _ index: ReflectionIndex) -> Grpc_Reflection_V1_ServerReflectionResponse {
        var reply = Grpc_Reflection_V1_ServerReflectionResponse()
        reply.validHost = question.host
        reply.originalRequest = question
        switch question.messageRequest.map(Self.question).map(index.answer) {
        case let .files(files)?: reply.fileDescriptorResponse = .with { $0.fileDescriptorProto = files }
        case let .extensionNumbers(type, numbers)?: reply.allExtensionNumbersResponse = .with { $0.baseTypeName = type; $0.extensionNumber = numbers }
        case let .services(names)?: reply.listServicesResponse = .with { $0.service = names.map { name in .with { $0.name = name } } }
        case let .error(code, message)?: reply.errorResponse = .with { $0.errorCode = code; $0.errorMessage = message }
        case nil: reply.errorResponse = .with { $0.errorCode = 3; $0.errorMessage = "empty request" }
        }
        return reply
    }

    static func question(_ request: Grpc_Reflection_V1_ServerReflectionRequest.OneOf_MessageRequest) -> ReflectionIndex.Question {
        switch request {
        case let .fileByFilename(name): .fileByFilename(name)
        case let .fileContainingSymbol(symbol): .fileContainingSymbol(symbol)
        case let .fileContainingExtension(ext): .fileContainingExtension(type: ext.containingType, number: ext.extensionNumber)
        case let .allExtensionNumbersOfType(type): .allExtensionNumbersOfType(type)
        case .listServices: .listServices
        }
    }
}

/// grpc.reflection.v1alpha.ServerReflection, for older clients. v1 is v1alpha renamed: the same
/// messages with the same field numbers, so each request is read as v1, answered by the v1
/// service, and the answer re-read as v1alpha.
struct ReflectionServiceV1Alpha: Grpc_Reflection_V1alpha_ServerReflection.SimpleServiceProtocol {
    let index: ReflectionIndex

    func serverReflectionInfo(request: RPCAsyncSequence<Grpc_Reflection_V1alpha_ServerReflectionRequest, any Error>,
                              response: RPCWriter<Grpc_Reflection_V1alpha_ServerReflectionResponse>, context: ServerContext) async throws {
        for try await question in request {
            let v1 = try Grpc_Reflection_V1_ServerReflectionRequest(serializedBytes: question.serializedBytes() as [UInt8])
            let reply = ReflectionServiceV1.reply(to: v1, index)
            try await response.write(Grpc_Reflection_V1alpha_ServerReflectionResponse(serializedBytes: reply.serializedBytes() as [UInt8]))
        }
    }
}
