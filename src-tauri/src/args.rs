//! The window's command line: clap only, so that `xtask` can read it too (the man page).

use clap::Parser;

/// The Unslouch window: a guided posture break, settings, history and the exercise library.
#[derive(Debug, Parser)]
#[command(name = "unslouch-window", version)]
pub struct Args {
    /// The view to open.
    #[arg(value_parser = ["break", "settings", "history", "exercises"], default_value = "break")]
    pub view: String,
}
