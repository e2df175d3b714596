//! # unslouch-core
//!
//! The pure domain of Unslouch, a posture-break app: it decides when a break is due, what
//! counts as being away, which one-minute routine to suggest, and how the history adds up.
//!
//! It reads no clock, touches no file and knows nothing of Tauri or an async runtime: callers
//! hand it the time ([`time::Now`]) and carry out the [`schedule::Effect`]s it returns. Tests
//! drive weeks of simulated desk time through it in milliseconds.
//!
//! ## Layout
//! - [`time`]: `Now { mono, wall }`, one reading of both clocks.
//! - [`desk`]: desk-time accounting: active spans, idle spells, absences, natural breaks.
//! - [`schedule`]: the reminder machine, `Scheduler::observe(now, input) -> Vec<Effect>` and
//!   `Scheduler::ask(now, ask) -> (Vec<Effect>, Result<(), Refusal>)`.
//! - [`ask`]: what a person can ask of it, and why it may refuse.
//! - [`break_run`]: a running break's timeline.
//! - [`snapshot`]: what the tray, the window and the CLI are shown, the status line included.
//! - [`routines`]: the exercise catalog (compiled-in data) and the routine planner.
//! - [`settings`]: the settings, their defaults, validation and migration.
//! - [`hold`]: what holds a due reminder back (a meeting, fullscreen, Do Not Disturb).
//! - [`history`]: history events and the per-day sums, streaks and coverage built from them.

pub mod ask;
pub mod break_run;
pub mod desk;
pub mod history;
pub mod hold;
pub mod routines;
pub mod schedule;
pub mod settings;
pub mod snapshot;
pub mod time;

pub use ask::{Ask, Refusal};
pub use schedule::{Effect, Input, Scheduler, State};
pub use settings::Settings;
pub use snapshot::{Snapshot, Status};
pub use time::{Mono, Now};
