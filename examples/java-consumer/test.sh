#!/usr/bin/env bash
# The Java client as users get it: copies this project (and its BOM variant) out of the repository,
# builds each offline against the local Maven repository that `mvn install` filled, checks what it
# resolves (protobuf-java 4.x, none of the CLI's libraries), then runs the task runner against a real
# server with TLS and a bearer token and reads its runs back with the CLI. Run after `mvn install`
# (bin/run-tests does); set MAVEN_OPTS=-Dmaven.repo.local=DIR to use another local repository.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../../tools/test-lib.sh
source "$repo/tools/test-lib.sh"
test_begin "java-consumer test"
dependency_plugin=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

# The test's own tool, fetched once if the local repository lacks it; everything else is offline.
(cd "$work" && mvn -B -q "$dependency_plugin:help" >/dev/null 2>&1) \
  || echo "java-consumer test: could not fetch $dependency_plugin, trying offline" >&2

# Two copies outside the repository: the plain dependency, and the one that imports execlog-bom.
build() {  # build NAME POM: copies the project, builds it offline, writes its class path and tree
  local dir="$work/$1"
  mkdir -p "$dir" && cp -r "$here/src" "$dir/" && cp "$here/$2" "$dir/pom.xml"
  (cd "$dir" && mvn -B -o -q compile "$dependency_plugin:build-classpath" -Dmdep.outputFile=classpath.txt \
    "$dependency_plugin:tree" -DoutputFile=tree.txt) >"$dir/build.log" 2>&1 \
    || fail "the $1 project did not build offline: $(cat "$dir/build.log")"
  for unwanted in info.picocli me.tongfei com.fasterxml.jackson org.jline dev.execlog:execlog-cli: dev.execlog:execlog-server:; do
    if grep -q "$unwanted" "$dir/tree.txt"; then fail "the $1 project resolves $unwanted: $(cat "$dir/tree.txt")"; fi
  done
  grep -Eq 'com\.google\.protobuf:protobuf-java:jar:4\.[0-9.]+:compile' "$dir/tree.txt" \
    || fail "the $1 project does not resolve protobuf-java 4.x: $(cat "$dir/tree.txt")"
  grep -Eq 'io\.grpc:grpc-netty-shaded:jar:1\.[0-9.]+:compile' "$dir/tree.txt" \
    || fail "the $1 project has no transport: $(cat "$dir/tree.txt")"
  echo "java-consumer test: $1 resolves $(grep -Eo 'protobuf-java:jar:[0-9.]+' "$dir/tree.txt"), $(grep -Eo 'grpc-api:jar:[0-9.]+' "$dir/tree.txt")"
}
build plain pom.xml
build bom pom-bom.xml

start_secure_server "$repo" java-consumer
runner() {  # runner NAME ARGS...: runs the task runner as its users would, with plain java
  local dir="$work/$1"; shift
  java -cp "$dir/target/classes:$(cat "$dir/classpath.txt")" com.example.runner.TaskRunner "$@"
}

# Without the token the server refuses, and the client says why: code and reason.
if EXECLOG_TOKEN="" runner plain --task t_java_anon 2>"$work/anon.err"; then fail "a call without a token was accepted"; fi
grep -qF "UNAUTHENTICATED (UNAUTHENTICATED)" "$work/anon.err" || fail "no reason for the refused call: $(cat "$work/anon.err")"

# A downstream task whose upstream never ran is held back (exit 3), then runs once it has.
set +e
runner plain --task t_java_down --depends-on t_java_up 2>"$work/down.err"; status=$?
set -e
[[ $status -eq 3 ]] || fail "an unmet dependency gave exit $status: $(cat "$work/down.err")"
up_out="$(runner plain --task t_java_up --type ingestion --output DATA/processed/t_java_up/output.csv)" \
  || fail "the upstream task was not recorded"
read -r up up_count <<<"$up_out"
[[ "$up_count" == 1 ]] || fail "t_java_up's history has $up_count runs, not 1: $up_out"
# The BOM build, and the token from a file (EXECLOG_TOKEN_FILE wins over EXECLOG_TOKEN).
down_out="$(EXECLOG_TOKEN=wrong EXECLOG_TOKEN_FILE="$work/writer.token" runner bom --task t_java_down --depends-on t_java_up)" \
  || fail "the downstream task was not recorded once its upstream had run"
again_out="$(runner bom --task t_java_down --depends-on t_java_up)" || fail "the second downstream run was not recorded"
read -r down down_count <<<"$down_out"
[[ "$down_count" == 1 && "${again_out#* }" == 2 ]] || fail "t_java_down's history counts: $down_out / $again_out"

# What the Java client stored reads back through the CLI.
show="$("$repo/bin/execlog" show "$up" --json --token-file "$work/writer.token")"
for expected in '"task_id":"t_java_up"' '"task_type":"ingestion"' '"success":true' \
    '"path":"DATA/processed/t_java_up/output.csv"' '"description":"written by the Java consumer"' \
    '"report_path":"DATA/reports/t_java_up_report.json"'; do
  grep -qF "$expected" <<<"$show" || fail "run $up lacks $expected: $show"
done
"$repo/bin/execlog" show "$down" --json --token-file "$work/writer.token" | grep -qF '"name":"t_java_up"' \
  || fail "the downstream run lacks its input"
echo "java-consumer test: passed (plain and BOM builds offline; runs $up, $down)"
