#!/usr/bin/env bash
# End-to-end check of the generated Go client: builds the runner, starts a real server with TLS and
# a bearer token on a scratch project, runs an upstream and a downstream task, and reads the runs
# back with the execlog CLI. Exits non-zero on any difference.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../../tools/test-lib.sh
source "$repo/tools/test-lib.sh"
test_begin "go-task-runner test"

runner="$("$here/build.sh" "$work/build")"

start_secure_server "$repo" go-runner

# Without the token the server refuses, and the runner says why.
if EXECLOG_TOKEN="" "$runner" --task t_go_anon 2>"$work/anon.err"; then fail "a call without a token was accepted"; fi
grep -q "UNAUTHENTICATED" "$work/anon.err" || fail "no reason for the refused call: $(cat "$work/anon.err")"

# A downstream task whose upstream never ran is held back (exit 3), then runs once it has.
set +e
"$runner" --task t_go_down --depends-on t_go_up 2>"$work/down.err"; status=$?
set -e
[[ $status -eq 3 ]] || fail "an unmet dependency gave exit $status: $(cat "$work/down.err")"
up="$("$runner" --task t_go_up --type ingestion --output DATA/processed/t_go_up/output.csv 2>"$work/up.err")"
down="$("$runner" --task t_go_down --depends-on t_go_up 2>"$work/down.err")"
grep -q "NotFound (RUN_NOT_FOUND)" "$work/down.err" || fail "the unknown run's reason: $(cat "$work/down.err")"

# What the Go client stored reads back through the Java CLI.
show="$("$repo/bin/execlog" show "$up" --json --token-file "$work/writer.token")"
for expected in '"task_id":"t_go_up"' '"task_type":"ingestion"' '"success":true' '"path":"DATA/processed/t_go_up/output.csv"' \
    '"description":"written by the Go runner"'; do
  grep -qF "$expected" <<<"$show" || fail "run $up lacks $expected: $show"
done
producer="$("$repo/bin/execlog" producer DATA/processed/t_go_up/output.csv --json --token-file "$work/writer.token")"
grep -qF "\"task_run_id\":\"$up\"" <<<"$producer" || fail "the producer lookup did not find $up: $producer"
"$repo/bin/execlog" show "$down" --json --token-file "$work/writer.token" | grep -qF '"name":"t_go_up"' \
  || fail "the downstream run lacks its input"
echo "go-task-runner test: passed (runs $up, $down)"
