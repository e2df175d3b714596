#!/usr/bin/env bash
# Take the README's screenshots again and put them in docs/screenshots/.
#
# The end-to-end tests that take pictures (the real programs on a virtual X server, the window's
# webview through WebDriver) save them under the target folder, in `screenshots/`; the tests
# never write into the repository. This runs just those tests and copies what they saved over
# the tracked pictures: look at `git diff --stat docs/screenshots` before committing them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh --test
target=${CARGO_TARGET_DIR:-target}
[[ $target == /* ]] || target=$PWD/$target
shots=$target/screenshots
rm -rf "$shots"
printf '\033[1m==> %s\033[0m\n' "the end-to-end tests that take screenshots"
# Test-name filters: the prompt and the running break, the reminder in dunst (daemon); every
# view light and dark, an invalid setting, the history at 200%, a full session (window).
cargo test --locked -p unslouch-e2e --test daemon --test window -- \
    prompt_window reminder_through_dunst invalid_value screenshots_of_every_view 200_percent_scale \
    a_full_session
mkdir -p docs/screenshots
cp "$shots"/*.png docs/screenshots/
printf '\033[1m==> %s\033[0m\n' "copied $(find "$shots" -name '*.png' | wc -l) screenshots into docs/screenshots"
git status --short docs/screenshots
