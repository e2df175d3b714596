//! The log: `tracing` to `<state>/unslouch/unslouch.log` (rotated at 1 MiB, two old files
//! kept, so it never grows past 3 MiB) and to stderr. The level comes from `RUST_LOG`
//! (default `info`): a level, targets with levels, or both (`unslouch=debug,info`); a value
//! that does not parse is said on stderr and `info` is used. The log says when the person was at their desk: its folder is 0700 and
//! its files 0600.

use std::path::Path;
use std::sync::Mutex;

use file_rotate::compression::Compression;
use file_rotate::suffix::AppendCount;
use file_rotate::{ContentLimit, FileRotate};
use tracing_subscriber::filter::Targets;
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

#[cfg(test)]
mod tests {
    use tracing::Level;

    use super::filter;

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
