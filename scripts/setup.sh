#!/usr/bin/env bash
# Installs the system packages grpcdump needs on Debian, only those missing:
#   libpcap-dev   BPF filters (and live capture) through libpcap
#   zlib1g-dev    gzip/deflate gRPC messages, compressed test corpora
#   tcpdump       tests record live loopback captures with it
#   tshark        tests compare grpcdump's TCP reassembly with Wireshark's
set -euo pipefail
packages=(libpcap-dev zlib1g-dev tcpdump tshark)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: Swift 6.3 is required (https://www.swift.org/install/linux/)" >&2; exit 1; }
