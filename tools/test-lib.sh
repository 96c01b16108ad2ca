# Sourced by the shell end-to-end tests (examples, clients, deploy, dist). Gives each test a scratch
# directory that is removed at exit together with the server it started, a fail() that names the
# test, and servers started as an operator would start them.
#
#   test_begin NAME          sets work (the scratch directory) and the exit trap
#   fail MESSAGE...          prints "NAME: MESSAGE" and exits 1
#   await_port FILE LOG      waits up to 30 s for a server's port file; fails with its log
#   start_server REPO [ARGS] a plain loopback server on WORK/project; exports EXECLOG_SERVER
#   start_secure_server REPO NAME
#                            the same with TLS (a self-signed certificate for localhost/127.0.0.1)
#                            and a writer's token (WORK/writer.token) named NAME in the audit trail;
#                            exports EXECLOG_SERVER, EXECLOG_TLS_CA and EXECLOG_TOKEN
# The server's pid is in server_pid and its log in WORK/server.log.

test_begin() {
  test_name="$1"
  work="$(mktemp -d)"
  server_pid=""
  trap test_end EXIT
}

test_end() {
  stop_server
  rm -rf "$work"
}

stop_server() {
  if [[ -n "${server_pid:-}" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

fail() {
  echo "$test_name: $*" >&2
  exit 1
}

await_port() {
  local file="$1" log="$2"
  for _ in $(seq 1 300); do [[ -s "$file" ]] && return 0; sleep 0.1; done
  fail "the server did not start: $(cat "$log")"
}

start_server() {
  local repo="$1"
  shift
  mkdir -p "$work/project"
  "$repo/bin/execlog-server" --root "$work/project" --port 0 --port-file "$work/port" "$@" 2>"$work/server.log" &
  server_pid=$!
  await_port "$work/port" "$work/server.log"
  export EXECLOG_SERVER="127.0.0.1:$(cat "$work/port")"
}

# Writes WORK/server.pem and WORK/server.key: a certificate for localhost and 127.0.0.1.
make_server_certificate() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/server.key" -out "$work/server.pem" 2>/dev/null
}

# Prints one auth-file entry for a new token written to WORK/ROLE.token: make_token REPO NAME ROLE
make_token() {
  local repo="$1" name="$2" role="$3"
  openssl rand -hex 32 > "$work/$role.token"
  printf '{"name": "%s", "role": "%s", "sha256": "%s"}' "$name" "$role" \
    "$("$repo/bin/execlog-server" hash-token < "$work/$role.token")"
}

start_secure_server() {
  local repo="$1" name="$2"
  make_server_certificate
  echo "{\"tokens\": [$(make_token "$repo" "$name" writer)]}" > "$work/auth.json"
  start_server "$repo" --tls-cert "$work/server.pem" --tls-key "$work/server.key" --auth-file "$work/auth.json"
  export EXECLOG_SERVER="localhost:$(cat "$work/port")" EXECLOG_TLS_CA="$work/server.pem"
  EXECLOG_TOKEN="$(cat "$work/writer.token")"
  export EXECLOG_TOKEN
}
