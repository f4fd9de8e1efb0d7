#!/usr/bin/env bash
# The performance benchmark (docs/performance.md). Records a base capture on loopback with the
# reference client and server (many connections; unary, server, client and bidirectional
# streaming; mostly small messages, 64 KiB chunks and one 4.5 MiB message; gzip and deflate), grows it to each SIZE in MB with
# replicate-pcap.py, and on each file runs, in turn: grpcdump's call summary, grpcdump
# --json with schema decoding (the dissectors/ bundle), both again with --threads 1 (the others use
# the default, a thread per core), tshark's summary with its HTTP/2, gRPC and protobuf dissectors
# given the same .proto files, and (for sizes up to TSHARK_V_MAX_MB) tshark -V.
# Prints wall time, CPU time (user + system, all threads), MB/s, calls/s, the ratio to tshark's
# summary and peak memory (/usr/bin/time -v). The first row is the floor (floor.c, built with cc):
# reading the file and copying each TCP payload to its connection's buffer, decoding nothing more.
# With RUNS=N the commands take turns N times and each one's fastest run is kept (timings on a
# shared 2-core machine drift by ±30% within minutes).
#
#   scripts/benchmark/run.sh [SIZE_MB|base|small...]  (default: 100 1000; needs root, tcpdump, tshark)
#
# `base` measures the recorded capture itself. ROUNDS=N records N rounds instead of 16, so a large
# capture can be recorded directly rather than replicated (BENCH_DIR keeps one base per directory).
# `small` measures another recorded capture, small-calls.pcap (recorded when first asked for): small
# calls as microservices make them, 32,000 over 4 long-lived connections that interleave, from a
# Python grpcio client (small-calls-client.py: GetUser mostly, every streaming kind, some errors).
# TLS=1 also records the same traffic over TLS 1.3 with its key log (base-tls.pcap, base-tls.keys)
# and measures grpcdump on it with --keylog: its TLS twin, decrypted (docs/tls.md), grown by the
# same factor as the plaintext file so that both hold the same calls; with `small`, the small
# calls again over TLS (small-calls-tls.pcap, small-calls-tls.keys, the server writing the keys).
# SKIP_BUILD=1 uses the grpcdump already in .build/release instead of building it.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(100 1000); fi
WORK=${BENCH_DIR:-/tmp/grpcdump-bench}
PORT=50099
TLS_PORT=50100
SMALL_PORT=50101
SMALL_TLS_PORT=50102
TLS=${TLS:-0}
TSHARK_MAX_MB=${TSHARK_MAX_MB:-100000}    # tshark's summary only for files up to this size
TSHARK_V_MAX_MB=${TSHARK_V_MAX_MB:-100}    # tshark -V only up to this size (it is slow)
RUNS=${RUNS:-1}                            # runs per command; the fastest is kept
ROUNDS=${ROUNDS:-16}                       # rounds of four clients recorded for the base capture (16: about 11.6 MB)
mkdir -p "$WORK"
if [ "${SKIP_BUILD:-0}" = 1 ]; then BIN=$(pwd)/.build/release/grpcdump; else
    swift build -c release --product grpcdump >&2
    BIN=$(swift build -c release --show-bin-path)/grpcdump
fi
cc -O2 -o "$WORK/floor" scripts/benchmark/floor.c

start_recording() {  # start_recording FILE PORT [SERVER OPTIONS...]: the reference server, tcpdump writing FILE
    local file=$1 port=$2; shift 2
    "$BIN" serve --port "$port" --quiet --duration 600 "$@" > "$WORK/server.out" 2>&1 & server=$!
    for _ in $(seq 50); do grep -q "listening on" "$WORK/server.out" && break; sleep 0.2; done
    grep -q "listening on" "$WORK/server.out" || { echo "run.sh: the reference server did not start: $(cat "$WORK/server.out")" >&2; exit 1; }
    tcpdump -U --immediate-mode -s 0 -B 65536 -i lo -w "$file" "tcp port $port" 2>/dev/null & capture=$!
    sleep 1.5
}

stop_recording() {
    sleep 0.5
    kill -INT $capture; wait $capture 2>/dev/null || true
    kill $server 2>/dev/null || true
    wait $server 2>/dev/null || true
}

record_base() {  # record_base FILE PORT [TLS OPTIONS...]: the benchmark traffic, plaintext or over TLS
    local file=$1 port=$2; shift 2
    start_recording "$file" "$port" "$@"
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
            "$BIN" call --target 127.0.0.1:$port $small $extra "$@" > /dev/null & clients+=($!)
        done
        wait "${clients[@]}" || true
    done
    stop_recording
}

record_small_calls() {  # record_small_calls FILE PORT [CLIENT OPTIONS -- SERVER OPTIONS...]: small-calls-client.py's traffic
    local file=$1 port=$2 client=(); shift 2
    while [ $# -gt 0 ] && [ "$1" != -- ]; do client+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    start_recording "$file" "$port" "$@"
    python3 scripts/benchmark/small-calls-client.py "${client[@]}" "127.0.0.1:$port" || { stop_recording; rm -f "$file"; exit 1; }
    stop_recording
}
[ -s "$WORK/base.pcap" ] || record_base "$WORK/base.pcap" $PORT
if [ "$TLS" = 1 ] && [ ! -s "$WORK/base-tls.pcap" ]; then
    rm -f "$WORK/base-tls.keys"
    record_base "$WORK/base-tls.pcap" $TLS_PORT --tls --cert-dir "$WORK/certs" --keylog "$WORK/base-tls.keys"
fi
if [[ " ${SIZES[*]} " == *" small "* ]] && [ ! -s "$WORK/small-calls.pcap" ]; then
    record_small_calls "$WORK/small-calls.pcap" $SMALL_PORT
fi
if [[ " ${SIZES[*]} " == *" small "* ]] && [ "$TLS" = 1 ] && [ ! -s "$WORK/small-calls-tls.pcap" ]; then
    rm -f "$WORK/small-calls-tls.keys"
    record_small_calls "$WORK/small-calls-tls.pcap" $SMALL_TLS_PORT --tls "$WORK/certs/ca.pem" -- \
        --tls --cert-dir "$WORK/certs" --keylog "$WORK/small-calls-tls.keys"
fi

run_once() {  # run_once COMMAND...: "wall-seconds cpu-seconds peak-rss-MB" of one run
    /usr/bin/time -v -o "$WORK/time.txt" "$@" > /dev/null 2>&1 || true
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s }
                /User time|System time/ { cpu += $2 }
                /Maximum resident set size/ { rss = $2 / 1024 }
                END { printf "%s %s %.0f\n", wall, cpu, rss }' "$WORK/time.txt"
}

printf '%-8s %-26s %8s %8s %8s %9s %9s %8s\n' SIZE COMMAND SECONDS "CPU s" MB/s CALLS/s "x TSHARK" "PEAK MB"
for size in "${SIZES[@]}"; do
    port=$PORT
    if [ "$size" = base ]; then
        file="$WORK/base.pcap"  # the recorded capture itself, not replicated
    elif [ "$size" = small ]; then
        file="$WORK/small-calls.pcap" port=$SMALL_PORT
    else
        file="$WORK/bench-$size.pcap"
        [ -s "$file" ] || python3 scripts/benchmark/replicate-pcap.py "$WORK/base.pcap" "$file" "$size" $PORT
    fi
    megabytes=$(stat -c %s "$file" | awk '{ printf "%.1f", $1 / 1e6 }')
    calls=$("$BIN" -r "$file" 2>/dev/null | wc -l)
    row_megabytes=() row_calls=()  # of the file each row reads, when it is not `file`
    floor_command=("$WORK/floor" "$file")
    summary_command=("$BIN" -r "$file")
    json_command=("$BIN" -r "$file" --json)
    summary_1thread_command=("$BIN" -r "$file" --threads 1)
    json_1thread_command=("$BIN" -r "$file" --json --threads 1)
    tshark_options=(-d "tcp.port==$port,http2" -o "protobuf.search_paths:$(pwd)/dissectors,TRUE" -o protobuf.pbf_as_hf:TRUE)
    tshark_command=(tshark -r "$file" "${tshark_options[@]}")
    tshark_v_command=(tshark -r "$file" "${tshark_options[@]}" -V)
    names=("floor(C:read+TCP-copy)" "grpcdump(summary)" "grpcdump(summary,1thread)" "grpcdump--json(schemas)" "grpcdump--json(1thread)")
    commands=(floor_command summary_command summary_1thread_command json_command json_1thread_command)
    if [ "$TLS" = 1 ]; then
        # The same traffic as `file`: the TLS base grown by the same factor as the plaintext one
        # (TLS takes about a third more bytes and packets for it: records, handshakes). A twin
        # of the same size in bytes would hold about a quarter fewer calls. The small calls' twin
        # is recorded anew, from the same client over TLS: the same calls, not the same bytes.
        keys="$WORK/base-tls.keys"
        if [ "$size" = base ]; then tls_file="$WORK/base-tls.pcap"
        elif [ "$size" = small ]; then tls_file="$WORK/small-calls-tls.pcap" keys="$WORK/small-calls-tls.keys"; else
            tls_file="$WORK/bench-tls-twin-$size.pcap"
            tls_size=$(awk -v size="$size" -v tls="$(stat -c %s "$WORK/base-tls.pcap")" -v plain="$(stat -c %s "$WORK/base.pcap")" 'BEGIN { printf "%.1f", size * tls / plain }')
            [ -s "$tls_file" ] || python3 scripts/benchmark/replicate-pcap.py "$WORK/base-tls.pcap" "$tls_file" "$tls_size" $TLS_PORT
        fi
        tls_summary_command=("$BIN" -r "$tls_file" --keylog "$keys")
        tls_summary_1thread_command=("$BIN" -r "$tls_file" --keylog "$keys" --threads 1)
        tls_json_command=("$BIN" -r "$tls_file" --keylog "$keys" --json)
        tls_json_1thread_command=("$BIN" -r "$tls_file" --keylog "$keys" --json --threads 1)
        names+=("grpcdump(summary,TLS)" "grpcdump(summary,TLS,1thr)" "grpcdump--json(TLS)" "grpcdump--json(TLS,1thr)")
        commands+=(tls_summary_command tls_summary_1thread_command tls_json_command tls_json_1thread_command)
        tls_megabytes=$(stat -c %s "$tls_file" | awk '{ printf "%.1f", $1 / 1e6 }')
        tls_calls=$("$BIN" -r "$tls_file" --keylog "$keys" 2>/dev/null | wc -l)
        for index in $(seq $((${#commands[@]} - 4)) $((${#commands[@]} - 1))); do
            row_megabytes[$index]=$tls_megabytes row_calls[$index]=$tls_calls
        done
    fi
    if awk "BEGIN { exit !($megabytes <= $TSHARK_MAX_MB) }"; then names+=("tshark(summary)"); commands+=(tshark_command); fi
    if awk "BEGIN { exit !($megabytes <= $TSHARK_V_MAX_MB) }"; then names+=("tshark-V"); commands+=(tshark_v_command); fi
    # The commands take turns, run after run, so that a drift of the machine's speed (±30% within
    # minutes here) touches them all alike; the fastest run of each is kept.
    best=()
    for run in $(seq "$RUNS"); do
        for index in "${!commands[@]}"; do
            declare -n command="${commands[$index]}"
            result=$(run_once "${command[@]}")
            unset -n command
            if [ -z "${best[$index]:-}" ] || awk "BEGIN { exit !(${result%% *} < ${best[$index]%% *}) }"; then best[$index]=$result; fi
        done
    done
    results=()
    for index in "${!commands[@]}"; do results+=("${names[$index]} ${best[$index]}"); done
    tshark_seconds=$(printf '%s\n' "${results[@]}" | awk '$1 == "tshark(summary)" { print $2 }')
    tshark_seconds=${tshark_seconds:-0}
    for index in "${!results[@]}"; do
        read -r name seconds cpu rss <<< "${results[$index]}"
        row_mb=${row_megabytes[$index]:-$megabytes}
        awk -v size="${row_mb}MB" -v name="$name" -v s="$seconds" -v cpu="$cpu" -v mb="$row_mb" -v calls="${row_calls[$index]:-$calls}" -v t="$tshark_seconds" -v rss="$rss" \
            'BEGIN { printf "%-8s %-26s %8.2f %8.2f %8.1f %9.0f %9.1f %8s\n", size, name, s, cpu, mb / s, calls / s, t / s, rss }'
    done
done
echo "calls per file: as counted by grpcdump's summary; the floor decodes nothing above TCP" >&2
[ "$TLS" = 1 ] && echo "the TLS rows read the TLS twin (the same traffic over TLS 1.3, so a third more bytes, decrypted with its key log): compare their seconds with the plaintext rows'" >&2
true
