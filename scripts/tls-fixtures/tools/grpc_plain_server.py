#!/usr/bin/env python3
"""Plaintext (h2c) grpcio server implementing grpc.health.v1.Health/Check with
raw protobuf bytes (no generated code).  usage: grpc_plain_server.py PORT DURATION_S

Check(HealthCheckRequest{service: ""})        -> HealthCheckResponse{status: SERVING}  (bytes 08 01)
Check(HealthCheckRequest{service: <other>})   -> status NOT_FOUND, message "unknown service <other>"
Responses carry the initial metadata "server: grpc-plain-server" and the trailer "x-fixture: tls".
"""
import sys, time
from concurrent import futures
import grpc

def parse_service(req: bytes) -> str:
    # HealthCheckRequest { string service = 1; }  -> 0a <len> <utf8>
    if not req:
        return ""
    assert req[0] == 0x0A and req[1] == len(req) - 2, req.hex()
    return req[2:].decode()

def check(request, context):
    context.send_initial_metadata((("server", "grpc-plain-server"),))
    context.set_trailing_metadata((("x-fixture", "tls"),))
    svc = parse_service(request)
    if svc == "":
        return b"\x08\x01"
    context.abort(grpc.StatusCode.NOT_FOUND, f"unknown service {svc}")

handler = grpc.method_handlers_generic_handler(
    "grpc.health.v1.Health", {"Check": grpc.unary_unary_rpc_method_handler(check)})
server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
server.add_generic_rpc_handlers((handler,))
server.add_insecure_port(f"127.0.0.1:{sys.argv[1]}")
server.start()
print("serving", sys.argv[1], flush=True)
time.sleep(float(sys.argv[2]))
server.stop(0)
print("server done", flush=True)
