#!/usr/bin/env python3
"""Records web-h2.pcap + web-h2.expected.json: gRPC-Web over cleartext HTTP/2 with prior
knowledge, sonora ASGI (web_asgi.py) under hypercorn on 127.0.0.1:58082, tcpdump -i lo.
Clients: curl --http2-prior-knowledge, ONE PROCESS AND CONNECTION PER CALL (Debian's curl 7.88.1
cannot reuse a prior-knowledge connection: curl issue #10634, fixed in 8.0), and httpx with h2
for many calls on one connection.
`record_web_h2.py web-h2-unpatched` (SONORA_UNPATCHED=1 is then set for the server) records the
same httpx calls against sonora's ASGI app without the two fixes of web_asgi.py."""
import os, sys, time
import service as s
import webclient as w

PORT, OUT = 58082, sys.argv[1] if len(sys.argv) > 1 else "web-h2"
UNPATCHED = OUT.endswith("unpatched")
BASE = f"http://127.0.0.1:{PORT}"
GET, LIST, CHECK = s.GET, s.LIST, s.CHECK
get, page, check = s.get_request, s.page_request, s.check_request
PREFLIGHT = dict(path=GET, http_method="OPTIONS", note="CORS preflight",
                 headers=[["origin", "http://app.example.test"], ["access-control-request-method", "POST"],
                          ["access-control-request-headers", "content-type,x-grpc-web,x-user-agent"]])

os.environ["SONORA_UNPATCHED"] = "1" if UNPATCHED else "0"
server = w.start_server(["timeout", "30", "hypercorn", "-b", f"127.0.0.1:{PORT}", "web_asgi:app"],
                        f"/tmp/{OUT}.server.log", "Running on")
time.sleep(0.5)
tcpdump = w.start_capture(f"{OUT}.pcap", PORT)
calls = []
try:
    if not UNPATCHED:
        for n, call in enumerate([
            PREFLIGHT,
            dict(path=GET, message=get(1), note="OK, with custom metadata",
                 headers=[["x-request-id", "h2-1"], ["x-trace-bin", "AQID"]]),
            dict(path=GET, message=get(0), note="INVALID_ARGUMENT via abort(): status in the HTTP headers, empty body"),
            dict(path=GET, message=get(99), note="NOT_FOUND via set_code(): status in the trailer frame, non-ASCII grpc-message"),
            dict(path=LIST, message=page(3), note="server streaming, binary"),
            dict(path=GET, message=get(2), mode="text", note="OK, text"),
            dict(path=LIST, message=page(2), mode="text", note="server streaming, text"),
        ], 1):
            calls += w.curl_batch(BASE, [call], "2", f"curl {n}: one call per connection")
    calls += w.httpx_calls(BASE, [
        dict(path=GET, message=get(3), note="OK, binary"),
        dict(path=GET, message=get(4), mode="text", note="OK, text"),
        dict(path=LIST, message=page(4), note="server streaming, binary"),
        dict(path=LIST, message=page(2, "2"), mode="text", note="server streaming, text, page_token 2"),
        dict(path=CHECK, message=check(""), note="Health SERVING"),
        dict(path=CHECK, message=check("nope"), note="Health NOT_FOUND via abort(): status in the HTTP headers"),
        dict(path=GET, message=get(77), mode="text", note="NOT_FOUND via set_code(), text: status in the trailer frame"),
        PREFLIGHT,
    ], "httpx: one h2c connection")
finally:
    w.stop(server, tcpdump)
w.save(f"{OUT}.expected.json", {"capture": f"{OUT}.pcap", "address": f"127.0.0.1:{PORT}", "protos": s.PROTOS,
                                 "server": "sonora ASGI under hypercorn (h2c prior knowledge)"
                                           + (", sonora unpatched" if UNPATCHED else ", web_asgi.py fixes"),
                                 "calls": calls})
print(f"{len(calls)} calls", file=sys.stderr)
