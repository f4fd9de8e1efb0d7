import Foundation
import GRPCCore
import ReferenceProtos
import SwiftProtobuf

/// reference.FileService: client streaming uploads.
struct FileService: Reference_FileService.SimpleServiceProtocol {
    func uploadFile(request: RPCAsyncSequence<Reference_FileChunk, any Error>, context: ServerContext) async throws -> Reference_UploadSummary {
        var summary = Reference_UploadSummary()
        var crc = CRC32()
        for try await chunk in request {
            guard chunk.offset == summary.size else {
                throw RPCError(code: .failedPrecondition, message: "chunk at offset \(chunk.offset), expected \(summary.size)")
            }
            summary.name = chunk.name
            summary.size += UInt64(chunk.data.count)
            summary.chunks += 1
            crc.update(chunk.data)
        }
        summary.crc32 = crc.value
        return summary
    }
}

/// reference.LogService: log entries until the client cancels.
struct LogService: Reference_LogService.SimpleServiceProtocol {
    func streamLogs(request: Reference_LogRequest, response: RPCWriter<Reference_LogEntry>, context: ServerContext) async throws {
        let interval = max(1, Int(request.intervalMs))
        var sequence: UInt64 = 0
        while !Task.isCancelled {
            sequence += 1
            let levels: [Reference_LogEntry.Level] = [.debug, .info, .info, .warning, .error]
            try await response.write(.with {
                $0.time = Google_Protobuf_Timestamp(date: Date())
                $0.level = levels[Int(sequence % UInt64(levels.count))]
                $0.message = "\(request.source): entry \(sequence)"
                $0.sequence = sequence
            })
            try await Task.sleep(for: .milliseconds(interval))
        }
    }
}

/// reference.MetricsService: client streaming samples.
struct MetricsService: Reference_MetricsService.SimpleServiceProtocol {
    func recordMetrics(request: RPCAsyncSequence<Reference_Metric, any Error>, context: ServerContext) async throws -> Google_Protobuf_Empty {
        for try await metric in request where metric.name.isEmpty {
            throw RPCError(code: .invalidArgument, message: "metric without a name")
        }
        return Google_Protobuf_Empty()
    }
}

/// CRC-32 (IEEE 802.3), for upload summaries.
struct CRC32 {
    private(set) var value: UInt32 = 0
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }

    mutating func update(_ data: Data) {
        var crc = ~value
        for byte in data { crc = Self.table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        value = ~crc
    }
}
