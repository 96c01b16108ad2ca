#!/usr/bin/env bash
# Contract checks for execlog.v1 with buf (from npm, runs offline):
#   lint (STANDARD), formatting, and breaking changes (FILE) against the
#   committed baseline image proto/baseline/execlog-v1.binpb.
# Installs only this package's npm dependencies (npm ci). Exit code != 0 on findings.
#
# After an intended, reviewed change of the contract (a new major version or an
# accepted break), refresh the baseline from the repo root:
#   tools/buf/node_modules/.bin/buf build -o proto/baseline/execlog-v1.binpb
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
(cd "$here" && npm ci --no-audit --no-fund)
buf="$here/node_modules/.bin/buf"
cd "$repo"
echo "buf $("$buf" --version): lint"
"$buf" lint
echo "buf: format"
"$buf" format -d --exit-code
echo "buf: breaking against proto/baseline/execlog-v1.binpb"
"$buf" breaking --against proto/baseline/execlog-v1.binpb
echo "buf: all checks passed"
