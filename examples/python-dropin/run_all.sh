#!/usr/bin/env bash
# Runs the spec's "Usage Examples" against an execlog server, in order.
# EXECLOG_SERVER=host:port (default localhost:50051). Files the examples write
# (backup/, analysis/) land in the current directory. Uses the installed execlog package
# when $PYTHON has one, else this checkout's client/python (generating its stubs first).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
client="$here/../../client/python"
if (cd / && "$PYTHON" -c 'import execlog.execution_log') 2>/dev/null; then
  export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"
else
  [ -f "$client/execlog/v1/execution_log_pb2.py" ] || "$client/generate.sh"
  export PYTHONPATH="$client:$here${PYTHONPATH:+:$PYTHONPATH}"
fi
for f in 01_recording.py 02_history.py 03_data_flow.py 04_progress.py 05_maintenance.py; do
  echo "== $f"
  "$PYTHON" "$here/$f"
done
