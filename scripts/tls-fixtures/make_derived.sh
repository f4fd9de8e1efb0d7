#!/bin/bash
# Fixtures 3f (mid-session cut) and 3g (pcapng with a Decryption Secrets Block),
# derived from captures made by make_openssl_captures.sh / make_h2_captures.sh.
set -u
cd "$(dirname "$0")"

# 3f: keep frames 14-29 of grpc-python-tls-proxy.pcap (drops the TCP and TLS handshakes,
# the client's first application record (frame 9: h2 preface/SETTINGS), the first
# NewSessionTicket (frame 10) and frame 12 (NewSessionTicket + 2 server application records)).
src=grpc-python-tls-proxy; n=grpc-python-tls-proxy-midsession
editcap -r $src.pcap $n.pcap 14-29
cp $src.keys $n.keys
tshark -r $n.pcap -o tls.keylog_file:$n.keys -q -z follow,tls,raw,0 > $n.follow.txt 2>/dev/null
tshark -r $n.pcap -o tls.keylog_file:$n.keys > logs/$n.tshark.txt 2>/dev/null
tshark -r $n.pcap -o tls.keylog_file:$n.keys -d tcp.port==44343,tls > logs/$n.tshark-d.txt 2>/dev/null

# 3g: Decryption Secrets Block
for src in tls13-aes128gcm grpc-python-tls-proxy; do
  n=$src-dsb
  editcap --inject-secrets tls,$src.keys $src.pcap $n.pcapng
  tshark -r $n.pcapng -q -z follow,tls,raw,0 > $n.follow.txt 2>/dev/null   # no -o tls.keylog_file
done

# Checks appended to the NAME.md files of make_openssl_captures.sh (re-run this script after that one).
note() { sed -i "/^## Checks$/,\$d" "$1.md"; printf '\n## Checks\n\n%s\n' "$2" >> "$1.md"; }
tf() { tshark -r "$1.pcap" -o "tls.keylog_file:$1.keys" "${@:2}" 2>/dev/null; }

n=tls13-hrr
note $n "HelloRetryRequest present: frame $(tf $n -Y 'tls.handshake.type==2' -T fields -e frame.number -e tls.handshake.random | grep cf21ad74 | cut -f1) is a ServerHello whose random is the HRR magic cf21ad74...8339c (tshark: \"Hello Retry Request\"), selected_group $(tf $n -Y 'tls.handshake.type==2' -T fields -e tls.handshake.extensions_key_share_selected_group | grep . | head -1) (secp256r1).
First ClientHello key_share group: $(tf $n -Y 'tls.handshake.type==1' -T fields -e tls.handshake.extensions_key_share_group | sed -n 1p) (x25519); second ClientHello: $(tf $n -Y 'tls.handshake.type==1' -T fields -e tls.handshake.extensions_key_share_group | sed -n 2p) (secp256r1).
Both ClientHellos carry the same client random, so the key log has one set of secrets. tshark decrypts the whole connection."

n=tls13-keyupdate
note $n "The client sent KeyUpdate twice ('k': update_not_requested, then 'K': update_requested) and the server answered the second with its own KeyUpdate; decrypted KeyUpdate request_update values in frame order: $(tf $n -Y 'tls.handshake.type==24' -T fields -e tcp.srcport -e tls.handshake.key_update.request_update | tr '\t' ':' | tr '\n' ' ').
The key log only has the *_TRAFFIC_SECRET_0 values (OpenSSL does not log updated secrets): the reader must derive
secret_N+1 = HKDF-Expand-Label(secret_N, \"traffic upd\", \"\", Hash.length) itself and restart the record sequence number at 0.
tshark does so: every line after the updates is in $n.follow.txt."

for n in tls12-ecdhe-rsa-aes128-sha-etm tls12-ecdhe-rsa-aes128-sha-noetm tls12-ecdhe-rsa-aes128-sha256-etm tls12-ecdhe-rsa-aes128-sha256-noetm; do
  ch=$(tf $n -Y 'tls.handshake.type==1' -T fields -e tls.handshake.extension.type)
  sh=$(tf $n -Y 'tls.handshake.type==2' -T fields -e tls.handshake.extension.type)
  case ",$sh," in *,22,*) etm="negotiated (extension 22 encrypt_then_mac in ClientHello and ServerHello)";; *) etm="NOT negotiated (no extension 22; the client ran with -no_etm), so records are MAC-then-encrypt";; esac
  note $n "Encrypt-then-MAC (RFC 7366): $etm. ClientHello extensions: $ch; ServerHello extensions: $sh
(tshark lists extension 22 as \"encrypt_then_mac\"; 23 is extended_master_secret, present in all TLS 1.2 captures here). tshark decrypts both variants (verify_captures.py also checks every MAC)."
done

for n in tls12-resumption tls12-resumption-sessionid; do
  note $n "Two TCP connections. Stream 0 is a full handshake; stream 1 resumes it (abbreviated handshake: ServerHello, $( [ $n = tls12-resumption ] && echo 'NewSessionTicket, ' )ChangeCipherSpec, Finished; no Certificate/ServerKeyExchange).
$( [ $n = tls12-resumption ] && echo 'Resumption by session ticket (RFC 5077): the second ClientHello carries the ticket (extension 35).' || echo 'Server ran with -no_ticket: resumption by session ID (the second ClientHello repeats the session ID).' )
The key log has one CLIENT_RANDOM line per connection; both carry the same master secret (resumption reuses it), but the
key block differs because it is derived from each connection's randoms. tshark decrypts both streams."
done

n=tls13-resumption
note $n "Two TCP connections. Stream 0 is a full handshake with two NewSessionTickets; stream 1 resumes with a PSK
(ClientHello extension 41 pre_shared_key with psk_key_exchange_modes psk_dhe_ke; ServerHello selects identity 0, no Certificate/CertificateVerify).
The key log has 5 lines for each connection (keyed by each ClientHello's random). tshark decrypts both streams."

n=tls13-early-data
note $n "Extra (not in the brief): TLS 1.3 0-RTT. Stream 0 is a full handshake (the server ran with -early_data, so its ticket allows early data);
stream 1 resumes with that ticket and sends logs/early-data.txt as early data in the first flight. The server accepted it
(early_data extension in EncryptedExtensions), and the client sent EndOfEarlyData before its Finished.
The key log for stream 1 adds CLIENT_EARLY_TRAFFIC_SECRET (early-data records use it, sequence numbers from 0).
tshark decrypts the early data: \"early data line: sent as 0-RTT\" is the first client data in stream 1 of $n.follow.txt."
