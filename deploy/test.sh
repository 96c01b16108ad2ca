#!/usr/bin/env bash
# Checks the deployment files: the systemd units with systemd-analyze (when the machine has it), and
# the backup script against a real server: backups are complete, importable, and rotated.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck source=../tools/test-lib.sh
source "$repo/tools/test-lib.sh"
test_begin "deploy test"

if command -v systemd-analyze >/dev/null; then
  for unit in execlog.service execlog-backup.service execlog-backup.timer; do
    # The units name the release's paths; point them at a real program so only the unit is judged.
    sed -e "s#/opt/execlog/bin/[a-z-]*#/bin/true#" "$here/$unit" > "$work/$unit"
  done
  systemd-analyze verify "$work/execlog.service" "$work/execlog-backup.service" "$work/execlog-backup.timer" \
    || fail "systemd-analyze found problems in the units"
else
  echo "deploy test: systemd-analyze is not installed; the units were not verified" >&2
fi

start_server "$repo"
export EXECLOG="$repo/bin/execlog"
for task in t_a t_b t_c; do "$EXECLOG" record --task "$task" --type backup-test --duration 1s 2>/dev/null >/dev/null; done

for round in 1 2 3; do
  BACKUP_DIR="$work/backups" KEEP=2 "$here/execlog-backup" 2>>"$work/backup.log" || fail "backup $round failed: $(cat "$work/backup.log")"
  [[ $round -lt 3 ]] && sleep 1.1   # the names carry the second
done
mapfile -t kept < <(ls "$work/backups")
[[ ${#kept[@]} -eq 2 ]] || fail "rotation kept ${#kept[@]} backups, not 2: ${kept[*]}"
grep -q "removed" "$work/backup.log" || fail "rotation said nothing: $(cat "$work/backup.log")"
newest="$work/backups/${kept[1]}"
count=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["executions"]))' "$newest")
[[ "$count" -eq 3 ]] || fail "the newest backup holds $count runs, not 3"
"$EXECLOG" import --dry-run --no-progress "$newest" 2>"$work/import.err" >/dev/null \
  || fail "the backup does not import: $(cat "$work/import.err")"

# A server that is gone: the export fails with the CLI's exit code, and no partial file is left.
stop_server
set +e
BACKUP_DIR="$work/backups" KEEP=2 "$here/execlog-backup" 2>"$work/down.log"; status=$?
set -e
[[ $status -eq 6 ]] || fail "a backup against a stopped server exited $status, not 6: $(cat "$work/down.log")"
[[ $(ls "$work/backups" | wc -l) -eq 2 ]] || fail "a failed backup changed the backups: $(ls "$work/backups")"
echo "deploy test: passed (units verified, 3 backups rotated to 2, the newest holds 3 runs)"
