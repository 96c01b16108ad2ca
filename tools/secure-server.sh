# Sourced by the end-to-end tests of the examples: starts a real execlog server with TLS and a bearer
# token on a scratch project, as an operator would set one up.
#
#   start_secure_server REPO WORK NAME
#
# writes a self-signed certificate for localhost/127.0.0.1 and a writer's token (WORK/writer.token)
# into WORK, starts bin/execlog-server on a free port (its pid in server_pid, for the caller's
# cleanup trap; its log in WORK/server.log) and exports EXECLOG_SERVER, EXECLOG_TLS_CA and
# EXECLOG_TOKEN for the clients under test. NAME is the token's name in the audit trail.
start_secure_server() {
  local repo="$1" work="$2" name="$3"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/server.key" -out "$work/server.pem" 2>/dev/null
  openssl rand -hex 32 > "$work/writer.token"
  cat > "$work/auth.json" <<JSON
{"tokens": [{"name": "$name", "role": "writer", "sha256": "$("$repo/bin/execlog-server" hash-token < "$work/writer.token")"}]}
JSON
  mkdir -p "$work/project"
  "$repo/bin/execlog-server" --root "$work/project" --port 0 --port-file "$work/port" \
    --tls-cert "$work/server.pem" --tls-key "$work/server.key" --auth-file "$work/auth.json" 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 1 300); do [[ -s "$work/port" ]] && break; sleep 0.1; done
  if [[ ! -s "$work/port" ]]; then
    echo "$name: the server did not start: $(cat "$work/server.log")" >&2
    return 1
  fi
  export EXECLOG_SERVER="localhost:$(cat "$work/port")" EXECLOG_TLS_CA="$work/server.pem"
  EXECLOG_TOKEN="$(cat "$work/writer.token")"
  export EXECLOG_TOKEN
}
