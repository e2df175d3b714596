#!/usr/bin/env bash
# Set up what is missing, then run every check and test: formatting, clippy, the Rust tests
# (unit, timeline, property, store, end to end) and the front end's type check and tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh --test
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check
step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test"
cargo test --workspace --locked
step "front end: type check and tests"
(cd ui && npm run --silent check && npm test --silent)
