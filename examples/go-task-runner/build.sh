#!/usr/bin/env bash
# Generates the Go client from the contract and builds the runner, with Debian's Go toolchain and
# libraries only (no module proxy needed): golang-go, golang-google-grpc-dev,
# golang-google-protobuf-dev, golang-google-genproto-dev, golang-github-golang-protobuf-1-5-dev (grpc-go
# 1.33 marshals through it; the 1.3 flavour cannot read the generated messages), protoc-gen-go and
# protoc-gen-go-grpc.
# Prints the path of the built binary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-$here/target}"
gopath="$out/gopath"
gen="$gopath/src/github.com/execlog/execlog/gen/go"
mkdir -p "$gen" "$gopath/src/execlog-go-task-runner"
protoc -I "$repo/proto/src/main/proto" -I /usr/include \
  --go_out="$gen" --go_opt=paths=source_relative \
  --go-grpc_out="$gen" --go-grpc_opt=paths=source_relative \
  "$repo"/proto/src/main/proto/execlog/v1/*.proto
cp "$here/main.go" "$gopath/src/execlog-go-task-runner/"
cd "$gopath/src/execlog-go-task-runner"
GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOCACHE="$out/cache" go build -o "$out/go-task-runner" . >&2
echo "$out/go-task-runner"
