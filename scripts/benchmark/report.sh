#!/usr/bin/env bash
# The report's benchmark (docs/report.md): `grpcdump report` of a capture of about 100,000 small
# calls — small-calls.pcap (32,000 calls from a Python grpcio client over 4 long-lived
# connections, recorded by `scripts/benchmark/run.sh small`) grown with replicate-pcap.py — and the
# page opened in headless Chromium. Prints grpcdump's time and peak memory, the page's size and
# bytes per call, the time from navigation to the page drawn (the page's own performance.now() when
# its script ends), Chromium's whole run, and the time of one redraw of the timeline while
# scrolling and zooming (the page's `#benchmark` mode times 40 of them).
#
#   scripts/benchmark/report.sh [SIZE_MB]   (default 49.5: 100,205 calls)
#
# SKIP_BUILD=1 uses the grpcdump already in .build/release.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${BENCH_DIR:-/tmp/grpcdump-bench}
MB=${1:-49.5}
if [ "${SKIP_BUILD:-0}" = 1 ]; then BIN=$(pwd)/.build/release/grpcdump; else
    swift build -c release --product grpcdump >&2
    BIN=$(swift build -c release --show-bin-path)/grpcdump
fi
if [ ! -f "$WORK/small-calls.pcap" ]; then
    echo "report.sh: $WORK/small-calls.pcap is missing; scripts/benchmark/run.sh small records it" >&2
    exit 1
fi
capture=$WORK/report-calls-$MB.pcap
[ -f "$capture" ] || python3 scripts/benchmark/replicate-pcap.py "$WORK/small-calls.pcap" "$capture" "$MB" 50101 >&2
calls=$("$BIN" -r "$capture" 2>/dev/null | wc -l)
page=$WORK/report-calls-$MB.html
/usr/bin/time -f "%e %M" -o "$WORK/report-time.txt" "$BIN" report "$capture" -o "$page" 2>/dev/null
read -r seconds kilobytes < "$WORK/report-time.txt"
bytes=$(stat -c %s "$page")
started=$(date +%s.%N)
dom=$(chromium --headless --no-sandbox --disable-gpu --window-size=1400,1000 --dump-dom "file://$page#benchmark" 2>/dev/null)
ended=$(date +%s.%N)
attribute() { grep -o "$1=\"[0-9.]*\"" <<< "$dom" | head -1 | cut -d'"' -f2; }
echo "capture: $(basename "$capture"), $(stat -c %s "$capture") bytes, $calls calls"
echo "grpcdump report: ${seconds} s, peak RSS $((kilobytes / 1024)) MB"
echo "page: $bytes bytes, $((bytes / calls)) bytes per call"
echo "chromium: page drawn $(attribute data-loaded-ms) ms after navigation; whole --dump-dom run $(echo "$ended - $started" | bc) s"
echo "redraw while scrolling/zooming: $(attribute data-draw-ms) ms on average, $(attribute data-draw-max-ms) ms at most; $(attribute data-bars) bars in view at the end"
