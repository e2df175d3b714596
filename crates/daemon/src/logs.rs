//! The log: `tracing` to `<state>/unslouch/unslouch.log` (rotated at 1 MiB, two old files
//! kept, so it never grows past 3 MiB) and to stderr. The level comes from `RUST_LOG`
//! (default `info`). The log says when the person was at their desk: its folder is 0700 and
//! its files 0600.

use std::path::Path;
use std::sync::Mutex;

use file_rotate::compression::Compression;
use file_rotate::suffix::AppendCount;
use file_rotate::{ContentLimit, FileRotate};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Size at which the log is rotated.
const LOG_BYTES: usize = 1 << 20;

/// How the log files are opened (file-rotate asks for read, create and append): only the user
/// can read them.
#[cfg(unix)]
fn private_file() -> std::fs::OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.read(true).create(true).append(true).mode(0o600);
    options
}

/// Start logging. A log file that cannot be opened is reported on stderr, and logs go there only.
pub fn init(dir: &Path) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let file = match crate::private_dir(dir) {
        Ok(()) => {
            let rotate = FileRotate::new(
                dir.join("unslouch.log"),
                AppendCount::new(2),
                ContentLimit::BytesSurpassed(LOG_BYTES),
                Compression::None,
                #[cfg(unix)]
                Some(private_file()),
            );
            Some(tracing_subscriber::fmt::layer().with_ansi(false).with_writer(Mutex::new(rotate)))
        }
        Err(e) => {
            eprintln!("unslouch: cannot write logs in {}: {e}", dir.display());
            None
        }
    };
    tracing_subscriber::registry().with(filter).with(stderr).with(file).init();
}
