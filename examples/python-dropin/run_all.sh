#!/usr/bin/env bash
# Runs the spec's "Usage Examples" against an execlog server, in order.
# EXECLOG_SERVER=host:port (default localhost:50051). Files the examples write
# (backup/, analysis/) land in the current directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PYTHONPATH="$here/../../client/python:$here${PYTHONPATH:+:$PYTHONPATH}"
[ -d "$here/../../client/python/gen/execlog" ] || "$here/../../client/python/generate.sh"
for f in 01_recording.py 02_history.py 03_data_flow.py 04_progress.py 05_maintenance.py; do
  echo "== $f"
  /usr/bin/python3 "$here/$f"
done
