#!/usr/bin/env bash
# Records the TCP-layer reference captures in captures/ with real tools, on loopback only:
#   http-lo.pcap              tcpdump -i lo (Ethernet, microseconds)
#   http-any-ns.pcap          tcpdump -i any (Linux cooked v2), nanosecond timestamps
#   http-lo-and-any.pcapng    dumpcap on lo and any at once: two interfaces with different link
#                             types in one pcapng (every packet appears twice)
#   h2c-nghttp.pcap           nghttp against nghttpd over cleartext HTTP/2 (prior knowledge)
#   tls-curl.pcap             curl -k --http2 against `openssl s_server -www` (a throw-away
#                             self-signed certificate): TLS, reported as encrypted
#   h2-curl-mixed.pcap        against nghttpd: curl --http2 (an h2c upgrade nghttpd declines, so
#                             HTTP/1.1), curl --http2-prior-knowledge, and nghttp -u (declined too)
# Traffic: curl against Python's http.server, and nghttp2's client and server (Debian packages
# curl, python3, nghttp2-client, nghttp2-server; tcpdump; tshark for dumpcap).
# Then regenerate the golden outputs: GRPCDUMP_RECORD=1 swift test --skip-build --filter Golden
set -euo pipefail
cd "$(dirname "$0")/.."
out=captures
http_port=18080
h2_port=18081
docroot=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$docroot"' EXIT
printf 'hello from the reference server\n' > "$docroot/index.html"
head -c 100000 /dev/zero | tr '\0' 'x' > "$docroot/big.txt"

python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$docroot" >/dev/null 2>&1 &
nghttpd --no-tls -d "$docroot" -a 127.0.0.1 "$h2_port" >/dev/null 2>&1 &
tcpdump -i lo -U -w "$out/http-lo.pcap" "tcp port $http_port" 2>/dev/null &
tcpdump -i any -U --time-stamp-precision=nano -w "$out/http-any-ns.pcap" "tcp port $http_port" 2>/dev/null &
dumpcap -q -i lo -i any -f "tcp port $http_port" -w "$out/http-lo-and-any.pcapng" 2>/dev/null &
tcpdump -i lo -U -w "$out/h2c-nghttp.pcap" "tcp port $h2_port" 2>/dev/null &
mixed_port=18082
nghttpd --no-tls -d "$docroot" -a 127.0.0.1 "$mixed_port" >/dev/null 2>&1 &
tcpdump -i lo -U -w "$out/h2-curl-mixed.pcap" "tcp port $mixed_port" 2>/dev/null &
tls_port=18443
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -keyout "$docroot/tls.key" -out "$docroot/tls.crt" -days 1 2>/dev/null
openssl s_server -accept "$tls_port" -cert "$docroot/tls.crt" -key "$docroot/tls.key" -www -quiet >/dev/null 2>&1 &
tcpdump -i lo -U -w "$out/tls-curl.pcap" "tcp port $tls_port" 2>/dev/null &
sleep 2

curl -s -k -o /dev/null --http2 "https://127.0.0.1:$tls_port/"
curl -s -o /dev/null "http://127.0.0.1:$http_port/index.html"
curl -s -o /dev/null "http://127.0.0.1:$http_port/big.txt"
curl -s -o /dev/null "http://127.0.0.1:$http_port/missing"
nghttp -n "http://127.0.0.1:$h2_port/index.html" "http://127.0.0.1:$h2_port/big.txt"
curl -s -o /dev/null --http2 "http://127.0.0.1:$mixed_port/index.html" || true
curl -s -o /dev/null --http2-prior-knowledge "http://127.0.0.1:$mixed_port/index.html"
nghttp -u -n "http://127.0.0.1:$mixed_port/index.html" || true
sleep 1
pkill -INT -f "tcpdump -i" || true
pkill -INT -f "dumpcap -q" || true
sleep 1
ls -l "$out"/*.pcap "$out"/*.pcapng
