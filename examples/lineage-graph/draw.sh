#!/usr/bin/env bash
# Records a small pipeline with the execlog CLI, then draws its lineage (Graphviz) and its run
# durations (execlog's own SVG chart).
#
#   EXECLOG_SERVER=localhost:50051 examples/lineage-graph/draw.sh
#
# Settings (environment): EXECLOG_SERVER (required), OUT_DIR (default .: where pipeline.svg and
# durations.svg go), EXECLOG (the command to run; default bin/execlog).
set -euo pipefail

: "${EXECLOG_SERVER:?set EXECLOG_SERVER to the server address, such as localhost:50051}"
export EXECLOG_SERVER
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
read -r -a execlog <<< "${EXECLOG:-$here/../../bin/execlog}"
out_dir="${OUT_DIR:-.}"

say() { echo "draw: $*" >&2; }

if ! command -v dot > /dev/null; then
  say "Graphviz's dot is not installed (Debian/Ubuntu: sudo apt-get install graphviz)"
  exit 1
fi

record() { "${execlog[@]}" record "$@" > /dev/null; }

# Three days of a four-task pipeline: ingest -> clean -> profile -> report, and clean -> report.
# Each run reads the files the previous ones wrote; that is what links them in the lineage graph.
say "recording three days of the demo pipeline"
for day in 1 2 3; do
  d="2026-03-0${day}"
  record --task demo_ingest --type ingestion --time "${d}T06:00:00Z" --duration "$((40 + 10 * day))s" \
    --input DATA/raw/customers.csv --output DATA/processed/demo_ingest/customers.csv
  record --task demo_clean --type transform --time "${d}T06:10:00Z" --duration "$((90 + 30 * day))s" \
    --input DATA/processed/demo_ingest/customers.csv --output DATA/processed/demo_clean/customers.csv
  record --task demo_profile --type profiling --time "${d}T06:20:00Z" --duration "$((20 * day))s" \
    --input DATA/processed/demo_clean/customers.csv --output DATA/processed/demo_profile/profile.json
  record --task demo_report --type report --time "${d}T06:30:00Z" --duration 15s \
    --input DATA/processed/demo_clean/customers.csv --input DATA/processed/demo_profile/profile.json \
    --output DATA/reports/customers.html
done

mkdir -p "$out_dir"
say "the lineage around demo_clean, as text"
"${execlog[@]}" lineage --task demo_clean >&2

say "drawing the lineage graph to $out_dir/pipeline.svg"
"${execlog[@]}" lineage --task demo_clean --format dot | dot -Tsvg > "$out_dir/pipeline.svg"

say "drawing run durations per day to $out_dir/durations.svg"
"${execlog[@]}" stats --from 2026-03-01 --to 2026-03-04 --format svg -o "$out_dir/durations.svg"

say "done: open $out_dir/pipeline.svg and $out_dir/durations.svg in a browser"
