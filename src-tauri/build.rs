//! The window's build step: the front end first, then Tauri's own.
//!
//! `tauri::generate_context!` embeds the built page, `ui/dist` (`frontendDist` in
//! `tauri.conf.json`), so the page must exist before this crate compiles: a fresh clone builds
//! with a plain `cargo build --workspace`. When `ui/dist` is missing or older than what it is
//! built from, this runs `npm ci` in `ui/` (only when `ui/node_modules` is missing) and then
//! `npm run build`. With `UNSLOUCH_SKIP_UI_BUILD=1` it leaves the front end alone (whoever sets
//! it builds the page themselves).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// What the page is built from, in `ui/`: a change to any of these builds it again.
const SOURCES: &[&str] = &[
    "src",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "svelte.config.js",
    "tsconfig.json",
];

const SKIP: &str = "UNSLOUCH_SKIP_UI_BUILD";

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let ui = manifest.parent().expect("src-tauri is in the workspace").join("ui");
    front_end(&ui);

    // Our own commands get permissions (`allow-send`, `allow-catalog`); the capability in
    // `capabilities/main.json` grants them to our one window and nothing else.
    let manifest = tauri_build::AppManifest::new().commands(&["send", "catalog"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build step");
}

/// Build `ui/dist` when it is missing or stale.
fn front_end(ui: &Path) {
    println!("cargo:rerun-if-env-changed={SKIP}");
    for source in SOURCES {
        println!("cargo:rerun-if-changed={}", ui.join(source).display());
    }
    // Deleting the built page builds it again.
    let dist = ui.join("dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    if std::env::var_os(SKIP).is_some_and(|v| !v.is_empty() && v != "0") {
        return;
    }

    // Two builds of this crate at once (a check and a build) must not write `ui/dist` together.
    let lock = File::open(ui.join("package.json")).expect("ui/package.json");
    lock.lock().expect("a lock on ui/package.json");
    let newest_source = SOURCES.iter().filter_map(|s| newest(&ui.join(s))).max();
    let built = std::fs::metadata(dist.join("index.html")).and_then(|m| m.modified()).ok();
    if built.is_some() && built >= newest_source {
        return;
    }

    if !ui.join("node_modules").is_dir() {
        npm(ui, &["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
    }
    npm(ui, &["run", "build"]);

    // Date the built page as its newest source, not now: cargo re-runs a build script when a
    // path it watches is newer than the script's start, and `ui/dist` is written during it.
    if let Some(when) = newest_source {
        set_modified(&dist, when);
    }
}

/// Run `npm <args>` in `ui`; its output goes to stderr (stdout is cargo's, for instructions).
fn npm(ui: &Path, args: &[&str]) {
    let shown = format!("npm {}", args.join(" "));
    let status = Command::new("npm")
        .args(args)
        .current_dir(ui)
        .stdout(std::io::stderr())
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "building the window's front end runs `{shown}` in ui/, and npm could not be \
                 started ({e}). Install Node.js 20.19+ with npm (scripts/setup.sh does), or build \
                 it yourself (`cd ui && npm ci && npm run build`) and set {SKIP}=1."
            )
        });
    assert!(
        status.success(),
        "`{shown}` in ui/ failed ({status}); its output is above. The window embeds ui/dist, \
         so it cannot be built without it."
    );
}

/// The newest modification time of a file, or of anything in a folder.
fn newest(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    let own = meta.modified().ok();
    if !meta.is_dir() {
        return own;
    }
    let entries = std::fs::read_dir(path).ok()?;
    entries.flatten().filter_map(|e| newest(&e.path())).chain(own).max()
}

/// Set the modification time of a file, or of a folder and everything in it.
fn set_modified(path: &Path, when: SystemTime) {
    if path.is_dir()
        && let Ok(entries) = std::fs::read_dir(path)
    {
        for entry in entries.flatten() {
            set_modified(&entry.path(), when);
        }
    }
    if let Ok(file) = File::open(path) {
        let _ = file.set_modified(when);
    }
}
