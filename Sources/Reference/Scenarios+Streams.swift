import Foundation
import GRPCCore
import ReferenceProtos
import SwiftProtobuf

extension Scenario {
    static let streamScenarios: [Scenario] = [
        Scenario(name: "upload", summary: "UploadFile: 256 KiB in 64 KiB chunks (client streaming)") { client in
            let summary = try await upload(client, name: "photo.bin", size: 256 << 10, chunk: 64 << 10)
            try expect(summary.chunks == 4 && summary.size == 256 << 10, "expected 4 chunks, 256 KiB, got \(summary.chunks), \(summary.size)")
            return ["UploadFile(256 KiB) → \(summary.chunks) chunks, crc32 \(String(summary.crc32, radix: 16))"]
        },
        Scenario(name: "large-message", summary: "UploadFile with one 4.5 MiB message: flow control and WINDOW_UPDATEs") { client in
            let size = 4 << 20 + 512 << 10
            let summary = try await upload(client, name: "large.bin", size: size, chunk: size)
            try expect(summary.chunks == 1 && summary.size == UInt64(size), "expected one chunk of \(size) bytes, got \(summary.chunks), \(summary.size)")
            return ["UploadFile(4.5 MiB in one message) → crc32 \(String(summary.crc32, radix: 16))"]
        },
        Scenario(name: "cancel", summary: "StreamLogs: three entries, then the client cancels mid-stream") { client in
            try await client.with { grpc in
                let received = try await Reference_LogService.Client(wrapping: grpc).streamLogs(.with { $0.source = "api"; $0.intervalMs = 20 }) { response in
                    var count = 0
                    for try await _ in response.messages {
                        count += 1
                        if count == 3 { break }
                    }
                    return count
                }
                try expect(received == 3, "expected 3 log entries before cancelling, got \(received)")
                return ["StreamLogs → 3 entries, then cancelled"]
            }
        },
        Scenario(name: "metrics", summary: "RecordMetrics: five metrics with labels and packed float samples") { client in
            try await client.with { grpc in
                _ = try await Reference_MetricsService.Client(wrapping: grpc).recordMetrics { writer in
                    for index in 1...5 {
                        try await writer.write(.with {
                            $0.name = "latency_ms"
                            $0.value = Double(index) * 1.5
                            $0.time = Google_Protobuf_Timestamp(seconds: 1_767_225_600 + Int64(index))
                            $0.labels = ["host": "web-\(index % 2)", "region": "eu"]
                            $0.samples = [0.5, 1.25, Float(index)]
                        })
                    }
                }
                return ["RecordMetrics(5) → Empty"]
            }
        },
        Scenario(name: "gzip", summary: "ListUsers with gzip-compressed messages") { client in
            try await compressed(client, .gzip, name: "gzip")
        },
        Scenario(name: "deflate", summary: "ListUsers with deflate-compressed messages") { client in
            try await compressed(client, .deflate, name: "deflate")
        },
    ]

    static func upload(_ client: ReferenceClient, name: String, size: Int, chunk: Int) async throws -> Reference_UploadSummary {
        try await client.with { grpc in
            var options = CallOptions.defaults
            options.maxRequestMessageBytes = 16 << 20
            return try await Reference_FileService.Client(wrapping: grpc).uploadFile(options: options) { writer in
                var offset = 0
                while offset < size {
                    let count = min(chunk, size - offset)
                    let data = Data((0..<count).map { UInt8(truncatingIfNeeded: ($0 + offset) &* 31) })
                    try await writer.write(.with { $0.name = name; $0.offset = UInt64(offset); $0.data = data })
                    offset += count
                }
            }
        }
    }

    static func compressed(_ client: ReferenceClient, _ algorithm: CompressionAlgorithm, name: String) async throws -> [String] {
        try await client.with { grpc in
            var options = CallOptions.defaults
            options.compression = algorithm
            let count = try await Userservice_UserService.Client(wrapping: grpc).listUsers(.with { $0.pageSize = 4 }, options: options) { response in
                var count = 0
                for try await _ in response.messages { count += 1 }
                return count
            }
            try expect(count == 4, "expected 4 users, got \(count)")
            return ["ListUsers(4) with \(name) → \(count) users"]
        }
    }
}
