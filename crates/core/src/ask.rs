//! What a person can ask of the scheduler (start a break, snooze, skip, pause...), and why it
//! may say no. Each ask is answered: carried out, or refused with a [`Refusal`].

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::break_run::BreakControl;
use crate::history::Feel;
use crate::routines::{Catalog, MoveId};
use crate::settings::Settings;

/// The most moves one request may name (a break of chosen moves, feedback on a routine).
pub const MAX_MOVES: usize = 12;

/// A request from the person (through the tray, the reminder, the window or the CLI).
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    /// Start a break now: the planned routine, or one of just these moves.
    StartBreak { moves: Option<Vec<MoveId>> },
    /// Start a full session now (warm-up, strength in sets, stretches).
    StartSession,
    /// Postpone the due reminder.
    Snooze,
    /// Skip the due (or coming) break: the count starts again.
    Skip,
    /// Pause reminders.
    Pause(PauseFor),
    /// End a pause.
    Resume,
    /// Control the running break.
    Break(BreakControl),
    /// How the last routine felt.
    Feedback { feel: Feel, moves: Vec<MoveId> },
    /// Take back into routines moves left out because they hurt.
    BringBack { moves: Vec<MoveId> },
    /// New settings (already validated).
    Settings(Box<Settings>),
}

/// How long to pause.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "for", rename_all = "snake_case")]
pub enum PauseFor {
    Minutes {
        minutes: u32,
    },
    Until {
        until: Timestamp,
    },
    /// Until the next day begins, or its first work hour when work hours are on.
    Tomorrow,
}

/// Why a request was turned down.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    #[error("no reminder is due, so there is nothing to snooze or skip")]
    NotDue,
    #[error("snoozed {limit} times in a row already: start the break or skip it")]
    SnoozeLimit { limit: u32 },
    #[error("reminders are not paused")]
    NotPaused,
    #[error("a break is running: end it first")]
    InBreak,
    #[error("no break is running")]
    NoBreak,
    #[error("that time has already passed")]
    InThePast,
    #[error("there is no move called `{id}`")]
    UnknownMove { id: String },
    #[error("`{id}` hurt, so it is left out: bring it back in the library first")]
    Hurt { id: String },
    #[error("`{id}` is not left out")]
    NotLeftOut { id: String },
    #[error("no desk move fits the current settings")]
    NoMoves,
    #[error("at most {max} moves at a time")]
    TooManyMoves { max: usize },
}

/// Moves named in a request must exist, and be few.
pub(crate) fn check_moves(catalog: &Catalog, ids: &[MoveId]) -> Result<(), Refusal> {
    if ids.len() > MAX_MOVES {
        return Err(Refusal::TooManyMoves { max: MAX_MOVES });
    }
    match ids.iter().find(|id| catalog.get(id).is_none()) {
        Some(id) => Err(Refusal::UnknownMove { id: id.clone() }),
        None => Ok(()),
    }
}
