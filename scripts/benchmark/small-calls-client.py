#!/usr/bin/env python3
"""The Python grpcio (PyPI) client of the benchmark's small-calls capture (scripts/benchmark/run.sh
small): many small calls over a few long-lived connections, as microservice traffic looks. Calls the
Swift reference server (`grpcdump serve`) with messages serialized by hand, from four threads at
once, each on a channel (a connection) of its own, so that the connections interleave. Of each
hundred calls on a connection: 90 GetUser, 4 ListUsers (a page of 3), 2 CreateUsers, 2 Chat and 2
errors (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED and UNAUTHENTICATED in turn).
With --tls CA_FILE the channels are TLS ones that trust CA_FILE (the server writes the key log):
the small-calls capture's TLS twin.
Usage: small-calls-client.py [--tls CA_FILE] HOST:PORT [CALLS_PER_CONNECTION]  (default 8000)
"""
import importlib.util
import pathlib
import sys
import time
from concurrent.futures import ThreadPoolExecutor
import grpc

# Messages are serialized by hand with the helpers of captures/record-grpcio-client.py.
_wire = pathlib.Path(__file__).resolve().parents[2] / "captures" / "record-grpcio-client.py"
_spec = importlib.util.spec_from_file_location("record_grpcio_client", _wire)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
field = _module.field

CONNECTIONS = 4
AUTH = (("authorization", "Bearer user-token"),)
USER_IDS = (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)  # the server's seed users but 7, which only an admin may read
ERRORS = ((-1, AUTH, grpc.StatusCode.INVALID_ARGUMENT), (999, AUTH, grpc.StatusCode.NOT_FOUND),
          (7, AUTH, grpc.StatusCode.PERMISSION_DENIED), (1, (), grpc.StatusCode.UNAUTHENTICATED))

# Each call takes (users, connection, call number, x-request-id metadata).
def get_user(users, connection, k, request_id):
    users("unary_unary", "GetUser")(field(1, USER_IDS[k % len(USER_IDS)]), metadata=AUTH + request_id)

def list_users(users, connection, k, request_id):
    list(users("unary_stream", "ListUsers")(field(1, 3) + field(2, str(k % 10)), metadata=AUTH + request_id))

def create_users(users, connection, k, request_id):
    name = f"s{connection}n{k}"
    users("stream_unary", "CreateUsers")(iter([field(1, name) + field(2, f"{name}@example.org") + field(3, 1)]),
                                         metadata=AUTH + request_id)

def chat(users, connection, k, request_id):  # JOIN, TEXT, LEAVE (and whatever other connections say meanwhile)
    user = f"s{connection}"
    list(users("stream_stream", "Chat")(iter([field(1, 1) + field(2, user), field(1, 2) + field(2, user) + field(3, f"hi {k}"),
                                              field(1, 3) + field(2, user)]), metadata=AUTH + request_id))

def error(users, connection, k, request_id):
    user_id, auth, code = ERRORS[k // 50 % len(ERRORS)]
    try:
        users("unary_unary", "GetUser")(field(1, user_id), metadata=auth + request_id)
    except grpc.RpcError as failure:
        assert failure.code() == code, failure
    else:
        raise AssertionError(f"GetUser({user_id}) succeeded")

SCHEDULE = {10: list_users, 30: list_users, 60: list_users, 80: list_users, 20: create_users, 70: create_users,
            40: chat, 90: chat, 45: error, 95: error}  # call number modulo 100: GetUser if not here

def run_connection(target, connection, calls, ca):
    # A subchannel pool of its own, or grpcio would share one connection among the channels.
    options = (("grpc.use_local_subchannel_pool", 1),)
    if ca is None:
        channel = grpc.insecure_channel(target, options=options)
    else:
        channel = grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=ca), options=options)
    with channel:
        users = lambda kind, name: getattr(channel, kind)(f"/userservice.UserService/{name}")
        for k in range(calls):
            SCHEDULE.get(k % 100, get_user)(users, connection, k, (("x-request-id", f"{connection}-{k}"),))

def main():
    arguments = sys.argv[1:]
    ca = None
    if arguments[:1] == ["--tls"]:
        ca = pathlib.Path(arguments[1]).read_bytes()
        arguments = arguments[2:]
    target = arguments[0]
    calls = int(arguments[1]) if len(arguments) > 1 else 8000
    start = time.monotonic()
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        list(pool.map(lambda connection: run_connection(target, connection, calls, ca), range(CONNECTIONS)))
    print(f"small-calls-client: {CONNECTIONS * calls} calls on {CONNECTIONS} connections in {time.monotonic() - start:.0f} s",
          file=sys.stderr)

if __name__ == "__main__":
    main()
