#!/usr/bin/env python3
"""Plain gRPC (h2c) server of service.py with PyPI grpcio, for record_grpcio_long.py.
Usage: timeout 30 python3 grpcio_server.py PORT SECONDS
userservice.UserService/Chat and CreateUsers are not served (UNIMPLEMENTED from grpcio itself)."""
import sys, time
from concurrent import futures
import grpc
from grpc_status import rpc_status
from google.rpc import status_pb2

from sync_handlers import CODE, generic_handlers


def report_error(context, kind, code, message, details):
    if kind == "abort":  # grpcio builds grpc-status-details-bin from the google.rpc.Status
        context.abort_with_status(rpc_status.to_status(status_pb2.Status.FromString(details)))
    context.set_trailing_metadata((("grpc-status-details-bin", details),))
    context.abort(CODE[code], message)


def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers(generic_handlers(report_error))
    server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    print(f"listening on 127.0.0.1:{port}", flush=True)
    time.sleep(seconds)
    server.stop(1)


if __name__ == "__main__":
    main()
