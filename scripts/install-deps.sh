#!/usr/bin/env bash
# Installs what building, testing and running Lanyard needs (see the platform notes):
# Debian packages, the npm packages (root and tests/idp) and tauri-driver. Idempotent: what is
# already there is skipped, so a second run takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Build (Tauri 2 / WebKitGTK 4.1)
  build-essential pkg-config file libwebkit2gtk-4.1-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  # Run and test: WebDriver, Xvfb, a session bus, a Secret Service, the kernel keyring,
  # ImageMagick for screenshots
  webkit2gtk-driver xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools libdbus-1-dev
  keyutils imagemagick
  # The bundle check: xwininfo finds the installed app's window
  x11-utils
  # The IdP's pages in a real browser engine (tests/webdriver_chromium.rs)
  chromium chromium-driver
)
TAURI_DRIVER_VERSION=2.1.0

log() { printf 'install-deps: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_apt() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "apt: all ${#APT_PACKAGES[@]} packages present"
    return
  fi
  log "apt: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# `npm ci` in $1 unless node_modules already matches its package-lock.json.
install_npm() {
  local dir=$1 stamp sum
  stamp="$dir/node_modules/.lanyard-lock.sha256"
  sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    log "npm: $dir up to date"
    return
  fi
  log "npm: ci in $dir"
  npm ci --prefix "$dir" --no-audit --no-fund
  printf '%s\n' "$sum" >"$stamp"
}

# The pinned MSAL Python of crates/lanyard-cli/tests/msal/requirements.txt, into its .python (pip --target:
# no virtualenv, and a distribution's externally-managed Python is left alone), unless it is
# already there for this requirements file.
install_pip_target() {
  local dir=$1 stamp sum
  stamp="$dir/.python/.lanyard-requirements.sha256"
  sum=$(sha256sum "$dir/requirements.txt" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    log "pip: $dir/.python up to date"
    return
  fi
  if ! python3 -m pip --version >/dev/null 2>&1; then
    log "apt: installing python3-pip"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-pip
  fi
  log "pip: installing $dir/requirements.txt into $dir/.python"
  rm -rf "$dir/.python"
  python3 -m pip install --quiet --disable-pip-version-check --no-input \
    --root-user-action=ignore --target "$dir/.python" -r "$dir/requirements.txt"
  printf '%s\n' "$sum" >"$stamp"
}

install_tauri_driver() {
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  # tauri-driver has no --version; cargo's install list knows it.
  if command -v tauri-driver >/dev/null \
    && cargo install --list | grep -q "^tauri-driver v$TAURI_DRIVER_VERSION:"; then
    log "tauri-driver $TAURI_DRIVER_VERSION present"
    return
  fi
  log "cargo: installing tauri-driver $TAURI_DRIVER_VERSION"
  cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION"
}

for tool in node npm cargo; do
  command -v "$tool" >/dev/null || { log "$tool is missing: install Node.js >= 20.19 and Rust first"; exit 1; }
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  log "Node.js $(node -v) is too old: Vite and oidc-provider need >= 20.19"
  exit 1
fi
# rustfmt and clippy (CI runs both); the rustup minimal profile lacks them.
if command -v rustup >/dev/null; then
  for component in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$component" \
      || { log "rustup: adding $component"; rustup component add "$component"; }
  done
fi

install_apt
install_npm .
if [ -f tests/idp/package-lock.json ]; then
  install_npm tests/idp
fi
# MSAL Python and msal-node for the MSAL cache interop test (crates/lanyard-cli/tests/msal_interop.rs).
install_npm crates/lanyard-cli/tests/msal
install_pip_target crates/lanyard-cli/tests/msal
install_tauri_driver
