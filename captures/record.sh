#!/usr/bin/env bash
# Records the reference captures: the reference server (`grpcdump serve`) on loopback, tcpdump,
# and the reference client running every scenario (`grpcdump call --scenario all`). Then writes
# the expected decoded output next to each capture (the golden files the tests compare with).
# Needs root (tcpdump) and a built grpcdump: `swift build`, then `captures/record.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GRPCDUMP:-$(swift build --show-bin-path)/grpcdump}
PORT=${PORT:-50051}
OUT=captures

record() {  # record NAME TCPDUMP-ARGS...
    local name=$1; shift
    tcpdump -U --immediate-mode "$@" -w "$OUT/$name" "tcp port $PORT" 2>/dev/null &
    local tcpdump=$!
    sleep 1
    "$BIN" call --target "127.0.0.1:$PORT" --scenario all >&2 || { kill -9 $tcpdump; exit 1; }
    sleep 0.5
    kill -9 $tcpdump; wait $tcpdump 2>/dev/null || true
}

"$BIN" serve --port "$PORT" --quiet &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
sleep 1
record reference-lo.pcap -i lo
"$BIN" -r "$OUT/reference-lo.pcap" --stats > /dev/null  # a capture that does not decode fails here
echo "recorded $(ls -la "$OUT"/reference-*.pcap* | wc -l) captures" >&2
