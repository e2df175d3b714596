#!/usr/bin/env bash
# Set up what is missing, then run every check and test: formatting, clippy, the Rust tests
# (unit, timeline, property, store, bindings), the end-to-end tests, and the front end's type
# check and tests.
#
# Every step runs, whatever happened to the ones before. The script ends with one line,
# "total: N passed, M failed": the tests the runners reported, plus one for each check
# (fmt, clippy, the type check), and one failure for a step that failed without naming a
# failed test (a build error, a test binary that crashed). It exits non-zero when anything
# failed, after naming the steps that did.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! scripts/setup.sh --test; then
    echo "setup failed: nothing was run"
    echo "total: 0 passed, 1 failed"
    exit 1
fi

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0
failed=0
failed_steps=()

# Count a number of lines matching an extended regular expression (0 when none).
count() { grep -cE "$1" <<<"$2" || true; }

# run KIND NAME COMMAND...: run one step, show its output, and add it to the total.
#   check   one check: one passed or one failed
#   cargo   `cargo test`: the "test result:" lines of every test binary
#   vitest  Vitest's verbose reporter: one ✓ or × line per test
run() {
    local kind=$1 name=$2
    shift 2
    step "$name"
    "$@" 2>&1 | tee "$log"
    local status=${PIPESTATUS[0]}
    local plain p=0 f=0
    plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
    case $kind in
        check)
            ((status == 0)) && p=1 || f=1
            ;;
        cargo)
            p=$(grep -oE 'test result: [A-Za-z]+\. [0-9]+ passed' <<<"$plain" | awk '{s+=$4} END {print s+0}')
            f=$(grep -oE '[0-9]+ passed; [0-9]+ failed' <<<"$plain" | awk '{s+=$3} END {print s+0}')
            # A test binary that failed without a "FAILED" summary (it crashed, or was killed).
            local targets reported
            targets=$(grep -oE 'error: [0-9]+ targets? failed' <<<"$plain" | awk '{print $2}')
            [[ -z $targets ]] && targets=$(count '^error: test failed, to rerun' "$plain")
            reported=$(count 'test result: FAILED\.' "$plain")
            ((targets > reported)) && f=$((f + targets - reported))
            ;;
        vitest)
            p=$(count '^\s*✓ ' "$plain")
            f=$(count '^\s*[×✗] ' "$plain")
            ;;
    esac
    # Failed, but no failed test was named: it did not build, or did not get to run.
    ((status != 0 && f == 0)) && f=1
    passed=$((passed + p))
    failed=$((failed + f))
    ((status != 0)) && failed_steps+=("$name")
    return 0
}

ui_check() { (cd ui && npm run --silent check); }
ui_tests() { (cd ui && npx vitest run --reporter=verbose); }

run check "icons match their SVG sources" scripts/icons.sh --check
run check "cargo fmt --check" cargo fmt --all --check
run check "cargo clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
run cargo "cargo test (everything but the end-to-end tests)" \
    cargo test --workspace --exclude unslouch-e2e --locked --no-fail-fast
# Not a default member (a bare `cargo test` starts no X server): named here.
run cargo "cargo test -p unslouch-e2e (end to end)" cargo test -p unslouch-e2e --locked --no-fail-fast
run check "packages: build (.deb, .rpm)" scripts/package.sh
run check "packages: lintian, contents, installed tree" scripts/test-packages.sh
run check "front end: type check" ui_check
run vitest "front end: tests" ui_tests

if ((${#failed_steps[@]})); then
    printf 'failed: %s\n' "${failed_steps[@]}"
fi
echo "total: $passed passed, $failed failed"
((failed == 0 && ${#failed_steps[@]} == 0))
