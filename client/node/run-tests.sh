#!/usr/bin/env bash
# Node client tests against real execlog servers started by the tests.
# Assumes node/npm, the server jar (mvn -B install -DskipTests) and, for the
# cross-language test, Debian's python3-grpcio/python3-protobuf/protoc
# (see .ci/install-polyglot.sh). Installs only this package's npm dependencies.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
npm ci --no-audit --no-fund
exec node --test test/*.test.js
