#!/usr/bin/env bash
# Set up what is missing, then run every check and test: formatting, clippy, the Rust tests
# (unit, timeline, property, store, end to end) and the front end's type check and tests.
# Ends with one line: "total: N passed, M failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh --test
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step "cargo fmt --check"
cargo fmt --all --check
step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test"
cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$log"
step "front end: type check and tests"
(cd ui && npm run --silent check && npx vitest run --reporter=verbose) 2>&1 | tee -a "$log"

# Sum what the runners reported (cargo: "test result: ok. N passed; M failed"; Vitest: one
# "✓"/"×" line per test in the verbose reporter).
plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
rust_passed=$(grep -oE 'test result: [a-z]+\. [0-9]+ passed' <<<"$plain" | awk '{s+=$4} END {print s+0}')
rust_failed=$(grep -oE '[0-9]+ failed;' <<<"$plain" | awk '{s+=$1} END {print s+0}')
ui_passed=$(grep -cE '^\s*✓ ' <<<"$plain" || true)
ui_failed=$(grep -cE '^\s*[×✗] ' <<<"$plain" || true)
echo "total: $((rust_passed + ui_passed)) passed, $((rust_failed + ui_failed)) failed"
