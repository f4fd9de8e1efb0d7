#!/usr/bin/env python3
"""TLS-terminating TCP proxy that writes an NSS key log (SSLContext.keylog_filename).

usage: tls_proxy.py LISTEN_PORT UPSTREAM_PORT CERT KEY KEYLOG DURATION_S

Listens on 127.0.0.1:LISTEN_PORT with TLS (ALPN h2 offered, which gRPC
clients require), forwards the decrypted bytes to 127.0.0.1:UPSTREAM_PORT
(plaintext, e.g. an h2c gRPC server) and back.  Exits after DURATION_S seconds.
"""
import socket, ssl, sys, threading, time

lport, uport, cert, key, keylog, duration = sys.argv[1:7]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
ctx.set_alpn_protocols(["h2"])
ctx.keylog_filename = keylog

def pump(src, dst):
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            dst.sendall(b)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

def handle(raw):
    try:
        tls = ctx.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError) as e:
        print("handshake failed:", e, flush=True)
        raw.close()
        return
    print("accepted", tls.version(), tls.cipher()[0], "alpn", tls.selected_alpn_protocol(), flush=True)
    up = socket.create_connection(("127.0.0.1", int(uport)))
    t = threading.Thread(target=pump, args=(up, tls), daemon=True)
    t.start()
    pump(tls, up)
    t.join(5)
    for s in (tls, up):
        try:
            s.close()
        except OSError:
            pass

ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", int(lport)))
ls.listen(8)
ls.settimeout(0.5)
end = time.time() + float(duration)
print("listening", lport, "->", uport, flush=True)
while time.time() < end:
    try:
        c, _ = ls.accept()
    except socket.timeout:
        continue
    threading.Thread(target=handle, args=(c,), daemon=True).start()
print("proxy done", flush=True)
