#!/usr/bin/env bash
# Generates the Python gRPC stubs for execlog.v1 into the package (client/python/execlog/v1/,
# git-ignored; build-wheel.sh ships them in the wheel) with Debian's protoc 3.21 and
# grpc_python_plugin, whose code runs on protobuf >= 4.21 and grpcio >= 1.51 (Debian 12's
# python3-protobuf and python3-grpcio). The well-known types (timestamp, duration, field_mask)
# come from libprotobuf-dev. EXECLOG_PY_GEN=DIR generates into DIR/execlog/v1 instead.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
proto_root="$here/../../proto/src/main/proto"
out="${EXECLOG_PY_GEN:-$here}"
PROTOC="${PROTOC:-/usr/bin/protoc}"
PLUGIN="${GRPC_PYTHON_PLUGIN:-/usr/bin/grpc_python_plugin}"
for tool in "$PROTOC" "$PLUGIN"; do
  [ -x "$tool" ] || { echo "missing $tool: apt-get install -y protobuf-compiler protobuf-compiler-grpc" >&2; exit 1; }
done
[ -f /usr/include/google/protobuf/timestamp.proto ] \
  || { echo "missing the well-known types: apt-get install -y libprotobuf-dev" >&2; exit 1; }
mkdir -p "$out/execlog/v1"
rm -f "$out"/execlog/v1/*_pb2.py "$out"/execlog/v1/*_pb2.pyi "$out"/execlog/v1/*_pb2_grpc.py
"$PROTOC" -I "$proto_root" -I /usr/include \
  --python_out="$out" --pyi_out="$out" --grpc_out="$out" --plugin=protoc-gen-grpc="$PLUGIN" \
  execlog/v1/execution_log.proto execlog/v1/error_reason.proto
# Stubs generated for the contract without services leave an empty *_grpc.py: keep only the real one.
rm -f "$out/execlog/v1/error_reason_pb2_grpc.py"
echo "generated $(find "$out/execlog/v1" -name '*_pb2*' | wc -l) files in $out/execlog/v1"
