#!/usr/bin/env bash
# Routine maintenance of an execlog server: validate, clean up (dry run, then for real), back up
# as JSON and CSV, and check the backup by importing it back. Branches on execlog's exit codes.
#
#   EXECLOG_SERVER=localhost:50051 examples/maintenance/maintain.sh
#
# Settings (environment): EXECLOG_SERVER (required), BACKUP_DIR (default ./execlog-backup),
# MAX_AGE_DAYS (30), MAX_RUNS_PER_TASK (10), EXECLOG (the command to run; default bin/execlog).
set -uo pipefail

: "${EXECLOG_SERVER:?set EXECLOG_SERVER to the server address, such as localhost:50051}"
export EXECLOG_SERVER
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
read -r -a execlog <<< "${EXECLOG:-$here/../../bin/execlog}"
backup_dir="${BACKUP_DIR:-./execlog-backup}"
max_age_days="${MAX_AGE_DAYS:-30}"
max_runs="${MAX_RUNS_PER_TASK:-10}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
backup="$backup_dir/execution_log-$stamp.json"
csv="$backup_dir/execution_log-$stamp.csv"

# Exit codes of execlog (see 'execlog --help').
OK=0 LOG_INVALID=5 UNAVAILABLE=6

say() { echo "maintain: $*" >&2; }

fail() {  # fail <step> <exit code>
  case "$2" in
    "$UNAVAILABLE") say "$1: the server at $EXECLOG_SERVER is unreachable; nothing was changed" ;;
    *) say "$1 failed (exit $2)" ;;
  esac
  exit "$2"
}

# 1. Validate. An invalid log is backed up but not cleaned: removing runs could hide the problem.
say "validating the log"
"${execlog[@]}" validate --no-progress
rc=$?
case $rc in
  "$OK") say "the log is valid" ;;
  "$LOG_INVALID")
    say "the log is INVALID: backing it up to $backup and stopping before cleanup"
    mkdir -p "$backup_dir"
    "${execlog[@]}" export --no-progress -o "$backup" || fail "backup of the invalid log" $?
    exit "$LOG_INVALID" ;;
  *) fail "validate" "$rc" ;;
esac

# 2. Cleanup: a dry run first, to say what will go; then the real one only if anything would.
say "cleanup dry run (older than $max_age_days days, beyond $max_runs runs per task)"
would_remove="$("${execlog[@]}" cleanup --no-progress --dry-run \
  --max-age-days "$max_age_days" --max-runs-per-task "$max_runs")" || fail "cleanup dry run" $?
count=$(printf '%s' "$would_remove" | grep -c . || true)
if [ "$count" -gt 0 ]; then
  say "removing $count runs"
  "${execlog[@]}" cleanup --no-progress --max-age-days "$max_age_days" --max-runs-per-task "$max_runs" \
    > /dev/null || fail "cleanup" $?
else
  say "nothing to clean up"
fi

# 3. Back up: JSON (importable) and CSV (for spreadsheets). Each file is written whole or not at all.
mkdir -p "$backup_dir"
"${execlog[@]}" export --no-progress --format json -o "$backup" > /dev/null || fail "JSON export" $?
"${execlog[@]}" export --no-progress --format csv -o "$csv" > /dev/null || fail "CSV export" $?
say "backed up to $backup and $csv"

# 4. Check the backup is importable: a dry run, then a merge, which keeps every stored run and so
#    adds nothing unless a run was removed since the export.
"${execlog[@]}" import --no-progress --merge --dry-run "$backup" > /dev/null || fail "import check of the backup" $?
"${execlog[@]}" import --no-progress --merge "$backup" || fail "re-import of the backup" $?

say "done"
