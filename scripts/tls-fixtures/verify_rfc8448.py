#!/usr/bin/env python3
"""Recompute the RFC 8448 section 3 key schedule and record protection with
the `cryptography` package and assert equality with the RFC values stored in
rfc8448-simple-1rtt.json.  Exit status 0 and "N passed, 0 failed" on success.

Inputs taken from the JSON: the x25519 key pairs, ClientHello, ServerHello and
the encrypted records.  Everything else (shared secret, every secret, key, IV,
transcript hash, Finished value, plaintext) is recomputed and compared.
"""
import hashlib, hmac as _hmac, json, os, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

here = os.path.dirname(os.path.abspath(__file__))
V = json.load(open(os.path.join(here, "rfc8448-simple-1rtt.json")))
h = bytes.fromhex
passed = failed = 0

def check(name, got, want):
    global passed, failed
    if isinstance(want, str):
        want = h(want)
    if got == want:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}\n  got  {got.hex()}\n  want {want.hex()}")

def extract(salt, ikm):
    return _hmac.new(salt or b"\0" * 32, ikm, hashlib.sha256).digest()

def expand_label(secret, label, context, length):
    info = length.to_bytes(2, "big") + bytes([len(b"tls13 " + label)]) + b"tls13 " + label + bytes([len(context)]) + context
    return HKDFExpand(hashes.SHA256(), length, info).derive(secret)

def derive_secret(secret, label, transcript):
    return expand_label(secret, label, hashlib.sha256(transcript).digest(), 32)

# ECDHE
cpriv = X25519PrivateKey.from_private_bytes(h(V["client_x25519_private"]))
spriv = X25519PrivateKey.from_private_bytes(h(V["server_x25519_private"]))
check("client public", cpriv.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw), V["client_x25519_public"])
check("server public", spriv.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw), V["server_x25519_public"])
shared = cpriv.exchange(X25519PublicKey.from_public_bytes(h(V["server_x25519_public"])))
check("ecdhe shared secret (client side)", shared, V["ecdhe_shared_secret"])
check("ecdhe shared secret (server side)", spriv.exchange(cpriv.public_key()), V["ecdhe_shared_secret"])

ch, sh = h(V["client_hello"]), h(V["server_hello"])
check("client_random", ch[6:38], V["client_random"])
check("server_random", sh[6:38], V["server_random"])
check("ClientHello record", b"\x16\x03\x01" + len(ch).to_bytes(2, "big") + ch, V["client_hello_record"])
check("ServerHello record", b"\x16\x03\x03" + len(sh).to_bytes(2, "big") + sh, V["server_hello_record"])

# key schedule
early = extract(None, b"\0" * 32)
check("early secret", early, V["early_secret"])
d1 = derive_secret(early, b"derived", b"")
check("derived (handshake)", d1, V["derived_for_handshake"])
hs = extract(d1, shared)
check("handshake secret", hs, V["handshake_secret"])
check("transcript hash CH..SH", hashlib.sha256(ch + sh).digest(), V["transcript_hash_ch_sh"])
c_hs = derive_secret(hs, b"c hs traffic", ch + sh)
s_hs = derive_secret(hs, b"s hs traffic", ch + sh)
check("client handshake traffic secret", c_hs, V["client_handshake_traffic_secret"])
check("server handshake traffic secret", s_hs, V["server_handshake_traffic_secret"])
d2 = derive_secret(hs, b"derived", b"")
check("derived (master)", d2, V["derived_for_master"])
master = extract(d2, b"\0" * 32)
check("master secret", master, V["master_secret"])

def keys(secret):
    return expand_label(secret, b"key", b"", 16), expand_label(secret, b"iv", b"", 12)

K = V["keys"]
s_hs_key, s_hs_iv = keys(s_hs)
c_hs_key, c_hs_iv = keys(c_hs)
check("server handshake key", s_hs_key, K["server_handshake_write_key"])
check("server handshake iv", s_hs_iv, K["server_handshake_write_iv"])
check("client handshake key", c_hs_key, K["client_handshake_write_key"])
check("client handshake iv", c_hs_iv, K["client_handshake_write_iv"])

def open_record(rec, key, iv, seq):
    rec = h(rec)
    assert rec[0] == 0x17 and rec[1:3] == b"\x03\x03" and int.from_bytes(rec[3:5], "big") == len(rec) - 5
    nonce = bytes(a ^ b for a, b in zip(iv, seq.to_bytes(12, "big")))
    inner = AESGCM(key).decrypt(nonce, rec[5:], rec[:5])
    # re-seal must give the same bytes
    check(f"re-encrypt seq {seq}", rec[:5] + AESGCM(key).encrypt(nonce, inner, rec[:5]), rec)
    body = inner.rstrip(b"\0")
    return body[:-1], body[-1]

R = V["records"]
def check_record(name, key, iv):
    r = R[name]
    pt, ctype = open_record(r["record"], key, iv, r["seq"])
    check(f"{name} plaintext", pt, r["plaintext"])
    check(f"{name} inner content type", bytes([ctype]), bytes([r["inner_content_type"]]))
    return pt

flight = check_record("server_handshake_flight", s_hs_key, s_hs_iv)
M = V["handshake_messages"]
check("flight = EE||Cert||CV||Fin", flight, h(M["encrypted_extensions"] + M["certificate"] + M["certificate_verify"] + M["server_finished"]))
sfin_key = expand_label(s_hs, b"finished", b"", 32)
check("server finished key", sfin_key, V["server_finished_key"])
pre_fin = ch + sh + flight[:-36]
check("server Finished verify_data", _hmac.new(sfin_key, hashlib.sha256(pre_fin).digest(), hashlib.sha256).digest(), V["server_finished_verify_data"])
check("server Finished message", flight[-36:], b"\x14\x00\x00\x20" + h(V["server_finished_verify_data"]))

t_sf = ch + sh + flight
check("transcript hash CH..server Finished", hashlib.sha256(t_sf).digest(), V["transcript_hash_ch_server_finished"])
c_ap = derive_secret(master, b"c ap traffic", t_sf)
s_ap = derive_secret(master, b"s ap traffic", t_sf)
exp = derive_secret(master, b"exp master", t_sf)
check("client application traffic secret 0", c_ap, V["client_application_traffic_secret_0"])
check("server application traffic secret 0", s_ap, V["server_application_traffic_secret_0"])
check("exporter master secret", exp, V["exporter_master_secret"])
s_ap_key, s_ap_iv = keys(s_ap)
c_ap_key, c_ap_iv = keys(c_ap)
check("server application key", s_ap_key, K["server_application_write_key"])
check("server application iv", s_ap_iv, K["server_application_write_iv"])
check("client application key", c_ap_key, K["client_application_write_key"])
check("client application iv", c_ap_iv, K["client_application_write_iv"])

cfin_key = expand_label(c_hs, b"finished", b"", 32)
check("client finished key", cfin_key, V["client_finished_key"])
check("client Finished verify_data", _hmac.new(cfin_key, hashlib.sha256(t_sf).digest(), hashlib.sha256).digest(), V["client_finished_verify_data"])
cfin = check_record("client_finished", c_hs_key, c_hs_iv)
check("client Finished message", cfin, M["client_finished"])
t_cf = t_sf + cfin
check("transcript hash CH..client Finished", hashlib.sha256(t_cf).digest(), V["transcript_hash_ch_client_finished"])
res = derive_secret(master, b"res master", t_cf)
check("resumption master secret", res, V["resumption_master_secret"])
check("resumption PSK (ticket_nonce 0000)", expand_label(res, b"resumption", b"\x00\x00", 32), V["resumption_psk_ticket_nonce_0000"])

nst = check_record("server_new_session_ticket", s_ap_key, s_ap_iv)
check("NewSessionTicket message", nst, M["new_session_ticket"])
check_record("client_application_data", c_ap_key, c_ap_iv)
check_record("server_application_data", s_ap_key, s_ap_iv)
check_record("client_alert", c_ap_key, c_ap_iv)
check_record("server_alert", s_ap_key, s_ap_iv)

# NSS key log lines derived from the values above
want_log = [
    f"CLIENT_HANDSHAKE_TRAFFIC_SECRET {ch[6:38].hex()} {c_hs.hex()}",
    f"SERVER_HANDSHAKE_TRAFFIC_SECRET {ch[6:38].hex()} {s_hs.hex()}",
    f"CLIENT_TRAFFIC_SECRET_0 {ch[6:38].hex()} {c_ap.hex()}",
    f"SERVER_TRAFFIC_SECRET_0 {ch[6:38].hex()} {s_ap.hex()}",
    f"EXPORTER_SECRET {ch[6:38].hex()} {exp.hex()}",
]
check("nss_keylog lines", "\n".join(V["nss_keylog"]).encode(), "\n".join(want_log).encode())

print(f"verify_rfc8448: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
