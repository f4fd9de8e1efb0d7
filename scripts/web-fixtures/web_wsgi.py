"""sonora WSGI app (gRPC-Web over HTTP/1.1) of service.py, for gunicorn:
    timeout 30 gunicorn -k gthread --threads 2 -w 1 --keep-alive 5 -b 127.0.0.1:58081 web_wsgi:app
(the default sync worker closes every connection: gthread is needed for keep-alive)."""
import grpc
from sonora.wsgi import grpcWSGI

import service as s

CODE = {code.value[0]: code for code in grpc.StatusCode}


def get_user(request, context):
    outcome = s.get_user_outcome(request)
    if outcome[0] == "ok":
        context.send_initial_metadata(s.INITIAL)
        context.set_trailing_metadata(s.trailing([request.id & 0xFF, 0xC0, 0xFF, 0xEE]))
        return outcome[1]
    kind, code, message, details = outcome
    context.set_trailing_metadata((("grpc-status-details-bin", details),))
    if kind == "abort":
        context.abort(CODE[code], message)  # raises grpc.RpcError, status goes to the trailer frame
    context.set_code(code)  # no abort: return nothing, the status goes to the trailer frame too
    context.set_details(message)
    return None


def list_users(request, context):
    users, fail = s.list_users_page(request)
    context.set_trailing_metadata((("next-page-token", str(users[-1].id)),))
    for user in users:
        yield user
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


app = grpcWSGI(None)
app.add_generic_rpc_handlers((
    grpc.method_handlers_generic_handler("userservice.UserService", {
        "GetUser": handler("unary_unary", get_user, s.GetUserRequest),
        "ListUsers": handler("unary_stream", list_users, s.ListUsersRequest),
    }),
    grpc.method_handlers_generic_handler("grpc.health.v1.Health", {
        "Check": handler("unary_unary", check, s.HealthCheckRequest),
    }),
))
