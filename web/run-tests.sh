#!/usr/bin/env bash
# The web view's browser tests: real servers from this checkout (bin/execlog-server, built on first
# use) on a generated 50-task log, driven in Debian's headless Chromium by playwright-core (no
# browser download). Screenshots of each screen land in web/target/screenshots/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
chromium="${EXECLOG_CHROMIUM:-/usr/bin/chromium}"
[[ -x "$chromium" ]] || { echo "web tests: $chromium is missing (apt-get install chromium)" >&2; exit 1; }
if [[ ! -d node_modules/playwright-core || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error
fi
# The server jar (with this view inside) and the benchmark's generator, built when missing or stale.
"$here/../bin/execlog-server" --version >/dev/null
start=$(date +%s)
node --test --test-concurrency=1 --test-timeout=120000 test/
echo "web tests: passed in $(( $(date +%s) - start )) s; screenshots in $here/target/screenshots/"
