#!/usr/bin/env bash
# Builds Lanyard and runs every test: the IdP's self-test, then `cargo test --workspace`
# (unit, integration and the WebDriver test) under Xvfb, a private session bus and an unlocked
# Secret Service in a fresh keyring directory (the recipe in the platform notes).
#
#   scripts/test.sh [extra cargo test arguments, e.g. -p lanyard-app]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

scripts/install-deps.sh

echo "test: building the UI (embedded by the app binary that cargo test builds)" >&2
npm run build

echo "test: building the workspace binaries (the WebDriver test launches lanyard-test-browser)" >&2
cargo build --workspace --bins

if [ -f tests/idp/selftest.mjs ]; then
  echo "test: IdP self-test" >&2
  node tests/idp/selftest.mjs
fi

# A fresh XDG_DATA_HOME per run: a `login` keyring made earlier with another password would
# stay locked ("Cannot create an item in a locked collection").
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
# The app's and the CLI's log files go there too, not into the user's state directory.
export LANYARD_LOG_DIR="$XDG_DATA_HOME/lanyard-logs"
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
export LANYARD_WEBDRIVER_REQUIRED=1

echo "test: cargo test --workspace $* (Xvfb, session bus, Secret Service)" >&2
# xvfb-run outermost, so services the session bus starts also see the display.
xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- \
  sh -c 'printf %s lanyard-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' \
  sh cargo test --workspace "$@"
