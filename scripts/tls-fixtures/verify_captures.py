#!/usr/bin/env python3
"""Independent decryption of the capture fixtures, compared with tshark's.

For every NAME.pcap (or NAME.pcapng) with a NAME.follow.txt beside it, this
script reassembles the TCP streams itself, walks the TLS records, derives the
keys from the key log (NAME.keys, or the pcapng Decryption Secrets Block) and
decrypts every record with the `cryptography` package: TLS 1.3 (AES-128/256-GCM,
ChaCha20-Poly1305, HelloRetryRequest, KeyUpdate, PSK resumption, 0-RTT early
data) and TLS 1.2 (AES-GCM, ChaCha20-Poly1305, AES-CBC with HMAC-SHA1/SHA256,
MAC-then-encrypt and encrypt-then-MAC, resumption). Every AEAD tag / HMAC is
checked. The application data of each TCP stream and direction must equal what
tshark's `follow,tls,raw` printed (NAME.follow.txt).

For a capture whose handshake is missing (the mid-session fixture) it instead
tries every application traffic secret of the key log against the first record
of each direction, for record sequence numbers 0..63 and each TLS 1.3 suite, and
reports which (secret, suite, sequence number) opens it.

Usage: python3 verify_captures.py [NAME...]      prints "N passed, N failed"
Needs only the Python standard library and `cryptography`; tshark is not run.
"""
import glob, hashlib, hmac, os, struct, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.exceptions import InvalidTag

HERE = os.path.dirname(os.path.abspath(__file__))
HRR_RANDOM = bytes.fromhex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")

# ---------------------------------------------------------------- capture files
def read_packets(path):
    """Yields (frame_bytes) of Ethernet frames; returns DSB key log text via list."""
    data = open(path, "rb").read()
    frames, secrets = [], []
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = "<" if magic[0] in (0xD4, 0x4D) else ">"
        linktype = struct.unpack(e + "I", data[20:24])[0]
        assert linktype == 1, linktype
        off = 24
        while off + 16 <= len(data):
            incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
            frames.append(data[off + 16:off + 16 + incl])
            off += 16 + incl
    elif magic == b"\x0a\x0d\x0d\x0a":
        e = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
        off = 0
        while off + 12 <= len(data):
            btype, blen = struct.unpack(e + "II", data[off:off + 8])
            body = data[off + 8:off + blen - 4]
            if btype == 1:
                assert struct.unpack(e + "H", body[:2])[0] == 1  # LINKTYPE_ETHERNET
            elif btype == 6:
                caplen = struct.unpack(e + "I", body[12:16])[0]
                frames.append(body[20:20 + caplen])
            elif btype == 0x0A:  # Decryption Secrets Block
                stype, slen = struct.unpack(e + "II", body[:8])
                assert stype == 0x544C534B  # 'TLSK' = NSS key log
                secrets.append(body[8:8 + slen].decode())
            off += blen
    else:
        raise ValueError("unknown capture format")
    return frames, "".join(secrets)

def tcp_streams(frames):
    """Returns list of connections in order of first appearance; each has
    'client' (ip,port), 'server', and per-direction reassembled bytes."""
    conns = {}
    order = []
    for f in frames:
        if f[12:14] != b"\x08\x00":
            continue
        ip = f[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 6:
            continue
        tot = struct.unpack("!H", ip[2:4])[0]
        src, dst = ip[12:16], ip[16:20]
        tcp = ip[ihl:tot]
        sport, dport, seq = struct.unpack("!HHI", tcp[:8])
        flags = tcp[13]
        payload = tcp[(tcp[12] >> 4) * 4:]
        a, b = (src, sport), (dst, dport)
        key = tuple(sorted([a, b]))
        if key not in conns:
            # the first packet's sender is taken as the client (it sent the SYN;
            # in a capture that starts mid-connection this is only a guess)
            c = {"client": a, "server": b, "dirs": {}, "syn": bool(flags & 2)}
            conns[key] = c
            order.append(c)
        c = conns[key]
        d = c["dirs"].setdefault(a, {"isn": None, "segs": {}})
        if flags & 2:
            d["isn"] = seq + 1
        if payload:
            d["segs"].setdefault(seq, payload)
    for c in order:
        for ep in (c["client"], c["server"]):
            d = c["dirs"].get(ep, {"isn": None, "segs": {}})
            segs = sorted(d["segs"].items())
            nxt = d["isn"] if d["isn"] is not None else (segs[0][0] if segs else 0)
            out = bytearray()
            for s, p in segs:
                if s + len(p) <= nxt:
                    continue
                if s > nxt:
                    raise ValueError("gap in TCP stream")
                out += p[nxt - s:]
                nxt = s + len(p)
            c["c2s" if ep == c["client"] else "s2c"] = bytes(out)
    return order

def records(stream):
    off, out = 0, []
    while off + 5 <= len(stream):
        t, v, n = stream[off], stream[off + 1:off + 3], struct.unpack("!H", stream[off + 3:off + 5])[0]
        out.append((t, v, stream[off:off + 5], stream[off + 5:off + 5 + n]))
        off += 5 + n
    return out

def handshake_msgs(buf):
    off, out = 0, []
    while off + 4 <= len(buf):
        n = int.from_bytes(buf[off + 1:off + 4], "big")
        out.append((buf[off], buf[off:off + 4 + n]))
        off += 4 + n
    return out

def parse_keylog(text):
    kl = {}
    for line in text.splitlines():
        p = line.split()
        if len(p) == 3 and not line.startswith("#"):
            kl[(p[0], bytes.fromhex(p[1]))] = bytes.fromhex(p[2])
    return kl

# ---------------------------------------------------------------- crypto helpers
def hkdf_expand_label(hname, secret, label, ctx, n):
    info = n.to_bytes(2, "big") + bytes([6 + len(label)]) + b"tls13 " + label + bytes([len(ctx)]) + ctx
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = hmac.new(secret, t + info + bytes([i]), hname).digest()
        out += t
        i += 1
    return out[:n]

def p_hash(hname, secret, seed, n):
    out, a = b"", seed
    while len(out) < n:
        a = hmac.new(secret, a, hname).digest()
        out += hmac.new(secret, a + seed, hname).digest()
    return out[:n]

TLS13 = {0x1301: ("aesgcm", 16, "sha256"), 0x1302: ("aesgcm", 32, "sha384"), 0x1303: ("chacha", 32, "sha256")}
# suite: (kind, mac hash or None, mac len, key len, iv len, prf hash)
TLS12 = {
    0xC02F: ("gcm", None, 0, 16, 4, "sha256"),
    0xC030: ("gcm", None, 0, 32, 4, "sha384"),
    0xCCA8: ("chacha", None, 0, 32, 12, "sha256"),
    0xC013: ("cbc", "sha1", 20, 16, 16, "sha256"),
    0xC027: ("cbc", "sha256", 32, 16, 16, "sha256"),
}

class Tls13Dir:
    def __init__(self, suite, secret):
        self.kind, self.klen, self.hname = TLS13[suite]
        self.set(secret)
    def set(self, secret):
        self.secret = secret
        self.key = hkdf_expand_label(self.hname, secret, b"key", b"", self.klen)
        self.iv = hkdf_expand_label(self.hname, secret, b"iv", b"", 12)
        self.seq = 0
    def update(self):
        self.set(hkdf_expand_label(self.hname, self.secret, b"traffic upd", b"", len(self.secret)))
    def open(self, hdr, frag):
        nonce = bytes(a ^ b for a, b in zip(self.iv, self.seq.to_bytes(12, "big")))
        aead = AESGCM(self.key) if self.kind == "aesgcm" else ChaCha20Poly1305(self.key)
        inner = aead.decrypt(nonce, frag, hdr)   # raises InvalidTag
        self.seq += 1
        body = inner.rstrip(b"\0")
        return body[-1], body[:-1]

class Tls12Dir:
    def __init__(self, suite, mac_key, key, iv, etm):
        self.kind, self.mh, self.mlen, _, _, _ = TLS12[suite]
        self.mac_key, self.key, self.iv, self.etm, self.seq = mac_key, key, iv, etm, 0
    def open(self, ctype, ver, frag):
        sq = self.seq.to_bytes(8, "big")
        if self.kind == "gcm":
            nonce, ct = self.iv + frag[:8], frag[8:]
            pt = AESGCM(self.key).decrypt(nonce, ct, sq + bytes([ctype]) + ver + (len(ct) - 16).to_bytes(2, "big"))
        elif self.kind == "chacha":
            nonce = bytes(a ^ b for a, b in zip(self.iv, sq.rjust(12, b"\0")))
            pt = ChaCha20Poly1305(self.key).decrypt(nonce, frag, sq + bytes([ctype]) + ver + (len(frag) - 16).to_bytes(2, "big"))
        else:
            if self.etm:
                body, tag = frag[:-self.mlen], frag[-self.mlen:]
                want = hmac.new(self.mac_key, sq + bytes([ctype]) + ver + len(body).to_bytes(2, "big") + body, self.mh).digest()
                if not hmac.compare_digest(tag, want):
                    raise InvalidTag("EtM MAC")
                frag = body
            dec = Cipher(algorithms.AES(self.key), modes.CBC(frag[:16])).decryptor()
            padded = dec.update(frag[16:]) + dec.finalize()
            pad = padded[-1]
            if padded[-1 - pad:] != bytes([pad]) * (pad + 1):
                raise InvalidTag("bad CBC padding")
            pt = padded[:-1 - pad]
            if not self.etm:
                pt, tag = pt[:-self.mlen], pt[-self.mlen:]
                want = hmac.new(self.mac_key, sq + bytes([ctype]) + ver + len(pt).to_bytes(2, "big") + pt, self.mh).digest()
                if not hmac.compare_digest(tag, want):
                    raise InvalidTag("MtE MAC")
        self.seq += 1
        return pt

# ---------------------------------------------------------------- one connection
def ext_list(body_after_session):
    """Parses an extensions block (2-byte length + extensions) -> {type: data}."""
    n = struct.unpack("!H", body_after_session[:2])[0]
    e, off, out = body_after_session[2:2 + n], 0, {}
    while off + 4 <= len(e):
        t, l = struct.unpack("!HH", e[off:off + 4])
        out[t] = e[off + 4:off + 4 + l]
        off += 4 + l
    return out

def parse_sh(msg):
    b = msg[4:]
    rnd = b[2:34]
    sid_len = b[34]
    p = 35 + sid_len
    suite = struct.unpack("!H", b[p:p + 2])[0]
    exts = ext_list(b[p + 3:]) if len(b) > p + 3 else {}
    return rnd, suite, exts

def decrypt_connection(conn, kl, info):
    """Returns (c2s_appdata, s2c_appdata). Raises on any failure."""
    crec, srec = records(conn["c2s"]), records(conn["s2c"])
    ch = handshake_msgs(crec[0][3])[0][1]
    assert ch[0] == 1, "first client record is not a ClientHello"
    crandom = ch[6:38]
    # find the real ServerHello (skip HelloRetryRequest)
    si, sh = 0, None
    while si < len(srec):
        t, v, hdr, frag = srec[si]
        si += 1
        if t == 22:
            m = handshake_msgs(frag)[0][1]
            rnd, suite, exts = parse_sh(m)
            if rnd == HRR_RANDOM:
                info.append("HelloRetryRequest")
                continue
            sh = (m, rnd, suite, exts)
            rest_of_flight = handshake_msgs(frag)[1:]
            break
    assert sh, "no ServerHello"
    _, srandom, suite, sexts = sh
    is13 = 43 in sexts and sexts[43] == b"\x03\x04"
    c_app, s_app = bytearray(), bytearray()
    if is13:
        info.append(f"TLS1.3 suite {suite:#06x}")
        if 41 in sexts:
            info.append("PSK accepted")
        sd = Tls13Dir(suite, kl[("SERVER_HANDSHAKE_TRAFFIC_SECRET", crandom)])
        early_ok = False
        for t, v, hdr, frag in srec[si:]:
            if t == 20:
                continue
            if t != 23:
                raise ValueError(f"unexpected plaintext record type {t}")
            ct, pt = sd.open(hdr, frag)
            if ct == 22:
                for mt, m in handshake_msgs(pt):
                    if mt == 8 and 42 in ext_list(m[4:]):
                        early_ok = True
                    if mt == 20:
                        sd.set(kl[("SERVER_TRAFFIC_SECRET_0", crandom)])
                    if mt == 24:
                        sd.update()
                        info.append("server KeyUpdate")
            elif ct == 23:
                s_app += pt
        if early_ok:
            info.append("0-RTT accepted")
        # client direction
        secret = kl.get(("CLIENT_EARLY_TRAFFIC_SECRET", crandom)) if early_ok else None
        cd = Tls13Dir(suite, secret or kl[("CLIENT_HANDSHAKE_TRAFFIC_SECRET", crandom)])
        for t, v, hdr, frag in crec[1:]:
            if t in (20, 22):   # CCS, or second ClientHello after HRR
                continue
            ct, pt = cd.open(hdr, frag)
            if ct == 22:
                for mt, m in handshake_msgs(pt):
                    if mt == 5:   # EndOfEarlyData
                        cd.set(kl[("CLIENT_HANDSHAKE_TRAFFIC_SECRET", crandom)])
                    if mt == 20:
                        cd.set(kl[("CLIENT_TRAFFIC_SECRET_0", crandom)])
                    if mt == 24:
                        cd.update()
                        info.append("client KeyUpdate")
            elif ct == 23:
                c_app += pt
    else:
        kind, mh, mlen, klen, ivlen, prf = TLS12[suite]
        etm = 22 in sexts and kind == "cbc"
        info.append(f"TLS1.2 suite {suite:#06x}" + (" EtM" if etm else "") + (" EMS" if 23 in sexts else ""))
        ms = kl[("CLIENT_RANDOM", crandom)]
        kb = p_hash(prf, ms, b"key expansion" + srandom + crandom, 2 * (mlen + klen + ivlen))
        parts, o = [], 0
        for n in (mlen, mlen, klen, klen, ivlen, ivlen):
            parts.append(kb[o:o + n]); o += n
        cmac, smac, ckey, skey, civ, siv = parts
        for recs, d, out, start in ((srec, Tls12Dir(suite, smac, skey, siv, etm), s_app, si), (crec, Tls12Dir(suite, cmac, ckey, civ, etm), c_app, 1)):
            active = False
            for t, v, hdr, frag in recs[start:]:
                if t == 20:
                    active = True
                    continue
                if not active:
                    continue
                pt = d.open(t, v, frag)
                if t == 22:
                    assert pt[0] == 20, "first encrypted handshake message is not Finished"
                elif t == 23:
                    out += pt
        # a full handshake has a plaintext Certificate message from the server
        plain = [m for t, v, h, f in srec[si:] if t == 22 for m in handshake_msgs(f)] + rest_of_flight
        full = any(mt == 11 for mt, m in plain)
        info.append("full handshake" if full else "abbreviated (resumed) handshake")
    return bytes(c_app), bytes(s_app)

def midsession_probe(conn, kl, info):
    """No handshake: try each application traffic secret / suite / seq on the first record."""
    found = []
    for dname, label in (("c2s", "CLIENT_TRAFFIC_SECRET_0"), ("s2c", "SERVER_TRAFFIC_SECRET_0")):
        recs = records(conn[dname])
        if not recs:
            continue
        t, v, hdr, frag = recs[0]
        hit = None
        for (lab, cr), secret in kl.items():
            if lab != label:
                continue
            for suite, (kind, klen, hname) in TLS13.items():
                if len(secret) != hashlib.new(hname).digest_size:
                    continue
                d = Tls13Dir(suite, secret)
                for seq in range(64):
                    d.seq = seq
                    try:
                        ct, pt = d.open(hdr, frag)
                    except InvalidTag:
                        continue
                    hit = (suite, seq)
                    break
                if hit:
                    break
        info.append(f"{dname}: first record opens with {label}, suite {hit[0]:#06x}, sequence number {hit[1]}" if hit else f"{dname}: no key opens the first record")
        found.append(hit)
    return all(found)

# ---------------------------------------------------------------- tshark follow output
def parse_follow(path):
    """-> list (one per stream) of (node0_bytes, node1_bytes)."""
    out, cur = [], None
    for line in open(path):
        if line.startswith("Filter: tcp.stream eq"):
            cur = [bytearray(), bytearray()]
            out.append(cur)
        elif cur is not None and line.strip() and all(ch in "0123456789abcdef" for ch in line.strip()):
            cur[1 if line.startswith("\t") else 0] += bytes.fromhex(line.strip())
    return [(bytes(a), bytes(b)) for a, b in out]

# ---------------------------------------------------------------- main
def check(name):
    cap = next((os.path.join(HERE, name + e) for e in (".pcap", ".pcapng") if os.path.exists(os.path.join(HERE, name + e))), None)
    frames, dsb = read_packets(cap)
    keytext = dsb
    if os.path.exists(os.path.join(HERE, name + ".keys")):
        keytext += open(os.path.join(HERE, name + ".keys")).read()
    kl = parse_keylog(keytext)
    conns = tcp_streams(frames)
    follow = parse_follow(os.path.join(HERE, name + ".follow.txt"))
    ok = True
    for i, conn in enumerate(conns):
        info = []
        if not conn["syn"]:
            good = midsession_probe(conn, kl, info)
            tshark_empty = all(not a and not b for a, b in follow)
            info.append("tshark decrypted nothing" if tshark_empty else "tshark DID decrypt something")
            ok &= good and tshark_empty
            print(f"  {name} stream {i}: mid-session; " + "; ".join(info))
            continue
        c2s, s2c = decrypt_connection(conn, kl, info)
        ts = follow[i] if i < len(follow) else (b"", b"")
        same = sorted([c2s, s2c]) == sorted([ts[0], ts[1]])
        ok &= same and bool(c2s or s2c)
        print(f"  {name} stream {i}: {'matches tshark' if same else 'DIFFERS from tshark'}: c2s {len(c2s)} B, s2c {len(s2c)} B; " + ", ".join(info))
    return ok

def main():
    names = sys.argv[1:] or sorted(os.path.basename(p)[:-len(".follow.txt")] for p in glob.glob(os.path.join(HERE, "*.follow.txt")))
    passed = failed = 0
    for n in names:
        try:
            good = check(n)
        except Exception as e:  # report and go on
            print(f"  {n}: ERROR {type(e).__name__}: {e}")
            good = False
        print(f"{'ok  ' if good else 'FAIL'} {n}")
        passed, failed = passed + good, failed + (not good)
    print(f"verify_captures: {passed} passed, {failed} failed")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
