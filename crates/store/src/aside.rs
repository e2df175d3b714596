//! Names for files kept aside: `<name>.<label>-<time>`, and `-1`, `-2`... when that is taken.
//!
//! Both stores keep a file they cannot use instead of deleting it, under a name that says why
//! (`corrupt`, `edited`, `newer`) and when, so a person can find it and a later run never
//! overwrites an earlier copy. Moving or copying the file is left to each store.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

/// How many copies with the same label may pile up in one second before we give up.
const MAX_SAME_SECOND: u32 = 1000;

/// A name beside `path` for a copy labelled `label` at `now`, for which `taken` is false.
///
/// `taken` gets each candidate and says whether it (or a file that goes with it, such as a
/// SQLite `-wal`) already exists.
pub(crate) fn free_name(
    path: &Path,
    label: &str,
    now: Timestamp,
    taken: impl Fn(&Path) -> bool,
) -> io::Result<PathBuf> {
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    for n in 0..MAX_SAME_SECOND {
        let suffix = if n == 0 { String::new() } else { format!("-{n}") };
        let candidate = path.with_file_name(format!("{name}.{label}-{stamp}{suffix}"));
        if !taken(&candidate) {
            return Ok(candidate);
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("too many {label} copies")))
}

/// Whether anything (a file, a folder, even a dangling link) is at `path`.
pub(crate) fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Make the renames and creations in `dir` durable: without this a power cut can undo a rename
/// that already returned.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
