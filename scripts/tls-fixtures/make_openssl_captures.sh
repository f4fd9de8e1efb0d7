#!/bin/bash
# Regenerates the openssl s_server/s_client loopback captures (fixtures 3a-3d).
# Run as root (tcpdump on lo) from anywhere:  bash make_openssl_captures.sh [NAME...]
# Every process is bounded by `timeout`; tcpdump is stopped with SIGINT by its pid.
# For each NAME it writes NAME.pcap, NAME.keys (client-side -keylogfile),
# NAME.follow.txt (tshark follow,tls,raw per TCP stream) and NAME.md, plus
# logs/NAME.{server,client}.txt (the s_server / s_client output).
set -u
D=$(cd "$(dirname "$0")" && pwd)
cd "$D"
CERT=certs/server.crt
KEY=certs/server.key
mkdir -p logs

# feed INITIAL_DELAY TAIL_DELAY LINE...: writes the lines to stdout 0.3 s apart
feed() {
  local d=$1 t=$2; shift 2
  sleep "$d"
  for l in "$@"; do printf '%s\n' "$l"; sleep 0.3; done
  sleep "$t"
}

# follow NAME: tshark's decryption as oracle, one section per TCP stream
follow() {
  local n=$1 s
  : > "$n.follow.txt"
  for s in $(tshark -r "$n.pcap" -T fields -e tcp.stream 2>/dev/null | sort -un); do
    tshark -r "$n.pcap" -o "tls.keylog_file:$n.keys" -q -z "follow,tls,raw,$s" >> "$n.follow.txt" 2>/dev/null
  done
}

# summary NAME: one line per TLS record as tshark decodes it with the key log
summary() {
  tshark -r "$1.pcap" -o "tls.keylog_file:$1.keys" -Y tls \
    -T fields -E separator=/t -E aggregator=, -e frame.number -e tcp.stream -e tcp.srcport \
    -e tls.record.opaque_type -e tls.record.content_type -e tls.record.length -e _ws.col.Info 2>/dev/null
}

# cap NAME PORT SERVER_OPTS CLIENT_OPTS NACCEPT CLIENT_RUNS SERVER_LINES... -- CLIENT_LINES...
# CLIENT_RUNS: ';'-separated list of extra client options, one per connection.
cap() {
  local n=$1 port=$2 sopts=$3 copts=$4 nacc=$5 runs=$6; shift 6
  local slines=() clines=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do slines+=("$1"); shift; done
  shift
  clines=("$@")
  rm -f "$n.pcap" "$n.keys" "$n.follow.txt" logs/"$n".*
  local tcpdump_cmd="tcpdump -i lo -s 0 -U --immediate-mode -w $n.pcap 'tcp port $port'"
  timeout 90 tcpdump -i lo -s 0 -U --immediate-mode -w "$n.pcap" "tcp port $port" 2> "logs/$n.tcpdump.txt" &
  local tpid=$!
  sleep 1.5
  local server_cmd="openssl s_server -accept 127.0.0.1:$port -cert $CERT -key $KEY -naccept $nacc $sopts"
  { feed ${SERVER_DELAY:-2.5} 0 "${slines[@]}"; [ "$nacc" -gt 1 ] && feed 6.1 0 "${slines[@]}"; sleep $((6 * nacc)); } | timeout $((20 * nacc)) $server_cmd > "logs/$n.server.txt" 2>&1 &
  local spid=$!
  sleep 1
  local client_cmds=() r
  local runs_arr=("")
  [ -n "$runs" ] && IFS=';' read -ra runs_arr <<< "$runs"
  for r in "${runs_arr[@]}"; do
    local client_cmd="openssl s_client -connect 127.0.0.1:$port -servername localhost -CAfile $CERT -keylogfile $n.keys $copts $r"
    client_cmds+=("$client_cmd")
    { echo "### $client_cmd"; feed 1 4 "${clines[@]}" | timeout 20 $client_cmd 2>&1; echo "### exit status $?"; } >> "logs/$n.client.txt"
    sleep 1
  done
  wait $spid
  sleep 2
  kill -INT $tpid 2>/dev/null
  wait $tpid
  follow "$n"
  {
    echo "# $n"
    echo
    echo "Made by \`make_openssl_captures.sh $n\` ($(openssl version | cut -d' ' -f1-2), $(tshark --version 2>/dev/null | head -1))."
    echo "Loopback only, 127.0.0.1:$port; server certificate certs/server.crt (self-signed RSA-2048, CN=localhost)."
    echo
    echo "## Commands"
    echo
    echo '```'
    echo "timeout 90 $tcpdump_cmd &"
    echo "# server stdin: sleep ${SERVER_DELAY:-2.5}, then these lines 0.3 s apart ($nacc connection(s): repeated 6.1 s later for the second), then stays open $((6 * nacc)) s"
    printf '#   %s\n' "${slines[@]}"
    echo "... | timeout $((20 * nacc)) $server_cmd"
    echo "# client stdin (each connection): sleep 1, then these lines 0.3 s apart, then EOF after 4 s"
    echo "# (s_client: a line 'k' sends KeyUpdate, 'K' KeyUpdate with update_requested)"
    printf '#   %s\n' "${clines[@]}"
    for r in "${client_cmds[@]}"; do echo "... | timeout 20 $r"; done
    echo "kill -INT <tcpdump pid>"
    for s in $(tshark -r "$n.pcap" -T fields -e tcp.stream 2>/dev/null | sort -un); do
      echo "tshark -r $n.pcap -o tls.keylog_file:$n.keys -q -z follow,tls,raw,$s   # >> $n.follow.txt"
    done
    echo '```'
    echo
    echo "## tshark's view with the key log"
    echo
    echo "Tab-separated: frame, tcp stream, source port, tls.record.opaque_type (TLS 1.3 outer type),"
    echo "tls.record.content_type (inner type once decrypted), tls.record.length, Info column."
    echo
    echo '```'
    summary "$n"
    echo '```'
  } > "$n.md"
  echo "== $n: $(stat -c %s "$n.pcap") bytes, $(wc -l < "$n.keys") key log lines"
}

SL=("server line 1: hello from s_server" "server line 2: the quick brown fox" "server line 3: end")
CL=("client line 1: hello from s_client" "client line 2: jumps over the lazy dog" "client line 3: end")

want() { [ ${#SEL[@]} -eq 0 ] && return 0; local x; for x in "${SEL[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1; }
SEL=("$@")

# 3a TLS 1.3, one capture per cipher suite
want tls13-aes128gcm && cap tls13-aes128gcm 44301 "-tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256" "-tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256" 1 "" "${SL[@]}" -- "${CL[@]}"
want tls13-aes256gcm && cap tls13-aes256gcm 44302 "-tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384" "-tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384" 1 "" "${SL[@]}" -- "${CL[@]}"
want tls13-chacha20 && cap tls13-chacha20 44303 "-tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256" "-tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256" 1 "" "${SL[@]}" -- "${CL[@]}"

# 3b KeyUpdate (client 'k', later 'K' = update_requested, so the server updates too) and HelloRetryRequest
want tls13-keyupdate && SERVER_DELAY=4.5 cap tls13-keyupdate 44304 "-tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256" "-tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256" 1 "" \
  "server line 1: sent after the client's KeyUpdates" "server line 2: end" -- \
  "client line 1: before KeyUpdate" "k" "client line 2: after KeyUpdate (k)" "K" "client line 3: after KeyUpdate with update_requested (K)"
want tls13-hrr && cap tls13-hrr 44305 "-tls1_3 -groups P-256" "-tls1_3 -groups X25519:P-256" 1 "" "${SL[@]}" -- "${CL[@]}"

# 3c TLS 1.2
want tls12-ecdhe-rsa-aes128gcm && cap tls12-ecdhe-rsa-aes128gcm 44311 "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256" "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256" 1 "" "${SL[@]}" -- "${CL[@]}"
want tls12-ecdhe-rsa-aes256gcm && cap tls12-ecdhe-rsa-aes256gcm 44312 "-tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384" "-tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384" 1 "" "${SL[@]}" -- "${CL[@]}"
want tls12-ecdhe-rsa-chacha20 && cap tls12-ecdhe-rsa-chacha20 44313 "-tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305" "-tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305" 1 "" "${SL[@]}" -- "${CL[@]}"
want tls12-ecdhe-rsa-aes128-sha-etm && cap tls12-ecdhe-rsa-aes128-sha-etm 44314 "-tls1_2 -cipher ECDHE-RSA-AES128-SHA" "-tls1_2 -cipher ECDHE-RSA-AES128-SHA" 1 "" "${SL[@]}" -- "${CL[@]}"
want tls12-ecdhe-rsa-aes128-sha-noetm && cap tls12-ecdhe-rsa-aes128-sha-noetm 44315 "-tls1_2 -cipher ECDHE-RSA-AES128-SHA" "-tls1_2 -cipher ECDHE-RSA-AES128-SHA -no_etm" 1 "" "${SL[@]}" -- "${CL[@]}"
want tls12-ecdhe-rsa-aes128-sha256-etm && cap tls12-ecdhe-rsa-aes128-sha256-etm 44316 "-tls1_2 -cipher ECDHE-RSA-AES128-SHA256" "-tls1_2 -cipher ECDHE-RSA-AES128-SHA256" 1 "" "${SL[@]}" -- "${CL[@]}"
want tls12-ecdhe-rsa-aes128-sha256-noetm && cap tls12-ecdhe-rsa-aes128-sha256-noetm 44317 "-tls1_2 -cipher ECDHE-RSA-AES128-SHA256" "-tls1_2 -cipher ECDHE-RSA-AES128-SHA256 -no_etm" 1 "" "${SL[@]}" -- "${CL[@]}"

# 3d resumption: two connections in one capture; the first saves the session, the second resumes it
want tls12-resumption && { rm -f logs/tls12.sess; cap tls12-resumption 44331 "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256" "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256" 2 "-sess_out logs/tls12.sess;-sess_in logs/tls12.sess" "${SL[@]}" -- "${CL[@]}"; }
want tls12-resumption-sessionid && { rm -f logs/tls12sid.sess; cap tls12-resumption-sessionid 44332 "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 -no_ticket" "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256" 2 "-sess_out logs/tls12sid.sess;-sess_in logs/tls12sid.sess" "${SL[@]}" -- "${CL[@]}"; }
want tls13-resumption && { rm -f logs/tls13.sess; cap tls13-resumption 44333 "-tls1_3" "-tls1_3" 2 "-sess_out logs/tls13.sess;-sess_in logs/tls13.sess" "${SL[@]}" -- "${CL[@]}"; }
# extra: TLS 1.3 0-RTT (early data) on the resumed connection
want tls13-early-data && { rm -f logs/tls13ed.sess; printf 'early data line: sent as 0-RTT\n' > logs/early-data.txt; cap tls13-early-data 44334 "-tls1_3 -early_data" "-tls1_3" 2 "-sess_out logs/tls13ed.sess;-sess_in logs/tls13ed.sess -early_data logs/early-data.txt" "${SL[@]}" -- "${CL[@]}"; }
true
