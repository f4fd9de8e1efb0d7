#!/usr/bin/env python3
"""Records grpcio-long.pcap + grpcio-long.expected.json: plain gRPC over h2c between PyPI grpcio
client and server (grpcio_server.py) on 127.0.0.1:58083, 32 calls in order on ONE channel (one
TCP connection): unary and server streaming, four methods, errors, changing and repeated
metadata (so HPACK dynamic-table entries made early are referred to later). tcpdump -i lo.
Then cut.sh makes the mid-connection cuts."""
import sys, time
import grpc
import service as s
import webclient as w

PORT, OUT = 58083, sys.argv[1] if len(sys.argv) > 1 else "grpcio-long"
GET, LIST, CHECK = s.GET, s.LIST, s.CHECK
CHAT = "/userservice.UserService/Chat"  # not served: UNIMPLEMENTED
get = lambda i: (GET, False, s.get_request(i))
page = lambda size=0, token="": (LIST, True, s.page_request(size, token))
check = lambda name: (CHECK, False, s.check_request(name))
CALLS = [get(1), get(2), page(3), check(""), get(0), get(3), page(2, "2"), get(99), check("nope"), get(4),
         page(0, "fail"), (CHAT, False, b""), get(5), get(6), page(6), check("userservice.UserService"),
         get(1), get(2), page(2, "4"), get(-7), get(3), check(""), get(4), page(1), get(1234), get(5),
         page(0, "fail"), get(6), check("userservice.UserService." + "padding-" * 24), get(2), page(3, "3"), get(1)]
GZIP = {13, 29}  # request compression: #13's 2-byte message goes uncompressed anyway (flag 0), #29's compressed


def text(metadata):
    return [[k, v.hex() if k.endswith("-bin") else v] for k, v in (metadata or ())]


def main():
    server = w.start_server(["timeout", "30", "python3", "grpcio_server.py", str(PORT), "25"],
                            f"/tmp/{OUT}.server.log", "listening on")
    tcpdump = w.start_capture(f"{OUT}.pcap", PORT)
    records = []
    try:
        with grpc.insecure_channel(f"127.0.0.1:{PORT}") as channel:
            for n, (path, streaming, request) in enumerate(CALLS, 1):
                metadata = (("authorization", "Bearer user-token"), ("x-request-id", f"long-{n}"),
                            ("x-client", "record_grpcio_long.py"))
                compression = grpc.Compression.Gzip if n in GZIP else None
                messages, error = [], None
                if streaming:
                    call = channel.unary_stream(path)(request, metadata=metadata, timeout=5, compression=compression)
                    try:
                        for message in call:
                            messages.append(message.hex())
                    except grpc.RpcError as e:
                        error = e
                else:
                    try:
                        response, call = channel.unary_unary(path).with_call(request, metadata=metadata, timeout=5,
                                                                             compression=compression)
                        messages.append(response.hex())
                    except grpc.RpcError as e:
                        error = call = e
                records.append({"method": path, "kind": "server_streaming" if streaming else "unary",
                                "stream_id": 2 * n - 1, "request_metadata": [list(m) for m in metadata],
                                "request_compression": "gzip" if compression else None,
                                "request_message_hex": request.hex(),
                                "status": call.code().name, "status_code": call.code().value[0],
                                "details": call.details() or None,
                                "initial_metadata": text(call.initial_metadata()),
                                "trailing_metadata": text(call.trailing_metadata()),
                                "response_messages_hex": messages})
                time.sleep(0.02)
    finally:
        w.stop(server, tcpdump, settle=0.3)
    w.save(f"{OUT}.expected.json", {"capture": f"{OUT}.pcap", "address": f"127.0.0.1:{PORT}",
                                     "server": f"grpcio {grpc.__version__} (grpcio_server.py)", "client": f"grpcio {grpc.__version__}",
                                     "protos": s.PROTOS, "calls": records})
    print(f"{len(records)} calls", file=sys.stderr)


if __name__ == "__main__":
    main()
