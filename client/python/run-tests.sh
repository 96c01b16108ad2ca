#!/usr/bin/env bash
# Python client tests, against real execlog servers started by the tests, as users get the
# package: builds the wheel (build-wheel.sh), installs it into a fresh virtual environment
# (Debian's grpcio and protobuf through --system-site-packages; --no-index, nothing fetched),
# runs the whole suite with that environment's python from outside the source tree
# (EXECLOG_TEST_INSTALLED=1), then the user's path from outside the repository (test-install.sh).
# Assumes (see .ci/install-polyglot.sh): python3-grpcio, python3-protobuf, python3-pytest,
# python3-venv, python3-pip, python3-setuptools, python3-wheel, protobuf-compiler,
# protobuf-compiler-grpc, libprotobuf-dev, openssl, and the server jar built
# (mvn -B install -DskipTests). Arguments go to pytest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
wheel="$("$here/build-wheel.sh")"
venv_dir="$(mktemp -d)"
trap 'rm -rf "$venv_dir"' EXIT
"$PYTHON" -m venv --system-site-packages "$venv_dir/venv"
"$venv_dir/venv/bin/python" -m pip install --quiet --no-index --no-build-isolation "$wheel"
(cd "$here/tests" && EXECLOG_TEST_INSTALLED=1 "$venv_dir/venv/bin/python" -m pytest -p no:cacheprovider -q -rs . "$@")
bash "$here/test-install.sh" "$wheel"
