#!/usr/bin/env python3
"""Synthesise rfc8448-simple-1rtt.pcap (+ .keys) from the RFC 8448 section 3
records in rfc8448-simple-1rtt.json: one TCP connection 127.0.0.1:50000 ->
127.0.0.1:443 (SYN, SYN/ACK, ACK, then one data segment per TLS record/flight,
each ACKed, FIN at the end).  Timestamps are fixed, so the output is byte-for-byte
reproducible.  The records are exactly the RFC's bytes; only the framing is made up."""
import json, os, struct, sys

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
V = json.load(open(os.path.join(here, "rfc8448-simple-1rtt.json")))
R = V["records"]
h = bytes.fromhex

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

CLI, SRV = (b"\x7f\x00\x00\x01", 50000), (b"\x7f\x00\x00\x01", 443)
seq = {0: 1000, 1: 5000}   # 0 = client, 1 = server
pkts = []
t = [1546300800, 0]        # 2019-01-01T00:00:00Z

def seg(d, flags, payload=b""):
    src, dst = (CLI, SRV) if d == 0 else (SRV, CLI)
    ack = seq[1 - d] if flags & 0x10 else 0
    tcp = struct.pack("!HHIIBBHHH", src[1], dst[1], seq[d], ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = src[0] + dst[0] + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
    c = csum(pseudo + tcp + payload)
    tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), len(pkts) + 1, 0x4000, 64, 6, 0, src[0], dst[0])
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = b"\0" * 12 + b"\x08\x00"
    frame = eth + ip + tcp + payload
    t[1] += 1000
    pkts.append(struct.pack("<IIII", t[0], t[1], len(frame), len(frame)) + frame)
    seq[d] += len(payload) + (1 if flags & 0x03 else 0)

seg(0, 0x02); seg(1, 0x12); seg(0, 0x10)
flights = [
    (0, V["client_hello_record"]),
    (1, V["server_hello_record"] + R["server_handshake_flight"]["record"]),
    (0, R["client_finished"]["record"]),
    (1, R["server_new_session_ticket"]["record"]),
    (0, R["client_application_data"]["record"]),
    (1, R["server_application_data"]["record"]),
    (0, R["client_alert"]["record"]),
    (1, R["server_alert"]["record"]),
]
for d, rec in flights:
    seg(d, 0x18, h(rec))
    seg(1 - d, 0x10)
seg(0, 0x11); seg(1, 0x11); seg(0, 0x10)

with open(os.path.join(here, "rfc8448-simple-1rtt.pcap"), "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    f.write(b"".join(pkts))
with open(os.path.join(here, "rfc8448-simple-1rtt.keys"), "w") as f:
    f.write("# NSS key log for RFC 8448 section 3, derived from rfc8448-simple-1rtt.json\n")
    f.write("\n".join(V["nss_keylog"]) + "\n")
print("wrote rfc8448-simple-1rtt.pcap with", len(pkts), "packets")
