#!/usr/bin/env bash
# Regenerates the app icons in src-tauri/icons/ from src-tauri/icons/icon.svg with the Tauri
# CLI (resvg renders the SVG faithfully; ImageMagick's internal SVG renderer does not).
# Only the PNGs the Linux bundles and the window use are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx --no-install tauri icon src-tauri/icons/icon.svg -o "$out" >/dev/null
for name in 32x32 64x64 128x128 128x128@2x icon; do
  cp "$out/$name.png" "src-tauri/icons/$name.png"
done
echo "icons written to src-tauri/icons/"
