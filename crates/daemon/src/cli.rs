//! The command line's definition: clap only, so that `xtask` can read it too (the man page and
//! the shell completions are generated from it).

use clap::{Parser, Subcommand, ValueEnum};

/// Posture breaks for your upper back.
///
/// Unslouch counts your desk time and, when a break is due, suggests a one-minute routine.
/// Run with no command to start it (or, when it runs, to open its settings).
#[derive(Debug, Parser)]
#[command(name = "unslouch", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Start a break now (starting Unslouch if it is not running).
    Break,
    /// Start a full session now: a warm-up, strength moves in sets, stretches (about 15 to 25
    /// minutes).
    Session,
    /// Pause reminders.
    Pause {
        /// How long.
        #[arg(value_enum, default_value = "30m")]
        length: PauseLength,
    },
    /// End a pause.
    Resume,
    /// Skip the due (or coming) break: the count starts again.
    Skip,
    /// Open the settings (starting Unslouch if it is not running).
    Settings,
    /// Open the history (starting Unslouch if it is not running).
    History,
    /// Stop Unslouch.
    Quit,
    /// Start Unslouch again from its program as installed now (after an upgrade), keeping its
    /// state; refused during a break.
    Restart,
    /// Print Unslouch's state (exit status 3 when it is not running).
    Status {
        /// As JSON, for status bars and scripts.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PauseLength {
    #[value(name = "30m")]
    HalfHour,
    #[value(name = "1h")]
    Hour,
    #[value(name = "2h")]
    TwoHours,
    Tomorrow,
}
