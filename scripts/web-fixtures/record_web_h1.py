#!/usr/bin/env python3
"""Records web-h1.pcap + web-h1.expected.json: gRPC-Web over HTTP/1.1, sonora WSGI (web_wsgi.py)
under gunicorn (gthread worker, keep-alive) on 127.0.0.1:58081, tcpdump -i lo.
Clients: curl (binary and text, one curl process per connection), sonora's client, and a raw
socket writing two pipelined requests at once. Run as root from this directory."""
import sys, time
import service as s
import webclient as w

PORT, OUT = 58081, sys.argv[1] if len(sys.argv) > 1 else "web-h1"
BASE = f"http://127.0.0.1:{PORT}"
GET, LIST, CHECK = s.GET, s.LIST, s.CHECK
get, page, check = s.get_request, s.page_request, s.check_request

server = w.start_server(["timeout", "30", "gunicorn", "--no-control-socket", "-k", "gthread", "--threads", "2", "-w", "1",
                         "--keep-alive", "5", "-b", f"127.0.0.1:{PORT}", "web_wsgi:app"], f"/tmp/{OUT}.server.log", "Booting worker")
time.sleep(1)
tcpdump = w.start_capture(f"{OUT}.pcap", PORT)
calls = []
try:
    calls += w.curl_batch(BASE, [
        dict(path=GET, http_method="OPTIONS", note="CORS preflight",
             headers=[["Origin", "http://app.example.test"], ["Access-Control-Request-Method", "POST"],
                      ["Access-Control-Request-Headers", "content-type,x-grpc-web,x-user-agent"]]),
        dict(path=GET, message=get(1), note="OK, with custom metadata",
             headers=[["Origin", "http://app.example.test"], ["X-User-Agent", "grpc-web-javascript/0.1"],
                      ["x-request-id", "web-1"], ["x-trace-bin", "AQID"]]),
        dict(path=GET, message=get(2), note="OK"),
        dict(path=GET, message=get(0), note="INVALID_ARGUMENT via abort(), details-bin in the trailer frame"),
        dict(path=GET, message=get(99), note="NOT_FOUND via set_code(), non-ASCII grpc-message"),
        dict(path=CHECK, message=check(""), note="Health SERVING"),
        dict(path=CHECK, message=check("nope"), note="Health NOT_FOUND"),
    ], "1.1", "A: curl, binary, keep-alive")
    calls += w.curl_batch(BASE, [
        dict(path=GET, message=get(3), mode="text", note="OK, text both ways"),
        dict(path=LIST, message=page(3), mode="text", note="server streaming, text: chunked, one base64 chunk per frame"),
        dict(path=GET, message=get(42), mode="text", note="NOT_FOUND, text"),
        dict(path=GET, message=get(4), mode="text", accept=w.BINARY, note="request text, response binary (Accept decides)"),
    ], "1.1", "B: curl, text, keep-alive")
    calls += w.curl_batch(BASE, [
        dict(path=LIST, message=page(4), note="server streaming, binary: chunked"),
        dict(path=LIST, message=page(0, "fail"), note="two messages then UNAVAILABLE in the trailer frame"),
        dict(path=GET, message=get(5), accept=None, note="curl's default Accept: */* -> response Content-Type: */* (sonora echoes Accept)"),
    ], "1.1", "C: curl, binary, streaming")
    calls += w.sonora_calls(BASE, [
        dict(path=GET, message=get(6), note="OK", metadata=(("x-request-id", "sonora-1"),)),
        dict(path=GET, message=get(-1), note="INVALID_ARGUMENT"),
        dict(path=LIST, message=page(2), streaming=True, note="server streaming"),
        dict(path=CHECK, message=check("userservice.UserService"), note="Health SERVING"),
    ], "D: sonora client (urllib3 pool)")
    calls += w.pipelined("127.0.0.1", PORT, [
        dict(path=GET, message=get(1), note="pipelined request 1 of 2"),
        dict(path=GET, message=get(2), note="pipelined request 2 of 2"),
    ], "E: raw socket, two pipelined requests in one write")
finally:
    w.stop(server, tcpdump)
w.save(f"{OUT}.expected.json", {"capture": f"{OUT}.pcap", "server": "sonora WSGI under gunicorn (gthread)",
                                 "address": f"127.0.0.1:{PORT}", "protos": s.PROTOS, "calls": calls})
print(f"{len(calls)} calls", file=sys.stderr)
