"""sonora WSGI app (gRPC-Web over HTTP/1.1) of service.py, for gunicorn:
    timeout 30 gunicorn -k gthread --threads 2 -w 1 --keep-alive 5 -b 127.0.0.1:58081 web_wsgi:app
(the default sync worker closes every connection: gthread is needed for keep-alive)."""
from sonora.wsgi import grpcWSGI

from sync_handlers import CODE, generic_handlers


def report_error(context, kind, code, message, details):
    context.set_trailing_metadata((("grpc-status-details-bin", details),))
    if kind == "abort":
        context.abort(CODE[code], message)  # raises grpc.RpcError, status goes to the trailer frame
    context.set_code(code)  # no abort: return nothing, the status goes to the trailer frame too
    context.set_details(message)
    return None


app = grpcWSGI(None)
app.add_generic_rpc_handlers(generic_handlers(report_error))
