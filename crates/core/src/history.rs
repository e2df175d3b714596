//! What happened, as events, and the pure sums the history view shows.
//!
//! The scheduler emits events (`Effect::Record`); the store appends them to SQLite and reads them
//! back; this module turns a list of them into per-day figures, streaks and muscle coverage.
//! Nothing here reads a clock: the caller says what "today" is.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::hold::HoldReason;
use crate::routines::{Catalog, Dose, MoveId, MuscleGroup};

/// One thing that happened, at a wall-clock instant.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: Timestamp,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// How a break was asked for.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// From a reminder (the notification, or the prompt window).
    Reminder,
    /// Asked for by the person, from the tray, the CLI or the window.
    Manual,
}

/// How a break ended.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The routine ran to its end.
    Completed,
    /// The person ended it before the end.
    EndedEarly,
}

/// What a person did of one move in a break: the level, its dose, and the sets reached.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Done {
    pub move_id: MoveId,
    /// 0-based level.
    pub level: usize,
    pub dose: Dose,
    /// Sets begun.
    pub sets: u32,
}

/// How a routine felt, as the person said after it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feel {
    TooEasy,
    JustRight,
    TooHard,
    /// It hurt: the moves named are left out until the person brings them back.
    Hurt,
}

/// The kinds of event, with what each needs.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// A reminder was shown (`repeat`: the one reminder shown again after no answer).
    Reminded { repeat: bool, moves: Vec<MoveId> },
    /// A reminder was snoozed; `count` is how many snoozes in a row this makes.
    Snoozed { count: u32 },
    /// A due or coming break was skipped.
    Skipped,
    /// A break began (`session`: a full session rather than a micro-break).
    BreakStarted {
        trigger: Trigger,
        moves: Vec<MoveId>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        session: bool,
    },
    /// A break ended; `moves` are the moves the person reached, `done` what they did of each.
    BreakFinished {
        outcome: Outcome,
        moves: Vec<MoveId>,
        seconds: u32,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        session: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        done: Vec<Done>,
    },
    /// A reminder that fell due waited this long for these reasons before it was shown.
    Held { reasons: Vec<HoldReason>, seconds: u32 },
    /// A full session was suggested (about `minutes` long).
    Invited { minutes: u32 },
    /// The person said how the routine felt about these moves.
    Feedback { feel: Feel, moves: Vec<MoveId> },
    /// The person brought back moves left out because they hurt.
    BroughtBack { moves: Vec<MoveId> },
    /// Idle, locked or asleep long enough to count as a break.
    NaturalBreak { away_seconds: u32 },
    /// Reminders paused until `until`.
    Paused { until: Timestamp },
    /// Reminders back on (`auto`: because the pause ran out).
    Resumed { auto: bool },
    /// A stretch of desk time that ended at `at` and began at `started`; `seconds` leaves out
    /// the short idle spells inside it.
    Desk { started: Timestamp, seconds: u32 },
}

impl EventKind {
    /// Whether the count toward the next reminder starts again here (a break, or a skip).
    pub fn resets_count(&self) -> bool {
        matches!(
            self,
            EventKind::BreakFinished { .. } | EventKind::NaturalBreak { .. } | EventKind::Skipped
        )
    }
}

/// The local day an instant belongs to, when days start at `day_start_hour` o'clock.
///
/// Reckoned on the clock on the wall (civil time), as [`day_start`] is: an instant belongs to
/// the day before when the wall clock shows an hour before `day_start_hour`. Subtracting the
/// hours as elapsed time instead would disagree with [`day_start`] on the days clocks change.
pub fn local_day(at: Timestamp, tz: &TimeZone, day_start_hour: u8) -> Date {
    let civil = at.to_zoned(tz.clone()).datetime();
    civil.saturating_sub(SignedDuration::from_hours(day_start_hour.into())).date()
}

/// When local day `date` begins: `day_start_hour` o'clock that day (if a clock change skips
/// that hour, the first instant after the gap).
pub fn day_start(date: Date, tz: &TimeZone, day_start_hour: u8) -> Option<Timestamp> {
    let hour = i8::try_from(day_start_hour).ok()?;
    let time = jiff::civil::Time::new(hour, 0, 0, 0).ok()?;
    date.to_datetime(time).to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

/// When the local day after the one `at` falls in begins (24 hours on when that cannot be
/// told, which no real time zone does).
pub fn next_day_start(at: Timestamp, tz: &TimeZone, day_start_hour: u8) -> Timestamp {
    local_day(at, tz, day_start_hour)
        .tomorrow()
        .ok()
        .and_then(|next| day_start(next, tz, day_start_hour))
        .unwrap_or_else(|| at.saturating_add(SignedDuration::from_hours(24)).unwrap_or(at))
}

/// The Monday of the week `day` is in (weeks begin on Monday).
pub fn week_start(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(jiff::Span::new().days(back)).unwrap_or(day)
}

/// One day's figures.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySummary {
    pub date: Date,
    /// Breaks whose routine ran to its end.
    pub completed: u32,
    /// Breaks ended before the end of the routine.
    pub ended_early: u32,
    /// Idle, locked or asleep long enough to count.
    pub natural: u32,
    pub skipped: u32,
    pub snoozed: u32,
    /// Reminders shown (repeats not counted).
    pub reminded: u32,
    pub desk_minutes: u32,
    /// The longest desk time between two real breaks (taken or natural) that ended this day.
    pub longest_stretch_minutes: u32,
}

/// What the history view shows.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Oldest first, ending with today; every day present, even empty ones.
    pub days: Vec<DaySummary>,
    /// Desk days in a row, up to today, with at least one completed break. A day with no desk
    /// time at all (a weekend) neither breaks nor extends it; today counts once it has a break.
    pub current_streak: u32,
    pub best_streak: u32,
    /// Share of reminders answered with a break (taken, from that reminder) in the period, 0–1.
    pub acted_on: Option<f32>,
    /// How many completed moves worked each region in the last 7 days.
    pub muscles_week: BTreeMap<MuscleGroup, u32>,
    /// The latest breaks of the period (taken, natural or skipped), newest first, at most
    /// [`RECENT_BREAKS`].
    pub recent: Vec<RecentBreak>,
    /// What the person did of each move in the period, the most recently done first.
    pub moves: Vec<MoveRecord>,
}

/// What a person did of one move over a period.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoveRecord {
    pub move_id: MoveId,
    /// Breaks and sessions it was done in.
    pub times: u32,
    /// Sets done in all, over the period.
    pub sets: u32,
    /// The latest time: its level, dose and sets.
    pub last: Done,
    pub last_at: Timestamp,
}

/// How many breaks [`Summary::recent`] lists.
pub const RECENT_BREAKS: usize = 20;

/// One line of the recent-breaks table.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentBreak {
    /// When it ended (or was skipped).
    pub at: Timestamp,
    pub what: BreakRecord,
    /// The moves reached (none for natural or skipped breaks).
    pub moves: Vec<MoveId>,
    /// How long it lasted: the routine, or the time away for a natural break.
    pub seconds: u32,
    /// What the person said about it afterwards.
    pub feel: Option<Feel>,
}

/// What became of a break.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakRecord {
    Completed,
    EndedEarly,
    Natural,
    Skipped,
}

/// Sum `events` (any order) into per-day figures for the `days` days ending with `today`.
pub fn summarize(
    events: &[Event],
    tz: &TimeZone,
    day_start_hour: u8,
    today: Date,
    days: u16,
) -> Summary {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by_key(|e| e.at);
    let back = |n: i64| today.saturating_sub(jiff::Span::new().days(n));
    let first = back(i64::from(days.max(1)) - 1);
    let week_start = back(6);
    let catalog = Catalog::builtin();

    let mut per_day: BTreeMap<Date, DaySummary> = BTreeMap::new();
    let mut desk_seconds: BTreeMap<Date, u64> = BTreeMap::new();
    let mut completed_days: BTreeSet<Date> = BTreeSet::new();
    let mut muscles_week: BTreeMap<MuscleGroup, u32> = BTreeMap::new();
    // Desk time since the last real break, and the day it was last added to.
    let mut stretch_seconds: u64 = 0;
    let (mut reminders, mut answered) = (0u32, 0u32);
    let mut reminder_open = false;
    let mut recent: Vec<RecentBreak> = Vec::new();
    let mut per_move: BTreeMap<MoveId, MoveRecord> = BTreeMap::new();

    for e in sorted {
        let date = local_day(e.at, tz, day_start_hour);
        let in_period = (first..=today).contains(&date);
        let day =
            per_day.entry(date).or_insert_with(|| DaySummary { date, ..DaySummary::default() });
        let mut real_break = false;
        if in_period {
            note_recent(&mut recent, e);
            if let EventKind::BreakFinished { done, .. } = &e.kind {
                for d in done {
                    let record = per_move.entry(d.move_id.clone()).or_insert_with(|| MoveRecord {
                        move_id: d.move_id.clone(),
                        times: 0,
                        sets: 0,
                        last: d.clone(),
                        last_at: e.at,
                    });
                    record.times += 1;
                    record.sets += d.sets;
                    record.last = d.clone();
                    record.last_at = e.at;
                }
            }
        }
        match &e.kind {
            EventKind::Reminded { repeat: false, .. } => {
                day.reminded += 1;
                reminders += u32::from(in_period);
                reminder_open = true;
            }
            EventKind::Reminded { repeat: true, .. } => {}
            EventKind::Snoozed { .. } => day.snoozed += 1,
            EventKind::Skipped => {
                day.skipped += 1;
                reminder_open = false;
            }
            EventKind::BreakStarted { trigger, .. } => {
                if *trigger == Trigger::Reminder && reminder_open && in_period {
                    answered += 1;
                }
                reminder_open = false;
            }
            EventKind::BreakFinished { outcome: Outcome::Completed, moves, .. } => {
                day.completed += 1;
                completed_days.insert(date);
                real_break = true;
                if (week_start..=today).contains(&date) {
                    for id in moves {
                        let groups: BTreeSet<MuscleGroup> = catalog
                            .get(id)
                            .map(|m| m.muscles.iter().map(|x| x.group()).collect())
                            .unwrap_or_default();
                        for g in groups {
                            *muscles_week.entry(g).or_default() += 1;
                        }
                    }
                }
            }
            EventKind::BreakFinished { outcome: Outcome::EndedEarly, .. } => {
                day.ended_early += 1;
                real_break = true;
            }
            EventKind::NaturalBreak { .. } => {
                day.natural += 1;
                reminder_open = false;
                real_break = true;
            }
            EventKind::Desk { seconds, started } => {
                // A stretch never spans two days (the books close at the day's start), but it
                // is recorded when it ends: count it on the day it began.
                let date = local_day(*started, tz, day_start_hour);
                *desk_seconds.entry(date).or_default() += u64::from(*seconds);
                stretch_seconds += u64::from(*seconds);
                let minutes = (stretch_seconds / 60) as u32;
                day.longest_stretch_minutes = day.longest_stretch_minutes.max(minutes);
            }
            EventKind::Feedback { .. }
            | EventKind::BroughtBack { .. }
            | EventKind::Invited { .. }
            | EventKind::Held { .. }
            | EventKind::Paused { .. }
            | EventKind::Resumed { .. } => {}
        }
        if real_break {
            stretch_seconds = 0;
        }
    }
    for (date, seconds) in &desk_seconds {
        let day = per_day
            .entry(*date)
            .or_insert_with(|| DaySummary { date: *date, ..DaySummary::default() });
        day.desk_minutes = ((seconds + 30) / 60) as u32;
    }

    // Streaks run over desk days only: a day without desk time is neither kept nor broken.
    let active_days: BTreeSet<Date> =
        desk_seconds.keys().chain(completed_days.iter()).copied().filter(|d| *d <= today).collect();
    let (mut best, mut run) = (0u32, 0u32);
    for d in &active_days {
        if completed_days.contains(d) {
            run += 1;
            best = best.max(run);
        } else if *d != today {
            run = 0;
        }
    }
    let current = run;

    let days_out = (0..i64::from(days.max(1)))
        .rev()
        .map(|n| {
            let date = back(n);
            per_day.get(&date).cloned().unwrap_or(DaySummary { date, ..DaySummary::default() })
        })
        .collect();
    Summary {
        days: days_out,
        current_streak: current,
        best_streak: best,
        acted_on: (reminders > 0).then(|| answered as f32 / reminders as f32),
        muscles_week,
        recent: recent.into_iter().rev().take(RECENT_BREAKS).collect(),
        moves: {
            let mut moves: Vec<MoveRecord> = per_move.into_values().collect();
            moves.sort_by(|a, b| b.last_at.cmp(&a.last_at).then_with(|| a.move_id.cmp(&b.move_id)));
            moves
        },
    }
}

/// Add `e` to the recent-breaks table (oldest first) if it is a break, or the feeling about the
/// last break taken if it is feedback.
fn note_recent(recent: &mut Vec<RecentBreak>, e: &Event) {
    let (what, moves, seconds) = match &e.kind {
        EventKind::BreakFinished { outcome, moves, seconds, .. } => {
            let what = match outcome {
                Outcome::Completed => BreakRecord::Completed,
                Outcome::EndedEarly => BreakRecord::EndedEarly,
            };
            (what, moves.clone(), *seconds)
        }
        EventKind::NaturalBreak { away_seconds } => {
            (BreakRecord::Natural, Vec::new(), *away_seconds)
        }
        EventKind::Skipped => (BreakRecord::Skipped, Vec::new(), 0),
        EventKind::Feedback { feel, .. } => {
            let taken = recent
                .iter_mut()
                .rev()
                .find(|r| matches!(r.what, BreakRecord::Completed | BreakRecord::EndedEarly));
            if let Some(last) = taken {
                last.feel = Some(*feel);
            }
            return;
        }
        _ => return,
    };
    recent.push(RecentBreak { at: e.at, what, moves, seconds, feel: None });
}
