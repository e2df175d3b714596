//! The reminder machine: when a reminder is due, what snooze, skip, pause and breaks do, and how
//! presence (at the desk, away, outside work hours) gates it.
//!
//! What was observed enters as an [`Input`], what was asked as an [`Ask`], each with the time it
//! happened ([`Now`]); both leave as [`Effect`]s for the daemon's adapters to carry out, and an
//! ask is also answered: done, or refused. The scheduler never waits: after each call,
//! [`Scheduler::next_deadline`] says when it next needs to be called if nothing else happens, and
//! the daemon sleeps until then.
//!
//! Desk-time deadlines (the reminder, its one repeat) are measured in desk time on the monotonic
//! clock, so a clock change moves none of them. Pauses, work hours and the day's rollover are
//! named by the wall clock.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, Zoned};

use crate::ask::check_moves;
pub use crate::ask::{Ask, MAX_MOVES, PauseFor, Refusal};
pub use crate::break_run::{BreakControl, BreakProgress, BreakRun, Phase};
use crate::desk::{Change, Desk, Presence};
use crate::history::{
    Event, EventKind, Outcome, Trigger, day_start, local_day, next_day_start, week_start,
};
use crate::hold::{Held, HoldReason};
use crate::routines::{Catalog, Memory, MoveId, PlanRequest, Routine, plan, routine_of, session};
use crate::settings::Settings;
pub use crate::snapshot::{FinishedBreak, Snapshot, StateName, Status, TrayIcon, status_line};
use crate::time::{Mono, Now, mins, round_secs, secs};

/// Desk time is written to history at least this often while it grows, so that a crash, a
/// power cut or a kill loses at most this much of it.
pub const CHECKPOINT_EVERY: Duration = mins(5);

/// Whether the person is typing as a reminder is about to show.
enum Typing {
    Yes,
    No,
    /// No fresh reading tells.
    Unknown,
}

/// How old an idle reading may be and still tell whether the person is typing.
const FRESH_READING: Duration = Duration::from_secs(1);

/// Something observed, for the scheduler to take into account.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// An idle reading: no keyboard or mouse input for this long.
    Idle { idle_for: Duration },
    /// The idle source told of input as it came: the first since the last reading that saw the
    /// person away (a source that watches for the return, so nothing was missed in between),
    /// with the reading taken then. The return is dated by it, not by the probe before.
    Back { idle_for: Duration },
    /// The session was locked.
    Locked,
    /// The session was unlocked.
    Unlocked,
    /// The machine is about to sleep.
    Suspending,
    /// The machine woke after sleeping this long (which the monotonic clock did not count).
    Resumed { slept: Duration },
    /// A deadline passed; nothing else is new.
    Tick,
    /// The idle source stopped working (from now on, desk time counts all the time).
    IdleSourceLost,
    /// Something that holds a due reminder back began (`on`) or ended: a meeting, fullscreen,
    /// Do Not Disturb.
    Hold { reason: HoldReason, on: bool },
    /// The daemon is stopping: close the books.
    Shutdown,
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
    /// Append to history.
    Record(Event),
    /// Suggest a full session (shown like a reminder; a reminder that falls due replaces it).
    Invite(Invitation),
}

/// A suggestion to do the week's full session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invitation {
    /// About how long the session lasts.
    pub minutes: u32,
    /// Sessions done this week, and the week's aim.
    pub done: u32,
    pub aim: u32,
}

/// A reminder to show.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// Counting desk time toward the next reminder, which comes at the interval, and not before
    /// the desk time `not_before` (set when reminders come back on: never one at once).
    Working { not_before: Duration },
    /// A reminder is out and unanswered.
    Due(Due),
    /// A reminder fell due but waits: a meeting, fullscreen or Do Not Disturb holds it
    /// (see [`crate::hold`]).
    Held(Held),
    /// The reminder was put off until `until`; `routine` is the one it offered.
    Snoozed { until: Mono, snoozes: u32, routine: Routine },
    /// A break is running; `then_paused` is a pause that was on when it started, to return to.
    InBreak { run: Box<BreakRun>, then_paused: Option<Timestamp> },
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
    /// The routine it offers (empty when no move fits the settings).
    pub routine: Routine,
}

/// The scheduler: owns the state and the desk books.
#[derive(Debug, Clone)]
pub struct Scheduler {
    settings: Settings,
    state: State,
    desk: Desk,
    memory: Memory,
    /// Breaks taken today (completed or ended early).
    breaks_today: u32,
    /// The local day the books are in.
    day: Date,
    last_break: Option<FinishedBreak>,
    /// When full sessions were completed lately (the last few weeks), oldest first.
    sessions: Vec<Timestamp>,
    /// The local day a full session was last suggested on.
    invited_on: Option<Date>,
    /// What the detectors say holds reminders back now.
    holding: BTreeSet<HoldReason>,
    /// Whether idle readings see short pauses (a few seconds), which typing is told by.
    pauses_seen: bool,
    /// Advanced on every plan, so that plans vary but replay exactly.
    seed: u64,
    /// The moves: ours and the person's own.
    catalog: Arc<Catalog>,
}

impl Scheduler {
    /// A scheduler starting at `now` with these settings, planner memory (rebuilt from history)
    /// and seed.
    pub fn new(now: &Now, settings: Settings, memory: Memory, seed: u64) -> Scheduler {
        Scheduler::new_in(Arc::new(Catalog::builtin().clone()), now, settings, memory, seed)
    }

    /// A scheduler as [`Scheduler::new`] gives, planning from `catalog`.
    pub fn new_in(
        catalog: Arc<Catalog>,
        now: &Now,
        settings: Settings,
        memory: Memory,
        seed: u64,
    ) -> Scheduler {
        let day = local_day(now.timestamp(), now.wall.time_zone(), settings.day_starts_at_hour);
        let state = if settings.work_hours.allow(&now.wall) {
            State::Working { not_before: Duration::ZERO }
        } else {
            State::OffHours
        };
        Scheduler {
            state,
            desk: Desk::new(now.mono),
            memory,
            breaks_today: 0,
            day,
            last_break: None,
            sessions: Vec::new(),
            invited_on: None,
            holding: BTreeSet::new(),
            pauses_seen: false,
            seed,
            settings,
            catalog,
        }
    }

    /// A scheduler that carries on from what history says, after a restart (a crash, a kill,
    /// an upgrade): the planner's memory, today's breaks and desk time, and the desk time toward
    /// the next reminder, unless the person has been gone since then for the natural-break
    /// threshold (the daemon was down, or the machine off). `events` in time order.
    pub fn restore(now: &Now, settings: Settings, events: &[Event], seed: u64) -> Scheduler {
        Scheduler::restore_in(Arc::new(Catalog::builtin().clone()), now, settings, events, seed)
    }

    /// A scheduler as [`Scheduler::restore`] gives, planning from `catalog`.
    pub fn restore_in(
        catalog: Arc<Catalog>,
        now: &Now,
        settings: Settings,
        events: &[Event],
        seed: u64,
    ) -> Scheduler {
        let mut memory = Memory::default();
        for e in events {
            memory.observe_in(&catalog, e.at, &e.kind);
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
        let sessions = events
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::BreakFinished { session: true, outcome: Outcome::Completed, .. }
                )
            })
            .map(|e| e.at)
            .collect();
        // The day a session was last suggested or begun.
        let invited_on = events
            .iter()
            .rev()
            .find(|e| {
                matches!(
                    e.kind,
                    EventKind::Invited { .. } | EventKind::BreakStarted { session: true, .. }
                )
            })
            .map(|e| local_day(e.at, tz, hour));
        let mut s = Scheduler::new_in(catalog, now, settings, memory, seed);
        s.breaks_today = breaks_today;
        s.sessions = sessions;
        s.invited_on = invited_on;
        s.desk = Desk::resumed(now.mono, counter, desk_today);
        if let Some(Some(until)) = paused
            && until > now.timestamp()
        {
            s.state = State::Paused { until };
        }
        s
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// The moves it plans from.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
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

    /// How long a reminder waits after reminders came back on (a pause ended, work hours
    /// began, the person came back from a short absence), and before an unanswered one is shown
    /// again.
    fn remind_again(&self) -> Duration {
        mins(self.settings.remind_again_minutes.into())
    }

    /// The state reminders restart in, at `now`: never with one at once.
    fn working_again(&self, now: &Now) -> State {
        State::Working { not_before: self.desk.counter(now.mono) + self.remind_again() }
    }

    /// When "pause until tomorrow" ends: the first work hour of the next work day, or the start
    /// of the next local day when work hours are off.
    fn tomorrow(&self, wall: &Zoned) -> Timestamp {
        let tz = wall.time_zone();
        let day_start = next_day_start(wall.timestamp(), tz, self.settings.day_starts_at_hour);
        self.settings.work_hours.first_start_from(day_start, tz)
    }

    fn record(&mut self, now: &Now, kind: EventKind, out: &mut Vec<Effect>) {
        self.memory.observe_in(&self.catalog, now.timestamp(), &kind);
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

    /// A new routine from the planner, or `None` when no desk move fits the settings.
    fn plan(&mut self, now: &Now) -> Option<Routine> {
        self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        plan(&self.catalog, &self.plan_request(now))
    }

    /// A full session from the planner, or `None` when no strengthening move is allowed.
    fn plan_session(&mut self, now: &Now) -> Option<Routine> {
        self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        session(&self.catalog, &self.plan_request(now))
    }

    /// What a plan at `now` depends on (the seed as last advanced).
    fn plan_request(&self, now: &Now) -> PlanRequest<'_> {
        let day_start = day_start(self.day, now.wall.time_zone(), self.settings.day_starts_at_hour)
            .unwrap_or(now.timestamp());
        PlanRequest {
            settings: &self.settings,
            memory: &self.memory,
            now: now.timestamp(),
            day_start,
            seed: self.seed,
        }
    }

    /// Show the reminder, or show it again (when one is due): `routine` is the one shown before,
    /// to offer again, or `None` for a new plan.
    fn remind(&mut self, now: &Now, routine: Option<Routine>, snoozes: u32, out: &mut Vec<Effect>) {
        let repeat = matches!(self.state, State::Due(_));
        let routine = routine.or_else(|| self.plan(now)).unwrap_or_default();
        let can_snooze = snoozes < self.settings.snooze_limit;
        self.record(now, EventKind::Reminded { repeat, moves: routine.move_ids() }, out);
        self.state = State::Due(Due {
            at_desk: self.desk.counter(now.mono),
            repeated: repeat,
            snoozes,
            routine: routine.clone(),
        });
        out.push(Effect::Notify(Reminder { routine, repeat, can_snooze, snoozes }));
    }

    /// Take what was observed at `now` and say what to do.
    pub fn observe(&mut self, now: &Now, input: Input) -> Vec<Effect> {
        let mut out = Vec::new();
        if let Input::Idle { idle_for } | Input::Back { idle_for } = input {
            self.desk.observe(now.mono, idle_for);
        }
        self.roll_day(now, &mut out);
        let threshold = self.threshold();
        let changes = match input {
            Input::Idle { idle_for } => {
                self.desk.idle_reading(now.mono, now.timestamp(), idle_for, threshold)
            }
            Input::Back { idle_for } => {
                self.desk.back(now.mono, now.timestamp(), idle_for, threshold)
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
            Input::Hold { reason, on } => {
                self.hold(now, reason, on, &mut out);
                Vec::new()
            }
            Input::Shutdown => {
                let segment = self.desk.close_segment(now.mono, now.timestamp());
                self.record_segment(segment, now.timestamp(), &mut out);
                Vec::new()
            }
        };
        self.follow(now, changes, &mut out);
        out
    }

    /// Take what the person asked at `now`: what to do, and whether it was done. A refused ask
    /// changes nothing, but the effects of time having passed still come with it.
    pub fn ask(&mut self, now: &Now, ask: Ask) -> (Vec<Effect>, Result<(), Refusal>) {
        let mut out = Vec::new();
        self.roll_day(now, &mut out);
        let answer = match ask {
            Ask::Settings(settings) => {
                self.settings = *settings;
                Ok(())
            }
            Ask::StartBreak { moves } => self.start_break(now, moves.as_deref(), &mut out),
            Ask::StartSession => self.start_session(now, &mut out),
            Ask::Snooze => self.snooze(now, &mut out),
            Ask::Skip => self.skip(now, &mut out),
            Ask::Pause(how) => self.pause(now, how, &mut out),
            Ask::Resume => match self.state {
                State::Paused { .. } => {
                    self.end_pause(now, false, &mut out);
                    Ok(())
                }
                _ => Err(Refusal::NotPaused),
            },
            Ask::Break(control) => self.control_break(now, control, &mut out),
            Ask::Feedback { feel, moves } => check_moves(&self.catalog, &moves).map(|()| {
                self.record(now, EventKind::Feedback { feel, moves }, &mut out);
                self.drop_painful_from_offer(now);
            }),
            Ask::BringBack { moves } => self.bring_back(now, moves, &mut out),
        };
        self.follow(now, Vec::new(), &mut out);
        (out, answer)
    }

    /// What follows any call: absences reaching the threshold, the state catching up with the
    /// time, and a checkpoint when one is due.
    fn follow(&mut self, now: &Now, mut changes: Vec<Change>, out: &mut Vec<Effect>) {
        // An absence reaches the threshold when its time comes, whatever woke us (a `Tick` on a
        // desktop with no idle source, a request, a lock).
        changes.extend(self.desk.check_natural(now.mono, self.threshold()));
        self.apply_changes(now, changes, out);
        self.settle(now, out);
        // What is certain of it is written (see `Desk::checkpoint`); the reading that the
        // driver takes at this time (`next_idle_probe`) makes that nearly all of it.
        if self.desk.unrecorded(now.mono) >= CHECKPOINT_EVERY {
            self.checkpoint(now, out);
        }
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
                    // The absence was a break: the next reminder comes a whole interval on, and
                    // one that was out is answered (a sleep nobody announced, with it on screen).
                    let answered = matches!(self.state, State::Due(_) | State::Snoozed { .. });
                    if answered {
                        out.push(Effect::Withdraw);
                    }
                    if answered || matches!(self.state, State::Working { .. } | State::Held(_)) {
                        self.state = State::Working { not_before: Duration::ZERO };
                    }
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
        if let State::InBreak { run, .. } = &self.state
            && run.is_finished(now.mono)
        {
            self.finish_break(now, Outcome::Completed, out);
        }
        if let State::Paused { until } = self.state
            && now.timestamp() >= until
        {
            self.end_pause(now, true, out);
        }
        let reminding = matches!(
            self.state,
            State::Working { .. } | State::Due(_) | State::Snoozed { .. } | State::Held(_)
        );
        let resting = matches!(self.state, State::OffHours | State::Away);
        if !(reminding || resting) {
            return;
        }

        let away = self.desk.is_away();
        if away || !self.settings.work_hours.allow(&now.wall) {
            if matches!(self.state, State::Due(_) | State::Snoozed { .. }) {
                out.push(Effect::Withdraw);
            }
            self.state = if away { State::Away } else { State::OffHours };
            return;
        }
        if resting {
            // Back at the desk within work hours: never a reminder at once.
            self.state = self.working_again(now);
        }

        let desk = self.desk.counter(now.mono);
        match &self.state {
            State::Working { not_before } => {
                if desk >= self.interval().max(*not_before) {
                    self.fall_due(now, 0, out);
                }
            }
            State::Snoozed { until, snoozes, .. } => {
                if now.mono >= *until {
                    let snoozes = *snoozes;
                    self.fall_due(now, snoozes, out);
                }
            }
            State::Held(_) => self.hold_or_let_go(now, out),
            State::Due(due) => {
                if !due.repeated && desk >= due.at_desk + self.remind_again() {
                    // The same routine again; planned anew when none could be the first time.
                    let routine = Some(due.routine.clone()).filter(|r| !r.steps.is_empty());
                    let snoozes = due.snoozes;
                    self.remind(now, routine, snoozes, out);
                }
            }
            State::InBreak { .. } | State::Paused { .. } | State::OffHours | State::Away => {}
        }
        self.invite(now, out);
    }

    /// A reminder falls due: shown, or held when something holds it.
    fn fall_due(&mut self, now: &Now, snoozes: u32, out: &mut Vec<Effect>) {
        self.state = State::Held(Held::new(now.mono, snoozes));
        self.hold_or_let_go(now, out);
    }

    /// The reasons that hold the reminder `held` at `now`: each on, wanted, and within its cap.
    fn holding_now(&self, now: &Now, held: &Held) -> BTreeSet<HoldReason> {
        let s = &self.settings;
        let within = |r: HoldReason| held.cap_ends(r, s).is_none_or(|end| now.mono < end);
        self.holding.iter().copied().filter(|r| r.enabled(s) && within(*r)).collect()
    }

    /// A held reminder: keep holding it while something holds it; when the last reason ended,
    /// show it after the grace (at once when a cap ran out).
    fn hold_or_let_go(&mut self, now: &Now, out: &mut Vec<Effect>) {
        let State::Held(held) = &self.state else { return };
        let mut held = held.clone();
        let active = self.holding_now(now, &held);
        if !active.is_empty() {
            held.reasons.extend(active);
            held.release = None;
            // Typing is looked at anew once this ends.
            held.typing_since = None;
            self.state = State::Held(held);
            return;
        }
        // A reason that ended (rather than one that ran out its cap) gives the person a moment
        // before the reminder: not the instant a call ends. (Typing ends in a pause, which is
        // that moment.)
        let ended =
            held.reasons.iter().any(|r| *r != HoldReason::Typing && !self.holding.contains(r));
        let grace = secs(self.settings.hold_grace_seconds.into());
        if ended && !grace.is_zero() {
            match held.release {
                None => {
                    held.release = Some(now.mono + grace);
                    self.state = State::Held(held);
                    return;
                }
                Some(at) if now.mono < at => return,
                Some(_) => {}
            }
        }
        // Ready to show: unless the person is typing, then at the first pause (or the cap).
        match self.typing(now, &held) {
            Typing::Yes => {
                held.typing_since.get_or_insert(now.mono);
                held.reasons.insert(HoldReason::Typing);
                self.state = State::Held(held);
                return;
            }
            // No reading at hand (a deadline woke the daemon, or a detector's signal): one is
            // asked for at once, and the reminder waits for it.
            Typing::Unknown => {
                held.typing_since.get_or_insert(now.mono);
                self.state = State::Held(held);
                return;
            }
            Typing::No => {}
        }
        if !held.reasons.is_empty() {
            let reasons = held.reasons.iter().copied().collect();
            let seconds = round_secs(now.mono - held.since) as u32;
            self.record(now, EventKind::Held { reasons, seconds }, out);
        }
        let snoozes = held.snoozes;
        self.remind(now, None, snoozes, out);
    }

    /// Whether the person is typing as the reminder `held` is about to show: input within the
    /// typing pause, as a reading taken now tells (no reading, no guess), and the typing cap
    /// not yet run out.
    fn typing(&self, now: &Now, held: &Held) -> Typing {
        let s = &self.settings;
        if !self.pauses_seen || !HoldReason::Typing.enabled(s) {
            return Typing::No;
        }
        if held.typing_ends(s).is_some_and(|end| now.mono >= end) {
            return Typing::No;
        }
        let pause = secs(s.typing_pause_seconds.into());
        match self.desk.idle_as_read(now.mono, FRESH_READING) {
            Some(idle) if idle < pause => Typing::Yes,
            Some(_) => Typing::No,
            None if self.desk.is_active() => Typing::Unknown,
            None => Typing::No,
        }
    }

    /// Whether the idle readings see pauses of a few seconds (the daemon says so for its
    /// source; a source that only tells long idle spells cannot tell typing).
    pub fn set_pauses_seen(&mut self, seen: bool) {
        self.pauses_seen = seen;
    }

    /// When a reading should tell whether the person still types: the moment the pause would
    /// be reached if no input came after the last one seen.
    fn typing_probe(&self, held: &Held) -> Option<Mono> {
        held.typing_since?;
        let pause = secs(self.settings.typing_pause_seconds.into());
        Some(self.desk.last_input() + pause)
    }

    /// A detector says a reason to hold reminders began or ended. One that begins while a
    /// reminder is out takes it off the screen and holds it.
    fn hold(&mut self, now: &Now, reason: HoldReason, on: bool, out: &mut Vec<Effect>) {
        // Typing is told by the idle readings, not a detector.
        if reason == HoldReason::Typing {
            return;
        }
        if !on {
            self.holding.remove(&reason);
            return;
        }
        self.holding.insert(reason);
        if let State::Due(due) = &self.state
            && reason.enabled(&self.settings)
        {
            let mut held = Held::new(now.mono, due.snoozes);
            held.reasons.insert(reason);
            out.push(Effect::Withdraw);
            self.state = State::Held(held);
        }
    }

    /// The instant today's invitation to a full session falls due, if one may still come today.
    fn invitation_at(&self, now: &Now) -> Option<Timestamp> {
        let s = &self.settings;
        // The person's day (which begins at `day_starts_at_hour`) is the one that must be a
        // session day; a session time before that hour falls on the next calendar date.
        let on_day = s.session_days.iter().any(|d| d.weekday() == self.day.weekday());
        if s.weekly_sessions == 0 || !on_day || self.invited_on == Some(self.day) {
            return None;
        }
        let date = if s.session_time.0.hour() < s.day_starts_at_hour as i8 {
            self.day.tomorrow().ok()?
        } else {
            self.day
        };
        let at = date.to_datetime(s.session_time.0).to_zoned(now.wall.time_zone().clone()).ok()?;
        Some(at.timestamp())
    }

    /// Suggest a full session: on a session day from the session time, once a day, when the
    /// person is at the desk, no reminder is out and nothing holds reminders back (a meeting, a
    /// fullscreen window, Do Not Disturb), while the week's aim is not met.
    fn invite(&mut self, now: &Now, out: &mut Vec<Effect>) {
        if !matches!(self.state, State::Working { .. }) {
            return;
        }
        // Never in a meeting, a film or Do Not Disturb: it waits until that is over.
        if self.holding.iter().any(|r| r.enabled(&self.settings)) {
            return;
        }
        let Some(at) = self.invitation_at(now) else { return };
        let done = self.sessions_this_week(now);
        if now.timestamp() < at || done >= self.settings.weekly_sessions {
            return;
        }
        self.invited_on = Some(self.day);
        let Some(routine) = self.plan_session(now) else { return };
        let minutes = routine.total_seconds().div_ceil(60);
        self.record(now, EventKind::Invited { minutes }, out);
        out.push(Effect::Invite(Invitation { minutes, done, aim: self.settings.weekly_sessions }));
    }

    fn start_break(
        &mut self,
        now: &Now,
        only: Option<&[MoveId]>,
        out: &mut Vec<Effect>,
    ) -> Result<(), Refusal> {
        let offered = match &self.state {
            State::InBreak { .. } => return Err(Refusal::InBreak),
            State::Due(Due { routine, .. }) | State::Snoozed { routine, .. } => Some(routine),
            _ => None,
        };
        let answering = offered.is_some();
        let routine = match (only, offered) {
            (None, Some(routine)) if !routine.steps.is_empty() => routine.clone(),
            (None, _) => self.plan(now).ok_or(Refusal::NoMoves)?,
            (Some(ids), _) => {
                check_moves(&self.catalog, ids)?;
                if let Some(id) = ids.iter().find(|id| self.memory.is_painful(id)) {
                    return Err(Refusal::Hurt { id: id.clone() });
                }
                self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
                routine_of(&self.catalog, &self.memory, ids)
                    .map_err(|id| Refusal::UnknownMove { id })?
            }
        };
        if routine.steps.is_empty() {
            return Err(Refusal::NoMoves);
        }
        self.begin(now, routine, answering, out);
        Ok(())
    }

    /// Start a full session now: planned afresh, whether or not a reminder is due (a due one is
    /// answered by it).
    fn start_session(&mut self, now: &Now, out: &mut Vec<Effect>) -> Result<(), Refusal> {
        if matches!(self.state, State::InBreak { .. }) {
            return Err(Refusal::InBreak);
        }
        let routine = self.plan_session(now).ok_or(Refusal::NoMoves)?;
        let answering = matches!(self.state, State::Due(_) | State::Snoozed { .. });
        self.begin(now, routine, answering, out);
        Ok(())
    }

    /// Begin a break of `routine` (`answering`: it answers the reminder out).
    fn begin(&mut self, now: &Now, routine: Routine, answering: bool, out: &mut Vec<Effect>) {
        let trigger = if answering { Trigger::Reminder } else { Trigger::Manual };
        let then_paused = match self.state {
            State::Paused { until } => Some(until),
            _ => None,
        };
        // The reminder, or today's suggestion of a session, is answered by the break.
        if answering || self.invited_on == Some(self.day) {
            out.push(Effect::Withdraw);
        }
        let segment = self.desk.close_segment(now.mono, now.timestamp());
        self.record_segment(segment, now.timestamp(), out);
        if routine.session {
            // A session today: no suggestion of another.
            self.invited_on = Some(self.day);
        }
        let started = EventKind::BreakStarted {
            trigger,
            moves: routine.move_ids(),
            session: routine.session,
        };
        self.record(now, started, out);
        let run = Box::new(BreakRun::new(routine, trigger, now.mono));
        self.state = State::InBreak { run, then_paused };
        out.push(Effect::OpenBreak);
    }

    fn finish_break(&mut self, now: &Now, outcome: Outcome, out: &mut Vec<Effect>) {
        let State::InBreak { run, then_paused } = &self.state else { return };
        let then_paused = *then_paused;
        let moves = run.moves_reached(now.mono);
        let levels = moves
            .iter()
            .map(|id| run.routine.steps.iter().find(|s| &s.move_id == id).map_or(0, |s| s.level))
            .collect();
        let seconds = round_secs(run.elapsed(now.mono).min(run.total())) as u32;
        let session = run.routine.session;
        let done = run.done(now.mono);
        // The break's own time is written before the break ends in history: after a restart,
        // only desk time written after the last break counts toward the next reminder.
        self.desk.input(now.mono);
        self.checkpoint(now, out);
        let finished =
            EventKind::BreakFinished { outcome, moves: moves.clone(), seconds, session, done };
        self.record(now, finished, out);
        if session && outcome == Outcome::Completed {
            // Two weeks are more than this week's count needs.
            if let Ok(fortnight) =
                now.timestamp().saturating_sub(SignedDuration::from_hours(14 * 24))
            {
                self.sessions.retain(|at| *at >= fortnight);
            }
            self.sessions.push(now.timestamp());
        }
        self.desk.reset_counter(now.mono, now.timestamp());
        self.breaks_today += 1;
        self.last_break = Some(FinishedBreak { outcome, moves, levels, at: now.timestamp() });
        self.state = match then_paused {
            Some(until) if until > now.timestamp() => State::Paused { until },
            _ => State::Working { not_before: Duration::ZERO },
        };
    }

    fn control_break(
        &mut self,
        now: &Now,
        control: BreakControl,
        out: &mut Vec<Effect>,
    ) -> Result<(), Refusal> {
        let State::InBreak { run, .. } = &mut self.state else { return Err(Refusal::NoBreak) };
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
        Ok(())
    }

    fn snooze(&mut self, now: &Now, out: &mut Vec<Effect>) -> Result<(), Refusal> {
        let (snoozes, routine) = match &self.state {
            State::Due(due) => (due.snoozes, due.routine.clone()),
            State::InBreak { .. } => return Err(Refusal::InBreak),
            _ => return Err(Refusal::NotDue),
        };
        if snoozes >= self.settings.snooze_limit {
            return Err(Refusal::SnoozeLimit { limit: self.settings.snooze_limit });
        }
        let count = snoozes + 1;
        self.state = State::Snoozed {
            until: now.mono + mins(self.settings.snooze_minutes.into()),
            snoozes: count,
            routine,
        };
        out.push(Effect::Withdraw);
        self.desk.input(now.mono);
        self.checkpoint(now, out);
        self.record(now, EventKind::Snoozed { count }, out);
        Ok(())
    }

    fn skip(&mut self, now: &Now, out: &mut Vec<Effect>) -> Result<(), Refusal> {
        match self.state {
            State::Working { .. } | State::Held(_) => {}
            State::Due(_) | State::Snoozed { .. } => out.push(Effect::Withdraw),
            State::InBreak { .. } => return Err(Refusal::InBreak),
            State::Paused { .. } | State::OffHours | State::Away => return Err(Refusal::NotDue),
        }
        self.desk.input(now.mono);
        self.checkpoint(now, out);
        self.desk.reset_counter(now.mono, now.timestamp());
        self.state = State::Working { not_before: Duration::ZERO };
        self.record(now, EventKind::Skipped, out);
        Ok(())
    }

    fn pause(&mut self, now: &Now, how: PauseFor, out: &mut Vec<Effect>) -> Result<(), Refusal> {
        if matches!(self.state, State::InBreak { .. }) {
            return Err(Refusal::InBreak);
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
            return Err(Refusal::InThePast);
        }
        if matches!(self.state, State::Due(_) | State::Snoozed { .. }) {
            out.push(Effect::Withdraw);
        }
        self.state = State::Paused { until };
        self.desk.input(now.mono);
        self.checkpoint(now, out);
        self.record(now, EventKind::Paused { until }, out);
        Ok(())
    }

    /// A reminder out (or snoozed) offers a routine planned before a move in it was reported
    /// as hurting: plan it again without, so that "Start" never runs it.
    fn drop_painful_from_offer(&mut self, now: &Now) {
        let painful = |r: &Routine| r.steps.iter().any(|s| self.memory.is_painful(&s.move_id));
        let stale = match &self.state {
            State::Due(Due { routine, .. }) | State::Snoozed { routine, .. } => painful(routine),
            _ => false,
        };
        if !stale {
            return;
        }
        let fresh = self.plan(now).unwrap_or_default();
        if let State::Due(Due { routine, .. }) | State::Snoozed { routine, .. } = &mut self.state {
            *routine = fresh;
        }
    }

    fn bring_back(
        &mut self,
        now: &Now,
        moves: Vec<MoveId>,
        out: &mut Vec<Effect>,
    ) -> Result<(), Refusal> {
        check_moves(&self.catalog, &moves)?;
        if moves.is_empty() {
            return Err(Refusal::NoMoves);
        }
        if let Some(id) = moves.iter().find(|id| !self.memory.is_painful(id)) {
            return Err(Refusal::NotLeftOut { id: id.clone() });
        }
        self.record(now, EventKind::BroughtBack { moves }, out);
        Ok(())
    }

    fn end_pause(&mut self, now: &Now, auto: bool, out: &mut Vec<Effect>) {
        self.state = self.working_again(now);
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
        match &self.state {
            State::Working { not_before } => {
                at.extend(self.desk_deadline(now, self.interval().max(*not_before)));
            }
            State::Due(due) if !due.repeated => {
                at.extend(self.desk_deadline(now, due.at_desk + self.remind_again()));
            }
            State::Due(_) => {}
            State::Snoozed { until, .. } => at.push(*until),
            State::Held(held) => {
                // The grace running out or a cap (a grace that ran out while typing holds the
                // reminder is behind), and the typing cap.
                at.extend(self.held_ends(now, held));
                at.extend(held.typing_ends(&self.settings).filter(|end| *end > now.mono));
            }
            State::InBreak { run, .. } => at.extend(run.next_change(now.mono)),
            State::Paused { until } => at.push(now.mono_at(*until)),
            State::OffHours | State::Away => {}
        }
        at.extend(self.settings.work_hours.next_boundary(&now.wall).map(|t| now.mono_at(t)));
        at.extend(self.desk.natural_break_at(self.threshold()));
        if !self.desk.is_watched() {
            at.extend(self.desk.checkpoint_at(CHECKPOINT_EVERY));
        }
        at.push(now.mono_at(self.next_day_start(&now.wall)));
        // Today's invitation, while it is still to come (once its time has passed, it waits for
        // the person to be at the desk, which an input tells).
        at.extend(self.invitation_at(now).filter(|t| *t > now.timestamp()).map(|t| now.mono_at(t)));
        at.into_iter().min()
    }

    /// The wall instant the next local day begins.
    fn next_day_start(&self, wall: &Zoned) -> Timestamp {
        next_day_start(wall.timestamp(), wall.time_zone(), self.settings.day_starts_at_hour)
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
                // And when a reminder may show, to see whether the person is typing.
                let showing = self.typing_check_at(now);
                threshold
                    .into_iter()
                    .chain(checkpoint)
                    .chain([day_start])
                    .chain(showing)
                    .min()
                    .map(|at| at.max(earliest))
            }
            Presence::Away(away) if away.locked || away.suspended => None,
            Presence::Away(_) => Some(now.mono + while_away),
        }
    }

    /// When a reading should tell whether the person types, if a reminder may show then: the
    /// moment it falls due, a snooze or a grace runs out, a cap ends, or, while typing holds
    /// it, the pause would be reached.
    fn typing_check_at(&self, now: &Now) -> Option<Mono> {
        if !self.pauses_seen || !HoldReason::Typing.enabled(&self.settings) {
            return None;
        }
        match &self.state {
            State::Working { not_before } => {
                self.desk_deadline(now, self.interval().max(*not_before))
            }
            State::Snoozed { until, .. } => Some(*until),
            State::Held(held) if held.typing_since.is_some() => self.typing_probe(held),
            State::Held(held) => self.held_ends(now, held),
            _ => None,
        }
    }

    /// When desk time reaches `target`, if it is growing.
    fn desk_deadline(&self, now: &Now, target: Duration) -> Option<Mono> {
        let desk = self.desk.counter(now.mono);
        self.desk.is_active().then(|| now.mono + target.saturating_sub(desk))
    }

    /// The next instant a held reminder may be let go, still to come: the grace running out, or
    /// a holding reason's cap.
    fn held_ends(&self, now: &Now, held: &Held) -> Option<Mono> {
        let holding = self.holding_now(now, held);
        let caps = holding.iter().filter_map(|r| held.cap_ends(*r, &self.settings));
        held.release.into_iter().chain(caps).filter(|at| *at > now.mono).min()
    }

    fn tray_icon(&self) -> TrayIcon {
        match self.state {
            State::Due(_) | State::Held(_) => TrayIcon::Due,
            State::Paused { .. } | State::OffHours => TrayIcon::Paused,
            State::Working { .. } | State::Snoozed { .. } | State::InBreak { .. } | State::Away => {
                TrayIcon::Counting
            }
        }
    }

    /// What readers may show, at `now`.
    /// Full sessions completed this week (weeks begin on Monday, at the hour days begin).
    fn sessions_this_week(&self, now: &Now) -> u32 {
        let tz = now.wall.time_zone();
        let hour = self.settings.day_starts_at_hour;
        let today = local_day(now.timestamp(), tz, hour);
        let monday = week_start(today);
        self.sessions.iter().filter(|at| local_day(**at, tz, hour) >= monday).count() as u32
    }

    pub fn snapshot(&self, now: &Now) -> Snapshot {
        let desk = self.desk.counter(now.mono);
        let (name, next, paused_until) = match &self.state {
            State::Working { not_before } => {
                let left = self.interval().max(*not_before).saturating_sub(desk);
                (StateName::Working, Some(round_secs(left)), None)
            }
            State::Due(_) | State::Held(_) => (StateName::Due, Some(0), None),
            State::Snoozed { until, .. } => {
                (StateName::Working, Some(round_secs(*until - now.mono)), None)
            }
            State::InBreak { .. } => (StateName::InBreak, None, None),
            State::Paused { until } => (StateName::Paused, None, Some(*until)),
            State::OffHours => (StateName::OffHours, None, None),
            State::Away => (StateName::Away, None, None),
        };
        let (snoozes, routine, progress) = match &self.state {
            // An empty routine (no move fits the settings) is shown as none.
            State::Due(d) => {
                (d.snoozes, Some(d.routine.clone()).filter(|r| !r.steps.is_empty()), None)
            }
            State::Snoozed { snoozes, routine, .. } => {
                (*snoozes, Some(routine.clone()).filter(|r| !r.steps.is_empty()), None)
            }
            State::InBreak { run, .. } => {
                (0, Some(run.routine.clone()), Some(run.progress(now.mono)))
            }
            _ => (0, None, None),
        };
        let status = Status {
            state: name,
            desk_seconds: round_secs(desk),
            next_break_in_seconds: next,
            paused_until,
            breaks_today: self.breaks_today,
            sessions_this_week: self.sessions_this_week(now),
            held_by: match &self.state {
                // What it waits for now: typing, or the reasons holding it; in the grace
                // after they ended, the reasons that held it.
                State::Held(held)
                    if held.typing_since.is_some()
                        && held.reasons.contains(&HoldReason::Typing) =>
                {
                    vec![HoldReason::Typing]
                }
                State::Held(held) => {
                    let active = self.holding_now(now, held);
                    let reasons = if active.is_empty() { &held.reasons } else { &active };
                    reasons.iter().copied().collect()
                }
                _ => Vec::new(),
            },
        };
        Snapshot {
            status_line: status_line(&status, snoozes, &now.wall),
            status,
            desk_today_seconds: round_secs(self.desk.today(now.mono)),
            tray: self.tray_icon(),
            snoozes,
            can_snooze: snoozes < self.settings.snooze_limit,
            routine,
            break_progress: progress,
            last_break: self.last_break.clone(),
            left_out: self.memory.painful(),
            levels: self.memory.levels(&self.catalog),
        }
    }
}
