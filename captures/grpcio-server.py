#!/usr/bin/env python3
"""A small Python grpcio (PyPI) server of userservice.UserService, for
captures/reference-grpcio-server.pcap: the Swift reference client (`grpcdump call`) against
grpcio's HTTP/2 stack. Same users, tokens, headers, trailers and error details as the Swift
server (Sources/Reference), messages from the .proto in dissectors/ (no generated code).
Needs grpcio, grpcio-status, googleapis-common-protos and protoc. Run by captures/record.sh.
Usage: grpcio-server.py PORT SECONDS  (PORT 0: any free port)
"""
import os, queue, subprocess, sys, threading, time
from concurrent import futures
import grpc
from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, message_factory
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dissectors")
NAMES = ["ada", "grace", "linus", "barbara", "ken", "margaret", "root", "dennis", "frances", "edsger", "radia", "john"]

def load_types():
    data = subprocess.run(["protoc", "-I", ROOT, "--include_imports", "-o", "/dev/stdout", "reference/userservice.proto"],
                          check=True, capture_output=True).stdout
    pool = descriptor_pool.DescriptorPool()
    for file in descriptor_pb2.FileDescriptorSet.FromString(data).file:
        pool.Add(file)
    return lambda name: message_factory.GetMessageClass(pool.FindMessageTypeByName(name))

TYPE = load_types()
User, GetUserRequest, ListUsersRequest = TYPE("userservice.User"), TYPE("userservice.GetUserRequest"), TYPE("userservice.ListUsersRequest")
CreateUserRequest, CreateUsersResponse, ChatMessage = TYPE("userservice.CreateUserRequest"), TYPE("userservice.CreateUsersResponse"), TYPE("userservice.ChatMessage")

def make_user(uid, name, role):
    user = User(id=uid, username=name, email=f"{name}@example.com", active=uid % 5 != 0, role=role,
                tags=["even", "early"] if uid % 2 == 0 else ["odd"], score=uid * 1.25,
                avatar=bytes([0x89, 0x50, 0x4E, 0x47, uid & 0xFF]), lucky_numbers=[uid, uid * 7, -uid])
    user.created_at.seconds, user.created_at.nanos = 1_704_067_200 + uid * 86_400, uid * 1_000_000
    if uid % 3 == 0:
        user.nickname = name[:2]
    user.address.street, user.address.city, user.address.country = f"{uid} Protocol Lane", "Mountain View", "US"
    user.attributes.update({"team": "core" if uid % 2 == 0 else "edge", "level": str(uid % 4)})
    return user

USERS = {i + 1: make_user(i + 1, n, 2 if n == "root" else (3 if i % 4 == 3 else 1)) for i, n in enumerate(NAMES)}
LOCK = threading.Lock()

def fail(context, code, message, detail):
    packed = any_pb2.Any()
    packed.Pack(detail)
    context.abort_with_status(rpc_status.to_status(status_pb2.Status(code=code, message=message, details=[packed])))

def bad_request(field, description):
    return error_details_pb2.BadRequest(field_violations=[error_details_pb2.BadRequest.FieldViolation(field=field, description=description)])

def begin(context, checksum):
    """Auth like the Swift server's interceptor, response headers, trailers, x-simulate-delay-ms."""
    metadata = dict(context.invocation_metadata())
    token = metadata.get("authorization", "")
    if token not in ("Bearer user-token", "Bearer admin-token"):
        context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or unknown bearer token")
    if "x-simulate-delay-ms" in metadata:
        time.sleep(int(metadata["x-simulate-delay-ms"]) / 1000)
    context.send_initial_metadata((("server-version", "grpcio-reference/1.0"),))
    context.set_trailing_metadata((("rate-limit-remaining", "99"), ("query-time-ms", "1"), ("checksum-bin", bytes(checksum))))
    return token == "Bearer admin-token"

def get_user(request, context):
    admin = begin(context, [request.id & 0xFF, 0xC0, 0xFF, 0xEE])
    if request.id <= 0:
        fail(context, code_pb2.INVALID_ARGUMENT, f"invalid user id {request.id}", bad_request("id", "must be a positive integer"))
    if request.id == 7 and not admin:
        fail(context, code_pb2.PERMISSION_DENIED, f"user {request.id} is private",
             error_details_pb2.ErrorInfo(reason="PRIVATE_USER", domain="userservice.example", metadata={"id": str(request.id)}))
    with LOCK:
        user = USERS.get(request.id)
    if user is None:
        fail(context, code_pb2.NOT_FOUND, f"user {request.id} not found",
             error_details_pb2.ResourceInfo(resource_type="userservice.User", resource_name=f"users/{request.id}", description="no such user"))
    return user

def list_users(request, context):
    begin(context, [])
    after = int(request.page_token or 0)
    with LOCK:
        page = [USERS[i] for i in sorted(USERS) if i > after][: request.page_size or 10]
    trailers = [("rate-limit-remaining", "99"), ("query-time-ms", "2"), ("checksum-bin", bytes([len(page)]))]
    if page:
        trailers.append(("next-page-token", str(page[-1].id)))
    context.set_trailing_metadata(tuple(trailers))
    yield from page

def create_users(requests, context):
    begin(context, [])
    accepted, violations = [], []
    for index, item in enumerate(requests):
        if not (3 <= len(item.username) <= 20 and all(c.islower() or c.isdigit() for c in item.username) and item.username.isascii()):
            violations.append((f"users[{index}].username", "3-20 lowercase letters or digits"))
        elif item.email.count("@") != 1 or "." not in item.email.split("@")[1] or " " in item.email:
            violations.append((f"users[{index}].email", "not an email address"))
        else:
            accepted.append(item)
    if violations:
        detail = error_details_pb2.BadRequest(field_violations=[error_details_pb2.BadRequest.FieldViolation(field=f, description=d) for f, d in violations])
        fail(context, code_pb2.INVALID_ARGUMENT, f"{len(violations)} invalid user(s)", detail)
    created = []
    with LOCK:
        for item in accepted:
            uid = max(USERS) + 1
            user = make_user(uid, item.username, item.role)
            user.email = item.email
            USERS[uid] = user
            created.append(user)
    return CreateUsersResponse(users=created, created=len(created))

ROOM, ROOM_LOCK = [], threading.Lock()

def chat(requests, context):
    """A broadcast room: every message goes to every member, the sender included."""
    begin(context, [])
    inbox = queue.Queue()
    with ROOM_LOCK:
        ROOM.append(inbox)
    def read():
        for message in requests:
            with ROOM_LOCK:
                for member in ROOM:
                    member.put(message)
            if message.kind == 3:  # LEAVE
                break
        with ROOM_LOCK:
            ROOM.remove(inbox)
        inbox.put(None)
    threading.Thread(target=read, daemon=True).start()
    while (message := inbox.get()) is not None:
        yield message

def handler(kind, function, request_type):
    make = getattr(grpc, f"{kind}_rpc_method_handler")
    return make(function, request_deserializer=request_type.FromString, response_serializer=lambda m: m.SerializeToString())

def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=64), compression=grpc.Compression.NoCompression)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("userservice.UserService", {
        "GetUser": handler("unary_unary", get_user, GetUserRequest),
        "ListUsers": handler("unary_stream", list_users, ListUsersRequest),
        "CreateUsers": handler("stream_unary", create_users, CreateUserRequest),
        "Chat": handler("stream_stream", chat, ChatMessage),
    }),))
    port = server.add_insecure_port(f"127.0.0.1:{port}")  # 0: any free port, the one bound is printed
    server.start()
    print(f"listening on 127.0.0.1:{port}", flush=True)
    time.sleep(seconds)
    server.stop(1)

if __name__ == "__main__":
    main()
