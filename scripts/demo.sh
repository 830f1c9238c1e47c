#!/usr/bin/env bash
# The demo: the local IdP on 127.0.0.1:7700, the customer and vendor APIs on 7701 and 7702,
# then the app in development mode (`tauri dev`) against config/demo-rfc8707.toml.
# Sign in as alice / alice-password. Ctrl-C (or closing the app) stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/install-deps.sh
cargo build -p lanyard-demo-apis --bin lanyard-demo-api

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for_port() {
  local port=$1 i
  for i in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "demo: nothing listens on 127.0.0.1:$port" >&2
  return 1
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

for port in 7700 7701 7702; do
  port_free "$port" || { echo "demo: port $port is in use" >&2; exit 1; }
done

node tests/idp/server.mjs --port 7700 &
pids+=($!)
wait_for_port 7700

api() {
  local name=$1 port=$2
  target/debug/lanyard-demo-api --name "$name" --listen "127.0.0.1:$port" \
    --issuer http://127.0.0.1:7700 --audience "api://lanyard-$name" --scope "$name.read" &
  pids+=($!)
}
api customer 7701
api vendor 7702
wait_for_port 7701
wait_for_port 7702

echo "demo: IdP and APIs are up; starting the app (sign in as alice / alice-password)" >&2
LANYARD_CONFIG=config/demo-rfc8707.toml npx --no-install tauri dev
