#!/usr/bin/env bash
# Builds the installable bundles (.deb and .rpm), installs the .deb, starts the INSTALLED app
# under Xvfb and checks that its window appears; saves a screenshot of it.
#
#   scripts/bundle-check.sh      (CI runs it after the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

log() { printf 'bundle-check: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

log "building the bundles (release)"
npx tauri build --bundles deb,rpm

deb=$(ls target/release/bundle/deb/*.deb | head -n 1)
rpm=$(ls target/release/bundle/rpm/*.rpm | head -n 1)
for f in "$deb" "$rpm"; do
  log "$(basename "$f"): $(du -h "$f" | cut -f1)"
done

package=$(dpkg-deb -f "$deb" Package)
log "installing $package from $deb"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall "./$deb"
binary=$(dpkg -L "$package" | grep '^/usr/bin/' | head -n 1)
[ -x "$binary" ] || { log "the package installed no program under /usr/bin"; exit 1; }

mkdir -p tests/artifacts
log "starting the installed $binary under Xvfb"
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- sh -c '
  binary=$1 shot=$2
  "$binary" >/tmp/lanyard-installed.log 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    if xwininfo -root -tree | grep -q "\"Lanyard\""; then
      sleep 2  # let it paint
      import -window root "$shot" 2>/dev/null || true
      kill "$pid"
      echo "bundle-check: the installed app shows its window" >&2
      exit 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "bundle-check: the app exited" >&2; cat /tmp/lanyard-installed.log >&2; exit 1; }
    sleep 0.2
  done
  kill "$pid"
  echo "bundle-check: no Lanyard window within 20 s" >&2
  cat /tmp/lanyard-installed.log >&2
  exit 1
' sh "$binary" tests/artifacts/installed-app.png
