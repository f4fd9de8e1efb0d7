#!/usr/bin/env python3
"""The Python grpcio (PyPI) client side of captures/reference-grpcio-client.pcap: calls the Swift
reference server (`grpcdump serve`) with messages serialized by hand, so that the decoder sees
grpcio's HTTP/2 stack (HPACK, flow control, pings) against grpc-swift's. Run by captures/record.sh.
Usage: record-grpcio-client.py HOST:PORT
"""
import sys
import grpc

def varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)

def field(number, value):
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    data = value.encode() if isinstance(value, str) else value
    return varint(number << 3 | 2) + varint(len(data)) + data

def main():
    target = sys.argv[1]
    auth = (("authorization", "Bearer user-token"), ("x-client", "grpcio"))
    with grpc.insecure_channel(target) as channel:
        users = lambda kind, name: getattr(channel, kind)(f"/userservice.UserService/{name}")
        users("unary_unary", "GetUser")(field(1, 2), metadata=auth)
        list(users("unary_stream", "ListUsers")(field(1, 3), metadata=auth))
        users("stream_unary", "CreateUsers")(iter([field(1, "pyuser") + field(2, "py@example.org") + field(3, 1)]), metadata=auth)
        # Chat alone in the room: JOIN, TEXT, LEAVE, each echoed back.
        list(users("stream_stream", "Chat")(iter([field(1, 1) + field(2, "py"), field(1, 2) + field(2, "py") + field(3, "hello"),
                                                  field(1, 3) + field(2, "py")]), metadata=auth))
        for request, metadata in ((field(1, -5), auth), (field(1, 1), ())):  # INVALID_ARGUMENT, UNAUTHENTICATED
            try:
                users("unary_unary", "GetUser")(request, metadata=metadata)
            except grpc.RpcError as error:
                print("GetUser", error.code(), file=sys.stderr)
        users("unary_unary", "GetUser")(field(1, 4), metadata=auth, compression=grpc.Compression.Gzip)
        channel.unary_unary("/grpc.health.v1.Health/Check")(b"")

if __name__ == "__main__":
    main()
