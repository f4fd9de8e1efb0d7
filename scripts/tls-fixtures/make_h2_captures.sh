#!/bin/bash
# Regenerates the HTTP/2-over-TLS gRPC captures (fixture 3e) and derives 3f/3g from them.
# Run as root (tcpdump on lo):  bash make_h2_captures.sh [NAME...]
# Needs: tcpdump, tshark/editcap, curl, nghttpd (nghttp2-server), python3 with grpcio.
# Every process is bounded by `timeout`; tcpdump is stopped with SIGINT by its pid.
set -u
D=$(cd "$(dirname "$0")" && pwd)
cd "$D"
CERT=certs/server.crt
KEY=certs/server.key
mkdir -p logs
# gRPC request frame: uncompressed, length 0 = an empty grpc.health.v1.HealthCheckRequest
printf '\x00\x00\x00\x00\x00' > framed.bin

TPIDS=()
start_tcpdump() { # PCAP PORT
  timeout 90 tcpdump -i lo -s 0 -U --immediate-mode -w "$1" "tcp port $2" 2> "logs/${1%.pcap}.tcpdump.txt" &
  TPIDS+=($!)
}
stop_tcpdumps() { sleep 2; local p; for p in "${TPIDS[@]}"; do kill -INT "$p" 2>/dev/null; wait "$p"; done; TPIDS=(); }

follow() { # NAME -> NAME.follow.txt (one section per TCP stream)
  local n=$1 s
  : > "$n.follow.txt"
  for s in $(tshark -r "$n.pcap" -T fields -e tcp.stream 2>/dev/null | sort -un); do
    tshark -r "$n.pcap" -o "tls.keylog_file:$n.keys" -q -z "follow,tls,raw,$s" >> "$n.follow.txt" 2>/dev/null
  done
}
summary() { # PCAP KEYS [extra tshark args]: one line per record / HTTP2 frame group
  local p=$1 k=$2; shift 2
  tshark -r "$p" -o "tls.keylog_file:$k" "$@" -Y "tls or http2" \
    -T fields -E separator=/t -E aggregator=, -e frame.number -e tcp.stream -e tcp.srcport \
    -e tls.record.opaque_type -e tls.record.content_type -e tls.record.length -e http2.type -e http2.streamid -e _ws.col.Info 2>/dev/null
}
md_head() { # NAME TITLE
  echo "# $1"
  echo
  echo "$2"
  echo
  echo "Made by \`make_h2_captures.sh $1\` ($(openssl version | cut -d' ' -f1-2), $(curl --version | head -1 | cut -d' ' -f1-2), nghttpd $(nghttpd --version | cut -d/ -f2), grpcio $(python3 -c 'import grpc;print(grpc.__version__)'), Python $(python3 -c 'import ssl,sys;print(sys.version.split()[0], ssl.OPENSSL_VERSION)'), $(tshark --version 2>/dev/null | head -1))."
  echo "Loopback only. Server certificate certs/server.crt (self-signed RSA-2048, CN=localhost, SAN localhost/127.0.0.1/::1)."
  echo "framed.bin = 00 00 00 00 00 (gRPC frame: not compressed, length 0 = empty grpc.health.v1.HealthCheckRequest)."
  echo
}
md_view() { # NAME PCAP KEYS [tshark args]
  echo "## tshark's view with the key log"
  echo
  echo "Tab-separated: frame, tcp stream, source port, tls.record.opaque_type, tls.record.content_type (inner),"
  echo "tls.record.length, http2.type, http2.streamid, Info column."
  echo
  echo '```'
  summary "$2" "$3" "${@:4}"
  echo '```'
}
want() { [ ${#SEL[@]} -eq 0 ] && return 0; local x; for x in "${SEL[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1; }
SEL=("$@")

URLPATH=/grpc.health.v1.Health/Check
CURLARGS="--http2 -k -sS -v -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @framed.bin"

# ---- e1: curl -> nghttpd (TLS, h2), nghttpd echoes the request body and adds a grpc-status trailer
if want h2-grpc-curl-nghttpd; then
  n=h2-grpc-curl-nghttpd; port=44341
  rm -f $n.pcap $n.keys logs/$n.*
  mkdir -p logs/htdocs
  start_tcpdump $n.pcap $port; sleep 1.5
  NCMD=(nghttpd -a 127.0.0.1 -d logs/htdocs --echo-upload --trailer 'grpc-status: 0' --trailer 'grpc-message: echoed by nghttpd' --hexdump $port $KEY $CERT)
  ncmd=$(printf '%q ' "${NCMD[@]}")
  timeout 15 stdbuf -oL -eL "${NCMD[@]}" > logs/$n.server.txt 2>&1 &
  spid=$!; sleep 1.5
  ccmd="env SSLKEYLOGFILE=$n.keys curl $CURLARGS -o logs/$n.response.bin https://127.0.0.1:$port$URLPATH"
  eval "timeout 10 $ccmd" > logs/$n.client.txt 2>&1; echo "curl exit $?" >> logs/$n.client.txt
  sleep 0.5; kill -TERM $spid 2>/dev/null; wait $spid
  stop_tcpdumps
  follow $n
  mv $n.follow.txt logs/$n.follow-default.txt
  tshark -r $n.pcap -o tls.keylog_file:$n.keys --disable-protocol grpc -q -z follow,tls,raw,0 > $n.follow.txt 2>/dev/null
  {
    md_head $n "curl (HTTP/2 over TLS, key log via SSLKEYLOGFILE) POSTs one gRPC request to nghttpd, which echoes the body back (--echo-upload) and appends the trailers grpc-status/grpc-message. nghttpd is not a gRPC server: the response has no content-type application/grpc; the request is real gRPC framing."
    echo "## Commands"; echo; echo '```'
    echo "timeout 90 tcpdump -i lo -s 0 -U --immediate-mode -w $n.pcap 'tcp port $port' &"
    echo "timeout 15 stdbuf -oL -eL $ncmd &"
    echo "timeout 10 $ccmd"
    echo "kill -TERM <nghttpd pid>; kill -INT <tcpdump pid>"
    echo "tshark -r $n.pcap -o tls.keylog_file:$n.keys --disable-protocol grpc -q -z follow,tls,raw,0   # > $n.follow.txt"
    echo "tshark -r $n.pcap -o tls.keylog_file:$n.keys -q -z follow,tls,raw,0   # > logs/$n.follow-default.txt (incomplete, see below)"
    echo '```'; echo
    echo "**tshark 4.0.17 quirk:** its gRPC dissector hits a failed assertion (\"The content_type and path of grpc context must be set\") on the"
    echo "server's response, which has no content-type header, and the follow,tls tap then loses that frame's data. $n.follow.txt"
    echo "is therefore made with \`--disable-protocol grpc\` (complete); the output of the plain command, without the response"
    echo "HEADERS/DATA/trailers, is kept as logs/$n.follow-default.txt. The summary below shows the assertion text in frame Info."
    echo
    echo "Response body written by curl (logs/$n.response.bin): $(xxd -p logs/$n.response.bin)"
    echo "nghttpd's own decrypted hexdump of the exchange is in logs/$n.server.txt; curl -v in logs/$n.client.txt."
    echo
    md_view $n $n.pcap $n.keys
  } > $n.md
  echo "== $n: $(stat -c %s $n.pcap) bytes, $(grep -vc '^#' $n.keys) key log lines"
fi

# ---- e2/e3: TLS proxy (Python ssl, key log) in front of a plaintext grpcio server
proxy_capture() { # NAME TLSPORT PLAINPORT CLIENTKIND(curl|grpc)
  local n=$1 port=$2 pport=$3 kind=$4
  rm -f $n.pcap $n-plaintext.pcap $n.keys logs/$n.*
  start_tcpdump $n.pcap $port
  start_tcpdump $n-plaintext.pcap $pport
  sleep 1.5
  local scmd="python3 tools/grpc_plain_server.py $pport 14"
  local pcmd="python3 tools/tls_proxy.py $port $pport $CERT $KEY logs/$n.proxy.keys 12"
  timeout 20 $scmd > logs/$n.server.txt 2>&1 &
  local spid=$!
  timeout 20 $pcmd > logs/$n.proxy.txt 2>&1 &
  local ppid=$!
  sleep 3
  local ccmd
  if [ "$kind" = curl ]; then
    ccmd="env SSLKEYLOGFILE=$n.keys curl $CURLARGS -o logs/$n.response.bin https://127.0.0.1:$port$URLPATH"
  else
    ccmd="python3 tools/grpc_tls_client.py $port $CERT"
  fi
  eval "timeout 15 $ccmd" > logs/$n.client.txt 2>&1; echo "client exit $?" >> logs/$n.client.txt
  wait $ppid; wait $spid
  stop_tcpdumps
  if [ "$kind" = grpc ]; then cp logs/$n.proxy.keys $n.keys; fi
  follow $n
  {
    if [ "$kind" = curl ]; then
      md_head $n "curl (HTTP/2 over TLS, key log via SSLKEYLOGFILE) -> Python ssl TLS-terminating proxy (tools/tls_proxy.py, which also logs keys: logs/$n.proxy.keys) -> plaintext grpcio server (tools/grpc_plain_server.py) implementing grpc.health.v1.Health/Check. Real gRPC on both legs: response 08 01 (SERVING), grpc-status 0 trailer."
    else
      md_head $n "grpcio Python client (tools/grpc_tls_client.py, TLS, ALPN h2) -> Python ssl TLS-terminating proxy (tools/tls_proxy.py; the key log $n.keys is the proxy's SSLContext.keylog_filename, since grpcio's client has no key-log hook) -> plaintext grpcio server (tools/grpc_plain_server.py). Two unary calls on one HTTP/2 connection: Health/Check(service=\"\") -> SERVING, Health/Check(service=\"no.such.Svc\") -> NOT_FOUND."
    fi
    echo "$n.pcap is the TLS leg (client <-> proxy, port $port); $n-plaintext.pcap is the same exchange on the plaintext h2c leg (proxy <-> grpcio server, port $pport; decode with \`-d tcp.port==$pport,http2\`) and so is a second oracle for the decrypted bytes."
    echo
    echo "## Commands"; echo; echo '```'
    echo "timeout 90 tcpdump -i lo -s 0 -U --immediate-mode -w $n.pcap 'tcp port $port' &"
    echo "timeout 90 tcpdump -i lo -s 0 -U --immediate-mode -w $n-plaintext.pcap 'tcp port $pport' &"
    echo "timeout 20 $scmd &"
    echo "timeout 20 $pcmd &"
    echo "timeout 15 $ccmd"
    [ "$kind" = grpc ] && echo "cp logs/$n.proxy.keys $n.keys"
    echo "kill -INT <tcpdump pids>"
    echo "tshark -r $n.pcap -o tls.keylog_file:$n.keys -q -z follow,tls,raw,0   # > $n.follow.txt"
    echo '```'; echo
    echo "Client output:"; echo; echo '```'; cat logs/$n.client.txt | grep -v '^\* \|^} \|^{ ' | head -40; echo '```'; echo
    echo "Proxy output:"; echo; echo '```'; cat logs/$n.proxy.txt; echo '```'; echo
    md_view $n $n.pcap $n.keys
    echo
    echo "### Plaintext leg ($n-plaintext.pcap, -d tcp.port==$pport,http2)"
    echo
    echo '```'
    summary $n-plaintext.pcap /dev/null -d tcp.port==$pport,http2
    echo '```'
  } > $n.md
  echo "== $n: $(stat -c %s $n.pcap) bytes, plaintext leg $(stat -c %s $n-plaintext.pcap) bytes, $(grep -vc '^#' $n.keys) key log lines"
}
want h2-grpc-curl-proxy-grpcio && proxy_capture h2-grpc-curl-proxy-grpcio 44342 44352 curl
want grpc-python-tls-proxy && proxy_capture grpc-python-tls-proxy 44343 44353 grpc
true
