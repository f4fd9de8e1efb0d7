"""Client side helpers for the gRPC-Web captures: gRPC-Web framing, curl batches (one curl
process = one connection, requests separated by --next), sonora's client, raw pipelined
HTTP/1.1, and a JSON record of what the client saw for each call."""
import base64, json, os, shutil, socket, struct, subprocess, tempfile
from urllib.parse import unquote

BINARY, TEXT = "application/grpc-web+proto", "application/grpc-web-text"


def frame(message, flags=0):
    return struct.pack(">BI", flags, len(message)) + message


def b64_concat_decode(text):
    """Decode a grpc-web-text body: base64 chunks concatenated, each with its own padding,
    so it is decoded 4 characters at a time."""
    text = b"".join(text.split())
    return b"".join(base64.b64decode(text[i:i + 4]) for i in range(0, len(text), 4))


def parse_frames(data):
    """gRPC-Web body -> (message hex list, trailer list, leftover bytes)."""
    messages, trailers, i = [], [], 0
    while i + 5 <= len(data):
        flags, length = struct.unpack(">BI", data[i:i + 5])
        payload = data[i + 5:i + 5 + length]
        i += 5 + length
        if flags & 0x80:
            for line in payload.decode("ascii").split("\r\n"):
                if line:
                    key, value = line.split(":", 1)
                    trailers.append([key.strip(), value.strip()])
        else:
            messages.append(payload.hex())
    return messages, trailers, data[i:]


def outcome(headers, body, content_type):
    """The client's view of one gRPC-Web response."""
    lower = {k.lower(): v for k, v in headers}
    raw = b64_concat_decode(body) if content_type.startswith(TEXT) else body
    messages, trailers, rest = parse_frames(raw)
    where = "body" if trailers else ("headers" if "grpc-status" in lower else None)
    status_source = dict(trailers) if trailers else lower
    status = status_source.get("grpc-status")
    message = status_source.get("grpc-message")
    view = {"response_body_len": len(body), "messages_hex": messages, "trailers": trailers,
            "status_in": where, "grpc_status": int(status) if status is not None else None,
            "grpc_message": unquote(message) if message is not None else None}
    if content_type.startswith(TEXT):
        view["response_body_text"] = body.decode("ascii")
        view["text_padding_inside_body"] = "=" in body.decode("ascii").rstrip("=")
    else:
        view["response_body_hex"] = body.hex()
    if rest:
        view["leftover_hex"] = rest.hex()
    return view


def parse_header_block(text):
    """The last header block that curl -D wrote -> (status line, [[name, value]])."""
    blocks = [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    lines = blocks[-1].split("\n")
    return lines[0], [[k.strip(), v.strip()] for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)]


def curl_batch(base, calls, http, connection):
    """Run the calls in ONE curl process (so on one connection, curl reuses it), in order.
    Each call: dict(path, message=None|bytes, mode="binary"|"text", accept=str|None,
    http_method="POST"|"OPTIONS", headers=[...], note=str). Returns the JSON records."""
    proto = ["--http1.1"] if http == "1.1" else ["--http2-prior-knowledge"]
    tmp = tempfile.mkdtemp(prefix="curl-")
    argv, records = ["curl"], []
    for n, call in enumerate(calls):
        if n:
            argv.append("--next")
        argv += ["-sS", *proto, "-w", "%{local_port} %{num_connects} %{http_version} %{response_code}\\n",
                 "-D", f"{tmp}/h{n}", "-o", f"{tmp}/b{n}"]
        request_headers, body = list(call.get("headers", [])), None
        if call.get("http_method", "POST") == "OPTIONS":
            argv += ["-X", "OPTIONS"]
        else:
            mode = call.get("mode", "binary")
            body = frame(call["message"])
            if mode == "text":
                body = base64.b64encode(body)
            with open(f"{tmp}/q{n}", "wb") as f:
                f.write(body)
            argv += ["--data-binary", f"@{tmp}/q{n}"]
            request_headers = [["Content-Type", TEXT if mode == "text" else BINARY], ["X-Grpc-Web", "1"]] + request_headers
            if "accept" in call:
                if call["accept"] is not None:
                    request_headers.append(["Accept", call["accept"]])
            else:
                request_headers.append(["Accept", TEXT if mode == "text" else BINARY])
        for k, v in request_headers:
            argv += ["-H", f"{k}: {v}"]
        argv.append(base + call["path"])
        records.append({"client": "curl", "connection": connection, "http": http, "note": call.get("note", ""),
                        "http_method": call.get("http_method", "POST"), "path": call["path"],
                        "request_headers": request_headers,
                        "request_message_hex": call["message"].hex() if body is not None else None,
                        "request_body": None if body is None else (body.decode() if call.get("mode") == "text" else body.hex())})
    done = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    stats = done.stdout.split("\n")
    for n, record in enumerate(records):
        local_port, connects, version, code = stats[n].split()
        record.update(local_port=int(local_port), new_connection=connects != "0", http_version=version)
        status_line, headers = parse_header_block(open(f"{tmp}/h{n}").read())
        body = open(f"{tmp}/b{n}", "rb").read() if os.path.exists(f"{tmp}/b{n}") else b""
        record["response"] = {"status_line": status_line, "headers": headers}
        if record["http_method"] == "POST":
            content_type = dict((k.lower(), v) for k, v in headers).get("content-type", "")
            record["response"].update(outcome(headers, body, content_type))
        else:
            record["response"]["body_hex"] = body.hex()
    shutil.rmtree(tmp)
    if done.returncode:
        raise SystemExit(f"curl failed: {done.stderr}")
    return records


def sonora_calls(base, calls, connection):
    """Calls with sonora's own client (binary only; one urllib3 pool, so keep-alive).
    Each call: dict(path, message, streaming=bool). Serializers are identities: bytes in, bytes out."""
    import sonora.client
    records = []
    with sonora.client.insecure_web_channel(base) as channel:
        for call in calls:
            record = {"client": "sonora", "connection": connection, "http": "1.1", "note": call.get("note", ""),
                      "http_method": "POST", "path": call["path"], "request_message_hex": call["message"].hex(),
                      "request_body": frame(call["message"]).hex()}
            messages, error = [], None
            if call.get("streaming"):
                rpc = channel.unary_stream(call["path"], lambda b: b, lambda b: b)(call["message"], metadata=call.get("metadata"))
            else:
                multi = channel.unary_unary(call["path"], lambda b: b, lambda b: b)
                metadata = multi._metadata.copy() + list(sonora.client.protocol.encode_headers(call.get("metadata") or ()))
                rpc = sonora.client.UnaryUnaryCall(call["message"], None, metadata, multi._rpc_url, multi._session,
                                                   multi._serializer, multi._deserializer)
            try:
                if call.get("streaming"):
                    for message in rpc:
                        messages.append(message.hex())
                else:
                    result = rpc()
                    if result is not None:
                        messages.append(result.hex())
            except sonora.client.protocol.WebRpcError as e:
                error = e
            record["request_headers"] = [list(kv) for kv in rpc._metadata]
            record["response"] = {"status_line": f"HTTP/1.1 {rpc._response.status}",
                                  "headers": [[k, v] for k, v in rpc._response.headers.items()],
                                  "messages_hex": messages, "trailers": [list(t) for t in rpc._trailers or []],
                                  "status_in": "body" if rpc._trailers else "headers",
                                  "grpc_status": error.code().value[0] if error else 0,
                                  "grpc_message": error.details() if error else None}
            pool = channel._session.connection_from_url(base)
            ports = {c.sock.getsockname()[1] for c in pool.pool.queue if c is not None and c.sock is not None}
            record["local_port"] = ports.pop() if len(ports) == 1 else None
            records.append(record)
    return records


def httpx_calls(base, calls, connection):
    """Calls with httpx over ONE h2c connection (http1=False, http2=True: prior knowledge).
    Each call: dict(path, message=None|bytes, mode, accept, http_method, headers, note)."""
    import httpx
    records = []
    with httpx.Client(http1=False, http2=True, timeout=10) as client:
        for call in calls:
            request_headers, body = list(call.get("headers", [])), None
            if call.get("http_method", "POST") == "POST":
                mode = call.get("mode", "binary")
                body = frame(call["message"])
                if mode == "text":
                    body = base64.b64encode(body)
                request_headers = [["content-type", TEXT if mode == "text" else BINARY], ["x-grpc-web", "1"],
                                   ["accept", call.get("accept", TEXT if mode == "text" else BINARY)]] + request_headers
            with client.stream(call.get("http_method", "POST"), base + call["path"], content=body,
                               headers=request_headers) as response:
                chunks = list(response.iter_raw())
                port = response.extensions["network_stream"].get_extra_info("client_addr")[1]
            data = b"".join(chunks)
            record = {"client": "httpx", "connection": connection, "http": "2", "note": call.get("note", ""),
                      "http_method": call.get("http_method", "POST"), "path": call["path"],
                      "request_headers": request_headers,
                      "request_message_hex": call["message"].hex() if body is not None else None,
                      "request_body": None if body is None else (body.decode() if call.get("mode") == "text" else body.hex()),
                      "local_port": port, "http_version": response.http_version}
            headers = [[k, v] for k, v in response.headers.multi_items()]
            record["response"] = {"status_line": f"{response.http_version} {response.status_code}", "headers": headers,
                                  "body_chunk_sizes": [len(c) for c in chunks]}
            if body is not None:
                record["response"].update(outcome(headers, data, response.headers.get("content-type", "")))
            else:
                record["response"]["body_hex"] = data.hex()
            records.append(record)
    return records


def read_http11_response(sock, buffer):
    """One HTTP/1.1 response with Content-Length from sock -> (status, headers, body, rest)."""
    while b"\r\n\r\n" not in buffer:
        buffer += sock.recv(65536)
    head, buffer = buffer.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    headers = [[k.strip(), v.strip()] for k, v in (l.split(":", 1) for l in lines[1:])]
    length = int(dict((k.lower(), v) for k, v in headers)["content-length"])
    while len(buffer) < length:
        buffer += sock.recv(65536)
    return lines[0], headers, buffer[:length], buffer[length:]


def pipelined(host, port, calls, connection):
    """HTTP/1.1 pipelining: every request written in ONE send(), then the responses read."""
    sock = socket.create_connection((host, port), timeout=10)
    requests, records = b"", []
    for call in calls:
        body = frame(call["message"])
        headers = [["Host", f"{host}:{port}"], ["Content-Type", BINARY], ["Accept", BINARY], ["X-Grpc-Web", "1"],
                   ["Content-Length", str(len(body))]]
        requests += f"POST {call['path']} HTTP/1.1\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers) + b"\r\n" + body
        records.append({"client": "raw socket (pipelined)", "connection": connection, "http": "1.1",
                        "note": call.get("note", ""), "http_method": "POST", "path": call["path"],
                        "request_headers": headers, "request_message_hex": call["message"].hex(),
                        "request_body": body.hex(), "local_port": sock.getsockname()[1]})
    sock.sendall(requests)
    rest = b""
    for record in records:
        status, headers, body, rest = read_http11_response(sock, rest)
        content_type = dict((k.lower(), v) for k, v in headers).get("content-type", "")
        record["response"] = {"status_line": status, "headers": headers, **outcome(headers, body, content_type)}
    sock.close()
    return records


def start_capture(path, port):
    tcpdump = subprocess.Popen(["timeout", "60", "tcpdump", "-i", "lo", "-U", "--immediate-mode", "-s", "0",
                                "-w", path, f"tcp port {port}"], stderr=subprocess.PIPE)
    tcpdump.stderr.readline()  # "listening on lo ..."
    return tcpdump


def start_server(argv, log, ready):
    """Start a server (argv begins with `timeout N`), wait until its log says `ready`.
    (Waiting on the log, not by connecting, keeps probe connections out of the capture.)"""
    import time
    server = subprocess.Popen(argv, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    for _ in range(100):
        if ready in open(log).read():
            return server
        time.sleep(0.1)
    raise SystemExit(open(log).read())


def stop(server, tcpdump, settle=0.5):
    """Stop the server after `settle` seconds, then the capture once its last packets are written."""
    import time
    time.sleep(settle)
    server.terminate(); server.wait()
    time.sleep(0.5)
    tcpdump.send_signal(2); tcpdump.wait()


def save(path, document):
    for n, call in enumerate(document["calls"], 1):
        call["index"] = n
    with open(path, "w") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")
