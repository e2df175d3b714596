#!/usr/bin/env bash
# Measure the resident daemon at rest: PSS, CPU time and wake-ups over an idle period, on a
# private X server and session bus, with the release build.
#
#   scripts/measure-daemon.sh [seconds]      (default 120; needs Xvfb and dbus-daemon)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs=${1:-120}
cargo build --release --locked -q -p unslouch
source scripts/private-session.sh
"$dir/unslouch" 2>/dev/null &
daemon=$!
sleep 5

# Sum over every thread of the process: CPU ticks and context switches (each switch in is a
# wake-up).
ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
switches() { cat /proc/$daemon/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}'; }
threads() { ls /proc/$daemon/task | wc -l; }
pss() { awk '/^Pss:/ {print $2}' "/proc/$daemon/smaps_rollup"; }

t0=$(ticks); s0=$(switches)
sleep "$secs"
t1=$(ticks); s1=$(switches)
hz=$(getconf CLK_TCK)

echo "unslouch (release) at rest for ${secs} s, pid $daemon:"
echo "  PSS:        $(awk -v k="$(pss)" 'BEGIN {printf "%.1f MiB", k / 1024}')"
echo "  threads:    $(threads)"
echo "  CPU time:   $(awk -v t=$((t1 - t0)) -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.2f s (%.3f%% of one core)", t / hz, 100 * t / hz / s}')"
echo "  wake-ups:   $((s1 - s0)) ($(awk -v n=$((s1 - s0)) -v s="$secs" 'BEGIN {printf "%.2f", n / s}')/s)"
echo "  links GTK or WebKit: $(ldd "$dir/unslouch" | grep -cE 'gtk|webkit' || true) libraries ($(ldd "$dir/unslouch" | wc -l) linked in all)"
