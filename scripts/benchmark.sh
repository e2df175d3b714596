#!/usr/bin/env bash
# The footprint benchmark: Unslouch against Workrave, RSIBreak and Safe Eyes on one throw-away
# desktop, and Unslouch's window (tests/benches/footprint.rs says what is measured and how).
# Installs what it needs (Debian or Ubuntu), builds the release programs, runs for about 35
# minutes (the footprint, then the timing of reminders), prints the tables and writes them to
# docs/benchmarks.md. It reports; it never fails on a number.
#
#   scripts/benchmark.sh            the full run, written to docs/benchmarks.md
#   scripts/benchmark.sh --quick    every phase shortened (about 3 minutes), written to
#                                   target/benchmarks-quick.md: to see that it works
#   scripts/benchmark.sh --only NAME  one app (Unslouch, Workrave, RSIBreak, "Safe Eyes"), written
#                                   to target/benchmarks-only.md
#   scripts/benchmark.sh --timing   only the timing of reminders through a scripted day
#                                   (tests/benches/timing.rs, about 5 minutes), written to
#                                   docs/benchmarks.md
#
# The full run (no option) is the footprint, then the timing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The release daemon as shipped: without unwind tables (crates/daemon/build.rs).
export UNSLOUCH_NO_UNWIND_TABLES=1
scripts/setup.sh --bench
out=docs/benchmarks.md
[[ " $* " == *" --quick "* ]] && out=target/benchmarks-quick.md
# One app's table is no table of all four: not over the last full run.
[[ " $* " == *" --only "* ]] && out=target/benchmarks-only.md
timing() { cargo bench --locked -q -p unslouch-e2e --bench timing -- --out "$PWD/docs/benchmarks.md"; }
if [[ " $* " == *" --timing "* ]]; then
    timing
    exit
fi
# The daemon as shipped (no test clock), kept aside: the benchmark then builds its own with the
# test clock for the window's rounds, in the same folder.
cargo build --release --locked -q -p unslouch -p unslouch-window
mkdir -p target/bench
cp target/release/unslouch target/release/unslouch-window target/bench/
UNSLOUCH_BENCH_BIN=$PWD/target/bench cargo bench --locked -q -p unslouch-e2e --bench footprint -- --out "$PWD/$out" "$@"
# The timing of reminders: no part of a quick look or of one app's.
if [[ " $* " != *" --quick "* && " $* " != *" --only "* ]]; then
    timing
fi
