#!/usr/bin/env bash
# Build the .deb and the .rpm of Unslouch, offline, from this checkout:
#
#   scripts/package.sh            release build, then target/packages/unslouch_<v>_<arch>.deb
#                                 and target/packages/unslouch-<v>-1.<arch>.rpm
#   scripts/package.sh --no-build package the release programs already in target/release
#                                 (as they are: after a release end-to-end run they carry the
#                                 test clock, so build first)
#
# Both packages hold the same tree, staged once: the two programs in /usr/bin, the app-menu
# entry, the AppStream metadata, the app icon at every hicolor size and as SVG, the man pages,
# the bash, zsh and fish completions, and the licence. The .deb is made by dpkg-deb (its
# Depends computed by dpkg-shlibdeps from the programs' libraries); the .rpm by rpmbuild (its
# Requires listed from the window's direct libraries: on another distribution the Debian
# versions mean nothing). Needs: dpkg-dev, rpm, librsvg2-bin (scripts/setup.sh --package).
# AppImage and Flatpak tooling cannot be fetched from the package registries, so neither is made.
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The release daemon as shipped: without unwind tables (crates/daemon/build.rs).
export UNSLOUCH_NO_UNWIND_TABLES=1

build=true
[[ "${1:-}" == "--no-build" ]] && build=false

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
rpm_arch=$(uname -m)
out=target/packages
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

if $build; then
    # A plain release build: never the test clock an end-to-end run may have left there.
    cargo build --release --locked -p unslouch -p unslouch-window
fi
for program in unslouch unslouch-window; do
    [[ -x target/release/$program ]] || { echo "package.sh: target/release/$program is missing" >&2; exit 1; }
done
cargo run --locked -q -p unslouch-xtask -- assets "$work/assets" >/dev/null

# stage DEST FLAVOUR: the installed tree under DEST (FLAVOUR: deb or rpm, for the few places
# where the two distributions differ).
stage() {
    local dest=$1 flavour=$2
    install -Dm755 target/release/unslouch "$dest/usr/bin/unslouch"
    install -Dm755 target/release/unslouch-window "$dest/usr/bin/unslouch-window"
    install -Dm644 packaging/app.unslouch.Unslouch.desktop \
        "$dest/usr/share/applications/app.unslouch.Unslouch.desktop"
    install -Dm644 packaging/app.unslouch.Unslouch.metainfo.xml \
        "$dest/usr/share/metainfo/app.unslouch.Unslouch.metainfo.xml"
    scripts/icons.sh --hicolor "$dest/usr/share/icons/hicolor" >/dev/null
    local page
    for page in "$work"/assets/man/*.1; do
        install -Dm644 "$page" "$dest/usr/share/man/man1/${page##*/}"
        gzip -9n "$dest/usr/share/man/man1/${page##*/}"
    done
    install -Dm644 "$work/assets/completions/unslouch.bash" \
        "$dest/usr/share/bash-completion/completions/unslouch"
    install -Dm644 "$work/assets/completions/unslouch.fish" \
        "$dest/usr/share/fish/vendor_completions.d/unslouch.fish"
    if [[ $flavour == deb ]]; then
        install -Dm644 "$work/assets/completions/_unslouch" \
            "$dest/usr/share/zsh/vendor-completions/_unslouch"
        install -Dm644 packaging/debian/copyright "$dest/usr/share/doc/unslouch/copyright"
        install -Dm644 packaging/debian/changelog "$dest/usr/share/doc/unslouch/changelog"
        gzip -9n "$dest/usr/share/doc/unslouch/changelog"
    else
        install -Dm644 "$work/assets/completions/_unslouch" \
            "$dest/usr/share/zsh/site-functions/_unslouch"
        install -Dm644 LICENSE-MIT "$dest/usr/share/licenses/unslouch/LICENSE-MIT"
        install -Dm644 LICENSE-APACHE "$dest/usr/share/licenses/unslouch/LICENSE-APACHE"
    fi
    find "$dest" -type d -exec chmod 755 {} +
}

summary="posture break reminder with guided exercises for the upper back"
read -r -d '' description <<'EOF' || true
Unslouch sits in the system tray and counts the time you actually spend at
the desk. When a break is due it sends a notification suggesting a
one-minute routine for the neck and upper back (chin tucks, scapular
squeezes, band pull-aparts, wall angels...), and clicking it opens a small
window that guides each move with a timer. It holds reminders during calls,
fullscreen films and Do Not Disturb, and keeps a history of breaks.
EOF

# ---- .deb ----
deb_root=$work/deb
stage "$deb_root" deb
mkdir -p "$work/shlibs/debian" "$deb_root/DEBIAN"
printf 'Source: unslouch\n\nPackage: unslouch\nArchitecture: any\n' > "$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O -xlibgcc-s1 \
    "$deb_root/usr/bin/unslouch" "$deb_root/usr/bin/unslouch-window" 2>/dev/null \
    | sed -n 's/^shlibs:Depends=//p')
installed_size=$(du -sk --exclude=DEBIAN "$deb_root" | cut -f1)
{
    echo "Package: unslouch"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: The Unslouch developers <unslouch@example.org>"
    echo "Installed-Size: $installed_size"
    echo "Depends: $depends"
    echo "Section: utils"
    echo "Priority: optional"
    echo "Homepage: https://example.invalid/unslouch"
    echo "Description: $summary"
    sed -e 's/^$/./' -e 's/^/ /' <<<"$description"
} > "$deb_root/DEBIAN/control"
(cd "$deb_root" && find usr -type f -exec md5sum {} + | sort -k2) > "$deb_root/DEBIAN/md5sums"
deb=$out/unslouch_${version}_${arch}.deb
dpkg-deb --build --root-owner-group -Zxz "$deb_root" "$deb" >/dev/null
echo "$deb"

# ---- .rpm ----
rpm_root=$work/rpm-stage
stage "$rpm_root" rpm
requires=$(readelf -d target/release/unslouch-window target/release/unslouch \
    | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u \
    | grep -vE '^(libc|libm|libgcc_s|ld-linux.*)\.so' \
    | sed 's/$/()(64bit)/' | paste -sd' ')
files=$(cd "$rpm_root" && find . -type f -o -type l | sed 's|^\.||' | sort)
cat > "$work/unslouch.spec" <<EOF
Name:           unslouch
Version:        $version
Release:        1
Summary:        Posture break reminder with guided exercises for the upper back
License:        MIT OR Apache-2.0
URL:            https://example.invalid/unslouch
Requires:       $requires
AutoReqProv:    no

%description
$description

%install
cp -a %{stage}/. %{buildroot}/

%files
%dir /usr/share/licenses/unslouch
$(sed 's|^/usr/share/licenses/unslouch/|%license /usr/share/licenses/unslouch/|' <<<"$files")
EOF
rpmbuild -bb --quiet \
    --define "_topdir $work/rpmbuild" \
    --define "stage $rpm_root" \
    --define "_build_id_links none" \
    --define "__os_install_post %{nil}" \
    --define "_binary_payload w19.zstdio" \
    --target "$rpm_arch" \
    "$work/unslouch.spec" >/dev/null
rpm=$out/unslouch-${version}-1.${rpm_arch}.rpm
cp "$work/rpmbuild/RPMS/$rpm_arch/unslouch-${version}-1.${rpm_arch}.rpm" "$rpm"
echo "$rpm"
