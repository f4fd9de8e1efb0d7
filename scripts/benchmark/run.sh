#!/usr/bin/env bash
# The performance benchmark (docs/performance.md). Records a base capture on loopback with the
# reference client and server (many connections; unary, server, client and bidirectional
# streaming; mostly small messages, 64 KiB chunks and one 4.5 MiB message; gzip and deflate), grows it to each SIZE in MB with
# replicate-pcap.py, and on each file runs, one after the other: grpcdump's call summary, grpcdump
# --json with schema decoding (the dissectors/ bundle), tshark's summary with its HTTP/2, gRPC and
# protobuf dissectors given the same .proto files, and (for sizes up to TSHARK_V_MAX_MB) tshark -V.
# Prints wall time, CPU time (user + system, all threads), MB/s, calls/s, the ratio to tshark's
# summary and peak memory (/usr/bin/time -v). The first row is the floor (floor.c, built with cc):
# reading the file and copying each TCP payload to its connection's buffer, decoding nothing more. With RUNS=N each command runs N times and the
# fastest run is kept (timings on a shared 2-core machine vary by ±30%).
#
#   scripts/benchmark/run.sh [SIZE_MB|base...]  (default: 100 1000; needs root, tcpdump, tshark)
#
# `base` measures the recorded capture itself. ROUNDS=N records N rounds instead of 16, so a large
# capture can be recorded directly rather than replicated (BENCH_DIR keeps one base per directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(100 1000); fi
WORK=${BENCH_DIR:-/tmp/grpcdump-bench}
PORT=50099
TSHARK_MAX_MB=${TSHARK_MAX_MB:-100000}    # tshark's summary only for files up to this size
TSHARK_V_MAX_MB=${TSHARK_V_MAX_MB:-100}    # tshark -V only up to this size (it is slow)
RUNS=${RUNS:-1}                            # runs per command; the fastest is kept
ROUNDS=${ROUNDS:-16}                       # rounds of four clients recorded for the base capture (16: about 11.6 MB)
mkdir -p "$WORK"
swift build -c release --product grpcdump >&2
BIN=$(swift build -c release --show-bin-path)/grpcdump
cc -O2 -o "$WORK/floor" scripts/benchmark/floor.c

if [ ! -s "$WORK/base.pcap" ]; then
    "$BIN" serve --port $PORT --quiet --duration 600 > "$WORK/server.out" 2>&1 & server=$!
    for _ in $(seq 50); do grep -q "listening on" "$WORK/server.out" && break; sleep 0.2; done
    tcpdump -U --immediate-mode -s 0 -B 65536 -i lo -w "$WORK/base.pcap" "tcp port $PORT" 2>/dev/null & capture=$!
    sleep 1.5
    # Small messages dominate, as in most gRPC traffic: ROUNDS rounds of four clients at a time, each
    # on its own connections, running every RPC kind (50 concurrent unary calls among them, gzip and
    # deflate); one client a round also uploads 256 KiB in 64 KiB chunks; one 4.5 MiB message in all.
    small="--scenario unary --scenario server-streaming --scenario client-streaming --scenario bidi-chat --scenario gzip \
        --scenario deflate --scenario metrics --scenario concurrent --scenario not-found --scenario invalid-argument"
    for round in $(seq "$ROUNDS"); do
        clients=()
        for client in 1 2 3 4; do
            extra=""
            [ "$client" = 1 ] && extra="--scenario upload"
            [ "$client$round" = 11 ] && extra="$extra --scenario large-message"
            "$BIN" call --target 127.0.0.1:$PORT $small $extra > /dev/null & clients+=($!)
        done
        wait "${clients[@]}" || true
    done
    sleep 0.5
    kill -INT $capture; wait $capture 2>/dev/null || true
    kill $server 2>/dev/null || true
fi

measure() {  # measure NAME OUTPUT COMMAND...: wall seconds, CPU seconds and peak RSS (MB) of the fastest of RUNS runs
    local name=$1 output=$2; shift 2
    local best="" run seconds cpu rss
    for run in $(seq "$RUNS"); do
        /usr/bin/time -v -o "$WORK/time.txt" "$@" > "$output" 2>/dev/null || true
        seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$WORK/time.txt")
        cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$WORK/time.txt")
        rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/time.txt")
        if [ -z "$best" ] || awk "BEGIN { exit !($seconds < ${best%% *}) }"; then best="$seconds $cpu $rss"; fi
    done
    echo "$name $best"
}

printf '%-8s %-26s %8s %8s %8s %9s %9s %8s\n' SIZE COMMAND SECONDS "CPU s" MB/s CALLS/s "x TSHARK" "PEAK MB"
for size in "${SIZES[@]}"; do
    if [ "$size" = base ]; then
        file="$WORK/base.pcap"  # the recorded capture itself, not replicated
    else
        file="$WORK/bench-$size.pcap"
        [ -s "$file" ] || python3 scripts/benchmark/replicate-pcap.py "$WORK/base.pcap" "$file" "$size" $PORT
    fi
    megabytes=$(stat -c %s "$file" | awk '{ printf "%.1f", $1 / 1e6 }')
    calls=$("$BIN" -r "$file" 2>/dev/null | wc -l)
    results=()
    results+=("$(measure "floor(C:read+TCP-copy)" /dev/null "$WORK/floor" "$file")")
    results+=("$(measure "grpcdump(summary)" /dev/null "$BIN" -r "$file")")
    results+=("$(measure "grpcdump--json(schemas)" /dev/null "$BIN" -r "$file" --json)")
    tshark_options=(-d "tcp.port==$PORT,http2" -o "protobuf.search_paths:$(pwd)/dissectors,TRUE" -o protobuf.pbf_as_hf:TRUE)
    if awk "BEGIN { exit !($megabytes <= $TSHARK_MAX_MB) }"; then
        results+=("$(measure "tshark(summary)" /dev/null tshark -r "$file" "${tshark_options[@]}")")
    fi
    if awk "BEGIN { exit !($megabytes <= $TSHARK_V_MAX_MB) }"; then
        results+=("$(measure "tshark-V" /dev/null tshark -r "$file" "${tshark_options[@]}" -V)")
    fi
    tshark_seconds=$(printf '%s\n' "${results[@]}" | awk '$1 == "tshark(summary)" { print $2 }')
    tshark_seconds=${tshark_seconds:-0}
    for line in "${results[@]}"; do
        read -r name seconds cpu rss <<< "$line"
        awk -v size="${megabytes}MB" -v name="$name" -v s="$seconds" -v cpu="$cpu" -v mb="$megabytes" -v calls="$calls" -v t="$tshark_seconds" -v rss="$rss" \
            'BEGIN { printf "%-8s %-26s %8.2f %8.2f %8.1f %9.0f %9.1f %8s\n", size, name, s, cpu, mb / s, calls / s, t / s, rss }'
    done
done
echo "calls per file: as counted by grpcdump's summary; the floor decodes nothing above TCP" >&2
