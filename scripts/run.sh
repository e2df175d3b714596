#!/usr/bin/env bash
# Set up what is missing, build Unslouch (release), and start it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The release daemon as shipped: without unwind tables (crates/daemon/build.rs).
export UNSLOUCH_NO_UNWIND_TABLES=1
scripts/setup.sh
printf '\033[1m==> %s\033[0m\n' "building unslouch and unslouch-window (release)"
cargo build --release --locked -p unslouch -p unslouch-window
exec target/release/unslouch "$@"
