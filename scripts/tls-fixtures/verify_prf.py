#!/usr/bin/env python3
"""Check tls12-prf-vectors.json with Python's hmac module (RFC 5246 section 5
P_hash), and, if the `openssl` CLI is present, with `openssl kdf TLS1-PRF`.
Prints "N passed, N failed"; exit status 1 on any failure."""
import hashlib, hmac, json, os, shutil, subprocess, sys

def p_hash(hname, secret, seed, n):
    out, a = b"", seed
    while len(out) < n:
        a = hmac.new(secret, a, hname).digest()
        out += hmac.new(secret, a + seed, hname).digest()
    return out[:n]

here = os.path.dirname(os.path.abspath(__file__))
V = json.load(open(os.path.join(here, "tls12-prf-vectors.json")))
passed = failed = 0
for v in V["vectors"]:
    hname = v["hash"].lower().replace("-", "")
    assert v["label"].encode().hex() == v["label_hex"]
    secret, seed, want = bytes.fromhex(v["secret"]), bytes.fromhex(v["seed"]), bytes.fromhex(v["output"])
    assert len(want) == v["output_length"]
    got = p_hash(hname, secret, v["label"].encode() + seed, len(want))
    ok = got == want
    # prefix property: a shorter request is a prefix of the long one
    ok = ok and p_hash(hname, secret, v["label"].encode() + seed, 13) == want[:13]
    print(f"{'ok  ' if ok else 'FAIL'} hmac    {v['name']}")
    passed, failed = passed + ok, failed + (not ok)
    if shutil.which("openssl"):
        r = subprocess.run(["openssl", "kdf", "-keylen", str(len(want)), "-kdfopt", "digest:" + v["hash"].replace("-", "2-"),
                            "-kdfopt", "hexsecret:" + v["secret"], "-kdfopt", "hexseed:" + v["label_hex"] + v["seed"], "TLS1-PRF"],
                           capture_output=True, text=True)
        got2 = bytes.fromhex(r.stdout.strip().replace(":", "")) if r.returncode == 0 else b""
        ok2 = got2 == want
        print(f"{'ok  ' if ok2 else 'FAIL'} openssl {v['name']}" + ("" if r.returncode == 0 else " " + r.stderr.strip()))
        passed, failed = passed + ok2, failed + (not ok2)
print(f"verify_prf: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
