#!/usr/bin/env bash
# Python client tests against real execlog servers started by the tests.
# Assumes (see .ci/install-polyglot.sh): python3-grpcio, python3-protobuf,
# python3-pytest, protobuf-compiler, protobuf-compiler-grpc, libprotobuf-dev,
# and the server jar built (mvn -B install -DskipTests).
# Uses Debian's /usr/bin/python3 (a pyenv python3 on PATH has no grpc).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
"$here/generate.sh"
cd "$here"
exec "$PYTHON" -m pytest -p no:cacheprovider -q -rs tests "$@"
