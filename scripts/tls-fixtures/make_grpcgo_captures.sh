#!/bin/bash
# grpc-go's traffic: the client and server of grpc-go/main.go (grpc.testing.TestService, built
# with Debian's golang-go and golang-google-grpc-dev in GOPATH mode, offline) run the same nine
# calls four times on loopback: h2c, h2c over IPv6, TLS 1.3 and TLS 1.2, the client writing its
# key log with Go's tls.Config.KeyLogWriter; then the server stops gracefully (GOAWAY, a ping,
# GOAWAY) while the client is still connected. Writes into OUTDIR (default .):
#   grpc-go-h2c.pcap, grpc-go-ipv6.pcap, grpc-go-tls13.{pcap,keys,follow.txt}, grpc-go-tls12.{pcap,keys,follow.txt}
# (NAME.follow.txt: tshark's decryption, as for the other fixtures). Run as root (tcpdump on lo):
#   bash make_grpcgo_captures.sh [OUTDIR]
# Needs: golang-go, golang-google-grpc-dev, tcpdump, tshark.
set -eu
D=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${1:-.}" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/src"
ln -s "$D/grpc-go" "$WORK/src/grpcgoref"
GOPATH="$WORK:/usr/share/gocode" GO111MODULE=off GOCACHE="$WORK/cache" go build -o "$WORK/grpcgoref" grpcgoref
CERT=$D/certs/server.crt
KEY=$D/certs/server.key

record() { # NAME PORT [TLS VERSION] (HOST: the loopback address, 127.0.0.1 unless set)
  local name=$1 port=$2 version=${3:-} host=${HOST:-127.0.0.1} server=() client=()
  if [ -n "$version" ]; then
    server=(-cert "$CERT" -key "$KEY" -tls "$version")
    client=(-ca "$CERT" -keylog "$OUT/$name.keys" -tls "$version")
    rm -f "$OUT/$name.keys"
  fi
  timeout 60 tcpdump -i lo -s 0 -U --immediate-mode -w "$OUT/$name.pcap" "tcp port $port" 2> /dev/null &
  local dump=$!
  sleep 1
  # The server stops gracefully 3 s after it starts, while the client, its calls made, stays connected.
  timeout 30 "$WORK/grpcgoref" -mode server -address "$host:$port" -lifetime 3s "${server[@]}" > /dev/null &
  local serving=$!
  sleep 0.5
  timeout 20 "$WORK/grpcgoref" -mode client -address "$host:$port" -stay 10s "${client[@]}"
  sleep 1
  kill -INT "$dump"; wait "$dump" || true
  kill "$serving" 2> /dev/null || true
  if [ -n "$version" ]; then
    : > "$OUT/$name.follow.txt"
    local stream
    for stream in $(tshark -r "$OUT/$name.pcap" -T fields -e tcp.stream 2> /dev/null | sort -un); do
      tshark -r "$OUT/$name.pcap" -o "tls.keylog_file:$OUT/$name.keys" -q -z "follow,tls,raw,$stream" >> "$OUT/$name.follow.txt" 2> /dev/null
    done
  fi
}

record grpc-go-h2c 50210
HOST="[::1]" record grpc-go-ipv6 50213
record grpc-go-tls13 50211 1.3
record grpc-go-tls12 50212 1.2
