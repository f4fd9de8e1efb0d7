#!/usr/bin/env bash
# The hostile captures (Sources/TestSupport/HostileCapture.swift) at full size through the
# release build, default options: time, peak memory, and whether the well-formed call after the
# attack was decoded. Figures go to docs/reliability.md.
#
#   scripts/hostile.sh [DIR]      (captures written to DIR, default /tmp/grpcdump-hostile)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/grpcdump-hostile}
[ -n "${SKIP_BUILD:-}" ] || { swift build -c release --product grpcdump >/dev/null; swift build --product grpcdump-fuzz >/dev/null; }
.build/debug/grpcdump-fuzz hostile "$out" >/dev/null
printf '%-22s %12s %9s %10s  %s\n' capture bytes seconds "peak RSS" "call after it"
for capture in "$out"/*.pcap; do
    name=$(basename "$capture" .pcap)
    /usr/bin/time -f "%e %M" -o "$out/$name.time" .build/release/grpcdump -r "$capture" --threads 1 -v > "$out/$name.txt" 2> "$out/$name.err" || true
    read -r seconds kilobytes < "$out/$name.time"
    if grep -q "/grpc.health.v1.Health/Check OK" "$out/$name.txt"; then call=decoded; else call=MISSING; fi
    printf '%-22s %12s %9s %7s MB  %s\n' "$name" "$(stat -c %s "$capture")" "$seconds" "$((kilobytes / 1024))" "$call"
done
