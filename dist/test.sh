#!/usr/bin/env bash
# The release as an operator gets it: unpacks dist/target/execlog-VERSION.tar.gz outside the
# repository and runs it with a PATH that has Java and the basic tools but no Maven, from another
# directory: the server starts with the archive's config, the CLI records and reads, the backup
# script works, every program reports the same version and commit, the CLI's second start uses its
# class-data-sharing archive, and SIGTERM stops the server cleanly.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$repo/pom.xml" | head -1)"
archive="$here/target/execlog-$version.tar.gz"
[[ -f "$archive" ]] || { echo "dist test: $archive is missing: run mvn -B package first" >&2; exit 1; }
# shellcheck source=../tools/test-lib.sh
source "$repo/tools/test-lib.sh"
test_begin "dist test"

tar xzf "$archive" -C "$work"
home="$work/execlog-$version"
# Only what a machine with a Java runtime has: java and the shell's basic tools, no mvn, no repository.
mkdir "$work/path"
for tool in java bash env sh dirname readlink stat cksum cut tr mkdir mv rm find date cat sleep grep sed ls; do
  ln -s "$(command -v "$tool")" "$work/path/$tool"
done
run() { env -i PATH="$work/path" HOME="$work/home" LANG=C.UTF-8 "$@"; }
mkdir -p "$work/home" "$work/project"
cd "$work/project"

# One version and commit everywhere.
server_version="$(run "$home/bin/execlog-server" --version)"
cli_version="$(run "$home/bin/execlog" --version)"
[[ "$server_version" == "execlog-server $version (commit "* ]] || fail "server --version: $server_version"
[[ "${cli_version#execlog }" == "${server_version#execlog-server }" ]] \
  || fail "the CLI says '$cli_version', the server '$server_version'"
if commit="$(git -C "$repo" rev-parse --short=10 HEAD 2>/dev/null)"; then
  [[ "$server_version" == *"(commit $commit"* ]] || fail "server built from $commit says '$server_version'"
fi
grep -q "\"version\": \"$version\"" "$repo/client/node/package.json" || fail "the Node package is not $version"
grep -q "^__version__ = \"$version\"" "$repo/client/python/execlog/_version.py" \
  || fail "the Python package is not $version"

# The archive's config file is read, and said to be.
run "$home/bin/execlog-server" --print-config > "$work/settings"
grep -q "^# from $home/conf/server.properties" "$work/settings" || fail "conf/server.properties not read: $(cat "$work/settings")"

env -i PATH="$work/path" HOME="$work/home" LANG=C.UTF-8 "$home/bin/execlog-server" --port 0 \
  --port-file "$work/port" --http-port 0 --http-port-file "$work/http-port" 2>"$work/server.log" &
server_pid=$!
await_port "$work/port" "$work/server.log"
[[ -f "$work/project/configs/execution_log.json" ]] || fail "the log is not under the current directory"
export EXECLOG_SERVER="127.0.0.1:$(cat "$work/port")"
cli() { run EXECLOG_SERVER="$EXECLOG_SERVER" XDG_CACHE_HOME="$work/cache" "$home/bin/execlog" "$@"; }

run_id="$(cli record --task t_release --type check --duration 2s)"
[[ -z "$(ls "$work/cache/execlog" 2>/dev/null)" ]] && fail "the first CLI run made no class-data archive"
info="$(cli info --json)"
[[ "$info" == *"\"server_version\":\"$version\""* ]] || fail "GetLogInfo's version: $info"
commit_reported="${server_version##*commit }"; commit_reported="${commit_reported%)}"
[[ "$info" == *"\"server_commit\":\"$commit_reported\""* ]] || fail "GetLogInfo's commit is not $commit_reported: $info"
cli show "$run_id" --json | grep -q '"task_id":"t_release"' || fail "the recorded run does not read back"
run EXECLOG_SERVER="$EXECLOG_SERVER" EXECLOG="$home/bin/execlog" BACKUP_DIR="$work/backups" KEEP=3 \
  XDG_CACHE_HOME="$work/cache" "$home/bin/execlog-backup" 2>/dev/null >/dev/null || fail "the backup script failed"
[[ $(ls "$work/backups" | wc -l) -eq 1 ]] || fail "no backup was written"

# The web view comes with the server: its page, and the script the page names.
await_port "$work/http-port" "$work/server.log"
ui="http://127.0.0.1:$(cat "$work/http-port")/ui/"
page="$(curl -sS --fail "$ui")" || fail "no web view at $ui"
script="$(sed -n 's:.*<script defer src="\([^"]*\)".*:\1:p' <<<"$page")"
[[ -n "$script" ]] || fail "the web view's page names no script: $page"
[[ "$(curl -sS --fail -o /dev/null -w '%{content_type} %{size_download}' "$ui$script")" == "text/javascript; charset=utf-8 "[1-9]* ]] \
  || fail "the web view's script $script is not served"

kill -TERM "$server_pid"
set +e; wait "$server_pid"; status=$?; set -e
server_pid=""
[[ $status -eq 143 ]] || fail "SIGTERM ended the server with $status, not 143"
grep -q "execlog-server stopped" "$work/server.log" || fail "no stop line: $(cat "$work/server.log")"
echo "dist test: passed (execlog-$version.tar.gz: $(du -h "$archive" | cut -f1), ${server_version#execlog-server })"
