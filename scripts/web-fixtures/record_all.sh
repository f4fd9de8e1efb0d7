#!/usr/bin/env bash
# record_all.sh: re-records every capture of this directory and re-derives the rest (cuts, twins,
# checks). Root, loopback only; each server runs under `timeout 30` and is stopped when done.
# Needs tcpdump, tshark/editcap/capinfos, protoc, curl, and PyPI sonora gunicorn hypercorn grpcio
# grpcio-status googleapis-common-protos httpx[http2] (see README.md for the versions used).
set -euo pipefail
cd "$(dirname "$0")"
python3 record_web_h1.py web-h1
python3 record_web_h2.py web-h2
python3 record_web_h2.py web-h2-unpatched
python3 record_grpcio_long.py grpcio-long
./cut.sh grpcio-long.pcap
python3 reorder.py grpcio-long.pcap grpcio-long-reordered.pcap 2> grpcio-long-reordered.stats.txt
python3 reorder.py --window 2 grpcio-long.pcap grpcio-long-reordered-w2.pcap 2> grpcio-long-reordered-w2.stats.txt
python3 reorder.py --monotonic grpcio-long.pcap grpcio-long-reordered-monotonic.pcap 2> grpcio-long-reordered-monotonic.stats.txt
for t in reordered reordered-w2 reordered-monotonic; do
    python3 verify_reorder.py grpcio-long.pcap "grpcio-long-$t.pcap" > "grpcio-long-$t.verify.txt"
done
for n in web-h1 web-h2 web-h2-unpatched; do python3 check_web.py "$n" > "$n.check.txt" || true; done
python3 check_grpcio.py grpcio-long > grpcio-long.check.txt
chmod a+r ./*.pcap
ls -l ./*.pcap
