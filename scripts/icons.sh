#!/usr/bin/env bash
# Regenerates every PNG in icons/ from the hand-drawn SVGs next to them.
# Needs rsvg-convert (Debian/Ubuntu: librsvg2-bin; macOS: brew install librsvg).
# Usage: scripts/icons.sh           render them (from any directory)
#        scripts/icons.sh --check   render them aside and fail if any committed PNG differs
#                                   from its source (the test suite runs this)
#        scripts/icons.sh --hicolor DIR
#                                   the app icon for the hicolor theme, at every size a
#                                   package installs: DIR/NxN/apps/app.unslouch.Unslouch.png
#                                   and DIR/scalable/apps/app.unslouch.Unslouch.svg
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
icons="$root/icons"
out="$icons"
mode=render
case "${1:-}" in
  --check) mode=check; out=$(mktemp -d); trap 'rm -rf "$out"' EXIT ;;
  --hicolor) mode=hicolor; out="${2:?--hicolor needs a folder}"; mkdir -p "$out" ;;
  "") ;;
  *) echo "usage: scripts/icons.sh [--check | --hicolor DIR]" >&2; exit 2 ;;
esac

if ! command -v rsvg-convert >/dev/null 2>&1; then
  echo "icons.sh: rsvg-convert not found (install librsvg2-bin)" >&2
  exit 1
fi

# render SVG SIZE OUTPUT: a SIZE x SIZE 8-bit RGBA PNG.
render() {
  local svg="$icons/$1" size="$2" png="$out/$3"
  mkdir -p "$(dirname -- "$png")"
  rsvg-convert --format=png --width="$size" --height="$size" --keep-aspect-ratio \
    --output="$png.tmp" "$svg"
  mv -f -- "$png.tmp" "$png"
  [ "$mode" = check ] || echo "${png#"$root"/} (${size}px)"
}

if [ "$mode" = hicolor ]; then
  for size in 16 22 24 32 48 64 128 256 512; do
    render unslouch.svg "$size" "${size}x${size}/apps/app.unslouch.Unslouch.png"
  done
  mkdir -p "$out/scalable/apps"
  cp -- "$icons/unslouch.svg" "$out/scalable/apps/app.unslouch.Unslouch.svg"
  exit 0
fi

# App icon (Tauri bundle names).
render unslouch.svg 32 32x32.png
render unslouch.svg 128 128x128.png
render unslouch.svg 256 128x128@2x.png
render unslouch.svg 512 icon.png

# Tray states.
for state in counting due paused unavailable; do
  render "tray-$state.svg" 64 "tray-$state.png"
done

if [ "$mode" = check ]; then
  stale=0
  for png in "$out"/*.png; do
    name=$(basename -- "$png")
    if ! cmp -s -- "$png" "$icons/$name"; then
      echo "icons/$name differs from its SVG source: run scripts/icons.sh" >&2
      stale=1
    fi
  done
  [ "$stale" = 0 ] && echo "every icon matches its source"
  exit "$stale"
fi
