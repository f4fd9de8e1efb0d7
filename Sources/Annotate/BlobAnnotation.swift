import GRPC
import Zlib

/// A blob annotated as a whole: the gRPC length-prefix (gRPC doc "PROTOCOL-HTTP2.md",
/// Length-Prefixed-Message: a Compressed-Flag byte and a 4-byte big-endian length) when present,
/// then the protobuf message. A compressed message (gzip or zlib, detected by their headers) is
/// inflated and its message annotated with offsets into the decompressed bytes.
public struct BlobAnnotation: Sendable {
    public enum Prefix: String, Sendable, CaseIterable {
        /// A prefix whose length matches the rest of the blob exactly.
        case auto
        case yes, no
    }

    public var ranges: [AnnotatedRange] = []
    /// True when a gRPC prefix was found (or forced) and explained.
    public var hasGRPCPrefix = false
    /// The inflated message when the Compressed-Flag was set and inflating worked.
    public var decompressed: [UInt8]?
    /// The inflated message's ranges, offsets into `decompressed`.
    public var decompressedRanges: [AnnotatedRange] = []
    public var problems: [String] = []

    public static func annotate(_ bytes: [UInt8], prefix: Prefix = .auto, type: String?, schema: (any AnnotationSchema)?) -> BlobAnnotation {
        var result = BlobAnnotation()
        let annotator = ProtobufAnnotator(schema: schema)
        let declared = bytes.count >= MessageDeframer.prefixLength ? MessageDeframer.declaredLength(ofPrefix: bytes) : -1
        let detected = bytes.count >= 5 && bytes[0] <= 1 && declared == bytes.count - 5
        guard prefix == .yes || (prefix == .auto && detected) else {
            result.ranges = annotator.annotate(bytes[...], type: type)
            return result
        }
        guard bytes.count >= 5 else {
            result.problems.append("a gRPC prefix needs 5 bytes, the blob has \(bytes.count)")
            result.ranges = [AnnotatedRange(offset: 0, length: bytes.count, depth: 0, kind: .error, text: "! a gRPC prefix needs 5 bytes")]
            return result
        }
        result.hasGRPCPrefix = true
        let compressed = bytes[0] == 1
        result.ranges.append(AnnotatedRange(offset: 0, length: 1, depth: 0, kind: .grpcFlag,
                                            text: "gRPC Compressed-Flag \(bytes[0])" + (compressed ? ": compressed (grpc-encoding)" : ": not compressed") + (bytes[0] > 1 ? "  ! must be 0 or 1" : "")))
        var lengthText = "gRPC message length \(declared)"
        if declared != bytes.count - 5 { lengthText += "  ! the blob has \(bytes.count - 5) bytes after the prefix" }
        result.ranges.append(AnnotatedRange(offset: 1, length: 4, depth: 0, kind: .grpcLength, text: lengthText))
        let body = bytes[5..<min(bytes.count, 5 + max(0, declared))]
        guard compressed else {
            result.ranges += annotator.annotate(body, type: type, baseOffset: 5)
            appendTrailing(bytes, after: 5 + body.count, into: &result)
            return result
        }
        let format: Inflater.Format = body.first == 0x1F ? .gzip : .zlib
        switch Inflater.inflate(Array(body), format: format, maxOutput: 64 << 20) {
        case let .success(inflated):
            result.decompressed = inflated
            result.decompressedRanges = annotator.annotate(inflated[...], type: type)
            result.ranges.append(AnnotatedRange(offset: 5, length: body.count, depth: 0, kind: .bytes, text: "\(format == .gzip ? "gzip" : "deflate (zlib)") data, \(inflated.count) bytes inflated: annotated below, offsets in the inflated message"))
        case let .failure(error):
            result.problems.append("inflating failed at compressed byte \(error.inputOffset): \(error.message)")
            result.ranges.append(AnnotatedRange(offset: 5, length: body.count, depth: 0, kind: .error, text: "! compressed, and inflating failed at byte \(error.inputOffset): \(error.message)"))
        }
        appendTrailing(bytes, after: 5 + body.count, into: &result)
        return result
    }

    static func appendTrailing(_ bytes: [UInt8], after end: Int, into result: inout BlobAnnotation) {
        guard end < bytes.count else { return }
        result.ranges.append(AnnotatedRange(offset: end, length: bytes.count - end, depth: 0, kind: .error, text: "! \(bytes.count - end) bytes after the declared message length"))
    }
}
