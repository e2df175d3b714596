#!/usr/bin/env bash
# Which of the daemon's functions run, watched with a uprobe on each, written in the order the
# release is linked in (crates/daemon/hot-functions.txt; crates/daemon/build.rs says why):
#   1. those that ran while the release daemon was at rest, locked and away, as the benchmark
#      runs it (its three idle runs, shortened: a tray watcher, dunst, Xvfb, private buses);
#   2. then those that a day adds: a break and its window, the settings, the history, a pause,
#      the command line's answers.
# Each group in the order the compiler gave them, which keeps a crate's functions near each other.
#
#   sudo scripts/hot-functions.sh     (about 15 minutes; root for the uprobes, Linux with tracefs;
#                                      Xvfb, dbus and dunst: scripts/setup.sh --bench)
#
# Re-run it after a change of the toolchain or of a dependency's version, which renames the
# functions (scripts/test-packages.sh says when), or when the benchmark's daemon PSS grows.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export UNSLOUCH_NO_UNWIND_TABLES=1 UNSLOUCH_ORDER_FUNCTIONS=1
hot=$PWD/target/hot
mkdir -p "$hot"
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
# The program as shipped, with the linker's map of it: the names, and where each function is.
UNSLOUCH_LINK_MAP=$hot/unslouch.map cargo build --release --locked -q -p unslouch -p unslouch-window
cp target/release/unslouch target/release/unslouch-window "$hot/"
trap 'python3 scripts/hot-functions.py clear' EXIT
python3 scripts/hot-functions.py probe "$hot/unslouch.map" "$hot/unslouch" "$hot/probes.txt"

UNSLOUCH_BENCH_BIN=$hot cargo bench --locked -q -p unslouch-e2e --bench footprint -- \
    --quick --only Unslouch --idle-only >/dev/null
python3 scripts/hot-functions.py hits "$hot/probes.txt" >"$hot/rest.txt"

# A day: the same program on a private desktop with dunst, driven by its command line.
(
    source scripts/private-session.sh
    dunst >/dev/null 2>&1 &
    notifier=$!
    u=$hot/unslouch
    "$u" 2>/dev/null &
    daemon=$!
    sleep 5
    "$u" status >/dev/null
    "$u" pause >/dev/null
    "$u" resume >/dev/null
    "$u" skip >/dev/null
    "$u" break
    sleep 5
    "$u" status >/dev/null
    pkill -f "$hot/unslouch-window" || true
    sleep 2
    "$u" settings
    sleep 4
    "$u" history
    sleep 4
    pkill -f "$hot/unslouch-window" || true
    sleep 2
    "$u" quit
    wait "$daemon" || true
    kill "$notifier" || true
)
python3 scripts/hot-functions.py hits "$hot/probes.txt" >"$hot/day.txt"

order=crates/daemon/hot-functions.txt
{ cat "$hot/rest.txt"; grep -vxFf "$hot/rest.txt" "$hot/day.txt" || true; } >"$order"
echo "$order: $(wc -l <"$hot/rest.txt") functions at rest, then $(($(wc -l <"$order") - $(wc -l <"$hot/rest.txt"))) more in a day, of $(wc -l <"$hot/probes.txt")"
