#!/usr/bin/env bash
# Measure the window (release build) on a private X server and session bus: the PSS of its whole
# process tree (unslouch-window and its WebKit processes) while a break runs, then that nothing
# of it is left 2 s after its X connection is closed (`xdotool windowkill`: Debian's xdotool
# has no `windowclose`). The close button's path, WM_DELETE_WINDOW, is timed by the end-to-end
# test `closing_the_window_ends_its_process_and_every_webkit_process`.
#
#   scripts/measure-window.sh          (needs Xvfb, dbus-daemon and xdotool)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The release daemon as shipped: without unwind tables (crates/daemon/build.rs).
export UNSLOUCH_NO_UNWIND_TABLES=1
cargo build --release --locked -q -p unslouch -p unslouch-window
source scripts/private-session.sh
"$dir/unslouch" 2>/dev/null &
daemon=$!
sleep 2
"$dir/unslouch" break
sleep 6 # the window starts and the break gets going

tree() { # a process and all its descendants
    local pid=$1
    echo "$pid"
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do tree "$child"; done
}
window=$(pgrep -n -f "$dir/unslouch-window")
pids=$(tree "$window")
echo "window open during a break:"
total=0
for pid in $pids; do
    kib=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
    total=$((total + kib))
    printf '  %-24s %7.1f MiB\n' "$(cat /proc/"$pid"/comm)" "$(awk -v k="$kib" 'BEGIN {print k / 1024}')"
done
printf '  %-24s %7.1f MiB\n' "whole tree" "$(awk -v k="$total" 'BEGIN {print k / 1024}')"
printf '  %-24s %7.1f MiB\n' "daemon meanwhile" "$(awk '/^Pss:/ {print $2 / 1024}' "/proc/$daemon/smaps_rollup")"

# Close it, then look 2 s later.
xdotool search --name '^Unslouch$' windowkill
sleep 2
left=0
for pid in $pids; do [ -d "/proc/$pid" ] && left=$((left + 1)); done
echo "2 s after closing: $left of $(wc -w <<<"$pids") processes left"
"$dir/unslouch" quit >/dev/null
