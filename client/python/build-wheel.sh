#!/usr/bin/env bash
# Builds the installable wheel of the Python client, offline, with Debian's tools:
#   client/python/dist/execlog-<version>-py3-none-any.whl
# The stubs are generated into the package first (generate.sh, Debian's protoc 3.21), so the wheel
# holds them and its users have no generation step. Needs python3-pip, python3-setuptools,
# python3-wheel, protobuf-compiler, protobuf-compiler-grpc and libprotobuf-dev
# (.ci/install-polyglot.sh). Prints the wheel's path on stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
"$here/generate.sh" >&2
rm -rf "$here/dist" "$here/build" "$here"/*.egg-info
# --no-build-isolation: build with the setuptools installed here instead of fetching one;
# --no-deps: grpcio and protobuf are the installer's business, not the build's.
"$PYTHON" -m pip wheel --quiet --no-build-isolation --no-deps --no-cache-dir -w "$here/dist" "$here" >&2
rm -rf "$here/build" "$here"/*.egg-info
wheel="$(ls "$here"/dist/execlog-*-py3-none-any.whl)"
# A wheel without its stubs or its type marker would install and then fail on import.
"$PYTHON" - "$wheel" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = {"execlog/py.typed", "execlog/client.py", "execlog/execution_log.py", "execlog/v1/__init__.py",
        "execlog/v1/execution_log_pb2.py", "execlog/v1/execution_log_pb2.pyi", "execlog/v1/execution_log_pb2_grpc.py",
        "execlog/v1/error_reason_pb2.py"}
missing = sorted(need - names)
if missing:
    sys.exit(f"build-wheel: the wheel lacks {', '.join(missing)}")
stray = sorted(n for n in names if n.startswith(("tests/", "gen/")))
if stray:
    sys.exit(f"build-wheel: the wheel holds files that are not the package's: {', '.join(stray)}")
PY
echo "$wheel"
