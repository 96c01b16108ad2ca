#!/usr/bin/env bash
# Node client tests against real execlog servers started by the tests.
# Assumes node/npm (with the npm registry reachable: test/package.test.js packs this package and
# installs the tarball into a fresh project, as users install it), openssl, the server jar and the
# CLI (mvn -B package -DskipTests; bin/execlog) and, for the cross-language test, Debian's
# python3-grpcio/python3-protobuf/protoc (see .ci/install-polyglot.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
npm ci --no-audit --no-fund
node scripts/copy-protos.js   # the contract into src/protos (npm ci's prepare does it too)
exec node --test test/*.test.js
