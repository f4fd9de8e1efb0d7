#!/usr/bin/env python3
"""Records captures/grpcio-python.pcap: gRPC traffic between a Python grpcio (PyPI) client and
server on loopback, captured by tcpdump. Needs root, tcpdump and
`pip install grpcio grpcio-status googleapis-common-protos`.

Handlers take and return raw bytes (protobuf-encoded by hand), so no generated code is needed:
  /echo.Echo/Get       unary, with metadata both ways (text and -bin) and trailing metadata
  /echo.Echo/Expand    server streaming, three messages
  /echo.Echo/Collect   client streaming, three messages
  /echo.Echo/Update    bidirectional, two each way
  /echo.Echo/Find      NOT_FOUND with a percent-encoded message and grpc-status-details-bin: a
                       google.rpc.Status with every standard detail type, built by googleapis-common-protos
  /echo.Echo/Describe  a google.protobuf.Struct request; the response is the FileDescriptorProto of
                       google/protobuf/duration.proto (real nested messages, enums, strings)
  /echo.Echo/Get       again with gzip compression
  /echo.Echo/Slow      DEADLINE_EXCEEDED (client deadline 100 ms, server sleeps 300 ms)
  /echo.Echo/Missing   UNIMPLEMENTED (no such method)
"""
import subprocess, sys, time
from concurrent import futures
import grpc
from google.protobuf import any_pb2, duration_pb2, struct_pb2
from google.rpc import code_pb2, error_details_pb2 as ed, status_pb2
from grpc_status import rpc_status

PORT = 50061
OUT = sys.argv[1] if len(sys.argv) > 1 else "captures/grpcio-python.pcap"

def text_field(number, text):
    data = text.encode()
    return bytes([number << 3 | 2, len(data)]) + data

def get(request, context):
    context.send_initial_metadata((("server-version", "1.2.3"),))
    context.set_trailing_metadata((("query-time-ms", "7"), ("checksum-bin", b"\x00\x01\xfe\xff")))
    return text_field(1, "hello ") + request

def expand(request, context):
    for word in (b"one", b"two", b"three"):
        yield text_field(1, word.decode())

def collect(requests, context):
    return text_field(1, "+".join(r[2:].decode() for r in requests))

def update(requests, context):
    for r in requests:
        yield text_field(1, "ack " + r[2:].decode())

def packed(message):
    any_message = any_pb2.Any()
    any_message.Pack(message)
    return any_message

def find(request, context):
    details = [
        ed.BadRequest(field_violations=[
            ed.BadRequest.FieldViolation(field="id", description="must be positive", reason="INVALID_ID",
                                         localized_message=ed.LocalizedMessage(locale="fr-FR", message="doit être positif")),
            ed.BadRequest.FieldViolation(field="email", description="not an address")]),
        ed.ErrorInfo(reason="USER_MISSING", domain="echo.example", metadata={"user": "42", "shard": "7"}),
        ed.RetryInfo(retry_delay=duration_pb2.Duration(seconds=1, nanos=500000000)),
        ed.DebugInfo(stack_entries=["find()", "main()"], detail="lookup failed"),
        ed.QuotaFailure(violations=[ed.QuotaFailure.Violation(subject="project:7", description="daily limit")]),
        ed.PreconditionFailure(violations=[ed.PreconditionFailure.Violation(type="TOS", subject="user:42", description="terms not accepted")]),
        ed.ResourceInfo(resource_type="user", resource_name="users/42", owner="team-a", description="not found"),
        ed.Help(links=[ed.Help.Link(description="docs", url="https://example.com/help")]),
        ed.LocalizedMessage(locale="en-US", message="User 42 was not found"),
        ed.RequestInfo(request_id="r-9", serving_data="node-3"),
    ]
    status = status_pb2.Status(code=code_pb2.NOT_FOUND, message="user 42 not found ✗ (50% sure)",
                               details=[packed(d) for d in details])
    context.abort_with_status(rpc_status.to_status(status))

def describe(request, context):
    return duration_pb2.DESCRIPTOR.serialized_pb

def slow(request, context):
    time.sleep(0.3)
    return b""

handlers = {
    "Get": grpc.unary_unary_rpc_method_handler(get),
    "Expand": grpc.unary_stream_rpc_method_handler(expand),
    "Collect": grpc.stream_unary_rpc_method_handler(collect),
    "Update": grpc.stream_stream_rpc_method_handler(update),
    "Find": grpc.unary_unary_rpc_method_handler(find),
    "Slow": grpc.unary_unary_rpc_method_handler(slow),
    "Describe": grpc.unary_unary_rpc_method_handler(describe),
}

def main():
    tcpdump = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "--immediate-mode", "-w", OUT, f"tcp port {PORT}"],
                               stderr=subprocess.PIPE)
    tcpdump.stderr.readline()  # "listening on lo …"
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("echo.Echo", handlers),))
    server.add_insecure_port(f"127.0.0.1:{PORT}")
    server.start()
    with grpc.insecure_channel(f"127.0.0.1:{PORT}") as channel:
        call = lambda kind, name: getattr(channel, kind)(f"/echo.Echo/{name}")
        call("unary_unary", "Get")(text_field(2, "ann"), metadata=(("x-request-id", "r-1"), ("x-trace-bin", b"\x01\x02\x03")))
        list(call("unary_stream", "Expand")(text_field(1, "count")))
        call("stream_unary", "Collect")(iter([text_field(1, w) for w in ("a", "b", "c")]))
        list(call("stream_stream", "Update")(iter([text_field(1, w) for w in ("x", "y")])))
        for name, kwargs in (("Find", {}), ("Slow", {"timeout": 0.1}), ("Missing", {})):
            try:
                call("unary_unary", name)(text_field(1, "q"), **kwargs)
            except grpc.RpcError as error:
                print(name, error.code(), file=sys.stderr)
        call("unary_unary", "Get")(text_field(2, "zip " * 40), compression=grpc.Compression.Gzip)
        query = struct_pb2.Struct()
        query.update({"name": "duration", "price": 9.99, "tags": ["a", "b"], "exact": True})
        call("unary_unary", "Describe")(query.SerializeToString())
    server.stop(0.5).wait()
    time.sleep(0.5)
    tcpdump.kill()
    tcpdump.wait()

if __name__ == "__main__":
    main()
