#!/usr/bin/env bash
# cut.sh [CAPTURE]: the mid-connection cuts of grpcio-long.pcap: drop its first 40, 80 and 120
# packets with editcap -r (keep records N+1..last; editcap 4.0 needs the end of the range spelled
# out), so that HPACK dynamic-table entries (and the SETTINGS, the preface and the requests of
# the calls in flight) defined before the cut are unknown.
set -euo pipefail
cd "$(dirname "$0")"
IN=${1:-grpcio-long.pcap}
TOTAL=$(capinfos -c -M "$IN" | awk '/Number of packets/ {print $NF}')
for N in 40 80 120; do
    editcap -r "$IN" "${IN%.pcap}-cut$N.pcap" "$((N + 1))-$TOTAL"
done
python3 cuts_summary.py "$IN" 40 80 120 > "${IN%.pcap}.cuts.json"
