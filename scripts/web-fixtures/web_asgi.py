"""sonora ASGI app (gRPC-Web, HTTP/1.1 or h2c) of service.py, for hypercorn:
    timeout 30 hypercorn -b 127.0.0.1:58082 web_asgi:app
sonora answers as soon as it has the first request message, possibly before the request's
END_STREAM; hypercorn 0.18 then meets a DATA frame for a stream it has already finished
(KeyError in hypercorn/protocol/h2.py) and drops the whole connection. `app` below therefore reads
the whole request body before sonora sees it (buffer_request); `grpc_app` is sonora's app with
two of its bugs fixed (PatchedASGI below; SONORA_UNPATCHED=1 for sonora as is).
Handlers are coroutines / async generators; context.abort() is a coroutine here. An abort()ed
call is answered with grpc-status in the HTTP headers and an empty body (sonora's
_do_grpc_error): trailing metadata (grpc-status-details-bin) is lost; set_code() + return None
puts the status in the trailer frame of the body instead."""
import os

import grpc
import sonora.protocol
from sonora.asgi import grpcASGI

import service as s

CODE = {code.value[0]: code for code in grpc.StatusCode}


async def get_user(request, context):
    outcome = s.get_user_outcome(request)
    if outcome[0] == "ok":
        await context.send_initial_metadata(s.INITIAL)
        context.set_trailing_metadata(s.trailing([request.id & 0xFF, 0xC0, 0xFF, 0xEE]))
        return outcome[1]
    kind, code, message, details = outcome
    context.set_trailing_metadata((("grpc-status-details-bin", details),))
    if kind == "abort":
        await context.abort(CODE[code], message)
    context.set_code(code)
    context.set_details(message)
    return None


async def list_users(request, context):
    users, _ = s.list_users_page(request)  # "fail" is not served here (see module doc)
    context.set_trailing_metadata((("next-page-token", str(users[-1].id)),))
    for user in users:
        yield user


async def check(request, context):
    response, error = s.health_outcome(request)
    if error:
        await context.abort(grpc.StatusCode.NOT_FOUND, error)
    return response


def handler(kind, function, request_type):
    return getattr(grpc, f"{kind}_rpc_method_handler")(
        function, request_deserializer=request_type.FromString, response_serializer=lambda m: m.SerializeToString())


class PatchedASGI(grpcASGI):
    """Two sonora 0.2.3 ASGI bugs fixed (set SONORA_UNPATCHED=1 to serve sonora as is):
    - unary responses: grpc-status/grpc-message are bytes, and protocol.pack_trailers formats them
      with f"{k}: {v}", so the trailer frame reads  b'grpc-status': b'0'  (see fixed_pack_trailers);
    - CORS preflight: the Access-Control-Allow-Origin value is a str (and the host header is looked
      for as a str), hypercorn refuses it and answers 500."""

    async def _do_cors_preflight(self, scope, receive, send):
        host = next((v for h, v in scope["headers"] if h == b"host"), scope["server"][0].encode())
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"Content-Type", b"text/plain"), (b"Content-Length", b"0"),
            (b"Access-Control-Allow-Methods", b"POST, OPTIONS"), (b"Access-Control-Allow-Headers", b"*"),
            (b"Access-Control-Allow-Origin", host), (b"Access-Control-Allow-Credentials", b"true"),
            (b"Access-Control-Expose-Headers", b"*")]})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def fixed_pack_trailers(trailers, _original=sonora.protocol.pack_trailers):
    text = lambda x: x.decode("ascii") if isinstance(x, bytes) else x
    return _original([(text(k), text(v)) for k, v in trailers])


if os.environ.get("SONORA_UNPATCHED") == "1":
    grpc_app = grpcASGI(None)
else:
    sonora.protocol.pack_trailers = fixed_pack_trailers  # sonora.asgi calls protocol.pack_trailers
    grpc_app = PatchedASGI(None)
grpc_app.add_generic_rpc_handlers((
    grpc.method_handlers_generic_handler("userservice.UserService", {
        "GetUser": handler("unary_unary", get_user, s.GetUserRequest),
        "ListUsers": handler("unary_stream", list_users, s.ListUsersRequest),
    }),
    grpc.method_handlers_generic_handler("grpc.health.v1.Health", {
        "Check": handler("unary_unary", check, s.HealthCheckRequest),
    }),
))


async def app(scope, receive, send):
    """buffer_request: the whole request body, then sonora."""
    if scope["type"] != "http":
        if scope["type"] == "lifespan":  # sonora would call its (absent) fallback application
            while True:
                kind = (await receive())["type"]  # lifespan.startup, lifespan.shutdown
                await send({"type": kind + ".complete"})
                if kind == "lifespan.shutdown":
                    return
        return
    body, more = b"", True
    while more:
        event = await receive()
        if event["type"] != "http.request":
            return
        body, more = body + event.get("body", b""), event.get("more_body", False)
    replayed = False

    async def replay():
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # then: waits for http.disconnect, as sonora's streaming code expects

    await grpc_app(scope, replay, send)
