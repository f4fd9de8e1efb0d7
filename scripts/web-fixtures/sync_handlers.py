"""The methods the two synchronous servers (grpcio_server.py, web_wsgi.py) serve alike, and their
registration; GetUser's errors each reports its own way (`report_error`)."""
import grpc

import service as s

# grpc.StatusCode by number.
CODE = {code.value[0]: code for code in grpc.StatusCode}


def get_user(report_error):
    """GetUser, its errors handed to `report_error(context, kind, code, message, details)`."""
    def serve(request, context):
        outcome = s.get_user_outcome(request)
        if outcome[0] == "ok":
            context.send_initial_metadata(s.INITIAL)
            context.set_trailing_metadata(s.trailing([request.id & 0xFF, 0xC0, 0xFF, 0xEE]))
            return outcome[1]
        return report_error(context, *outcome)
    return serve


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


def generic_handlers(report_error):
    """UserService (GetUser, ListUsers) and Health (Check), for add_generic_rpc_handlers."""
    return (
        grpc.method_handlers_generic_handler("userservice.UserService", {
            "GetUser": handler("unary_unary", get_user(report_error), s.GetUserRequest),
            "ListUsers": handler("unary_stream", list_users, s.ListUsersRequest)}),
        grpc.method_handlers_generic_handler("grpc.health.v1.Health", {
            "Check": handler("unary_unary", check, s.HealthCheckRequest)}),
    )
