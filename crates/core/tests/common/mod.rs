//! A harness that plays the daemon's driver against a simulated person, on a fake clock.
//!
//! The person is either active (typing) or idle; the harness wakes the scheduler exactly when
//! the real driver would (the next deadline, or the next idle probe), feeds it an idle reading
//! computed from the simulated person, and keeps every effect. Tests read like timelines:
//! `h.active(mins(39)); h.expect_no_reminder(); h.active(mins(1)); h.expect_reminder();`

#![allow(dead_code)]

use std::time::Duration;

use jiff::Zoned;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use unslouch_core::history::{Event, EventKind};
use unslouch_core::routines::Memory;
use unslouch_core::schedule::{Ask, Effect, Input, Refusal, Reminder, StateName};
use unslouch_core::time::{Mono, Now};
use unslouch_core::{Scheduler, Settings, Snapshot};

/// How often the simulated driver probes while the person is idle or away.
pub const PROBE_WHILE_AWAY: Duration = Duration::from_secs(5);

/// How often it probes while away when the idle source tells the return as it comes (the
/// readings then only guard against a watch that stopped working).
pub const PROBE_WHILE_WATCHED: Duration = Duration::from_secs(60);

/// Central European time with its DST rules, written out so tests need no tz database.
pub fn berlin() -> TimeZone {
    TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").expect("valid POSIX zone")
}

/// Eastern time in North America.
pub fn new_york() -> TimeZone {
    TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").expect("valid POSIX zone")
}

/// Lord Howe Island: its summer time moves the clock by 30 minutes, at 02:00.
pub fn lord_howe() -> TimeZone {
    TimeZone::posix("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0").expect("valid POSIX zone")
}

/// Beirut: its clocks change at midnight, so some days have no 00:00 and some have two.
pub fn beirut() -> TimeZone {
    TimeZone::posix("EET-2EEST,M3.5.0/0,M10.5.0/0").expect("valid POSIX zone")
}

/// A wall-clock reading in Berlin.
pub fn at(datetime: &str) -> Zoned {
    at_in(datetime, berlin())
}

/// A wall-clock reading in `tz`.
pub fn at_in(datetime: &str, tz: TimeZone) -> Zoned {
    let dt: DateTime = datetime.parse().expect("a civil datetime");
    dt.to_zoned(tz).expect("exists in the zone")
}

pub struct Harness {
    pub s: Scheduler,
    pub now: Now,
    /// Everything emitted, in order, with the instant.
    pub log: Vec<(Now, Effect)>,
    /// When the simulated person last touched the keyboard or mouse.
    pub last_input: Mono,
    /// How many times the scheduler was woken.
    pub wakes: u64,
    /// Every call: the state before, the state after, and what it emitted.
    pub steps: Vec<(StateName, StateName, Vec<Effect>)>,
    /// No idle source: the driver wakes only for deadlines and feeds `Tick`, as the daemon does
    /// on a desktop without idle detection.
    pub blind: bool,
    /// When each wake-up happened.
    pub wake_times: Vec<Mono>,
    /// Every refusal, in order.
    pub refusals: Vec<Refusal>,
    /// Read idle only at the probes the scheduler asks for (and `Tick` at other deadlines),
    /// exactly as the daemon's driver does; otherwise every wake-up reads.
    pub probes_only: bool,
    /// When each idle reading was taken.
    pub read_times: Vec<Mono>,
    /// The idle source tells the return as it comes ([`Harness::back`]); the driver probes
    /// while away only every [`PROBE_WHILE_WATCHED`].
    pub watching_returns: bool,
}

impl Harness {
    /// Monday 2026-11-23 09:00 in Berlin, default settings.
    pub fn new() -> Harness {
        Harness::with(Settings::default())
    }

    pub fn with(settings: Settings) -> Harness {
        Harness::starting(settings, "2026-11-23T09:00")
    }

    pub fn starting(settings: Settings, datetime: &str) -> Harness {
        Harness::starting_in(settings, datetime, berlin())
    }

    pub fn starting_in(settings: Settings, datetime: &str, tz: TimeZone) -> Harness {
        let now = Now::new(Mono::from_origin(Duration::from_secs(1000)), at_in(datetime, tz));
        let s = Scheduler::new(&now, settings, Memory::default(), 7);
        Harness {
            s,
            last_input: now.mono,
            now,
            log: Vec::new(),
            wakes: 0,
            steps: Vec::new(),
            blind: false,
            wake_times: Vec::new(),
            refusals: Vec::new(),
            probes_only: false,
            read_times: Vec::new(),
            watching_returns: false,
        }
    }

    /// The same harness with no idle source (see [`Harness::blind`]).
    pub fn without_idle_source(mut self) -> Harness {
        self.blind = true;
        self
    }

    fn feed(&mut self, input: Input) {
        let before = self.state();
        let effects = self.s.observe(&self.now, input);
        self.take(before, effects);
    }

    fn take(&mut self, before: StateName, effects: Vec<Effect>) {
        self.steps.push((before, self.state(), effects.clone()));
        for e in effects {
            self.log.push((self.now.clone(), e));
        }
    }

    /// Send an input now.
    pub fn input(&mut self, input: Input) {
        self.feed(input);
    }

    /// Let the running break run to its end (and a second more), the person away from the keys.
    pub fn sit_out_the_break(&mut self) {
        let routine = self.snapshot().routine.expect("a break runs");
        self.idle(Duration::from_secs(u64::from(routine.total_seconds()) + 1));
    }

    /// Ask something now, and say whether it was done.
    pub fn try_ask(&mut self, ask: Ask) -> Result<(), Refusal> {
        let before = self.state();
        let (effects, answer) = self.s.ask(&self.now, ask);
        self.take(before, effects);
        if let Err(refusal) = &answer {
            self.refusals.push(refusal.clone());
        }
        answer
    }

    /// Ask something now, whatever the answer (refusals are kept in [`Harness::refusals`]).
    pub fn ask(&mut self, ask: Ask) {
        let _ = self.try_ask(ask);
    }

    /// The same harness with idle readings that see pauses of a few seconds, taken only when
    /// the scheduler asks (the daemon's driver on X11 or GNOME): typing can hold reminders.
    pub fn seeing_pauses(mut self) -> Harness {
        self.s.set_pauses_seen(true);
        self.probes_only = true;
        self
    }

    /// The same harness with an idle source that tells the return as it comes (see
    /// [`Harness::watching_returns`]).
    pub fn watching_returns(mut self) -> Harness {
        self.watching_returns = true;
        self
    }

    /// The person touches the keys now, and the source tells of it at once, with a reading.
    pub fn back(&mut self) {
        self.last_input = self.now.mono;
        self.read_times.push(self.now.mono);
        self.feed(Input::Back { idle_for: Duration::ZERO });
    }

    /// An idle reading now, as the person's last input makes it.
    pub fn reading(&mut self) {
        self.read_times.push(self.now.mono);
        let idle_for = self.now.mono - self.last_input;
        self.feed(Input::Idle { idle_for });
    }

    /// Let `d` pass; `active` says whether the person keeps typing. The scheduler is woken at
    /// each deadline or probe, as the daemon's driver would.
    ///
    /// Panics when the scheduler asks to be woken at or before now: the daemon would wake again
    /// at once, forever.
    pub fn pass(&mut self, d: Duration, active: bool) {
        let end = self.now.mono + d;
        let mut turns = 0u32;
        loop {
            turns += 1;
            assert!(turns < 200_000, "woken {turns} times in {d:?} at {}", self.now.wall);
            let deadline = self.s.next_deadline(&self.now);
            if let Some(deadline) = deadline {
                assert!(
                    deadline > self.now.mono,
                    "a deadline already due: {deadline:?} at {:?} ({}), state {:?}",
                    self.now.mono,
                    self.now.wall,
                    self.state()
                );
            }
            let mut wake = deadline.unwrap_or(end).min(end);
            let mut probe_at = None;
            if !self.blind
                && let Some(probe) = self.s.next_idle_probe(
                    &self.now,
                    if self.watching_returns { PROBE_WHILE_WATCHED } else { PROBE_WHILE_AWAY },
                )
            {
                assert!(probe > self.now.mono, "an idle probe already due at {}", self.now.wall);
                wake = wake.min(probe);
                probe_at = Some(probe);
            }
            let step = wake - self.now.mono;
            self.now = self.now.after(step);
            if active {
                self.last_input = self.now.mono;
            }
            if wake == end {
                break;
            }
            self.wakes += 1;
            self.wake_times.push(self.now.mono);
            if self.probes_only && probe_at != Some(wake) {
                self.feed(Input::Tick);
            } else {
                self.look();
            }
        }
        if self.probes_only {
            self.feed(Input::Tick);
        } else {
            self.look();
        }
    }

    /// What the driver does when it wakes: an idle reading, or a `Tick` without an idle source.
    fn look(&mut self) {
        if self.blind { self.feed(Input::Tick) } else { self.reading() }
    }

    pub fn active(&mut self, d: Duration) {
        self.pass(d, true);
    }

    pub fn idle(&mut self, d: Duration) {
        self.pass(d, false);
    }

    /// Move both clocks by `d` with no wake-up and no input in between (a frozen process).
    pub fn jump(&mut self, d: Duration) {
        self.now = self.now.after(d);
    }

    pub fn snapshot(&self) -> Snapshot {
        self.s.snapshot(&self.now)
    }

    pub fn state(&self) -> StateName {
        self.snapshot().status.state
    }

    pub fn desk_minutes(&self) -> f64 {
        self.s.desk().counter(self.now.mono).as_secs_f64() / 60.0
    }

    /// Reminders shown so far.
    pub fn reminders(&self) -> Vec<(Now, Reminder)> {
        self.log
            .iter()
            .filter_map(|(n, e)| match e {
                Effect::Notify(r) => Some((n.clone(), r.clone())),
                _ => None,
            })
            .collect()
    }

    pub fn events(&self) -> Vec<Event> {
        self.log
            .iter()
            .filter_map(|(_, e)| match e {
                Effect::Record(ev) => Some(ev.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn count_events(&self, pred: impl Fn(&EventKind) -> bool) -> usize {
        self.events().iter().filter(|e| pred(&e.kind)).count()
    }

    pub fn effects_since(&self, mark: usize) -> Vec<Effect> {
        self.log[mark..].iter().map(|(_, e)| e.clone()).collect()
    }

    pub fn mark(&self) -> usize {
        self.log.len()
    }
}

/// `days` workdays: 8 hours at the desk with short idle spells, an hour's lunch behind a locked
/// screen, every reminder answered in turn by starting the break, snoozing or skipping, and the
/// laptop asleep from evening to 09:00.
pub fn month_of_workdays(h: &mut Harness, days: u32) {
    use unslouch_core::schedule::StateName;
    let mut answer = 0u32;
    for _day in 0..days {
        for block in 0..8 {
            h.active(Duration::from_secs(25 * 60));
            h.idle(Duration::from_secs(2 * 60));
            h.active(Duration::from_secs(20 * 60));
            if h.state() == StateName::Due {
                match answer % 3 {
                    0 => {
                        h.ask(Ask::StartBreak { moves: None });
                        h.sit_out_the_break();
                    }
                    1 => h.ask(Ask::Snooze),
                    _ => h.ask(Ask::Skip),
                }
                answer += 1;
            }
            if block == 3 {
                h.input(Input::Locked);
                h.idle(Duration::from_secs(45 * 60));
                h.input(Input::Unlocked);
                h.last_input = h.now.mono;
            }
        }
        // Asleep until 09:00 the next day.
        h.input(Input::Suspending);
        let tz = h.now.wall.time_zone().clone();
        let next = h.now.wall.date().tomorrow().unwrap().at(9, 0, 0, 0).to_zoned(tz).unwrap();
        let slept = Duration::try_from(next.timestamp().duration_since(h.now.timestamp())).unwrap();
        h.now.wall = next;
        h.input(Input::Resumed { slept });
        h.last_input = h.now.mono;
    }
}
