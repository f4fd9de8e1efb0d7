#!/usr/bin/env bash
# Records the reference captures on loopback: reference servers (`grpcdump serve` in plaintext,
# TLS and mTLS; a Python grpcio server), a packet capture each, and a client: the reference
# client running scenarios (`grpcdump call`), or Python grpcio (captures/record-grpcio-client.py).
# TLS secrets go to NSS key logs next to the captures (*.keys), so they can be decrypted.
# Golden outputs are then re-recorded with
# `GRPCDUMP_RECORD=1 swift test --skip-build --filter Golden` and reviewed.
# Needs root (tcpdump, dumpcap), protoc and PyPI grpcio, grpcio-status and googleapis-common-protos
# for the Python peers, and a built grpcdump: `swift build`, then `captures/record.sh [NAME...]`
# (default: all of them; NAME as below without extension).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GRPCDUMP:-$(swift build --show-bin-path)/grpcdump}
OUT=captures
CERTS=$(mktemp -d)
PIDS=()
trap 'kill ${PIDS[@]+"${PIDS[@]}"} 2>/dev/null || true; rm -rf "$CERTS"' EXIT

start() {  # start PORT COMMAND...: a server in the background, until it says it listens
    local port=$1; shift
    "$@" > "$CERTS/server-$port.out" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 50); do grep -q "listening on" "$CERTS/server-$port.out" && return; sleep 0.2; done
    cat "$CERTS/server-$port.out" >&2; exit 1
}

record() {  # record FILE PORT TOOL CLIENT-COMMAND: TOOL is tcpdump (pcap, lo) or dumpcap (pcapng, any, SLL2)
    local file=$1 port=$2 tool=$3 client=$4 capture
    if [ "$tool" = dumpcap ]; then
        dumpcap -q -i any -y LINUX_SLL2 -f "tcp port $port" -w "$OUT/$file" 2>/dev/null & capture=$!
    else
        tcpdump -U --immediate-mode -i lo -w "$OUT/$file" "tcp port $port" 2>/dev/null & capture=$!
    fi
    sleep 1.5
    $client >&2 || { kill -9 $capture; exit 1; }
    sleep 0.5
    kill -INT $capture; wait $capture 2>/dev/null || true
    "$BIN" -r "$OUT/$file" --stats > /dev/null  # a capture that does not decode fails here
}

wanted() { [ $# -eq 0 ] || [[ " ${NAMES[*]} " == *" $1 "* ]]; }
NAMES=("$@")
SOME="--scenario unary --scenario server-streaming --scenario not-found --scenario deflate"
TLS_ARGS="--cert-dir $CERTS/ca"

start 50051 "$BIN" serve --port 50051 --quiet
if wanted reference-lo; then
    record reference-lo.pcap 50051 tcpdump "$BIN call --target 127.0.0.1:50051 --scenario all"
fi
if wanted reference-any; then
    record reference-any.pcapng 50051 dumpcap \
        "$BIN call --target 127.0.0.1:50051 $SOME --scenario client-streaming --scenario bidi-chat --scenario health"
fi
if wanted reference-grpcio-client; then  # Python grpcio client against the Swift server
    record reference-grpcio-client.pcap 50051 tcpdump "python3 $OUT/record-grpcio-client.py 127.0.0.1:50051"
fi
if wanted reference-grpcio-server; then  # the Swift client against a Python grpcio server
    start 50071 python3 "$OUT/grpcio-server.py" 50071 600
    record reference-grpcio-server.pcap 50071 tcpdump "$BIN call --target 127.0.0.1:50071 $SOME \
        --scenario client-streaming --scenario bidi-chat --scenario invalid-argument --scenario unauthenticated --scenario deadline"
fi
if wanted reference-tls; then  # TLS 1.3; both ends write the key log
    rm -f "$OUT/reference-tls.keys"
    start 50443 "$BIN" serve --port 50443 --quiet --tls $TLS_ARGS --keylog "$OUT/reference-tls.keys"
    record reference-tls.pcap 50443 tcpdump "$BIN call --target 127.0.0.1:50443 --tls $TLS_ARGS $SOME"
fi
if wanted reference-mtls12; then  # mutual TLS, TLS 1.2 (CLIENT_RANDOM key-log lines)
    rm -f "$OUT/reference-mtls12.keys"
    start 50444 "$BIN" serve --port 50444 --quiet --mtls $TLS_ARGS --tls-max 1.2 --keylog "$OUT/reference-mtls12.keys"
    record reference-mtls12.pcap 50444 tcpdump "$BIN call --target 127.0.0.1:50444 --mtls --tls-max 1.2 $TLS_ARGS \
        --scenario unary --scenario client-streaming --scenario bidi-chat"
fi
# Plaintext twins of the TLS captures: the same scenarios, so that the decrypted calls can be
# compared with them (`grpcdump diff`, CLITests/TLSTwinTests).
if wanted reference-tls-twin; then
    start 50453 "$BIN" serve --port 50453 --quiet
    record reference-tls-twin.pcap 50453 tcpdump "$BIN call --target 127.0.0.1:50453 $SOME"
fi
if wanted reference-mtls12-twin; then
    start 50454 "$BIN" serve --port 50454 --quiet
    record reference-mtls12-twin.pcap 50454 tcpdump "$BIN call --target 127.0.0.1:50454 \
        --scenario unary --scenario client-streaming --scenario bidi-chat"
fi
ls -la "$OUT"/reference-* >&2
