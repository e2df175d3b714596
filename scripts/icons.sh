#!/usr/bin/env bash
# Regenerates every PNG in icons/ from the hand-drawn SVGs next to them.
# Needs rsvg-convert (Debian/Ubuntu: librsvg2-bin; macOS: brew install librsvg).
# Usage: scripts/icons.sh   (from any directory)
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
icons="$root/icons"

if ! command -v rsvg-convert >/dev/null 2>&1; then
  echo "icons.sh: rsvg-convert not found (install librsvg2-bin)" >&2
  exit 1
fi

# render SVG SIZE OUTPUT: a SIZE x SIZE 8-bit RGBA PNG.
render() {
  local svg="$icons/$1" size="$2" out="$icons/$3"
  rsvg-convert --format=png --width="$size" --height="$size" --keep-aspect-ratio \
    --output="$out.tmp" "$svg"
  mv -f -- "$out.tmp" "$out"
  echo "icons/$3 (${size}px)"
}

# App icon (Tauri bundle names).
render unslouch.svg 32 32x32.png
render unslouch.svg 128 128x128.png
render unslouch.svg 256 128x128@2x.png
render unslouch.svg 512 icon.png

# Tray states.
for state in counting due paused unavailable; do
  render "tray-$state.svg" 64 "tray-$state.png"
done
