//! One window at a time. The open window holds an exclusive lock on
//! [`Paths::window_lock`](crate::Paths::window_lock) for as long as its process lives (the
//! kernel drops it when the process ends, however it ends). A second `unslouch-window` finds
//! the lock taken and asks the open one to show its view instead; the daemon checks the same
//! lock before starting a window, so a window opened from the application menu or by a test
//! is reused rather than doubled.

use std::fs::{self, File, TryLockError};
use std::io;
use std::path::Path;

/// The held lock; dropping it (or ending the process) lets another window open.
#[derive(Debug)]
pub struct WindowLock {
    _file: File,
}

/// Take the lock, or `None` when an open window holds it.
pub fn claim(path: &Path) -> io::Result<Option<WindowLock>> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let file = File::options().create(true).truncate(false).write(true).open(path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(WindowLock { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// Whether a window holds the lock now.
pub fn held(path: &Path) -> bool {
    let Ok(file) = File::options().write(true).open(path) else { return false };
    matches!(file.try_lock(), Err(TryLockError::WouldBlock))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_free_once_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run/window.lock");
        assert!(!held(&path), "no file, no window");
        let first = claim(&path).unwrap().expect("the first window gets the lock");
        assert!(held(&path));
        assert!(claim(&path).unwrap().is_none(), "a second window does not");
        drop(first);
        assert!(!held(&path));
        assert!(claim(&path).unwrap().is_some());
    }
}
