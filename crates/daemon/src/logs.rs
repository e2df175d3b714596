//! The log: `tracing` to `<state>/unslouch/unslouch.log` (rotated past 1 MiB, two old files
//! kept, so it never grows much past 3 MiB) and to stderr. The level comes from `RUST_LOG`
//! (default `info`): a level, targets with levels, or both (`unslouch=debug,info`); a value
//! that does not parse is said on stderr and `info` is used. The log says when the person was
//! at their desk: its folder is 0700 and its files 0600.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Size past which the log is rotated.
const LOG_BYTES: u64 = 1 << 20;

/// Old logs kept beside the current one: `unslouch.log.1` (the newer) and `unslouch.log.2`.
const OLD_LOGS: u32 = 2;

/// A log file rotated by size. When a write would take it past its limit, `<name>.1` becomes
/// `<name>.2` (the old `.2` goes), the file becomes `<name>.1`, and a new file is begun. A
/// record is never split: one longer than the limit is still written whole, to a file of its
/// own. The size is the file's own, read at each write, and a log that someone removed or moved
/// away is begun again at its place, so that nothing is written where no one will look.
struct Rotating {
    path: PathBuf,
    limit: u64,
    /// The file at `path` when it was last written (`None` after a failed open).
    file: Option<File>,
    /// Whether the last rotation failed (said once on stderr; the log then grows until one
    /// works).
    failing: bool,
}

impl Rotating {
    /// Append to the log at `path` (created if it is not there).
    fn open(path: PathBuf, limit: u64) -> io::Result<Self> {
        let file = append(&path)?;
        Ok(Rotating { path, limit, file: Some(file), failing: false })
    }

    /// The file now at `path` and its size, opened again when it is not the one held.
    fn current(&mut self) -> io::Result<(File, u64)> {
        use std::os::unix::fs::MetadataExt;
        if let Some(file) = self.file.take()
            && let (Ok(held), Ok(there)) = (file.metadata(), std::fs::metadata(&self.path))
            && held.dev() == there.dev()
            && held.ino() == there.ino()
        {
            return Ok((file, held.len()));
        }
        let file = append(&self.path)?;
        let len = file.metadata()?.len();
        Ok((file, len))
    }

    fn old(&self, n: u32) -> PathBuf {
        let mut name = self.path.clone().into_os_string();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn rotate(&self) -> io::Result<()> {
        for n in (1..OLD_LOGS).rev() {
            rename_if_there(&self.old(n), &self.old(n + 1))?;
        }
        rename_if_there(&self.path, &self.old(1))
    }

    /// Rotate: `true` when it worked; a failure is said on stderr the first time.
    fn rotated(&mut self) -> bool {
        match self.rotate() {
            Ok(()) => self.failing = false,
            Err(e) => {
                if !self.failing {
                    eprintln!("unslouch: cannot rotate the log: {e}; it grows meanwhile");
                }
                self.failing = true;
            }
        }
        !self.failing
    }
}

/// Only the user can read the log: it says when they were at their desk.
fn append(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    File::options().create(true).append(true).mode(0o600).open(path)
}

fn rename_if_there(from: &Path, to: &Path) -> io::Result<()> {
    match std::fs::rename(from, to) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

impl Write for Rotating {
    /// Writes the whole of `buf` (tracing hands over one record at a time), so that a record
    /// never straddles a rotation.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let (mut file, len) = self.current()?;
        if len > 0 && len + buf.len() as u64 > self.limit && self.rotated() {
            file = append(&self.path)?;
        }
        let written = file.write_all(buf);
        self.file = Some(file);
        written.map(|()| buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

/// What `RUST_LOG` (when set) says to log; `info` and above from everything otherwise.
fn filter(rust_log: Option<&str>) -> Targets {
    let default = Targets::new().with_default(tracing::Level::INFO);
    match rust_log.map(str::parse::<Targets>) {
        None => default,
        Some(Ok(targets)) => targets,
        Some(Err(e)) => {
            eprintln!("unslouch: RUST_LOG: {e}; logging at the info level");
            default
        }
    }
}

/// Start logging. A log file that cannot be opened is reported on stderr, and logs go there only.
pub fn init(dir: &Path) {
    let filter = filter(std::env::var("RUST_LOG").ok().as_deref());
    let stderr = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let path = dir.join("unslouch.log");
    let file = match crate::private_dir(dir).and_then(|()| Rotating::open(path, LOG_BYTES)) {
        Ok(log) => {
            Some(tracing_subscriber::fmt::layer().with_ansi(false).with_writer(Mutex::new(log)))
        }
        Err(e) => {
            eprintln!("unslouch: cannot write logs in {}: {e}", dir.display());
            None
        }
    };
    tracing_subscriber::registry().with(filter).with(stderr).with(file).init();
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    use tracing::Level;

    use super::{Rotating, filter};

    fn read(path: &std::path::Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }

    #[test]
    fn the_log_rotates_past_its_limit_and_keeps_two_old_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unslouch.log");
        let mut log = Rotating::open(path.clone(), 10).unwrap();
        for line in ["one\n", "two\n", "three\n", "four\n", "five\n", "six\n"] {
            log.write_all(line.as_bytes()).unwrap();
        }
        assert_eq!(read(&path).as_deref(), Some("six\n"));
        assert_eq!(read(&dir.path().join("unslouch.log.1")).as_deref(), Some("four\nfive\n"));
        assert_eq!(read(&dir.path().join("unslouch.log.2")).as_deref(), Some("three\n"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3, "no third old file");
        for name in ["unslouch.log", "unslouch.log.1", "unslouch.log.2"] {
            let mode = std::fs::metadata(dir.path().join(name)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{name} is the user's alone");
        }
    }

    #[test]
    fn a_restarted_log_counts_what_is_there_and_a_long_record_stays_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unslouch.log");
        std::fs::write(&path, "earlier\n").unwrap();
        let mut log = Rotating::open(path.clone(), 10).unwrap();
        log.write_all(b"later\n").unwrap();
        assert_eq!(read(&path).as_deref(), Some("later\n"), "8 + 6 bytes is past 10");
        assert_eq!(read(&dir.path().join("unslouch.log.1")).as_deref(), Some("earlier\n"));
        log.write_all(b"a record of twenty b\n").unwrap();
        assert_eq!(read(&path).as_deref(), Some("a record of twenty b\n"));
        log.write_all(b"next\n").unwrap();
        assert_eq!(read(&path).as_deref(), Some("next\n"));
        assert_eq!(read(&dir.path().join("unslouch.log.2")).as_deref(), Some("later\n"));
    }

    #[test]
    fn a_long_first_record_begins_no_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unslouch.log");
        std::fs::write(dir.path().join("unslouch.log.1"), "kept\n").unwrap();
        let mut log = Rotating::open(path.clone(), 10).unwrap();
        log.write_all(b"a record of twenty b\n").unwrap();
        assert_eq!(read(&path).as_deref(), Some("a record of twenty b\n"));
        assert_eq!(read(&dir.path().join("unslouch.log.1")).as_deref(), Some("kept\n"));
        assert_eq!(read(&dir.path().join("unslouch.log.2")), None);
    }

    #[test]
    fn a_failed_rotation_loses_nothing_and_is_tried_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unslouch.log");
        let mut log = Rotating::open(path.clone(), 10).unwrap();
        log.write_all(b"0123456789").unwrap();
        // A folder where `.2` goes: the rotation cannot move `.1` there.
        std::fs::write(dir.path().join("unslouch.log.1"), "older\n").unwrap();
        std::fs::create_dir_all(dir.path().join("unslouch.log.2/x")).unwrap();
        log.write_all(b"more\n").unwrap();
        assert_eq!(read(&path).as_deref(), Some("0123456789more\n"), "the log grows meanwhile");
        std::fs::remove_dir_all(dir.path().join("unslouch.log.2")).unwrap();
        log.write_all(b"again\n").unwrap();
        assert_eq!(read(&path).as_deref(), Some("again\n"));
        assert_eq!(read(&dir.path().join("unslouch.log.1")).as_deref(), Some("0123456789more\n"));
        assert_eq!(read(&dir.path().join("unslouch.log.2")).as_deref(), Some("older\n"));
    }

    #[test]
    fn a_log_removed_moved_or_emptied_meanwhile_is_written_where_it_belongs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unslouch.log");
        let mut log = Rotating::open(path.clone(), 10).unwrap();
        log.write_all(b"first\n").unwrap();
        std::fs::remove_file(&path).unwrap();
        log.write_all(b"second\n").unwrap();
        assert_eq!(read(&path).as_deref(), Some("second\n"), "begun again after removal");
        std::fs::rename(&path, dir.path().join("moved.log")).unwrap();
        log.write_all(b"third\n").unwrap();
        assert_eq!(read(&path).as_deref(), Some("third\n"), "begun again after a move");
        assert_eq!(read(&dir.path().join("moved.log")).as_deref(), Some("second\n"));
        // Emptied in place (as `logrotate`'s copytruncate does): its size is read again.
        std::fs::OpenOptions::new().write(true).truncate(true).open(&path).unwrap();
        log.write_all(b"fourth\n").unwrap();
        assert_eq!(read(&path).as_deref(), Some("fourth\n"));
        assert_eq!(read(&dir.path().join("unslouch.log.1")), None, "nothing rotated");
    }

    #[test]
    fn rust_log_names_levels_per_target_and_a_default() {
        let f = filter(Some("unslouch=debug,info"));
        assert!(f.would_enable("unslouch::driver", &Level::DEBUG));
        assert!(!f.would_enable("unslouch::driver", &Level::TRACE));
        assert!(!f.would_enable("zbus::connection", &Level::DEBUG));
        assert!(f.would_enable("zbus::connection", &Level::INFO));
        let off = filter(Some("warn"));
        assert!(!off.would_enable("unslouch", &Level::INFO));
        for unset_or_bad in [None, Some("unslouch=loud")] {
            let f = filter(unset_or_bad);
            assert!(f.would_enable("unslouch", &Level::INFO), "{unset_or_bad:?}");
            assert!(!f.would_enable("unslouch", &Level::DEBUG), "{unset_or_bad:?}");
        }
    }
}
