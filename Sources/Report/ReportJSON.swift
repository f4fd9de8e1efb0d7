import ByteStream
import Protobuf
import WireCore

/// The report's data, as the page's script reads it (one JSON object; times in microseconds since
/// the capture's first packet). Calls are arrays rather than objects to keep the page small:
/// `[id, connection, row, method index, status code or -1, start, end, requests, responses,
/// request bytes, response bytes, stream, incomplete, detail chunk, index in the chunk]`; the
/// details are deflated chunks in base64 (`DetailChunks`).
extension Report {
    public var json: JSONBuffer {
        var json = JSONBuffer()
        json.reserve(4096 + calls.count * 100 + details.chunks.reduce(0) { $0 + $1.count * 4 / 3 + 4 })
        JSONObject.write(into: &json) { object in
            object.add("title", title)
            object.add("filter", filterText)
            object.add("capture") { writeCapture(into: &$0) }
            object.add("connections") { json in json.array(connections) { json, connection in writeConnection(connection, into: &json) } }
            let methodNames = methods.map(\.method)
            let methodIndex = Dictionary(uniqueKeysWithValues: methodNames.enumerated().map { ($1, $0) })
            object.add("methods", methodNames)
            object.add("calls") { json in
                json.array(calls.indices) { json, index in
                    let call = calls[index]
                    let numbers: [Int64] = [Int64(call.id), Int64(call.connection), Int64(rows[index]), Int64(methodIndex[call.method]!),
                                            Int64(call.status?.rawValue ?? -1), micros(call.start), micros(call.end),
                                            Int64(call.requests), Int64(call.responses), Int64(call.requestBytes), Int64(call.responseBytes),
                                            Int64(call.stream), call.incomplete ? 1 : 0, Int64(call.detail.chunk), Int64(call.detail.index)]
                    json.array(numbers) { $0.int($1) }
                }
            }
            object.add("detail_chunks") { json in json.array(details.chunks) { $0.base64($1) } }
            object.add("stats") { json in json.array(methods) { json, method in writeMethod(method, into: &json) } }
            object.add("histogram_edges_us", raw: MethodSummary.histogramEdges.map(String.init))
            object.add("errors") { json in
                json.array(errors) { json, group in
                    JSONObject.write(into: &json) { object in
                        object.add("status", group.status)
                        if let code = group.code { object.add("code", code) }
                        object.add("message", group.message)
                        object.add("count", group.calls.count)
                        object.add("calls", raw: group.calls.prefix(500).map(String.init))
                        if let first = group.calls.first, calls[first - 1].hasStatusDetails { object.add("details_in", first) }
                    }
                }
            }
            let ids = callIDs()
            object.add("flow") { json in
                json.array(connections.filter { !$0.flow.isEmpty || $0.stalls.count > 0 }) { json, connection in
                    writeFlow(connection, ids: ids[connection.index] ?? [:], into: &json)
                }
            }
            object.add("stalls") { json in
                json.array(stalls(ids: ids).prefix(Self.listedStalls)) { json, item in writeStall(item.stall, connection: item.connection, call: item.call, into: &json) }
            }
        }
        return json
    }

    private func writeCapture(into json: inout JSONBuffer) {
        JSONObject.write(into: &json) { object in
            if let format = statistics.format { object.add("format", "\(format)") }
            object.add("packets", statistics.packets)
            object.add("bytes", statistics.capturedBytes)
            object.add("tcp_packets", statistics.tcpPackets)
            object.add("skipped_packets", statistics.skippedTotal)
            object.add("truncated_packets", statistics.truncatedPackets)
            if let first = statistics.firstTime {
                object.add("start") { $0.time(first) }
                object.add("duration_us", micros(statistics.lastTime ?? first))
            }
            object.add("calls_decoded", decodedCalls)
            object.add("calls", calls.count)
            object.add("incomplete", calls.count { $0.incomplete })
            object.add("diagnostics") { json in
                json.array(diagnostics) { json, item in
                    JSONObject.write(into: &json) { object in
                        object.add("code", item.code)
                        object.add("count", item.count)
                        object.add("first", item.first)
                    }
                }
            }
        }
    }

    private func writeConnection(_ connection: ReportConnection, into json: inout JSONBuffer) {
        JSONObject.write(into: &json) { object in
            object.add("client", connection.info.client.description)
            object.add("server", connection.info.server.description)
            object.add("start_us", micros(connection.info.start))
            if let summary = connection.summary {
                object.add("end_us", micros(summary.end))
                object.add("closed", summary.reason.rawValue)
                object.add("tcp") { json in
                    JSONObject.write(into: &json) { tcp in
                        let sides = [summary.clientToServer, summary.serverToClient]
                        tcp.add("bytes", raw: sides.map { String($0.bytes) })
                        tcp.add("retransmissions", sides.reduce(0) { $0 + $1.retransmissions })
                        tcp.add("out_of_order", sides.reduce(0) { $0 + $1.outOfOrder })
                        tcp.add("gaps", sides.reduce(0) { $0 + $1.gaps })
                        tcp.add("gap_bytes", sides.reduce(Int64(0)) { $0 + $1.gapBytes })
                        tcp.add("handshake_seen", summary.sawSYN)
                    }
                }
            }
            object.add("protocol", connection.otherProtocol ?? connection.http2Detection.map { "HTTP/2 (\($0))" } ?? "—")
            if let tls = connection.tls {
                object.add("tls") { json in
                    JSONObject.write(into: &json) { item in
                        item.add("version", tls.version?.description ?? "TLS")
                        if let cipher = tls.cipherSuite?.name { item.add("cipher", cipher) }
                        if let sni = tls.serverName { item.add("sni", sni) }
                        if let alpn = tls.alpn { item.add("alpn", alpn) }
                        if let certificate = tls.certificate { item.add("certificate", certificate.subject) }
                        item.add("resumed", tls.resumed)
                        item.add("decrypted", tls.decrypted)
                        if let reason = tls.notDecryptedReason { item.add("not_decrypted", reason) }
                    }
                }
            }
            object.add("calls", connection.calls)
            object.add("violations", connection.violations)
            object.add("problems", connection.problems)
        }
    }

    private func writeMethod(_ method: MethodSummary, into json: inout JSONBuffer) {
        JSONObject.write(into: &json) { object in
            object.add("method", method.method)
            object.add("calls", method.calls)
            object.add("errors", method.errors)
            object.add("statuses") { json in
                json.object(method.statuses.sorted { $0.key < $1.key }) { json, item in
                    json.key(item.key)
                    json.int(item.value)
                }
            }
            object.add("latency_us", raw: [method.p50, method.p90, method.p99, method.max].map { String($0 / 1_000) })
            object.add("request_bytes", method.requestBytes)
            object.add("response_bytes", method.responseBytes)
            object.add("histogram", raw: method.histogram.map(String.init))
        }
    }

    /// A connection's windows over time: `points` are `[time, sender (0: client), stream,
    /// connection window, stream window or null, 1 for DATA / 0 for WINDOW_UPDATE]`.
    private func writeFlow(_ connection: ReportConnection, ids: [UInt32: Int], into json: inout JSONBuffer) {
        JSONObject.write(into: &json) { object in
            object.add("connection", connection.index)
            object.add("known", connection.flow.first?.reading.known ?? true)
            object.add("points") { json in
                json.array(connection.flow) { json, point in
                    json.raw("[")
                    json.int(micros(point.time))
                    json.raw(point.reading.sender == .clientToServer ? ",0," : ",1,")
                    json.int(point.stream)
                    json.raw(",")
                    json.int(point.reading.connectionWindow)
                    json.raw(",")
                    if let window = point.reading.streamWindow { json.int(window) } else { json.raw("null") }
                    json.raw(point.isData ? ",1]" : ",0]")
                }
            }
            object.add("omitted", connection.flowPointsOmitted)
            object.add("stall_count", connection.stalls.count)
            object.add("stalls") { json in
                json.array(connection.stalls.stalls.sorted { $0.start < $1.start }) { json, stall in
                    writeStall(stall, connection: connection.index, call: ids[stall.blockedStream], into: &json)
                }
            }
        }
    }

    private func writeStall(_ stall: FlowStall, connection: Int, call: Int?, into json: inout JSONBuffer) {
        JSONObject.write(into: &json) { object in
            object.add("connection", connection)
            object.add("sender", stall.sender == .clientToServer ? "client" : "server")
            object.add("connection_window", stall.connectionWindow)
            object.add("stream", Int(stall.streamWindow ?? 0))
            object.add("windows", stall.windows)
            if let call { object.add("call", call) }
            object.add("start_us", micros(stall.start))
            object.add("end_us", micros(stall.end))
            object.add("duration_us", stall.durationNanoseconds / 1_000)
            object.add("ended", stall.ended)
        }
    }
}
