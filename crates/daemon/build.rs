//! The tray icons (`icons/tray-*.png`, drawn from their SVGs) decoded here, at build time, into
//! the ARGB32 pixmaps the StatusNotifierItem protocol carries: the daemon includes them as they
//! are sent, with no PNG decoder in it and nothing to decode as it starts.
//!
//! And, when asked (`UNSLOUCH_PACK_RELOCATIONS=1`), the program's relative relocations packed
//! (`DT_RELR`): a table of bitmaps instead of 24 bytes per pointer to fix up as it starts,
//! about 180 KiB less of the file to read and keep in memory. The program then needs glibc 2.36
//! or later (Debian 12, Ubuntu 22.10, Fedora 37), so it is for builds made for those only: the
//! packages, built on Debian 12, would otherwise no longer run on Ubuntu 22.04.
//!
//! And, when asked (`UNSLOUCH_NO_UNWIND_TABLES=1`), the release program linked without unwind
//! tables (below).
//!
//! And, when asked (`UNSLOUCH_ORDER_FUNCTIONS=1`), the functions that run while the daemon is at
//! rest laid out first and together (`hot-functions.txt`, below).

use std::path::Path;

const ICONS: [&str; 4] = ["tray-counting", "tray-due", "tray-paused", "tray-unavailable"];

fn main() {
    pack_relative_relocations();
    without_unwind_tables();
    hot_functions_first();
    link_map();
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let icons = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../icons");
    for name in ICONS {
        let source = icons.join(format!("{name}.png"));
        println!("cargo::rerun-if-changed={}", source.display());
        let file =
            std::fs::File::open(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let mut reader = png::Decoder::new(std::io::BufReader::new(file))
            .read_info()
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let mut rgba = vec![0; reader.output_buffer_size().expect("a small image")];
        let info = reader.next_frame(&mut rgba).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            info.color_type == png::ColorType::Rgba && info.bit_depth == png::BitDepth::Eight,
            "{name}: expected 8-bit RGBA, got {:?} {:?}",
            info.color_type,
            info.bit_depth
        );
        assert_eq!((info.width, info.height), (64, 64), "{name}: the tray icons are 64×64");
        let argb: Vec<u8> = rgba[..info.buffer_size()]
            .chunks_exact(4)
            .flat_map(|p| [p[3], p[0], p[1], p[2]])
            .collect();
        std::fs::write(Path::new(&out).join(format!("{name}.argb")), argb).unwrap();
    }
}

/// The glibc of the build machine (`getconf GNU_LIBC_VERSION`: "glibc 2.36"), as (major, minor).
fn glibc() -> Option<(u32, u32)> {
    let out = std::process::Command::new("getconf").arg("GNU_LIBC_VERSION").output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let (major, minor) = text.trim().strip_prefix("glibc ")?.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Link with `-z pack-relative-relocs` when `UNSLOUCH_PACK_RELOCATIONS=1`, for Linux with a
/// glibc of 2.36 or later here (an older one cannot run the result, so the switch is ignored
/// there). The program then asks for `GLIBC_ABI_DT_RELR`.
fn pack_relative_relocations() {
    println!("cargo::rerun-if-env-changed=UNSLOUCH_PACK_RELOCATIONS");
    if std::env::var("UNSLOUCH_PACK_RELOCATIONS").as_deref() != Ok("1") {
        return;
    }
    let target_linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    let host_is_target = std::env::var("HOST").ok() == std::env::var("TARGET").ok();
    if target_linux && host_is_target && glibc().is_some_and(|v| v >= (2, 36)) {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// When asked (`UNSLOUCH_NO_UNWIND_TABLES=1`, which the scripts that build the release set),
/// the release build is linked without unwind tables. It aborts on a panic, so nothing in the
/// daemon unwinds: a panic prints its message and ends the process, and no C++ or thread
/// cancellation runs in it. The tables (`.eh_frame` and its index, about 600 KiB, an eighth of
/// the program) would then serve only a backtrace of a stripped program, which names no
/// function. The standard library brings them back to every function whatever
/// `-C force-unwind-tables` says, so they are left out at link time (`no-unwind-tables.ld`,
/// a script that GNU ld and LLD, the toolchain's linker, take; mold takes none).
///
/// Asked, not always: `cargo test --release` builds the daemon's unit tests with the release
/// profile too, but unwinding (a failed test is reported, `catch_unwind` works), and cargo
/// gives the bins' link arguments to their tests as well; a build script cannot tell the two
/// apart (`PROFILE` is "release" for both, and `CARGO_CFG_PANIC` is the target's default).
fn without_unwind_tables() {
    println!("cargo::rerun-if-env-changed=UNSLOUCH_NO_UNWIND_TABLES");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-unwind-tables.ld");
    println!("cargo::rerun-if-changed={}", script.display());
    let asked = std::env::var("UNSLOUCH_NO_UNWIND_TABLES").as_deref() == Ok("1");
    let release = std::env::var("PROFILE").is_ok_and(|profile| profile == "release");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if asked && release && linux {
        println!("cargo::rustc-link-arg-bins=-Wl,-T,{}", script.display());
    }
}

/// When asked (`UNSLOUCH_ORDER_FUNCTIONS=1`; not yet set by the scripts that build the release,
/// and `hot-functions.txt` not yet written: see `scripts/hot-functions.sh`), the release
/// program is linked with the functions of `hot-functions.txt` first, in its order: those that
/// ran while the daemon was at rest, locked and away, then those a break, the settings and the
/// history added (`scripts/hot-functions.sh` watches them run and writes the file).
///
/// The kernel maps a program's pages 64 KiB at a time around each page it touches, and at start
/// the daemon touches its code all over: laid out in the compiler's order, the whole `.text` was
/// resident though three fifths of it never ran (1.3 of 3.2 MiB ran at rest, counted
/// by `scripts/hot-functions.sh`). Together, what runs should fill a run of pages of
/// its own and leave the rest on disk: not measured yet (the first list had demangled names,
/// which the linker does not match).
///
/// The names are the linker's, with the hash of their crate's build in them: a change of the
/// toolchain or of a dependency's version renames them, and a name not found is passed over
/// (the layout is then partly the compiler's again).
///
/// LLD (the toolchain's linker for Linux on x86-64) takes the file; GNU ld does not, hence asked.
fn hot_functions_first() {
    println!("cargo::rerun-if-env-changed=UNSLOUCH_ORDER_FUNCTIONS");
    let asked = std::env::var("UNSLOUCH_ORDER_FUNCTIONS").as_deref() == Ok("1");
    let release = std::env::var("PROFILE").is_ok_and(|profile| profile == "release");
    if asked && release {
        let order = Path::new(env!("CARGO_MANIFEST_DIR")).join("hot-functions.txt");
        println!("cargo::rerun-if-changed={}", order.display());
        println!("cargo::rustc-link-arg-bins=-Wl,--symbol-ordering-file={}", order.display());
        println!("cargo::rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// When asked (`UNSLOUCH_LINK_MAP=FILE`), the linker's map of the program written to FILE: where
/// each function went, by the name the linker knows it by (`scripts/hot-functions.sh`). The
/// program itself is the same byte for byte.
fn link_map() {
    println!("cargo::rerun-if-env-changed=UNSLOUCH_LINK_MAP");
    if let Some(map) = std::env::var_os("UNSLOUCH_LINK_MAP").filter(|m| !m.is_empty()) {
        println!("cargo::rustc-link-arg-bins=-Wl,-Map={}", Path::new(&map).display());
        // The names as the ordering file must give them: LLD's map demangles by default.
        println!("cargo::rustc-link-arg-bins=-Wl,--no-demangle");
    }
}
