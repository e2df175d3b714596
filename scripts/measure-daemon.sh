#!/usr/bin/env bash
# Measure the resident daemon at rest: PSS, CPU time and wake-ups over an idle period, on a
# private X server and session bus, with the release build.
#
#   scripts/measure-daemon.sh [seconds]            (default 120; needs Xvfb and dbus-daemon)
#   scripts/measure-daemon.sh --locked [seconds]   the same with no idle source (no X display)
#                                                  and the screen locked past the natural-break
#                                                  threshold (set to 1 minute) before measuring
#   scripts/measure-daemon.sh --dunst [seconds]    with dunst as the notification server, so that
#                                                  Do Not Disturb is followed (needs dunst): every
#                                                  detector on (fullscreen on X11, cameras and
#                                                  microphones, typing, Do Not Disturb)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The release daemon as shipped: without unwind tables (crates/daemon/build.rs).
export UNSLOUCH_NO_UNWIND_TABLES=1
locked=false
with_dunst=false
[[ "${1:-}" == "--locked" ]] && { locked=true; shift; }
[[ "${1:-}" == "--dunst" ]] && { with_dunst=true; shift; }
secs=${1:-120}
cargo build --release --locked -q -p unslouch
source scripts/private-session.sh
if $with_dunst; then
    dunst >/dev/null 2>&1 &
    for _ in $(seq 50); do dunstctl is-paused >/dev/null 2>&1 && break; sleep 0.1; done
fi
if $locked; then
    mkdir -p "$XDG_CONFIG_HOME/unslouch"
    echo 'natural_break_minutes = 1' > "$XDG_CONFIG_HOME/unslouch/settings.toml"
    env -u DISPLAY "$dir/unslouch" 2>/dev/null &
    daemon=$!
    sleep 3
    dbus-send --session --type=signal /org/freedesktop/ScreenSaver \
        org.freedesktop.ScreenSaver.ActiveChanged boolean:true
    echo "locked; waiting 65 s for the natural-break threshold to pass"
    sleep 65
    echo "status: $("$dir/unslouch" status | head -1)"
else
    "$dir/unslouch" 2>/dev/null &
    daemon=$!
    # Past start-up, and past the 10 s a thread of tokio's blocking pool (start at login is
    # written from one) lingers: a thread that ends takes its count of wake-ups with it.
    sleep 15
fi

# Sum over every thread of the process: CPU ticks and context switches (each switch in is a
# wake-up).
ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
switches() { cat /proc/$daemon/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}'; }
threads() { ls /proc/$daemon/task | wc -l; }
# Per thread, by name: which one wakes.
per_thread() { for t in /proc/$daemon/task/*; do echo "$(cat "$t/comm") $(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status")"; done; }
pss() { awk '/^Pss:/ {print $2}' "/proc/$daemon/smaps_rollup"; }

t0=$(ticks); s0=$(switches); p0=$(per_thread)
sleep "$secs"
t1=$(ticks); s1=$(switches); p1=$(per_thread)
hz=$(getconf CLK_TCK)

echo "unslouch (release) $($locked && echo "locked with no idle source" || echo "at rest")$($with_dunst && echo ", Do Not Disturb followed on dunst") for ${secs} s, pid $daemon:"
echo "  PSS:        $(awk -v k="$(pss)" 'BEGIN {printf "%.1f MiB", k / 1024}')"
echo "  threads:    $(threads)"
echo "  CPU time:   $(awk -v t=$((t1 - t0)) -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.2f s (%.3f%% of one core)", t / hz, 100 * t / hz / s}')"
echo "  wake-ups:   $((s1 - s0)) ($(awk -v n=$((s1 - s0)) -v s="$secs" 'BEGIN {printf "%.2f", n / s}')/s)"
echo "  by thread:  $(paste -d' ' <(echo "$p0") <(echo "$p1") | awk '{printf "%s %d, ", $1, $4 - $2}' | sed 's/, $//')"
echo "  links GTK or WebKit: $(ldd "$dir/unslouch" | grep -cE 'gtk|webkit' || true) libraries ($(ldd "$dir/unslouch" | wc -l) linked in all)"
