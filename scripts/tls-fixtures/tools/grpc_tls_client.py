#!/usr/bin/env python3
"""grpcio client over TLS.  usage: grpc_tls_client.py PORT CA_CERT
Makes two unary calls on one channel (one HTTP/2 connection):
  1. grpc.health.v1.Health/Check  service=""              -> expects SERVING (08 01)
  2. grpc.health.v1.Health/Check  service="no.such.Svc"   -> expects NOT_FOUND
"""
import sys
import grpc

port, ca = sys.argv[1], sys.argv[2]
creds = grpc.ssl_channel_credentials(root_certificates=open(ca, "rb").read())
with grpc.secure_channel(f"127.0.0.1:{port}", creds,
                         options=[("grpc.ssl_target_name_override", "localhost")]) as ch:
    check = ch.unary_unary("/grpc.health.v1.Health/Check")  # bytes in, bytes out
    resp, call = check.with_call(b"", timeout=5, metadata=(("x-client", "grpc-tls-client"),))
    print("call 1:", resp.hex(), call.code(), call.trailing_metadata(), flush=True)
    try:
        check(b"\x0a\x0bno.such.Svc", timeout=5)
    except grpc.RpcError as e:
        print("call 2:", e.code(), repr(e.details()), flush=True)
