//! Time as a value: one reading of the monotonic and wall clocks, handed to every call.
//!
//! The core never reads a clock. The daemon reads both clocks once per event and passes a
//! [`Now`]; tests build `Now`s by hand and run weeks in milliseconds.
//!
//! Elapsed time (desk time, snooze, the break's timeline) is measured on the monotonic clock,
//! which a manual clock change or a DST switch does not move. Wall time is used only for what a
//! person names by the clock: "pause until 14:30", work hours, the local day.

use std::ops::{Add, Sub};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp, Zoned};

/// A reading of the monotonic clock: time since an arbitrary origin fixed by the daemon.
///
/// It stops while the machine is suspended, like `CLOCK_MONOTONIC`; the daemon reports how
/// long it slept separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Mono(Duration);

impl Mono {
    /// The origin.
    pub const ZERO: Mono = Mono(Duration::ZERO);

    /// The reading that is `since_origin` after the origin.
    pub const fn from_origin(since_origin: Duration) -> Mono {
        Mono(since_origin)
    }

    /// Time since the origin.
    pub const fn since_origin(self) -> Duration {
        self.0
    }

    /// Time from `earlier` to `self`, zero if `earlier` is later.
    pub fn saturating_since(self, earlier: Mono) -> Duration {
        self.0.saturating_sub(earlier.0)
    }

    /// `self` moved back by `d`, stopping at the origin.
    pub fn saturating_back(self, d: Duration) -> Mono {
        Mono(self.0.saturating_sub(d))
    }
}

impl Add<Duration> for Mono {
    type Output = Mono;
    fn add(self, d: Duration) -> Mono {
        Mono(self.0 + d)
    }
}

impl Sub<Mono> for Mono {
    type Output = Duration;
    /// Saturating: an instant before `self` gives zero, never a panic.
    fn sub(self, earlier: Mono) -> Duration {
        self.saturating_since(earlier)
    }
}

/// One reading of both clocks, with the local time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Now {
    /// The monotonic reading, for everything measured as elapsed time.
    pub mono: Mono,
    /// The wall-clock reading in the local zone, for everything named by the clock.
    pub wall: Zoned,
}

impl Now {
    /// A reading.
    pub fn new(mono: Mono, wall: Zoned) -> Now {
        Now { mono, wall }
    }

    /// The wall reading as an instant.
    pub fn timestamp(&self) -> Timestamp {
        self.wall.timestamp()
    }

    /// The reading `d` later on both clocks (what a test does between two events).
    pub fn after(&self, d: Duration) -> Now {
        let wall = self
            .wall
            .checked_add(SignedDuration::try_from(d).unwrap_or(SignedDuration::MAX))
            .unwrap_or_else(|_| self.wall.clone());
        Now { mono: self.mono + d, wall }
    }

    /// The monotonic instant that corresponds to wall instant `at`, as seen from this reading.
    /// An instant in the past maps to `self.mono`.
    pub fn mono_at(&self, at: Timestamp) -> Mono {
        let ahead = at.duration_since(self.wall.timestamp());
        match Duration::try_from(ahead) {
            Ok(d) => self.mono + d,
            Err(_) => self.mono,
        }
    }
}

/// Whole seconds of `d`, rounded to the nearest.
pub fn round_secs(d: Duration) -> u64 {
    (d + Duration::from_millis(500)).as_secs()
}

/// `n` minutes.
pub const fn mins(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}

/// `n` seconds.
pub const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}
