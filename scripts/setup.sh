#!/usr/bin/env bash
# Install whatever is missing to build (and, with --test, to test) Unslouch, and the front end's
# npm packages. Safe to run again: it only installs what is not there. The front end itself is
# built by the window's build step (src-tauri/build.rs) when cargo builds the window.
#
#   scripts/setup.sh           what building needs
#   scripts/setup.sh --test    and what the tests need (a virtual X server, D-Bus, ...)
#   scripts/setup.sh --package and what scripts/package.sh and scripts/test-packages.sh need
#   scripts/setup.sh --bench   what the tests need, and the peers scripts/benchmark.sh measures
#                              (Workrave, RSIBreak, Safe Eyes with its tray library), as a person
#                              installs them (with what they recommend)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

want_test=false
want_package=false
want_bench=false
# (The tests build and check the packages too.)
[[ "${1:-}" == "--test" ]] && want_test=true && want_package=true
[[ "${1:-}" == "--package" ]] && want_package=true
[[ "${1:-}" == "--bench" ]] && want_test=true && want_bench=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'unslouch setup: %s\n' "$*" >&2; exit 1; }

# Debian/Ubuntu packages: the window needs WebKitGTK; the daemon needs no system library.
packages=(libwebkit2gtk-4.1-dev build-essential pkg-config)
# Tests: a virtual X server, a private D-Bus, synthetic input, the desktop-entry validator,
# a real notification daemon, ImageMagick for screenshots, WebKitGTK's WebDriver (the window's
# end-to-end tests drive its real webview) and a window manager (Openbox) for the window hints.
$want_test && packages+=(xvfb dbus xdotool desktop-file-utils dunst imagemagick webkit2gtk-driver openbox xterm wmctrl xfconf libxfconf-0-3 dconf-service dconf-gsettings-backend gsettings-desktop-schemas libglib2.0-bin appstream librsvg2-bin)
# Packages: dpkg-deb and dpkg-shlibdeps, rpmbuild, the icons' renderer, and the validators.
# (and what the installed daemon is run on: a virtual X server, a bus, xdotool).
$want_package && packages+=(dpkg-dev rpm librsvg2-bin lintian desktop-file-utils appstream man-db xvfb dbus xdotool)
# The benchmark's peers, from the distribution.
peers=()
$want_bench && peers=(workrave rsibreak safeeyes gir1.2-ayatanaappindicator3-0.1 xprintidle)

# install_missing OPTION PACKAGE...: install those of the packages that are not installed, with
# apt-get's OPTION (--no-install-recommends, or --install-recommends as a person's apt does).
install_missing() {
    local option=$1 p
    shift
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    say "installing ${missing[*]}"
    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || fail "need root or sudo to install: ${missing[*]}"
        sudo=sudo
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$option" "${missing[@]}" >/dev/null
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    install_missing --no-install-recommends "${packages[@]}"
    install_missing --install-recommends "${peers[@]}"
else
    echo "unslouch setup: this is not a Debian or Ubuntu system, so nothing was installed." >&2
    echo "  Building the window needs WebKitGTK 4.1 (development files), a C compiler and pkg-config;" >&2
    $want_test && echo "  the tests also need Xvfb, dbus-daemon, xdotool and desktop-file-validate." >&2
    pkg-config --exists webkit2gtk-4.1 2>/dev/null || fail "webkit2gtk-4.1 was not found by pkg-config"
fi

command -v cargo >/dev/null 2>&1 || fail "Rust is missing: install it from rustup.rs (cargo, rustc, rustfmt, clippy)"
command -v node >/dev/null 2>&1 || fail "Node.js is missing: the window's front end needs Node.js 20.19 or newer and npm"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)||(a===20&&b>=19)?0:1)' \
    || fail "Node.js $(node --version) is too old: the front end needs 20.19+ or 22.12+"

# tauri-driver sits between a WebDriver client and WebKitWebDriver; it is a crates.io binary.
# The version is pinned, and `--locked` uses its own lock file.
if $want_test && ! command -v tauri-driver >/dev/null 2>&1 && [[ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]]; then
    say "installing tauri-driver"
    cargo install --quiet --locked tauri-driver --version 2.1.0
fi

say "installing the front end's npm packages"
(cd ui && npm ci --no-audit --no-fund --loglevel=error)
