//! The break state machine: when a reminder is due, what snooze, skip, pause and breaks do.
//!
//! Everything enters as an [`Input`] with the time it happened ([`Now`]) and leaves as
//! [`Effect`]s for the daemon's adapters to carry out. The scheduler never waits: after each
//! input, [`Scheduler::next_deadline`] says when it next needs to be called if nothing else
//! happens, and the daemon sleeps until then.
//!
//! Desk-time deadlines (the reminder, its one repeat) are measured in desk time on the monotonic
//! clock, so a clock change moves none of them. Pauses, work hours and the day's rollover are
//! named by the wall clock.

use std::time::Duration;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, Zoned};
use serde::{Deserialize, Serialize};

use crate::desk::{Change, Desk, Presence};
use crate::history::{Event, EventKind, Feel, Outcome, Trigger, day_start, local_day};
use crate::routines::{
    Catalog, Memory, MoveId, PlanRequest, Routine, SWITCH_SIDES_SECONDS, Side, Step,
    TRANSITION_SECONDS, plan,
};
use crate::settings::Settings;
use crate::time::{Mono, Now, mins, round_secs};

/// How long before a reminder may come again after reminders were off (a pause ended, work
/// hours began, the person came back from a short absence): never at once.
fn grace(settings: &Settings) -> Duration {
    mins(settings.remind_again_minutes.into())
}

/// Desk time is written to history at least this often while it grows, so that a crash, a
/// power cut or a kill loses at most this much of it.
pub const CHECKPOINT_EVERY: Duration = mins(5);

/// The most moves one request may name (a break of chosen moves, feedback on a routine).
pub const MAX_MOVES: usize = 12;

/// Something that happened, for the scheduler to take into account.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// An idle reading: no keyboard or mouse input for this long.
    Idle { idle_for: Duration },
    /// The session was locked.
    Locked,
    /// The session was unlocked.
    Unlocked,
    /// The machine is about to sleep.
    Suspending,
    /// The machine woke after sleeping this long (which the monotonic clock did not count).
    Resumed { slept: Duration },
    /// Start a break now: the planned routine, or one of just these moves.
    StartBreak { moves: Option<Vec<MoveId>> },
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
    /// New settings (already validated).
    Settings(Box<Settings>),
    /// A deadline passed; nothing else is new.
    Tick,
    /// The idle source stopped working (from now on, desk time counts all the time).
    IdleSourceLost,
    /// The daemon is stopping: close the books.
    Shutdown,
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

/// What a person can do to a running break.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakControl {
    Pause,
    Continue,
    SkipMove,
    End,
}

/// Why a request was turned down.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    #[error("no reminder is due, so there is nothing to snooze")]
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
    #[error("no desk move fits the current settings")]
    NoMoves,
    #[error("at most {max} moves at a time")]
    TooManyMoves { max: usize },
}

/// What the daemon should do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Show the reminder, replacing any shown before.
    Notify(Reminder),
    /// Take the reminder away.
    Withdraw,
    /// Open the window at the break view.
    OpenBreak,
    /// The tray icon should change.
    SetTray(TrayIcon),
    /// Append to history.
    Record(Event),
    /// The snapshot changed: send it to whoever listens.
    Publish,
    /// The request could not be carried out.
    Refused(Refusal),
}

/// A reminder to show.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    pub routine: Routine,
    /// The second and last showing of an unanswered reminder.
    pub repeat: bool,
    /// Whether snoozing is still allowed.
    pub can_snooze: bool,
    /// Snoozes in a row so far.
    pub snoozes: u32,
}

/// The state, one of seven.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// Counting desk time toward the next reminder.
    Working,
    /// A reminder is out and unanswered.
    Due(Due),
    /// The reminder was put off until `until`.
    Snoozed { until: Mono, snoozes: u32 },
    /// A break is running.
    InBreak(Box<BreakRun>),
    /// No reminders until `until`.
    Paused { until: Timestamp },
    /// Outside work hours.
    OffHours,
    /// The person is not at the computer.
    Away,
}

/// An unanswered reminder.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    /// Desk time when it was shown.
    pub at_desk: Duration,
    /// Whether it has been shown the second (last) time.
    pub repeated: bool,
    pub snoozes: u32,
}

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

/// Where a break is in its routine.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Getting ready for the move (read it, get into position).
    Prepare,
    /// Doing the move.
    Work,
    /// Switching from the left side to the right.
    SwitchSides,
}

/// One stretch of a break's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    step: usize,
    phase: Phase,
    side: Option<Side>,
    seconds: u32,
}

/// A running break: its routine and how far it has got. Time runs while it is not paused.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakRun {
    pub routine: Routine,
    pub trigger: Trigger,
    /// Running time banked before `running_since`.
    elapsed: Duration,
    /// When it last started running; `None` while paused.
    running_since: Option<Mono>,
    /// A pause that was on when the break started, to return to after it.
    then_paused: Option<Timestamp>,
}

impl BreakRun {
    fn new(
        routine: Routine,
        trigger: Trigger,
        now: Mono,
        then_paused: Option<Timestamp>,
    ) -> BreakRun {
        BreakRun {
            routine,
            trigger,
            elapsed: Duration::ZERO,
            running_since: Some(now),
            then_paused,
        }
    }

    fn segments(&self) -> Vec<Segment> {
        let mut out = Vec::new();
        for (i, s) in self.routine.steps.iter().enumerate() {
            out.push(Segment {
                step: i,
                phase: Phase::Prepare,
                side: None,
                seconds: TRANSITION_SECONDS,
            });
            if s.per_side {
                out.push(Segment {
                    step: i,
                    phase: Phase::Work,
                    side: Some(Side::Left),
                    seconds: s.seconds_per_side,
                });
                out.push(Segment {
                    step: i,
                    phase: Phase::SwitchSides,
                    side: None,
                    seconds: SWITCH_SIDES_SECONDS,
                });
                out.push(Segment {
                    step: i,
                    phase: Phase::Work,
                    side: Some(Side::Right),
                    seconds: s.seconds_per_side,
                });
            } else {
                out.push(Segment {
                    step: i,
                    phase: Phase::Work,
                    side: None,
                    seconds: s.seconds_per_side,
                });
            }
        }
        out
    }

    fn total(&self) -> Duration {
        Duration::from_secs(self.routine.total_seconds().into())
    }

    /// Running time so far.
    pub fn elapsed(&self, now: Mono) -> Duration {
        self.elapsed + self.running_since.map_or(Duration::ZERO, |since| now - since)
    }

    fn is_finished(&self, now: Mono) -> bool {
        self.elapsed(now) >= self.total()
    }

    /// The segment at `now`, its index, and the time left in it.
    fn position(&self, now: Mono) -> Option<(usize, Segment, Duration)> {
        let elapsed = self.elapsed(now);
        let mut start = Duration::ZERO;
        for (i, seg) in self.segments().into_iter().enumerate() {
            let end = start + Duration::from_secs(seg.seconds.into());
            if elapsed < end {
                return Some((i, seg, end - elapsed));
            }
            start = end;
        }
        None
    }

    /// Moves whose work has begun by `now`.
    fn moves_reached(&self, now: Mono) -> Vec<MoveId> {
        let elapsed = self.elapsed(now);
        let mut start = Duration::ZERO;
        let mut reached = Vec::new();
        for seg in self.segments() {
            if seg.phase == Phase::Work && elapsed > start {
                let id = &self.routine.steps[seg.step].move_id;
                if reached.last() != Some(id) {
                    reached.push(id.clone());
                }
            }
            start += Duration::from_secs(seg.seconds.into());
        }
        reached
    }

    fn pause(&mut self, now: Mono) {
        if let Some(since) = self.running_since.take() {
            self.elapsed += now - since;
        }
    }

    fn resume(&mut self, now: Mono) {
        if self.running_since.is_none() {
            self.running_since = Some(now);
        }
    }

    /// Jump to the start of the next move.
    fn skip_move(&mut self, now: Mono) {
        let Some((_, current, _)) = self.position(now) else { return };
        let mut start = Duration::ZERO;
        let mut target = self.total();
        for seg in self.segments() {
            if seg.step > current.step {
                target = start;
                break;
            }
            start += Duration::from_secs(seg.seconds.into());
        }
        let running = self.running_since.is_some();
        self.elapsed = target;
        self.running_since = running.then_some(now);
    }

    /// The deadline at which the timeline next changes phase (while running).
    fn next_change(&self, now: Mono) -> Option<Mono> {
        self.running_since?;
        self.position(now).map(|(_, _, left)| now + left)
    }

    fn progress(&self, now: Mono) -> BreakProgress {
        let (seg, left) =
            self.position(now).map_or((None, Duration::ZERO), |(_, s, left)| (Some(s), left));
        BreakProgress {
            step: seg.map_or(self.routine.steps.len().saturating_sub(1), |s| s.step),
            steps: self.routine.steps.len(),
            phase: seg.map_or(Phase::Work, |s| s.phase),
            side: seg.and_then(|s| s.side),
            phase_seconds: seg.map_or(0, |s| s.seconds),
            phase_left_ms: left.as_millis() as u64,
            total_left_ms: self.total().saturating_sub(self.elapsed(now)).as_millis() as u64,
            paused: self.running_since.is_none(),
        }
    }
}

/// How far a break has got, for the window to draw.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakProgress {
    /// Index of the current move.
    pub step: usize,
    /// Number of moves.
    pub steps: usize,
    pub phase: Phase,
    /// The side being worked, for one-sided moves.
    pub side: Option<Side>,
    /// Length of the current phase.
    pub phase_seconds: u32,
    /// Time left in the current phase, in milliseconds.
    pub phase_left_ms: u64,
    /// Time left in the whole routine, in milliseconds.
    pub total_left_ms: u64,
    pub paused: bool,
}

/// The last break that ended, for the "How did that feel?" question.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinishedBreak {
    pub outcome: Outcome,
    pub moves: Vec<MoveId>,
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
}

/// Everything a reader (tray, window, CLI) may show.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(flatten)]
    pub status: Status,
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
}

/// The scheduler: owns the state and the desk books.
#[derive(Debug, Clone)]
pub struct Scheduler {
    settings: Settings,
    state: State,
    desk: Desk,
    memory: Memory,
    /// Desk time the counter must also reach before a reminder (see [`grace`]).
    floor: Duration,
    /// The routine planned for the reminder that is due.
    planned: Option<Routine>,
    /// Breaks taken today (completed or ended early).
    breaks_today: u32,
    /// The local day the books are in.
    day: Date,
    last_break: Option<FinishedBreak>,
    tray: TrayIcon,
    /// Advanced on every plan, so that plans vary but replay exactly.
    seed: u64,
}

impl Scheduler {
    /// A scheduler starting at `now` with these settings, planner memory (rebuilt from history)
    /// and seed.
    pub fn new(now: &Now, settings: Settings, memory: Memory, seed: u64) -> Scheduler {
        let day = local_day(now.timestamp(), now.wall.time_zone(), settings.day_starts_at_hour);
        let mut s = Scheduler {
            state: State::Working,
            desk: Desk::new(now.mono),
            memory,
            floor: Duration::ZERO,
            planned: None,
            breaks_today: 0,
            day,
            last_break: None,
            tray: TrayIcon::Counting,
            seed,
            settings,
        };
        if !s.in_work_hours(&now.wall) {
            s.state = State::OffHours;
        }
        s.tray = s.tray_icon();
        s
    }

    /// A scheduler that carries on from what history says, after a restart (a crash, a kill,
    /// an upgrade): the planner's memory, today's breaks and desk time, and the desk time toward
    /// the next reminder, unless the person has been gone since then for the natural-break
    /// threshold (the daemon was down, or the machine off). `events` in time order.
    pub fn restore(now: &Now, settings: Settings, events: &[Event], seed: u64) -> Scheduler {
        let mut memory = Memory::default();
        for e in events {
            memory.observe(e.at, &e.kind);
        }
        let tz = now.wall.time_zone();
        let hour = settings.day_starts_at_hour;
        let today = local_day(now.timestamp(), tz, hour);
        let breaks_today = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::BreakFinished { .. }))
            .filter(|e| local_day(e.at, tz, hour) == today)
            .count() as u32;
        let desk = |e: &Event| match e.kind {
            EventKind::Desk { started, seconds } => {
                Some((started, Duration::from_secs(seconds.into())))
            }
            _ => None,
        };
        let desk_today: Duration = events
            .iter()
            .filter_map(desk)
            .filter(|(started, _)| local_day(*started, tz, hour) == today)
            .map(|(_, d)| d)
            .sum();
        let since_reset = match events.iter().rposition(|e| e.kind.resets_count()) {
            Some(i) => &events[i + 1..],
            None => events,
        };
        let threshold = mins(settings.natural_break_minutes.into());
        let recent = since_reset.last().is_some_and(|e| {
            now.timestamp().duration_since(e.at)
                < jiff::SignedDuration::try_from(threshold).unwrap_or_default()
        });
        let counter: Duration = if recent {
            since_reset.iter().filter_map(desk).map(|(_, d)| d).sum()
        } else {
            Duration::ZERO
        };
        // A pause still running carries on (a restart during "pause until tomorrow" must not
        // bring reminders back).
        let paused = events.iter().rev().find_map(|e| match e.kind {
            EventKind::Paused { until } => Some(Some(until)),
            EventKind::Resumed { .. } => Some(None),
            _ => None,
        });
        let mut s = Scheduler::new(now, settings, memory, seed);
        s.breaks_today = breaks_today;
        s.desk = Desk::resumed(now.mono, counter, desk_today);
        if let Some(Some(until)) = paused
            && until > now.timestamp()
        {
            s.state = State::Paused { until };
            s.tray = s.tray_icon();
        }
        s
    }

    /// Restore today's count of breaks (from history) after a restart.
    pub fn set_breaks_today(&mut self, n: u32) {
        self.breaks_today = n;
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    fn threshold(&self) -> Duration {
        mins(self.settings.natural_break_minutes.into())
    }

    fn interval(&self) -> Duration {
        mins(self.settings.interval_minutes.into())
    }

    /// Desk time at which the next reminder comes.
    fn remind_at_desk(&self) -> Duration {
        self.interval().max(self.floor)
    }

    fn in_work_hours(&self, wall: &Zoned) -> bool {
        let hours = &self.settings.work_hours;
        !hours.enabled || hours.day(wall.weekday()).iter().any(|r| r.contains(wall.time()))
    }

    /// The next wall instant at which work hours begin or end, within the coming 8 days.
    fn next_work_boundary(&self, wall: &Zoned) -> Option<Timestamp> {
        let hours = &self.settings.work_hours;
        if !hours.enabled {
            return None;
        }
        let tz = wall.time_zone().clone();
        let mut best: Option<Timestamp> = None;
        for offset in 0..8 {
            let date = wall.date().checked_add(jiff::Span::new().days(offset)).ok()?;
            for r in hours.day(date.weekday()) {
                for t in [r.start, r.end] {
                    let at = date.to_datetime(t);
                    let Ok(z) = at.to_zoned(tz.clone()) else { continue };
                    let ts = z.timestamp();
                    if ts > wall.timestamp() && best.is_none_or(|b| ts < b) {
                        best = Some(ts);
                    }
                }
            }
            if best.is_some() {
                return best;
            }
        }
        best
    }

    /// The wall instant the next local day begins.
    fn next_day_start(&self, wall: &Zoned) -> Timestamp {
        let hour = self.settings.day_starts_at_hour;
        let today = local_day(wall.timestamp(), wall.time_zone(), hour);
        today
            .tomorrow()
            .ok()
            .and_then(|next| day_start(next, wall.time_zone(), hour))
            .unwrap_or_else(|| {
                wall.timestamp()
                    .saturating_add(SignedDuration::from_hours(24))
                    .unwrap_or(wall.timestamp())
            })
    }

    /// When "pause until tomorrow" ends: the first work hour of the next work day, or the start
    /// of the next local day when work hours are off.
    fn tomorrow(&self, wall: &Zoned) -> Timestamp {
        let day_start = self.next_day_start(wall);
        let hours = &self.settings.work_hours;
        if !hours.enabled {
            return day_start;
        }
        let tz = wall.time_zone().clone();
        let first_day = day_start.to_zoned(tz.clone()).date();
        for offset in 0..8 {
            let Ok(date) = first_day.checked_add(jiff::Span::new().days(offset)) else { break };
            if let Some(first) = hours.day(date.weekday()).iter().map(|r| r.start).min()
                && let Ok(z) = date.to_datetime(first).to_zoned(tz.clone())
                && z.timestamp() >= day_start
            {
                return z.timestamp();
            }
        }
        day_start
    }

    fn record(&mut self, now: &Now, kind: EventKind, out: &mut Vec<Effect>) {
        self.memory.observe(now.timestamp(), &kind);
        out.push(Effect::Record(Event { at: now.timestamp(), kind }));
    }

    fn record_segment(
        &mut self,
        segment: Option<crate::desk::Segment>,
        at: Timestamp,
        out: &mut Vec<Effect>,
    ) {
        if let Some(s) = segment {
            out.push(Effect::Record(Event {
                at,
                kind: EventKind::Desk { started: s.started, seconds: s.seconds },
            }));
        }
    }

    /// Write the certain desk time so far to history (the segment goes on from there).
    fn checkpoint(&mut self, now: &Now, out: &mut Vec<Effect>) {
        let segment = self.desk.checkpoint(now.mono, now.timestamp(), self.threshold());
        self.record_segment(segment, now.timestamp(), out);
    }

    fn plan(&mut self, now: &Now, only: Option<&[MoveId]>) -> Result<Routine, Refusal> {
        self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let catalog = Catalog::builtin();
        if let Some(ids) = only {
            check_moves(ids)?;
            let mut steps = Vec::new();
            for id in ids {
                let m = catalog.get(id).ok_or_else(|| Refusal::UnknownMove { id: id.clone() })?;
                let level = self.memory.level(id).min(m.levels.len() - 1);
                let dose = m.level(level).dose;
                steps.push(Step {
                    move_id: id.clone(),
                    level,
                    seconds_per_side: dose.set_seconds(),
                    per_side: m.per_side,
                    dose,
                });
            }
            return if steps.is_empty() { Err(Refusal::NoMoves) } else { Ok(Routine { steps }) };
        }
        let day_start = day_start(self.day, now.wall.time_zone(), self.settings.day_starts_at_hour)
            .unwrap_or(now.timestamp());
        let request = PlanRequest {
            settings: &self.settings,
            memory: &self.memory,
            now: now.timestamp(),
            day_start,
            can_stand: self.settings.can_stand,
            target_seconds: self.settings.routine_seconds,
            seed: self.seed,
        };
        plan(catalog, &request).ok_or(Refusal::NoMoves)
    }

    /// Show (or show again) the reminder.
    fn remind(&mut self, now: &Now, repeat: bool, snoozes: u32, out: &mut Vec<Effect>) {
        if self.planned.is_none() || !repeat {
            self.planned = self.plan(now, None).ok();
        }
        let routine = self.planned.clone().unwrap_or(Routine { steps: Vec::new() });
        let can_snooze = snoozes < self.settings.snooze_limit;
        self.state =
            State::Due(Due { at_desk: self.desk.counter(now.mono), repeated: repeat, snoozes });
        self.record(now, EventKind::Reminded { repeat, moves: routine.move_ids() }, out);
        out.push(Effect::Notify(Reminder { routine, repeat, can_snooze, snoozes }));
    }

    /// Take one input at `now` and say what to do.
    pub fn handle(&mut self, now: &Now, input: Input) -> Vec<Effect> {
        let mut out = Vec::new();
        let before = self.snapshot(now);
        if let Input::Idle { idle_for } = input {
            self.desk.observe(now.mono, idle_for);
        }
        self.roll_day(now, &mut out);
        let threshold = self.threshold();
        let changes = match input {
            Input::Idle { idle_for } => {
                self.desk.idle_reading(now.mono, now.timestamp(), idle_for, threshold)
            }
            Input::Locked => self.desk.lock(now.mono, now.timestamp(), threshold),
            Input::Unlocked => self.desk.unlock(now.mono, threshold),
            Input::Suspending => self.desk.suspend(now.mono, now.timestamp()),
            Input::Resumed { slept } => {
                self.desk.resume(now.mono, now.timestamp(), slept, threshold)
            }
            Input::Tick => Vec::new(),
            Input::IdleSourceLost => {
                self.desk.unwatch();
                Vec::new()
            }
            Input::Shutdown => {
                let segment = self.desk.close_segment(now.mono, now.timestamp());
                self.record_segment(segment, now.timestamp(), &mut out);
                Vec::new()
            }
            Input::Settings(settings) => {
                self.settings = *settings;
                Vec::new()
            }
            Input::StartBreak { moves } => {
                self.start_break(now, moves.as_deref(), &mut out);
                Vec::new()
            }
            Input::Snooze => {
                self.snooze(now, &mut out);
                Vec::new()
            }
            Input::Skip => {
                self.skip(now, &mut out);
                Vec::new()
            }
            Input::Pause(how) => {
                self.pause(now, how, &mut out);
                Vec::new()
            }
            Input::Resume => {
                match self.state {
                    State::Paused { .. } => self.end_pause(now, false, &mut out),
                    _ => out.push(Effect::Refused(Refusal::NotPaused)),
                }
                Vec::new()
            }
            Input::Break(control) => {
                self.control_break(now, control, &mut out);
                Vec::new()
            }
            Input::Feedback { feel, moves } => {
                match check_moves(&moves) {
                    Ok(()) => self.record(now, EventKind::Feedback { feel, moves }, &mut out),
                    Err(refusal) => out.push(Effect::Refused(refusal)),
                }
                Vec::new()
            }
        };
        let mut changes = changes;
        // An absence reaches the threshold when its time comes, whatever woke us (a `Tick` on a
        // desktop with no idle source, a request, a lock).
        changes.extend(self.desk.check_natural(now.mono, threshold));
        self.apply_changes(now, changes, &mut out);
        self.settle(now, &mut out);
        // What is certain of it is written (see `Desk::checkpoint`); the reading that the
        // driver takes at this time (`next_idle_probe`) makes that nearly all of it.
        if self.desk.unrecorded(now.mono) >= CHECKPOINT_EVERY {
            self.checkpoint(now, &mut out);
        }

        let tray = self.tray_icon();
        if tray != self.tray {
            self.tray = tray;
            out.push(Effect::SetTray(tray));
        }
        if self.snapshot(now) != before || out.iter().any(|e| !matches!(e, Effect::Refused(_))) {
            out.push(Effect::Publish);
        }
        out
    }

    fn apply_changes(&mut self, now: &Now, changes: Vec<Change>, out: &mut Vec<Effect>) {
        for change in changes {
            match change {
                Change::Left => {
                    // The desk books closed a segment where the person left; record it.
                    let segment = self.desk.close_segment(now.mono, now.timestamp());
                    self.record_segment(segment, now.timestamp(), out);
                }
                Change::NaturalBreak { away } => {
                    self.floor = Duration::ZERO;
                    self.planned = None;
                    let away_seconds = round_secs(away) as u32;
                    self.record(now, EventKind::NaturalBreak { away_seconds }, out);
                }
                Change::Returned => {}
            }
        }
    }

    /// Move the books to a new local day when one has begun.
    fn roll_day(&mut self, now: &Now, out: &mut Vec<Effect>) {
        let today =
            local_day(now.timestamp(), now.wall.time_zone(), self.settings.day_starts_at_hour);
        // Only forward: a time-zone change westwards can make the local day go back a date,
        // and that day's books were already closed.
        if today > self.day {
            // The day ended at its start hour; bank desk time up to there.
            let boundary = day_start(today, now.wall.time_zone(), self.settings.day_starts_at_hour)
                .unwrap_or(now.timestamp())
                .min(now.timestamp());
            let back =
                Duration::try_from(now.timestamp().duration_since(boundary)).unwrap_or_default();
            let segment = self.desk.roll_over(
                now.mono.saturating_back(back),
                boundary,
                now.mono,
                self.threshold(),
            );
            self.record_segment(segment, boundary, out);
            self.day = today;
            self.breaks_today = 0;
        }
    }

    /// Bring the state in line with the time, the desk and the settings; emit what follows.
    fn settle(&mut self, now: &Now, out: &mut Vec<Effect>) {
        // A running break that reached its end completes, and a pause that ran out ends.
        if let State::InBreak(run) = &self.state
            && run.is_finished(now.mono)
        {
            self.finish_break(now, Outcome::Completed, out);
        }
        if let State::Paused { until } = self.state
            && now.timestamp() >= until
        {
            self.end_pause(now, true, out);
        }
        let reminding =
            matches!(self.state, State::Working | State::Due(_) | State::Snoozed { .. });
        let resting = matches!(self.state, State::OffHours | State::Away);
        if !(reminding || resting) {
            return;
        }

        let away = self.desk.is_away();
        let working_hours = self.in_work_hours(&now.wall);
        if away || !working_hours {
            if matches!(self.state, State::Due(_) | State::Snoozed { .. }) {
                out.push(Effect::Withdraw);
                self.planned = None;
            }
            self.state = if away { State::Away } else { State::OffHours };
            return;
        }
        if resting {
            // Back at the desk within work hours: never a reminder at once.
            self.state = State::Working;
            self.floor = self.desk.counter(now.mono) + grace(&self.settings);
        }

        let desk = self.desk.counter(now.mono);
        match self.state.clone() {
            State::Working => {
                if desk >= self.remind_at_desk() {
                    self.remind(now, false, 0, out);
                }
            }
            State::Snoozed { until, snoozes } => {
                if now.mono >= until {
                    self.remind(now, false, snoozes, out);
                }
            }
            State::Due(due) => {
                if !due.repeated && desk >= due.at_desk + grace(&self.settings) {
                    self.remind(now, true, due.snoozes, out);
                }
            }
            State::InBreak(_) | State::Paused { .. } | State::OffHours | State::Away => {}
        }
    }

    fn start_break(&mut self, now: &Now, only: Option<&[MoveId]>, out: &mut Vec<Effect>) {
        if matches!(self.state, State::InBreak(_)) {
            out.push(Effect::Refused(Refusal::InBreak));
            return;
        }
        let answering = matches!(self.state, State::Due(_) | State::Snoozed { .. });
        let routine = match (only, self.planned.take()) {
            (None, Some(planned)) if answering => planned,
            _ => match self.plan(now, only) {
                Ok(r) => r,
                Err(refusal) => {
                    out.push(Effect::Refused(refusal));
                    return;
                }
            },
        };
        let trigger = if answering { Trigger::Reminder } else { Trigger::Manual };
        let then_paused = match self.state {
            State::Paused { until } => Some(until),
            _ => None,
        };
        if answering {
            out.push(Effect::Withdraw);
        }
        let segment = self.desk.close_segment(now.mono, now.timestamp());
        self.record_segment(segment, now.timestamp(), out);
        self.record(now, EventKind::BreakStarted { trigger, moves: routine.move_ids() }, out);
        self.state =
            State::InBreak(Box::new(BreakRun::new(routine, trigger, now.mono, then_paused)));
        out.push(Effect::OpenBreak);
    }

    fn finish_break(&mut self, now: &Now, outcome: Outcome, out: &mut Vec<Effect>) {
        let State::InBreak(run) = &self.state else { return };
        let run = run.clone();
        let moves = run.moves_reached(now.mono);
        let seconds = round_secs(run.elapsed(now.mono).min(run.total())) as u32;
        // The break's own time is written before the break ends in history: after a restart,
        // only desk time written after the last break counts toward the next reminder.
        self.desk.input(now.mono);
        self.checkpoint(now, out);
        self.record(now, EventKind::BreakFinished { outcome, moves: moves.clone(), seconds }, out);
        self.desk.reset_counter(now.mono, now.timestamp());
        self.floor = Duration::ZERO;
        self.breaks_today += 1;
        self.last_break = Some(FinishedBreak { outcome, moves, at: now.timestamp() });
        self.state = match run.then_paused {
            Some(until) if until > now.timestamp() => State::Paused { until },
            _ => State::Working,
        };
    }

    fn control_break(&mut self, now: &Now, control: BreakControl, out: &mut Vec<Effect>) {
        let State::InBreak(run) = &mut self.state else {
            out.push(Effect::Refused(Refusal::NoBreak));
            return;
        };
        match control {
            BreakControl::Pause => run.pause(now.mono),
            BreakControl::Continue => run.resume(now.mono),
            BreakControl::SkipMove => run.skip_move(now.mono),
            BreakControl::End => {
                let outcome = if run.is_finished(now.mono) {
                    Outcome::Completed
                } else {
                    Outcome::EndedEarly
                };
                self.finish_break(now, outcome, out);
            }
        }
    }

    fn snooze(&mut self, now: &Now, out: &mut Vec<Effect>) {
        let snoozes = match &self.state {
            State::Due(due) => due.snoozes,
            State::InBreak(_) => return out.push(Effect::Refused(Refusal::InBreak)),
            _ => return out.push(Effect::Refused(Refusal::NotDue)),
        };
        if snoozes >= self.settings.snooze_limit {
            return out
                .push(Effect::Refused(Refusal::SnoozeLimit { limit: self.settings.snooze_limit }));
        }
        let count = snoozes + 1;
        self.state = State::Snoozed {
            until: now.mono + mins(self.settings.snooze_minutes.into()),
            snoozes: count,
        };
        out.push(Effect::Withdraw);
        self.desk.input(now.mono);
        self.checkpoint(now, out);
        self.record(now, EventKind::Snoozed { count }, out);
    }

    fn skip(&mut self, now: &Now, out: &mut Vec<Effect>) {
        match self.state {
            State::Working | State::Due(_) | State::Snoozed { .. } => {}
            State::InBreak(_) => return out.push(Effect::Refused(Refusal::InBreak)),
            State::Paused { .. } | State::OffHours | State::Away => {
                return out.push(Effect::Refused(Refusal::NotDue));
            }
        }
        if matches!(self.state, State::Due(_) | State::Snoozed { .. }) {
            out.push(Effect::Withdraw);
        }
        self.planned = None;
        self.desk.input(now.mono);
        self.checkpoint(now, out);
        self.desk.reset_counter(now.mono, now.timestamp());
        self.floor = Duration::ZERO;
        self.state = State::Working;
        self.record(now, EventKind::Skipped, out);
    }

    fn pause(&mut self, now: &Now, how: PauseFor, out: &mut Vec<Effect>) {
        if matches!(self.state, State::InBreak(_)) {
            return out.push(Effect::Refused(Refusal::InBreak));
        }
        let until = match how {
            PauseFor::Minutes { minutes } => now
                .timestamp()
                .saturating_add(SignedDuration::from_mins(minutes.into()))
                .unwrap_or(now.timestamp()),
            PauseFor::Until { until } => until,
            PauseFor::Tomorrow => self.tomorrow(&now.wall),
        };
        if until <= now.timestamp() {
            return out.push(Effect::Refused(Refusal::InThePast));
        }
        if matches!(self.state, State::Due(_) | State::Snoozed { .. }) {
            out.push(Effect::Withdraw);
        }
        self.planned = None;
        self.state = State::Paused { until };
        self.desk.input(now.mono);
        self.checkpoint(now, out);
        self.record(now, EventKind::Paused { until }, out);
    }

    fn end_pause(&mut self, now: &Now, auto: bool, out: &mut Vec<Effect>) {
        self.state = State::Working;
        self.floor = self.desk.counter(now.mono) + grace(&self.settings);
        self.record(now, EventKind::Resumed { auto }, out);
    }

    /// The earliest instant at which the scheduler needs to be called again if nothing else
    /// happens (a reminder, a repeat, a snooze or pause ending, a break's next phase, work hours
    /// starting or ending, a natural break being reached, a checkpoint of desk time, a new day).
    ///
    /// Always after `now`: anything due at `now` was handled by the input just taken. This is
    /// not enforced here but held by the tests, since a deadline in the past would make the
    /// daemon wake again at once, forever.
    pub fn next_deadline(&self, now: &Now) -> Option<Mono> {
        let mut at: Vec<Mono> = Vec::new();
        let desk = self.desk.counter(now.mono);
        let desk_deadline = |target: Duration| {
            self.desk.is_active().then(|| now.mono + target.saturating_sub(desk))
        };
        match &self.state {
            State::Working => at.extend(desk_deadline(self.remind_at_desk())),
            State::Due(due) if !due.repeated => {
                at.extend(desk_deadline(due.at_desk + grace(&self.settings)))
            }
            State::Due(_) => {}
            State::Snoozed { until, .. } => at.push(*until),
            State::InBreak(run) => at.extend(run.next_change(now.mono)),
            State::Paused { until } => at.push(now.mono_at(*until)),
            State::OffHours | State::Away => {}
        }
        if self.settings.work_hours.enabled {
            at.extend(self.next_work_boundary(&now.wall).map(|t| now.mono_at(t)));
        }
        at.extend(self.desk.natural_break_at(self.threshold()));
        if !self.desk.is_watched() {
            at.extend(self.desk.checkpoint_at(CHECKPOINT_EVERY));
        }
        at.push(now.mono_at(self.next_day_start(&now.wall)));
        at.into_iter().min()
    }

    /// When the daemon should next take an idle reading, if at all. While the person seems
    /// present, not before an idle spell could first reach the natural-break threshold (counted
    /// from the last input seen); a spell that ended sooner is found by that reading anyway,
    /// since it shows a newer input. While idle away, every `while_away`, to notice the return
    /// promptly. While locked or asleep, never: the unlock or the wake is signalled, and a
    /// reading could not bring the person back before it.
    pub fn next_idle_probe(&self, now: &Now, while_away: Duration) -> Option<Mono> {
        let earliest = now.mono + Duration::from_secs(1);
        match self.desk.presence() {
            Presence::Active { .. } => {
                // Also at a checkpoint: the reading tells how far the person was surely there.
                let threshold = self.desk.threshold_reachable_at(self.threshold());
                // (Not when that time has passed: the reading then showed the person idle, and
                // the next one, at the threshold, tells.)
                let checkpoint =
                    self.desk.checkpoint_at(CHECKPOINT_EVERY).filter(|at| *at > now.mono);
                // And at the day's start, to close the day's books where the person surely was.
                let day_start = now.mono_at(self.next_day_start(&now.wall));
                threshold
                    .into_iter()
                    .chain(checkpoint)
                    .chain([day_start])
                    .min()
                    .map(|at| at.max(earliest))
            }
            Presence::Away(away) if away.locked || away.suspended => None,
            Presence::Away(_) => Some(now.mono + while_away),
        }
    }

    fn tray_icon(&self) -> TrayIcon {
        match self.state {
            State::Due(_) => TrayIcon::Due,
            State::Paused { .. } | State::OffHours => TrayIcon::Paused,
            State::Working | State::Snoozed { .. } | State::InBreak(_) | State::Away => {
                TrayIcon::Counting
            }
        }
    }

    /// What readers may show, at `now`.
    pub fn snapshot(&self, now: &Now) -> Snapshot {
        let desk = self.desk.counter(now.mono);
        let (name, next, paused_until) = match &self.state {
            State::Working => {
                let left = self.remind_at_desk().saturating_sub(desk);
                (StateName::Working, Some(round_secs(left)), None)
            }
            State::Due(_) => (StateName::Due, Some(0), None),
            State::Snoozed { until, .. } => {
                (StateName::Working, Some(round_secs(*until - now.mono)), None)
            }
            State::InBreak(_) => (StateName::InBreak, None, None),
            State::Paused { until } => (StateName::Paused, None, Some(*until)),
            State::OffHours => (StateName::OffHours, None, None),
            State::Away => (StateName::Away, None, None),
        };
        let snoozes = match &self.state {
            State::Due(d) => d.snoozes,
            State::Snoozed { snoozes, .. } => *snoozes,
            _ => 0,
        };
        let (routine, progress) = match &self.state {
            State::InBreak(run) => (Some(run.routine.clone()), Some(run.progress(now.mono))),
            State::Due(_) | State::Snoozed { .. } => (self.planned.clone(), None),
            _ => (None, None),
        };
        Snapshot {
            status: Status {
                state: name,
                desk_seconds: round_secs(desk),
                next_break_in_seconds: next,
                paused_until,
                breaks_today: self.breaks_today,
            },
            desk_today_seconds: round_secs(self.desk.today(now.mono)),
            tray: self.tray_icon(),
            snoozes,
            can_snooze: snoozes < self.settings.snooze_limit,
            routine,
            break_progress: progress,
            last_break: self.last_break.clone(),
        }
    }
}

/// Moves named in a request must exist, and be few.
fn check_moves(ids: &[MoveId]) -> Result<(), Refusal> {
    if ids.len() > MAX_MOVES {
        return Err(Refusal::TooManyMoves { max: MAX_MOVES });
    }
    let catalog = Catalog::builtin();
    match ids.iter().find(|id| catalog.get(id).is_none()) {
        Some(id) => Err(Refusal::UnknownMove { id: id.clone() }),
        None => Ok(()),
    }
}
