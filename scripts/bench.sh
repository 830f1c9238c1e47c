#!/usr/bin/env bash
# Prints Lanyard's figures (medians): the token cache bench, then the app figures (cold start
# to first paint, IPC round trip, memory, .deb size) with the release build of the app under
# Xvfb, a private session bus and an unlocked Secret Service (as scripts/test.sh does).
#
#   scripts/bench.sh            LANYARD_BENCH_RUNS=N sets the app starts per case (default 11)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/install-deps.sh

echo "bench: token cache (cargo bench -p lanyard --features bench-support)" >&2
cargo bench -p lanyard --features bench-support

echo "bench: building the UI and the scripted browser (release)" >&2
npm run build
cargo build --release -p lanyard-testkit --bins

XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
export LANYARD_WEBDRIVER_REQUIRED=1

echo "bench: app figures (cargo bench --bench app_figures; Xvfb, session bus, Secret Service)" >&2
xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- \
  sh -c 'printf %s lanyard-bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' \
  sh cargo bench --bench app_figures
