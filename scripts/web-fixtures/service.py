"""The small service behind every capture here, shared by the sonora WSGI app (web_wsgi.py), the
sonora ASGI app (web_asgi.py) and the grpcio server (grpcio_server.py).

Messages are the ones of the repository's dissectors/ (compiled at import time with protoc, no generated
code), so the captures decode against grpcdump's bundle:
  reference/userservice.proto   userservice.UserService: GetUser (unary), ListUsers (server streaming)
  grpc/health/v1/health.proto   grpc.health.v1.Health: Check (unary)

Behaviour (the same in the three servers unless said):
  GetUser id 1..6       OK, a userservice.User; initial metadata server-version, trailing metadata
                        query-time-ms and checksum-bin
  GetUser id <= 0       INVALID_ARGUMENT "invalid user id N", grpc-status-details-bin = google.rpc.Status
                        with a google.rpc.BadRequest (raised with abort())
  GetUser unknown id    NOT_FOUND "user N not found ✗" (non-ASCII, so grpc-message is percent-encoded),
                        grpc-status-details-bin with a google.rpc.ResourceInfo. sonora: set_code() and
                        return None (the status goes in the trailer frame); grpcio: abort_with_status()
  ListUsers             page_size users (default 3) after page_token (a user id); page_token "fail":
                        two users, then UNAVAILABLE "backend went away" (WSGI and grpcio only: sonora's
                        ASGI app cannot end a stream with an error once it has started)
  Health.Check          SERVING for "" and "userservice.UserService", NOT_FOUND "unknown service X" otherwise
"""
import os, subprocess

from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, message_factory
from google.rpc import code_pb2, error_details_pb2, status_pb2

DISSECTORS = os.environ.get("DISSECTORS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "dissectors"))
PROTOS = ["reference/userservice.proto", "grpc/health/v1/health.proto"]


def _load_types():
    data = subprocess.run(["protoc", "-I", DISSECTORS, "--include_imports", "-o", "/dev/stdout", *PROTOS],
                          check=True, capture_output=True).stdout
    pool = descriptor_pool.DescriptorPool()
    for file in descriptor_pb2.FileDescriptorSet.FromString(data).file:
        pool.Add(file)
    return lambda name: message_factory.GetMessageClass(pool.FindMessageTypeByName(name))


TYPE = _load_types()
User = TYPE("userservice.User")
GetUserRequest = TYPE("userservice.GetUserRequest")
ListUsersRequest = TYPE("userservice.ListUsersRequest")
HealthCheckRequest = TYPE("grpc.health.v1.HealthCheckRequest")
HealthCheckResponse = TYPE("grpc.health.v1.HealthCheckResponse")

# The methods' paths, and their requests as bytes (for clients that send them by hand).
GET, LIST, CHECK = "/userservice.UserService/GetUser", "/userservice.UserService/ListUsers", "/grpc.health.v1.Health/Check"


def get_request(uid):
    return GetUserRequest(id=uid).SerializeToString()


def page_request(size=0, token=""):
    return ListUsersRequest(page_size=size, page_token=token).SerializeToString()


def check_request(name):
    return HealthCheckRequest(service=name).SerializeToString()


NAMES = ["ada", "grace", "linus", "barbara", "ken", "margaret"]


def make_user(uid, name):
    user = User(id=uid, username=name, email=f"{name}@example.com", active=uid % 5 != 0,
                role=2 if uid == 1 else 1, tags=["even"] if uid % 2 == 0 else ["odd"], score=uid * 1.25,
                avatar=bytes([0x89, 0x50, 0x4E, 0x47, uid]), lucky_numbers=[uid, uid * 7, -uid])
    user.created_at.seconds, user.created_at.nanos = 1_704_067_200 + uid * 86_400, uid * 1_000_000
    if uid % 3 == 0:
        user.nickname = name[:2]
    user.address.city = "Mountain View"
    user.attributes["team"] = "core" if uid % 2 == 0 else "edge"
    return user


USERS = {i + 1: make_user(i + 1, n) for i, n in enumerate(NAMES)}
INITIAL = (("server-version", "fixture-web/1.0"),)


def trailing(checksum):
    return (("query-time-ms", "1"), ("checksum-bin", bytes(checksum)))


def status_details(code, message, detail):
    """grpc-status-details-bin: a google.rpc.Status holding one detail."""
    packed = any_pb2.Any()
    packed.Pack(detail)
    return status_pb2.Status(code=code, message=message, details=[packed]).SerializeToString()


def get_user_outcome(request):
    """('ok', user) or ('abort' | 'set', code number, message, status-details bytes)."""
    if request.id <= 0:
        message = f"invalid user id {request.id}"
        detail = error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field="id", description="must be a positive integer")])
        return "abort", code_pb2.INVALID_ARGUMENT, message, status_details(code_pb2.INVALID_ARGUMENT, message, detail)
    if request.id not in USERS:
        message = f"user {request.id} not found ✗"
        detail = error_details_pb2.ResourceInfo(resource_type="userservice.User",
                                                resource_name=f"users/{request.id}", description="no such user")
        return "set", code_pb2.NOT_FOUND, message, status_details(code_pb2.NOT_FOUND, message, detail)
    return "ok", USERS[request.id]


def list_users_page(request):
    """(users, fail): the page, and whether the stream ends in UNAVAILABLE after it."""
    if request.page_token == "fail":
        return [USERS[1], USERS[2]], True
    after = int(request.page_token or 0)
    return [USERS[i] for i in sorted(USERS) if i > after][: request.page_size or 3], False


FAIL_MESSAGE = "backend went away"


def health_outcome(request):
    if request.service in ("", "userservice.UserService"):
        return HealthCheckResponse(status=1), None  # SERVING
    return None, f"unknown service {request.service}"
