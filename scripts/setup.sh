#!/usr/bin/env bash
# Installs the system packages grpcdump needs on Debian, only those missing:
#   libpcap-dev   BPF filters (and live capture) through libpcap
#   zlib1g-dev    gzip/deflate gRPC messages, compressed test corpora
#   libssl-dev    TLS decryption: AES-GCM and ChaCha20-Poly1305 records, HKDF (libcrypto)
#   tcpdump       tests record live loopback captures with it
#   tshark        tests compare grpcdump's TCP reassembly with Wireshark's
#   protobuf-compiler, libprotobuf-dev, grpc-proto
#                 tests compare grpcdump's .proto parser with protoc on real-world .proto files
#   chromium, chromium-driver, curl
#                 tests load `grpcdump report` pages in headless Chromium and click in them (WebDriver)
# and from PyPI grpcio-tools (a newer protoc, with editions 2023, and its .proto files) and
# grpcio-status (the Python grpcio server `grpcdump replay` is tested against).
set -euo pipefail
packages=(libpcap-dev zlib1g-dev libssl-dev tcpdump tshark protobuf-compiler libprotobuf-dev grpc-proto chromium chromium-driver curl)
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
if ! python3 -c 'import grpc_tools.protoc' 2>/dev/null; then
    echo "setup: installing grpcio-tools from PyPI" >&2
    python3 -m pip install --quiet --disable-pip-version-check grpcio-tools==1.85.1
fi
# grpcio-status (with googleapis-common-protos): the Python grpcio server replay is tested against.
if ! python3 -c 'import grpc_status, google.rpc' 2>/dev/null; then
    echo "setup: installing grpcio-status from PyPI" >&2
    python3 -m pip install --quiet --disable-pip-version-check grpcio-status==1.85.1
fi
command -v swift >/dev/null || { echo "setup: Swift 6.3 is required (https://www.swift.org/install/linux/)" >&2; exit 1; }
