#!/usr/bin/env bash
# Installs what the Python client, the Node client, the examples (the Go runner too), the buf
# checks and the PostgreSQL tests (a throwaway cluster from Debian's server binaries) need on a
# fresh Debian 12 machine. Run as root. Idempotent.
# Node.js/npm and Java are expected to be present already (they are part of the
# base machine); npm dependencies are installed by each script's own `npm ci`.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
  python3-grpcio python3-protobuf \
  python3-venv python3-pip python3-setuptools python3-wheel \
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev \
  python3-pytest \
  graphviz \
  golang-go golang-google-grpc-dev golang-google-protobuf-dev golang-google-genproto-dev golang-github-golang-protobuf-1-5-dev \
  protoc-gen-go protoc-gen-go-grpc openssl \
  postgresql chromium
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends nodejs npm
fi
