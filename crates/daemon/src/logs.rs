//! The log: `tracing` to `<state>/unslouch/unslouch.log` (rotated at 1 MiB, two old files
//! kept, so it never grows past 3 MiB) and to stderr. The level comes from `RUST_LOG`
//! (default `info`).

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

/// Start logging. A log file that cannot be opened is reported on stderr, and logs go there only.
pub fn init(dir: &Path) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let file = match std::fs::create_dir_all(dir) {
        Ok(()) => {
            let rotate = FileRotate::new(
                dir.join("unslouch.log"),
                AppendCount::new(2),
                ContentLimit::BytesSurpassed(LOG_BYTES),
                Compression::None,
                #[cfg(unix)]
                None,
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
