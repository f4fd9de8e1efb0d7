#!/usr/bin/env python3
"""Plain gRPC (h2c) server of service.py with PyPI grpcio, for record_grpcio_long.py.
Usage: timeout 30 python3 grpcio_server.py PORT SECONDS
userservice.UserService/Chat and CreateUsers are not served (UNIMPLEMENTED from grpcio itself)."""
import sys, time
from concurrent import futures
import grpc
from grpc_status import rpc_status
from google.rpc import status_pb2

import service as s

CODE = {code.value[0]: code for code in grpc.StatusCode}


def get_user(request, context):
    outcome = s.get_user_outcome(request)
    if outcome[0] == "ok":
        context.send_initial_metadata(s.INITIAL)
        context.set_trailing_metadata(s.trailing([request.id & 0xFF, 0xC0, 0xFF, 0xEE]))
        return outcome[1]
    kind, code, message, details = outcome
    if kind == "abort":  # grpcio builds grpc-status-details-bin from the google.rpc.Status
        context.abort_with_status(rpc_status.to_status(status_pb2.Status.FromString(details)))
    context.set_trailing_metadata((("grpc-status-details-bin", details),))
    context.abort(CODE[code], message)


def list_users(request, context):
    users, fail = s.list_users_page(request)
    context.set_trailing_metadata((("next-page-token", str(users[-1].id)),))
    yield from users
    if fail:
        context.abort(grpc.StatusCode.UNAVAILABLE, s.FAIL_MESSAGE)


def check(request, context):
    response, error = s.health_outcome(request)
    if error:
        context.abort(grpc.StatusCode.NOT_FOUND, error)
    return response


def handler(kind, function, request_type):
    return getattr(grpc, f"{kind}_rpc_method_handler")(
        function, request_deserializer=request_type.FromString, response_serializer=lambda m: m.SerializeToString())


def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((
        grpc.method_handlers_generic_handler("userservice.UserService", {
            "GetUser": handler("unary_unary", get_user, s.GetUserRequest),
            "ListUsers": handler("unary_stream", list_users, s.ListUsersRequest)}),
        grpc.method_handlers_generic_handler("grpc.health.v1.Health", {
            "Check": handler("unary_unary", check, s.HealthCheckRequest)}),
    ))
    server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    print(f"listening on 127.0.0.1:{port}", flush=True)
    time.sleep(seconds)
    server.stop(1)


if __name__ == "__main__":
    main()
