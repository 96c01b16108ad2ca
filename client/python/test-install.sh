#!/usr/bin/env bash
# The user's path, as a new user takes it: build the wheel (or take the one given as $1),
# install it into a fresh virtual environment in a temp dir (Debian's python3-grpcio and
# python3-protobuf through --system-site-packages; --no-index, so nothing is fetched), start a
# server with TLS and bearer tokens, and from a directory outside the repository run the task
# runner example and tests/user_path/check_user_path.py with that environment's python,
# connected only through the CLI's variables (record, history, dependencies, watch, import with
# progress, UNAUTHENTICATED without a token, the run read back through the CLI).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
wheel="${1:-}"
[[ -n "$wheel" ]] || wheel="$("$here/build-wheel.sh")"
# shellcheck source=../../tools/test-lib.sh
source "$repo/tools/test-lib.sh"
test_begin "test-install"

"$PYTHON" -m venv --system-site-packages "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --no-index --no-build-isolation "$wheel"
py="$work/venv/bin/python"

make_server_certificate
echo "{\"tokens\": [$(make_token "$repo" py-writer writer),$(make_token "$repo" py-admin admin)]}" > "$work/auth.json"
mkdir -p "$work/project/DATA/raw"
printf 'a\nb\nc\n' > "$work/project/DATA/raw/customers.csv"
start_server "$repo" --tls-cert "$work/server.pem" --tls-key "$work/server.key" \
  --auth-file "$work/auth.json"

# Outside the repository: only the installed package can be imported there.
mkdir "$work/outside"
cp "$repo/examples/python-task-runner/runner.py" "$here/tests/user_path/check_user_path.py" "$work/outside/"
cd "$work/outside"
unset PYTHONPATH EXECLOG_TOKEN EXECLOG_TLS_CERT EXECLOG_TLS_KEY EXECLOG_TLS_AUTHORITY
export EXECLOG_SERVER="localhost:$(cat "$work/port")" EXECLOG_TLS_CA="$work/server.pem"
export EXECLOG_TOKEN_FILE="$work/writer.token" PROJECT_ROOT="$work/project"

# The runner: a writer token suffices; the downstream task waits for its upstream.
set +e
"$py" runner.py t_py_down --depends-on t_py_up 2>"$work/down.err"; status=$?
set -e
[[ $status -eq 2 ]] || fail "an unmet dependency gave exit $status: $(cat "$work/down.err")"
"$py" runner.py t_py_up --input customers=DATA/raw/customers.csv >"$work/up.out" 2>"$work/up.err" \
  || fail "the upstream task: $(cat "$work/up.err")"
"$py" runner.py t_py_down --depends-on t_py_up --input counts=DATA/processed/t_py_up/output/line_counts.json \
  >"$work/down.out" 2>"$work/down.err" || fail "the downstream task: $(cat "$work/down.err")"
set +e
EXECLOG_TOKEN_FILE="" "$py" runner.py t_py_anon 2>"$work/anon.err"; status=$?
set -e
[[ $status -eq 3 ]] && grep -q "UNAUTHENTICATED" "$work/anon.err" \
  || fail "a run without a token gave exit $status: $(cat "$work/anon.err")"
up="$(awk '{print $4}' "$work/up.out")"
"$repo/bin/execlog" show "$up" --json | grep -qF '"name":"customers"' || fail "the upstream run lacks its input"

# The rest of the contract with the admin token (import needs it).
EXECLOG_TOKEN_FILE="$work/admin.token" "$py" check_user_path.py "$repo/bin/execlog" t_py_up \
  || fail "the user path checks failed (server log: $work/server.log)"
echo "test-install: passed (wheel $(basename "$wheel"), runs from $work/outside)"
