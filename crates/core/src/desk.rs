//! Desk-time accounting: how long the person has been at the computer since their last break.
//!
//! Desk time is sitting time: it grows while the person is at the computer, including the pauses
//! between inputs (reading, thinking, listening on a call). The rule is simple and exact: an idle
//! spell that ends before the natural-break threshold is desk time, whole; a spell that reaches
//! the threshold is an absence from its first second, and counts as a break taken. So desk time
//! does not depend on when idle readings happen to be taken: a reading that shows a short spell
//! changes nothing, and a reading that shows a long one moves the absence back to its start
//! (`now - idle_for`). Lock and suspend count as away from the moment they happen.
//!
//! Three totals grow together: the `counter` toward the next reminder (reset by any break and by
//! a skip), the open history `segment` (closed when the person leaves, takes a break, the day
//! rolls over, or at a checkpoint) and `today`'s total.
//!
//! This module only keeps the books and reports what changed ([`Change`]); the scheduler decides
//! what each change means for reminders.

use std::time::Duration;

use jiff::Timestamp;

use crate::time::Mono;

/// Where the person is, as far as the computer can tell.
#[derive(Debug, Clone, PartialEq)]
pub enum Presence {
    /// At the desk since `since` (pauses between inputs included); desk time from `since` to now
    /// is not banked yet.
    Active { since: Mono },
    /// Not at the computer: locked, asleep, or idle long enough for a natural break.
    Away(Away),
}

/// An absence.
#[derive(Debug, Clone, PartialEq)]
pub struct Away {
    /// When it began (the last input, for an idle spell that reached the threshold).
    pub since: Mono,
    /// Time asleep within it: the monotonic clock stops while suspended.
    pub slept: Duration,
    /// The last idle reading that still showed the person away.
    pub seen: Mono,
    pub locked: bool,
    pub suspended: bool,
    /// Whether it has already been counted as a natural break.
    pub counted: bool,
}

impl Away {
    /// How long it has lasted at `now`, sleep included.
    pub fn length(&self, now: Mono) -> Duration {
        (now - self.since) + self.slept
    }
}

/// What a reading or event changed, for the scheduler to act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The person left: away began (a history segment of desk time may have closed).
    Left,
    /// Away long enough: a natural break, of this length so far.
    NaturalBreak { away: Duration },
    /// The person is back.
    Returned,
}

/// A closed stretch of desk time, for history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub started: Timestamp,
    pub seconds: u32,
}

/// The books.
#[derive(Debug, Clone, PartialEq)]
pub struct Desk {
    presence: Presence,
    /// Desk time toward the next reminder, banked up to the start of the current active span.
    counter: Duration,
    /// The open history segment: when it began and its banked desk time.
    segment: Option<(Timestamp, Duration)>,
    /// Today's banked desk time.
    today: Duration,
    /// Idle spells are never moved back before this instant (the last reset): time before a
    /// break was already settled.
    settled_until: Mono,
    /// The latest input known (from a reading, an unlock or a wake-up).
    last_input: Mono,
    /// When the last idle reading came.
    read_at: Option<Mono>,
    /// Whether any idle reading came: without an idle source no idle spell can ever be cut out
    /// of desk time, so all of it is certain.
    watched: bool,
}

impl Desk {
    /// Fresh books: the person is taken as active from `now`.
    pub fn new(now: Mono) -> Desk {
        Desk {
            presence: Presence::Active { since: now },
            counter: Duration::ZERO,
            segment: None,
            today: Duration::ZERO,
            settled_until: now,
            last_input: now,
            read_at: None,
            watched: false,
        }
    }

    /// Books that carry on from what history says (after a restart): `counter` toward the next
    /// reminder and `today`'s total, the person taken as active from `now`.
    pub fn resumed(now: Mono, counter: Duration, today: Duration) -> Desk {
        Desk { counter, today, ..Desk::new(now) }
    }

    pub fn presence(&self) -> &Presence {
        &self.presence
    }

    /// Whether the person is away (locked, asleep, or gone long enough for a natural break).
    pub fn is_away(&self) -> bool {
        matches!(self.presence, Presence::Away(_))
    }

    /// Whether desk time is growing right now.
    pub fn is_active(&self) -> bool {
        matches!(self.presence, Presence::Active { .. })
    }

    fn unbanked(&self, now: Mono) -> Duration {
        match self.presence {
            Presence::Active { since } => now - since,
            Presence::Away(_) => Duration::ZERO,
        }
    }

    /// Desk time toward the next reminder.
    pub fn counter(&self, now: Mono) -> Duration {
        self.counter + self.unbanked(now)
    }

    /// Desk time today.
    pub fn today(&self, now: Mono) -> Duration {
        self.today + self.unbanked(now)
    }

    /// The instant up to which desk time is certain: no absence found later can begin before
    /// it. That is the latest input known; with no idle source, now; and never before
    /// `now - threshold`, since an idle spell that began earlier would have been found by the
    /// reading taken when it reached the threshold.
    pub fn certain_until(&self, now: Mono, threshold: Duration) -> Mono {
        if self.watched {
            self.last_input.max(now.saturating_back(threshold)).min(now)
        } else {
            now
        }
    }

    /// Desk time banked in the open history segment.
    fn segment_banked(&self) -> Duration {
        self.segment.map_or(Duration::ZERO, |(_, banked)| banked)
    }

    /// Desk time not written to history yet, certain or not.
    pub fn unrecorded(&self, now: Mono) -> Duration {
        self.segment_banked() + self.unbanked(now)
    }

    /// Write out the certain desk time: close the open segment where certainty ends.
    pub fn checkpoint(
        &mut self,
        now: Mono,
        wall: Timestamp,
        threshold: Duration,
    ) -> Option<Segment> {
        let until = self.certain_until(now, threshold);
        self.close_segment(until, wall_back(wall, now - until))
    }

    /// Whether idle readings come (an idle source works).
    pub fn is_watched(&self) -> bool {
        self.watched
    }

    /// The idle source stopped working: from now on nothing can cut an idle spell out of desk
    /// time, as when there was none.
    pub fn unwatch(&mut self) {
        self.watched = false;
    }

    /// When `every` of desk time will be waiting to be written, if desk time is growing: the
    /// next checkpoint, so that a crash loses little. Without an idle source that is a deadline;
    /// with one, the time of an idle reading (only a reading tells how far the person was surely
    /// at the desk, and a deadline before it could come due again at once).
    pub fn checkpoint_at(&self, every: Duration) -> Option<Mono> {
        let Presence::Active { since } = self.presence else { return None };
        Some(since + every.saturating_sub(self.segment_banked()))
    }

    /// What an idle reading says of the last input, before anything else is done with it (the
    /// day's books are closed up to there when a new day begins).
    pub fn observe(&mut self, now: Mono, idle_for: Duration) {
        self.read_at = Some(now);
        if self.is_active() {
            self.watched = true;
            self.last_input =
                self.last_input.max(now.saturating_back(idle_for).max(self.settled_until));
        }
    }

    /// The latest input known.
    pub fn last_input(&self) -> Mono {
        self.last_input
    }

    /// How long since the last input, as a reading at most `fresh` old tells it while the
    /// person is at the desk; `None` when no such reading is at hand.
    pub fn idle_as_read(&self, now: Mono, fresh: Duration) -> Option<Duration> {
        let read_at = self.read_at?;
        (self.watched && self.is_active() && now - read_at <= fresh).then(|| now - self.last_input)
    }

    /// An action of the person's (a snooze, a pause): they are at the computer now.
    pub fn input(&mut self, now: Mono) {
        if self.is_active() {
            self.last_input = self.last_input.max(now);
        }
    }

    /// Bank the active span up to `until` (not before its start) and restart it there.
    fn bank(&mut self, until: Mono, wall_until: Timestamp) {
        if let Presence::Active { since } = self.presence {
            let until = until.max(since);
            let d = until - since;
            self.counter += d;
            self.today += d;
            match &mut self.segment {
                Some((_, banked)) => *banked += d,
                None if !d.is_zero() => {
                    self.segment = Some((wall_back(wall_until, d), d));
                }
                None => {}
            }
            self.presence = Presence::Active { since: until };
        }
    }

    /// Close the open history segment at `now`, returning it if it held any desk time.
    pub fn close_segment(&mut self, now: Mono, wall: Timestamp) -> Option<Segment> {
        self.bank(now, wall);
        let (started, banked) = self.segment.take()?;
        let seconds = crate::time::round_secs(banked) as u32;
        (seconds > 0).then_some(Segment { started, seconds })
    }

    /// Start a new day at `at` (the wall instant `wall`), seen at `now`: today's total starts
    /// again from zero. Returns the segment up to the day's end, or up to where desk time is
    /// certain if that is earlier (time that may still turn out to be an absence is not
    /// written; should it be desk time after all, it counts on the new day).
    pub fn roll_over(
        &mut self,
        at: Mono,
        wall: Timestamp,
        now: Mono,
        threshold: Duration,
    ) -> Option<Segment> {
        let until = at.min(self.certain_until(now, threshold));
        let segment = self.close_segment(until, wall_back(wall, at - until));
        self.today = Duration::ZERO;
        segment
    }

    /// A break was taken (or skipped): the count toward the next reminder starts again at `now`.
    pub fn reset_counter(&mut self, now: Mono, wall: Timestamp) {
        self.bank(now, wall);
        self.counter = Duration::ZERO;
        self.settled_until = now;
    }

    /// An idle reading: no input for `idle_for` at `now`. A spell shorter than `threshold`
    /// changes nothing (it is desk time); one that reached it is an absence from its start.
    pub fn idle_reading(
        &mut self,
        now: Mono,
        wall: Timestamp,
        idle_for: Duration,
        threshold: Duration,
    ) -> Vec<Change> {
        // The reading's own last input, and the same clamped to the last reset (time before a
        // break is settled; an idle spell is never moved back across it).
        let raw_last_input = now.saturating_back(idle_for);
        let last_input = raw_last_input.max(self.settled_until);
        self.watched = true;
        let mut changes = Vec::new();
        match &mut self.presence {
            Presence::Active { .. } => {}
            Presence::Away(away) => {
                let idle_away = !away.locked && !away.suspended;
                if idle_away && raw_last_input > away.since + Duration::from_secs(1) {
                    // Back at some point after the last reading that saw them away.
                    let back = away.seen.min(last_input).max(self.settled_until);
                    self.presence = Presence::Active { since: back };
                    changes.push(Change::Returned);
                } else {
                    away.seen = now;
                }
            }
        }
        if self.is_active() {
            self.last_input = self.last_input.max(last_input);
            if now - last_input >= threshold {
                changes.extend(self.leave(last_input, now, wall, false, false));
            }
        }
        changes.extend(self.check_natural(now, threshold));
        changes
    }

    /// Input told as it came, the first since the reading that last saw the person away: away
    /// until that input, not merely until that reading. Otherwise the same as any reading.
    pub fn back(
        &mut self,
        now: Mono,
        wall: Timestamp,
        idle_for: Duration,
        threshold: Duration,
    ) -> Vec<Change> {
        if let Presence::Away(away) = &mut self.presence
            && !away.locked
            && !away.suspended
        {
            away.seen = away.seen.max(now.saturating_back(idle_for));
        }
        self.idle_reading(now, wall, idle_for, threshold)
    }

    /// The person left at `since` (locked, suspended, or idle); close the segment there.
    fn leave(
        &mut self,
        since: Mono,
        now: Mono,
        wall: Timestamp,
        locked: bool,
        suspended: bool,
    ) -> Vec<Change> {
        self.bank(since, wall_back(wall, now - since));
        // An absence never begins before the active span it ends.
        let since = match self.presence {
            Presence::Active { since: active } => since.max(active),
            Presence::Away(_) => since,
        };
        self.presence = Presence::Away(Away {
            since,
            seen: now,
            slept: Duration::ZERO,
            locked,
            suspended,
            counted: false,
        });
        vec![Change::Left]
    }

    /// The session was locked.
    pub fn lock(&mut self, now: Mono, wall: Timestamp, threshold: Duration) -> Vec<Change> {
        let mut changes = Vec::new();
        match &mut self.presence {
            Presence::Away(away) => away.locked = true,
            Presence::Active { .. } => changes = self.leave(now, now, wall, true, false),
        }
        changes.extend(self.check_natural(now, threshold));
        changes
    }

    /// The machine is about to sleep.
    pub fn suspend(&mut self, now: Mono, wall: Timestamp) -> Vec<Change> {
        match &mut self.presence {
            Presence::Away(away) => {
                away.suspended = true;
                Vec::new()
            }
            Presence::Active { .. } => self.leave(now, now, wall, false, true),
        }
    }

    /// The machine woke after `slept` (which the monotonic clock did not see). When the sleep was
    /// not announced, it is an absence of that length that ends now.
    pub fn resume(
        &mut self,
        now: Mono,
        wall: Timestamp,
        slept: Duration,
        threshold: Duration,
    ) -> Vec<Change> {
        let mut changes = Vec::new();
        match &mut self.presence {
            Presence::Away(away) => {
                away.slept += slept;
                away.suspended = false;
            }
            Presence::Active { .. } => {
                changes = self.leave(now, now, wall, false, false);
                if let Presence::Away(away) = &mut self.presence {
                    away.slept = slept;
                }
            }
        }
        changes.extend(self.check_natural(now, threshold));
        changes.extend(self.come_back_unless_locked(now));
        changes
    }

    /// The session was unlocked: the person is back.
    pub fn unlock(&mut self, now: Mono, threshold: Duration) -> Vec<Change> {
        let mut changes = self.check_natural(now, threshold);
        if let Presence::Away(away) = &mut self.presence {
            away.locked = false;
        }
        changes.extend(self.come_back_unless_locked(now));
        changes
    }

    fn come_back_unless_locked(&mut self, now: Mono) -> Vec<Change> {
        match &self.presence {
            Presence::Away(away) if !away.locked && !away.suspended => {
                self.presence = Presence::Active { since: now };
                self.last_input = now;
                vec![Change::Returned]
            }
            _ => Vec::new(),
        }
    }

    /// Count an absence as a natural break once it reaches the threshold. Called on every input,
    /// so that an absence is settled when its time comes even with no idle reading (a locked
    /// screen on a desktop without an idle source).
    pub fn check_natural(&mut self, now: Mono, threshold: Duration) -> Vec<Change> {
        if let Presence::Away(away) = &mut self.presence
            && !away.counted
            && away.length(now) >= threshold
        {
            away.counted = true;
            let length = away.length(now);
            self.counter = Duration::ZERO;
            self.settled_until = now;
            return vec![Change::NaturalBreak { away: length }];
        }
        Vec::new()
    }

    /// When an absence in progress becomes a natural break, if it has not yet.
    pub fn natural_break_at(&self, threshold: Duration) -> Option<Mono> {
        match &self.presence {
            Presence::Away(away) if !away.counted => {
                Some(away.since + threshold.saturating_sub(away.slept))
            }
            _ => None,
        }
    }

    /// When an idle reading could first show the threshold reached: the driver's next probe
    /// while the person is active. (While away it probes every few seconds.)
    pub fn threshold_reachable_at(&self, threshold: Duration) -> Option<Mono> {
        match self.presence {
            Presence::Active { .. } => Some(self.last_input.max(self.settled_until) + threshold),
            Presence::Away(_) => None,
        }
    }
}

/// The wall instant `by` before `wall`.
fn wall_back(wall: Timestamp, by: Duration) -> Timestamp {
    wall.checked_sub(jiff::SignedDuration::try_from(by).unwrap_or_default()).unwrap_or(wall)
}
