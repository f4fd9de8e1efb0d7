import HTTPExchange
import WireCore

/// Decodes frame payloads by type (RFC 9113 §6), reporting each rule the payload breaks with the
/// absolute stream span of the offending bytes. Never traps; a payload that cannot be decoded
/// at all becomes `.malformed` and is still shown raw.
enum FramePayloadParser {
    static func parse(_ header: FrameHeader, payload: ArraySlice<UInt8>, at offset: Int64) -> (FrameContent, [Diagnostic]) {
        var problems: [Diagnostic] = []
        let payloadStart = Int(offset) + FrameHeader.size
        var reader = ByteReader(payload, baseOffset: payloadStart)
        func problem(_ code: String, _ message: String, span: ByteSpan? = nil, required: Int? = nil) {
            problems.append(Diagnostic(.http2, code, .warning, message,
                                       span: span ?? ByteSpan(start: Int(offset), count: FrameHeader.size + payload.count),
                                       length: required.map { .init(required: $0, available: payload.count, source: "\(header.type) payload") }))
        }
        // RFC 9113 §6: stream identifier rules by type.
        if header.type.requiresStream, header.streamID == 0 {
            problem("http2.stream-id.zero", "\(header.type) on stream 0 (PROTOCOL_ERROR, RFC 9113 §6)")
        } else if header.type.requiresConnection, header.streamID != 0 {
            problem("http2.stream-id.nonzero", "\(header.type) on stream \(header.streamID), must be 0 (PROTOCOL_ERROR, RFC 9113 §6)")
        }

        /// RFC 9113 §6.1, §6.2, §6.6: Pad Length, then padding that must not exceed the payload.
        func readPadding(minimumAfter: Int) -> Int?? {
            guard header.flags.contains(.padded) else { return .some(nil) }
            guard let padLength = reader.readUInt8().map(Int.init) else {
                problem("http2.padding.short", "PADDED \(header.type) has no Pad Length (FRAME_SIZE_ERROR)", required: 1)
                return nil
            }
            guard padLength + minimumAfter <= reader.remaining else {
                problem("http2.padding.too-long", "Pad Length \(padLength) exceeds the \(reader.remaining) bytes left (PROTOCOL_ERROR, RFC 9113 §6.1)",
                        span: ByteSpan(start: payloadStart, count: 1))
                return nil
            }
            return .some(padLength)
        }
        func body(_ padLength: Int?) -> ArraySlice<UInt8> {
            let rest = reader.readRemaining()
            return rest.dropLast(padLength ?? 0)
        }

        switch header.type {
        case .data:
            guard let padLength = readPadding(minimumAfter: 0) else { return (.malformed, problems) }
            return (.data(padLength: padLength, data: body(padLength)), problems)
        case .headers:
            let prioritySize = header.flags.contains(.priority) ? 5 : 0
            guard let padLength = readPadding(minimumAfter: prioritySize) else { return (.malformed, problems) }
            var priority: PriorityInfo?
            if header.flags.contains(.priority) {
                guard let info = readPriority(&reader) else {
                    problem("http2.headers.short", "HEADERS with PRIORITY is too short for its priority fields (FRAME_SIZE_ERROR)", required: 5)
                    return (.malformed, problems)
                }
                priority = info
            }
            return (.headers(padLength: padLength, priority: priority, fragment: body(padLength)), problems)
        case .priority:
            // RFC 9113 §6.3: exactly 5 bytes.
            guard payload.count == 5, let info = readPriority(&reader) else {
                problem("http2.priority.length", "PRIORITY payload is \(payload.count) bytes, must be 5 (FRAME_SIZE_ERROR, RFC 9113 §6.3)", required: 5)
                return (.malformed, problems)
            }
            if info.dependency == header.streamID, header.streamID != 0 {
                problem("http2.priority.self", "stream \(header.streamID) depends on itself (PROTOCOL_ERROR, RFC 9113 §5.3.1)")
            }
            return (.priority(info), problems)
        case .rstStream:
            // RFC 9113 §6.4: exactly 4 bytes.
            guard payload.count == 4 else {
                problem("http2.rst-stream.length", "RST_STREAM payload is \(payload.count) bytes, must be 4 (FRAME_SIZE_ERROR, RFC 9113 §6.4)", required: 4)
                return (.malformed, problems)
            }
            return (.rstStream(ErrorCode(rawValue: reader.readUInt32()!)), problems)
        case .settings:
            // RFC 9113 §6.5: a multiple of 6 bytes; empty when ACK.
            if header.flags.contains(.ack), !payload.isEmpty {
                problem("http2.settings.ack-payload", "SETTINGS ACK carries \(payload.count) bytes, must be empty (FRAME_SIZE_ERROR, RFC 9113 §6.5)")
                return (.malformed, problems)
            }
            guard payload.count % 6 == 0 else {
                problem("http2.settings.length", "SETTINGS payload is \(payload.count) bytes, not a multiple of 6 (FRAME_SIZE_ERROR, RFC 9113 §6.5)")
                return (.malformed, problems)
            }
            var settings: [Setting] = []
            while let id = reader.readUInt16(), let value = reader.readUInt32() {
                let setting = Setting(parameter: SettingsParameter(rawValue: id), value: value)
                if let invalid = SettingsRules.violation(setting) {
                    problem("http2.settings.value", invalid, span: ByteSpan(start: reader.offset - 6, count: 6))
                }
                settings.append(setting)
            }
            return (.settings(settings), problems)
        case .pushPromise:
            guard let padLength = readPadding(minimumAfter: 4), let promised = reader.readUInt32() else {
                if problems.isEmpty { problem("http2.push-promise.short", "PUSH_PROMISE is too short for its promised stream (FRAME_SIZE_ERROR)", required: 4) }
                return (.malformed, problems)
            }
            return (.pushPromise(padLength: padLength, promisedStreamID: promised & 0x7FFF_FFFF, fragment: body(padLength)), problems)
        case .ping:
            // RFC 9113 §6.7: exactly 8 bytes.
            guard payload.count == 8 else {
                problem("http2.ping.length", "PING payload is \(payload.count) bytes, must be 8 (FRAME_SIZE_ERROR, RFC 9113 §6.7)", required: 8)
                return (.malformed, problems)
            }
            return (.ping(opaqueData: reader.readUInt64()!), problems)
        case .goaway:
            // RFC 9113 §6.8: last stream id(4), error code(4), debug data.
            guard let last = reader.readUInt32(), let code = reader.readUInt32() else {
                problem("http2.goaway.short", "GOAWAY payload is \(payload.count) bytes, needs at least 8 (FRAME_SIZE_ERROR, RFC 9113 §6.8)", required: 8)
                return (.malformed, problems)
            }
            return (.goaway(lastStreamID: last & 0x7FFF_FFFF, errorCode: ErrorCode(rawValue: code), debugData: reader.readRemaining()), problems)
        case .windowUpdate:
            // RFC 9113 §6.9: exactly 4 bytes; an increment of 0 is an error.
            guard payload.count == 4 else {
                problem("http2.window-update.length", "WINDOW_UPDATE payload is \(payload.count) bytes, must be 4 (FRAME_SIZE_ERROR, RFC 9113 §6.9)", required: 4)
                return (.malformed, problems)
            }
            let increment = reader.readUInt32()! & 0x7FFF_FFFF
            if increment == 0 {
                problem("http2.window-update.zero", "WINDOW_UPDATE increment of 0 (PROTOCOL_ERROR, RFC 9113 §6.9)")
            }
            return (.windowUpdate(increment: increment), problems)
        case .continuation:
            return (.continuation(fragment: reader.readRemaining()), problems)
        case .altsvc:
            // RFC 7838 §4: Origin-Len(2), Origin, Alt-Svc-Field-Value.
            guard let length = reader.readUInt16(), let origin = reader.readBytes(Int(length)) else {
                problem("http2.altsvc.short", "ALTSVC is too short for its origin", required: 2)
                return (.malformed, problems)
            }
            return (.altsvc(origin: String(decoding: origin, as: UTF8.self), fieldValue: String(decoding: reader.readRemaining(), as: UTF8.self)), problems)
        case .origin:
            // RFC 8336 §2: a sequence of Origin-Len(2), ASCII-Origin.
            var origins: [String] = []
            while let length = reader.readUInt16() {
                guard let origin = reader.readBytes(Int(length)) else {
                    problem("http2.origin.short", "ORIGIN entry runs past the payload", required: Int(length))
                    return (.malformed, problems)
                }
                origins.append(String(decoding: origin, as: UTF8.self))
            }
            return (.origin(origins), problems)
        case .priorityUpdate:
            // RFC 9218 §7.1: Prioritized Stream ID(4), Priority Field Value.
            guard let stream = reader.readUInt32() else {
                problem("http2.priority-update.short", "PRIORITY_UPDATE is too short for its stream id", required: 4)
                return (.malformed, problems)
            }
            return (.priorityUpdate(prioritizedStreamID: stream & 0x7FFF_FFFF, fieldValue: String(decoding: reader.readRemaining(), as: UTF8.self)), problems)
        default:
            return (.unknown, problems)
        }
    }

    private static func readPriority(_ reader: inout ByteReader) -> PriorityInfo? {
        guard let dependency = reader.readUInt32(), let weight = reader.readUInt8() else { return nil }
        return PriorityInfo(exclusive: dependency & 0x8000_0000 != 0, dependency: dependency & 0x7FFF_FFFF, weight: weight)
    }
}

/// RFC 9113 §6.5.2: the allowed values of the defined SETTINGS parameters.
enum SettingsRules {
    static func violation(_ setting: Setting) -> String? {
        switch setting.parameter {
        case .enablePush where setting.value > 1:
            "SETTINGS_ENABLE_PUSH \(setting.value) is neither 0 nor 1 (PROTOCOL_ERROR, RFC 9113 §6.5.2)"
        case .initialWindowSize where setting.value > 0x7FFF_FFFF:
            "SETTINGS_INITIAL_WINDOW_SIZE \(setting.value) exceeds 2^31-1 (FLOW_CONTROL_ERROR, RFC 9113 §6.5.2)"
        case .maxFrameSize where setting.value < 16_384 || setting.value > 16_777_215:
            "SETTINGS_MAX_FRAME_SIZE \(setting.value) is outside 16384…16777215 (PROTOCOL_ERROR, RFC 9113 §6.5.2)"
        case .enableConnectProtocol where setting.value > 1:
            "SETTINGS_ENABLE_CONNECT_PROTOCOL \(setting.value) is neither 0 nor 1 (PROTOCOL_ERROR, RFC 8441 §3)"
        case .noRFC7540Priorities where setting.value > 1:
            "SETTINGS_NO_RFC7540_PRIORITIES \(setting.value) is neither 0 nor 1 (PROTOCOL_ERROR, RFC 9218 §2.1)"
        default: nil
        }
    }
}
