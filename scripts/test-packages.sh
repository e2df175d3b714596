#!/usr/bin/env bash
# Check the packages scripts/package.sh built, with the distributions' own tools:
# their metadata and contents, lintian on the .deb, the .deb installed by dpkg into a
# throw-away root, its desktop entry and metadata validated, its programs run (the daemon on a
# throw-away desktop by the end-to-end harness: its tray item, a reminder, the window), then
# removed, leaving nothing behind; the same install and removal for the .rpm with rpm.
#
#   scripts/test-packages.sh   (after scripts/package.sh; needs what scripts/setup.sh --package
#                               installs: lintian, rpm, the validators, Xvfb, dbus, xdotool)
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
deb=$(ls target/packages/unslouch_"${version}"_*.deb)
rpm=$(ls target/packages/unslouch-"${version}"-1.*.rpm)
fail=0
check() {
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else echo "FAILED: $what" >&2; fail=1; fi
}

echo "== $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --info "$deb"
listing=$(dpkg-deb --contents "$deb" | awk '{print $NF}' | sed 's|^\./|/|')
want=(
    /usr/bin/unslouch
    /usr/bin/unslouch-window
    /usr/share/applications/app.unslouch.Unslouch.desktop
    /usr/share/metainfo/app.unslouch.Unslouch.metainfo.xml
    /usr/share/icons/hicolor/scalable/apps/app.unslouch.Unslouch.svg
    /usr/share/man/man1/unslouch.1.gz
    /usr/share/man/man1/unslouch-window.1.gz
    /usr/share/man/man1/unslouch-pause.1.gz
    /usr/share/bash-completion/completions/unslouch
    /usr/share/zsh/vendor-completions/_unslouch
    /usr/share/fish/vendor_completions.d/unslouch.fish
    /usr/share/doc/unslouch/copyright
    /usr/share/doc/unslouch/changelog.gz
)
for size in 16 22 24 32 48 64 128 256 512; do
    want+=("/usr/share/icons/hicolor/${size}x${size}/apps/app.unslouch.Unslouch.png")
done
for path in "${want[@]}"; do
    check "the .deb holds $path" grep -qxF "$path" <<<"$listing"
done
depends=$(dpkg-deb --field "$deb" Depends)
check "the .deb depends on WebKitGTK 4.1" grep -q 'libwebkit2gtk-4.1-0' <<<"$depends"
check "the .deb depends on no GTK 4 and no older WebKit" \
    bash -c '! grep -qE "libgtk-4|libwebkit2gtk-4.0" <<<"$1"' _ "$depends"

echo "== lintian"
lintian_out=$(lintian --allow-root --info "$deb" 2>&1 || true)
echo "${lintian_out:-(nothing to report)}"
check "lintian reports no error" bash -c '! grep -q "^E:" <<<"$1"' _ "$lintian_out"

echo "== installed by dpkg into a throw-away root"
install_root=$(mktemp -d)
rpm_root=$(mktemp -d)
trap 'rm -rf "$install_root" "$rpm_root"' EXIT
# An empty dpkg database of its own; the libraries the window needs are the machine's, not the
# root's (the programs run from there with the machine's loader).
mkdir -p "$install_root/var/lib/dpkg/info" "$install_root/var/lib/dpkg/updates"
touch "$install_root/var/lib/dpkg/status"
check "dpkg installs the .deb" \
    dpkg --root="$install_root" --log=/dev/null --force-depends --force-not-root --install "$deb"
check "desktop-file-validate" \
    desktop-file-validate "$install_root/usr/share/applications/app.unslouch.Unslouch.desktop"
check "appstreamcli validate" appstreamcli validate --no-net \
    "$install_root/usr/share/metainfo/app.unslouch.Unslouch.metainfo.xml"
check "unslouch --version" bash -c \
    '[[ "$("$1/usr/bin/unslouch" --version)" == "unslouch $2" ]]' _ "$install_root" "$version"
# Built as shipped: the daemon without unwind tables (UNSLOUCH_NO_UNWIND_TABLES in package.sh).
check "the packaged daemon has no unwind tables" bash -c \
    's=$(readelf --section-headers --wide "$1/usr/bin/unslouch") && grep -q "\.text" <<<"$s" && ! grep -q eh_frame <<<"$s"' \
    _ "$install_root"
check "unslouch-window --help" bash -c \
    '"$1/usr/bin/unslouch-window" --help | grep -q "The view to open"' _ "$install_root"
check "the man page reads" bash -c \
    'MANWIDTH=80 man -l "$1/usr/share/man/man1/unslouch.1.gz" 2>&1 | grep -q "Posture breaks"' _ "$install_root"
check "the man page of a command reads" bash -c \
    'MANWIDTH=80 man -l "$1/usr/share/man/man1/unslouch-pause.1.gz" 2>&1 | grep -q tomorrow' _ "$install_root"

echo "== the installed daemon on a throw-away desktop"
check "tray item, reminder and window of the installed programs" \
    env UNSLOUCH_PACKAGE_ROOT="$install_root" \
    cargo test --quiet --locked -p unslouch-e2e --test package -- --ignored

installed_kib=$(du -sk "$install_root/usr" | cut -f1)
echo "installed size: $((installed_kib / 1024)) MiB ($installed_kib KiB)"

# leftovers ROOT DATABASE: what is left under ROOT outside the package database.
leftovers() { (cd "$1" && find . -mindepth 1 -not -path "./$2*" | { grep -vxE '\./var|\./var/lib' || true; }); }

echo "== removed by dpkg"
check "dpkg purges the package" dpkg --root="$install_root" --log=/dev/null --force-not-root --purge unslouch
left=$(leftovers "$install_root" var/lib/dpkg)
echo "${left:-(nothing left)}"
check "nothing of the package is left" test -z "$left"

echo "== $rpm ($(du -h "$rpm" | cut -f1))"
rpm -qip "$rpm"
rpm_listing=$(rpm -qlp "$rpm")
for path in /usr/bin/unslouch /usr/bin/unslouch-window \
    /usr/share/applications/app.unslouch.Unslouch.desktop \
    /usr/share/metainfo/app.unslouch.Unslouch.metainfo.xml \
    /usr/share/zsh/site-functions/_unslouch /usr/share/licenses/unslouch/LICENSE-MIT; do
    check "the .rpm holds $path" grep -qxF "$path" <<<"$rpm_listing"
done
requires=$(rpm -qRp "$rpm")
check "the .rpm requires WebKitGTK 4.1" grep -q 'libwebkit2gtk-4.1.so.0()(64bit)' <<<"$requires"

echo "== installed and removed by rpm in a throw-away root"
# The database in the root's /var/lib/rpm (Debian's rpm would put it under $HOME).
rpm_quiet() { rpm --root "$rpm_root" --dbpath /var/lib/rpm "$@" 2> >(grep -v 'use Alien\|assuming you know' >&2); }
rpm_quiet --initdb
check "rpm installs the .rpm" rpm_quiet --install --nodeps "$rpm"
check "the installed unslouch runs" "$rpm_root/usr/bin/unslouch" --version
check "rpm removes the package" rpm_quiet --erase unslouch
# Folders every system has (owned there by the filesystem and icon theme packages) stay; none
# named after us, and nothing that is not a folder.
left=$(cd "$rpm_root" && find . -mindepth 1 \( ! -type d -o -name '*unslouch*' \) \
    -not -path './var/lib/rpm*')
echo "${left:-(nothing left)}"
check "nothing of the package is left" test -z "$left"
exit $fail
