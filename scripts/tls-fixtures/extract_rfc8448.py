#!/usr/bin/env python3
"""Extract the RFC 8448 section 3 ("Simple 1-RTT Handshake") values from the
plain-text RFC into rfc8448-simple-1rtt.json.

Usage: python3 extract_rfc8448.py rfc8448.txt > rfc8448-simple-1rtt.json

Values are copied verbatim from the RFC text (only whitespace, page footers
and page headers are stripped); every value's length is checked against the
"(N octets)" count printed in the RFC.  Nothing is computed here; see
verify_rfc8448.py for the independent recomputation.
"""
import hashlib, json, re, sys

text = open(sys.argv[1], encoding="ascii").read()
sha = hashlib.sha256(text.encode()).hexdigest()
lines = text.split("\n")
# section 3 only
start = next(i for i, l in enumerate(lines) if l.startswith("3.  Simple 1-RTT Handshake"))
end = next(i for i, l in enumerate(lines) if l.startswith("4.  Resumed 0-RTT Handshake"))
sec = []
for l in lines[start:end]:
    l = l.replace("\f", "")
    if re.match(r"^Thomson\s+Informational\s+\[Page \d+\]$", l) or re.match(r"^RFC 8448\s+TLS 1\.3 Traces\s+January 2019$", l):
        continue
    sec.append(l)

HEX = re.compile(r"^(?:[0-9a-f]{2})(?: [0-9a-f]{2})*$")
steps = []  # list of (heading, {field: hex})
cur = None
field = None
for l in sec:
    m = re.match(r"^   (\{client\}|\{server\})  (.*)$", l)
    if m:
        cur = {"heading": (m.group(1) + " " + m.group(2)).rstrip(":"), "fields": {}}
        steps.append(cur)
        field = None
        continue
    if cur is None:
        continue
    if field is not None and field["need"] > len(field["hex"]) // 2:
        s = l.strip()
        if s == "":
            continue
        assert HEX.match(s), (cur["heading"], field["name"], l)
        field["hex"] += s.replace(" ", "")
        continue
    m = re.match(r"^      (.+?) \((\d+) octets\):\s+(.*)$", l)
    if m:
        name, n, rest = m.group(1), int(m.group(2)), m.group(3).strip()
        field = {"name": name, "need": n, "hex": ""}
        if HEX.match(rest):
            field["hex"] = rest.replace(" ", "")
        else:  # "(empty)"
            field["need"] = 0
        cur["fields"][name] = field
        continue
    m = re.match(r"^      salt:\s+0 \(all zero octets\)$", l)
    if m:
        cur["fields"]["salt"] = {"name": "salt", "need": 0, "hex": ""}
        continue
    if cur["heading"].endswith("(same as server early secret)") or "(same as" in l:
        continue
    if l.strip():
        # heading continuation lines such as "      secret)"
        cur["heading"] += " " + l.strip()

for st in steps:
    for f in st["fields"].values():
        assert len(f["hex"]) == 2 * f["need"], (st["heading"], f["name"], len(f["hex"]) // 2, f["need"])

def get(heading, name, nth=0):
    hits = [s for s in steps if s["heading"] == heading]
    assert hits, heading
    return hits[nth]["fields"][name]["hex"]

ch = get("{client} construct a ClientHello handshake message", "ClientHello")
sh = get("{server} construct a ServerHello handshake message", "ServerHello")
out = {
    "source": "RFC 8448 section 3 (Simple 1-RTT Handshake), M. Thomson, January 2019, https://www.rfc-editor.org/rfc/rfc8448 ; copied verbatim from the plain-text RFC (whitespace stripped) by extract_rfc8448.py",
    "source_text_sha256": sha,
    "licence": "Copyright (c) 2019 IETF Trust and the persons identified as the document authors. All rights reserved. Subject to BCP 78 and the IETF Trust Legal Provisions (https://trustee.ietf.org/license-info); code components under the Simplified BSD License.",
    "cipher_suite": "TLS_AES_128_GCM_SHA256 (0x1301)",
    "group": "x25519",
    "hash": "SHA-256",
    "client_x25519_private": get("{client} create an ephemeral x25519 key pair", "private key"),
    "client_x25519_public": get("{client} create an ephemeral x25519 key pair", "public key"),
    "server_x25519_private": get("{server} create an ephemeral x25519 key pair", "private key"),
    "server_x25519_public": get("{server} create an ephemeral x25519 key pair", "public key"),
    "client_random": ch[12:76],
    "server_random": sh[12:76],
    "client_hello": ch,
    "server_hello": sh,
    "client_hello_record": get("{client} send handshake record", "complete record"),
    "server_hello_record": get("{server} send handshake record", "complete record", 0),
    "ecdhe_shared_secret": get('{server} extract secret "handshake"', "IKM"),
    "early_secret": get('{server} extract secret "early"', "secret"),
    "derived_for_handshake": get('{server} derive secret for handshake "tls13 derived"', "expanded"),
    "handshake_secret": get('{server} extract secret "handshake"', "secret"),
    "transcript_hash_ch_sh": get('{server} derive secret "tls13 c hs traffic"', "hash"),
    "client_handshake_traffic_secret": get('{server} derive secret "tls13 c hs traffic"', "expanded"),
    "server_handshake_traffic_secret": get('{server} derive secret "tls13 s hs traffic"', "expanded"),
    "derived_for_master": get('{server} derive secret for master "tls13 derived"', "expanded"),
    "master_secret": get('{server} extract secret "master"', "secret"),
    "transcript_hash_ch_server_finished": get('{server} derive secret "tls13 c ap traffic"', "hash"),
    "client_application_traffic_secret_0": get('{server} derive secret "tls13 c ap traffic"', "expanded"),
    "server_application_traffic_secret_0": get('{server} derive secret "tls13 s ap traffic"', "expanded"),
    "exporter_master_secret": get('{server} derive secret "tls13 exp master"', "expanded"),
    "transcript_hash_ch_client_finished": get('{client} derive secret "tls13 res master"', "hash"),
    "resumption_master_secret": get('{client} derive secret "tls13 res master"', "expanded"),
    "resumption_psk_ticket_nonce_0000": get('{server} generate resumption secret "tls13 resumption"', "expanded"),
    "server_finished_key": get('{server} calculate finished "tls13 finished"', "expanded"),
    "server_finished_verify_data": get('{server} calculate finished "tls13 finished"', "finished"),
    "client_finished_key": get('{client} calculate finished "tls13 finished"', "expanded"),
    "client_finished_verify_data": get('{client} calculate finished "tls13 finished"', "finished"),
    "keys": {
        "server_handshake_write_key": get("{server} derive write traffic keys for handshake data", "key expanded"),
        "server_handshake_write_iv": get("{server} derive write traffic keys for handshake data", "iv expanded"),
        "client_handshake_write_key": get("{server} derive read traffic keys for handshake data", "key expanded"),
        "client_handshake_write_iv": get("{server} derive read traffic keys for handshake data", "iv expanded"),
        "server_application_write_key": get("{server} derive write traffic keys for application data", "key expanded"),
        "server_application_write_iv": get("{server} derive write traffic keys for application data", "iv expanded"),
        "client_application_write_key": get("{client} derive write traffic keys for application data", "key expanded"),
        "client_application_write_iv": get("{client} derive write traffic keys for application data", "iv expanded"),
    },
    "handshake_messages": {
        "encrypted_extensions": get("{server} construct an EncryptedExtensions handshake message", "EncryptedExtensions"),
        "certificate": get("{server} construct a Certificate handshake message", "Certificate"),
        "certificate_verify": get("{server} construct a CertificateVerify handshake message", "CertificateVerify"),
        "server_finished": get("{server} construct a Finished handshake message", "Finished"),
        "client_finished": get("{client} construct a Finished handshake message", "Finished"),
        "new_session_ticket": get("{server} construct a NewSessionTicket handshake message", "NewSessionTicket"),
    },
    "records": {
        "server_handshake_flight": {
            "direction": "server->client", "keys": "server handshake", "seq": 0, "inner_content_type": 22,
            "note": "EncryptedExtensions, Certificate, CertificateVerify, Finished in one record",
            "plaintext": get("{server} send handshake record", "payload", 1),
            "record": get("{server} send handshake record", "complete record", 1)},
        "client_finished": {
            "direction": "client->server", "keys": "client handshake", "seq": 0, "inner_content_type": 22,
            "plaintext": get("{client} send handshake record", "payload", 1),
            "record": get("{client} send handshake record", "complete record", 1)},
        "server_new_session_ticket": {
            "direction": "server->client", "keys": "server application", "seq": 0, "inner_content_type": 22,
            "plaintext": get("{server} send handshake record", "payload", 2),
            "record": get("{server} send handshake record", "complete record", 2)},
        "client_application_data": {
            "direction": "client->server", "keys": "client application", "seq": 0, "inner_content_type": 23,
            "plaintext": get("{client} send application_data record", "payload"),
            "record": get("{client} send application_data record", "complete record")},
        "server_application_data": {
            "direction": "server->client", "keys": "server application", "seq": 1, "inner_content_type": 23,
            "plaintext": get("{server} send application_data record", "payload"),
            "record": get("{server} send application_data record", "complete record")},
        "client_alert": {
            "direction": "client->server", "keys": "client application", "seq": 1, "inner_content_type": 21,
            "plaintext": get("{client} send alert record", "payload"),
            "record": get("{client} send alert record", "complete record")},
        "server_alert": {
            "direction": "server->client", "keys": "server application", "seq": 2, "inner_content_type": 21,
            "plaintext": get("{server} send alert record", "payload"),
            "record": get("{server} send alert record", "complete record")},
    },
}
out["nss_keylog"] = [
    f"CLIENT_HANDSHAKE_TRAFFIC_SECRET {out['client_random']} {out['client_handshake_traffic_secret']}",
    f"SERVER_HANDSHAKE_TRAFFIC_SECRET {out['client_random']} {out['server_handshake_traffic_secret']}",
    f"CLIENT_TRAFFIC_SECRET_0 {out['client_random']} {out['client_application_traffic_secret_0']}",
    f"SERVER_TRAFFIC_SECRET_0 {out['client_random']} {out['server_application_traffic_secret_0']}",
    f"EXPORTER_SECRET {out['client_random']} {out['exporter_master_secret']}",
]
json.dump(out, sys.stdout, indent=2)
print()
