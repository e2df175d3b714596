//! What readers (the tray, the window, the CLI) are shown of the scheduler: the `status --json`
//! contract, the snapshot sent to the window, and the one-line status both the tray and the
//! page print.

use std::collections::BTreeMap;

use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};

use crate::break_run::BreakProgress;
use crate::history::Outcome;
use crate::hold::HoldReason;
use crate::routines::{MoveId, Routine};

/// The state names of the `status --json` contract.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateName {
    Working,
    Due,
    InBreak,
    Paused,
    OffHours,
    Away,
}

/// Which tray icon fits the state.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrayIcon {
    Counting,
    Due,
    Paused,
}

/// How long after a break ends the window asks how it felt.
pub const FEEDBACK_MINUTES: u32 = 10;

/// The last break that ended, for the "How did that feel?" question.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishedBreak {
    pub outcome: Outcome,
    pub moves: Vec<MoveId>,
    /// The level each of `moves` was done at (0-based, in the same order), so that the window
    /// can say what a "too easy" or "too hard" changes.
    pub levels: Vec<usize>,
    pub at: Timestamp,
}

/// The `status --json` contract.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub state: StateName,
    pub desk_seconds: u64,
    pub next_break_in_seconds: Option<u64>,
    pub paused_until: Option<Timestamp>,
    pub breaks_today: u32,
    /// Full sessions completed this week (from Monday).
    pub sessions_this_week: u32,
    /// What a due reminder is waiting for (it is not shown meanwhile); empty when nothing holds
    /// one.
    pub held_by: Vec<HoldReason>,
}

/// Everything a reader (tray, window, CLI) may show.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(flatten)]
    pub status: Status,
    /// One line on what comes next: "Next break in 12 min", "Paused until 14:30".
    pub status_line: String,
    /// Desk time today.
    pub desk_today_seconds: u64,
    pub tray: TrayIcon,
    /// Snoozes in a row so far, and whether another is allowed.
    pub snoozes: u32,
    pub can_snooze: bool,
    /// The routine of the due reminder or of the running break.
    pub routine: Option<Routine>,
    pub break_progress: Option<BreakProgress>,
    pub last_break: Option<FinishedBreak>,
    /// Moves left out of routines because they hurt, until the person brings them back.
    pub left_out: Vec<MoveId>,
    /// Each move's level where it is past the first (0-based), as "too easy" and "too hard"
    /// moved it: the library shows the dose the person is at.
    pub levels: BTreeMap<MoveId, usize>,
}

/// The one-line status of `status` at `now`. Minutes are whole and rounded up (a reminder 30 s
/// away is "in 1 min", never "in 0 min"); a pause ending today names the time, one ending
/// another day names the weekday too.
pub fn status_line(status: &Status, snoozes: u32, now: &Zoned) -> String {
    let minutes = |secs: u64| secs.div_ceil(60).max(1);
    match status.state {
        StateName::Working => match status.next_break_in_seconds {
            Some(secs) if snoozes > 0 => format!("Snoozed: break in {} min", minutes(secs)),
            Some(secs) => format!("Next break in {} min", minutes(secs)),
            None => "Counting desk time".into(),
        },
        StateName::Due if !status.held_by.is_empty() => {
            let why: Vec<&str> = status.held_by.iter().map(|r| hold_words(*r)).collect();
            format!("Break waiting: {}", why.join(", "))
        }
        StateName::Due => "Break due now".into(),
        StateName::InBreak => "On a break".into(),
        StateName::Paused => match status.paused_until {
            Some(until) => format!("Paused until {}", clock_time(until, now)),
            None => "Paused".into(),
        },
        StateName::OffHours => "Outside work hours".into(),
        StateName::Away => "Away from the desk".into(),
    }
}

/// What a reason to hold a reminder is called in the status line.
fn hold_words(reason: HoldReason) -> &'static str {
    match reason {
        HoldReason::Meeting => "in a meeting",
        HoldReason::Fullscreen => "fullscreen",
        HoldReason::Dnd => "Do Not Disturb",
        HoldReason::Typing => "a pause in your typing",
    }
}

/// `14:30` on the day of `now`, `Tue 09:00` on another.
fn clock_time(at: Timestamp, now: &Zoned) -> String {
    let local = at.to_zoned(now.time_zone().clone());
    if local.date() == now.date() {
        local.strftime("%H:%M").to_string()
    } else {
        local.strftime("%a %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: StateName) -> Status {
        Status {
            state,
            desk_seconds: 0,
            next_break_in_seconds: None,
            paused_until: None,
            breaks_today: 0,
            sessions_this_week: 0,
            held_by: Vec::new(),
        }
    }

    fn monday(time: &str) -> Zoned {
        format!("2026-11-23T{time}[Europe/Berlin]").parse().unwrap()
    }

    #[test]
    fn minutes_are_rounded_up_and_never_zero() {
        let now = monday("10:00");
        let mut s = status(StateName::Working);
        for (secs, want) in [(0, 1), (1, 1), (59, 1), (60, 1), (61, 2), (720, 12)] {
            s.next_break_in_seconds = Some(secs);
            assert_eq!(status_line(&s, 0, &now), format!("Next break in {want} min"), "{secs} s");
        }
        s.next_break_in_seconds = Some(300);
        assert_eq!(status_line(&s, 2, &now), "Snoozed: break in 5 min");
    }

    #[test]
    fn a_pause_names_the_time_and_the_weekday_when_not_today() {
        let now = monday("10:00");
        let mut s = status(StateName::Paused);
        s.paused_until = Some(monday("14:30").timestamp());
        assert_eq!(status_line(&s, 0, &now), "Paused until 14:30");
        s.paused_until =
            Some("2026-11-24T09:00[Europe/Berlin]".parse::<Zoned>().unwrap().timestamp());
        assert_eq!(status_line(&s, 0, &now), "Paused until Tue 09:00");
    }
}
