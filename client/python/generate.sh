#!/usr/bin/env bash
# Generates the Python gRPC stubs for execlog.v1 into client/python/gen/
# (git-ignored) with Debian's protoc and grpc_python_plugin, which match
# Debian's python3-protobuf / python3-grpcio (use /usr/bin/python3).
# The well-known types (timestamp, duration, field_mask) come from libprotobuf-dev.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
proto_root="$here/../../proto/src/main/proto"
out="${EXECLOG_PY_GEN:-$here/gen}"
PROTOC="${PROTOC:-/usr/bin/protoc}"
PLUGIN="${GRPC_PYTHON_PLUGIN:-/usr/bin/grpc_python_plugin}"
for tool in "$PROTOC" "$PLUGIN"; do
  [ -x "$tool" ] || { echo "missing $tool: apt-get install -y protobuf-compiler protobuf-compiler-grpc" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out"
"$PROTOC" -I "$proto_root" -I /usr/include \
  --python_out="$out" --grpc_out="$out" --plugin=protoc-gen-grpc="$PLUGIN" \
  execlog/v1/execution_log.proto execlog/v1/error_reason.proto
echo "generated $(find "$out" -name '*.py' | wc -l) files in $out"
