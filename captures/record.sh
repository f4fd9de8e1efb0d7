#!/usr/bin/env bash
# Records the reference captures: the reference server (`grpcdump serve`) on loopback, tcpdump,
# and a client: the reference client running every scenario (`grpcdump call --scenario all`),
# then Python grpcio (captures/record-grpcio-client.py). Golden outputs are then re-recorded with
# `GRPCDUMP_RECORD=1 swift test --skip-build --filter Golden` and reviewed.
# Needs root (tcpdump) and a built grpcdump: `swift build`, then `captures/record.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GRPCDUMP:-$(swift build --show-bin-path)/grpcdump}
PORT=${PORT:-50051}
OUT=captures

record() {  # record NAME CLIENT-COMMAND TCPDUMP-ARGS...
    local name=$1 client=$2; shift 2
    tcpdump -U --immediate-mode "$@" -w "$OUT/$name" "tcp port $PORT" 2>/dev/null &
    local tcpdump=$!
    sleep 1
    $client >&2 || { kill -9 $tcpdump; exit 1; }
    sleep 0.5
    kill -9 $tcpdump; wait $tcpdump 2>/dev/null || true
}

"$BIN" serve --port "$PORT" --quiet &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
sleep 1
record reference-lo.pcap "$BIN call --target 127.0.0.1:$PORT --scenario all" -i lo
# Cross-implementation: Python grpcio (pip install grpcio) as the client of the Swift server.
record reference-grpcio-client.pcap "python3 captures/record-grpcio-client.py 127.0.0.1:$PORT" -i lo
for capture in "$OUT"/reference-*.pcap; do
    "$BIN" -r "$capture" --stats > /dev/null  # a capture that does not decode fails here
done
echo "recorded $(ls -la "$OUT"/reference-*.pcap* | wc -l) captures" >&2
