//! The daemon's reading of time: both clocks into a [`Now`], real durations for the timers, and
//! how long the machine slept.
//!
//! With the `test-clock` feature (never in release builds), `UNSLOUCH_TIME_SCALE=k` makes this
//! clock run `k` times faster than the real one: every reading, every idle time and every
//! timer is scaled, so an end-to-end test sees a 40-minute interval in `40/k` minutes, and
//! `UNSLOUCH_TIME_START=2026-12-01T17:30` starts its wall clock at that local date and time
//! instead of now, so a test meets a given weekday and hour whenever it runs.

use std::time::Duration;

use tokio::time::Instant;

use jiff::{SignedDuration, Zoned};
use unslouch_core::{Mono, Now};

/// Both clocks, as the scheduler should see them.
#[derive(Debug, Clone)]
pub struct Clock {
    origin: Instant,
    wall_origin: Zoned,
    /// How many simulated seconds pass per real second (1 outside tests).
    scale: f64,
    /// Boot-time clock minus monotonic clock at the last check: it grows by the time asleep.
    asleep_offset: Option<Duration>,
    /// The wall clock is the start's plus the time on the monotonic clock (for tests, which
    /// run on tokio's paused clock), not the system's.
    virtual_wall: bool,
    /// The wall clock began at a given date and time (`UNSLOUCH_TIME_START`), so it is the
    /// start's plus the simulated time even at scale 1.
    wall_given: bool,
}

impl Clock {
    /// The clock of this process: real time, or scaled under `test-clock`.
    pub fn from_env() -> Result<Clock, String> {
        let mut clock = Clock::with_scale(scale_from_env()?);
        if let Some(start) = start_from_env()? {
            clock.wall_origin = start;
            clock.wall_given = true;
        }
        Ok(clock)
    }

    fn with_scale(scale: f64) -> Clock {
        Clock {
            origin: Instant::now(),
            wall_origin: Zoned::now(),
            scale,
            asleep_offset: asleep_offset(),
            virtual_wall: false,
            wall_given: false,
        }
    }

    /// A clock for tests on tokio's paused time: the wall clock starts at `wall` and follows
    /// tokio's clock; no sleep is ever seen.
    #[cfg(test)]
    pub fn virtual_from(wall: Zoned) -> Clock {
        Clock {
            origin: Instant::now(),
            wall_origin: wall,
            scale: 1.0,
            asleep_offset: None,
            virtual_wall: true,
            wall_given: false,
        }
    }

    /// Simulated seconds per real second.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Read both clocks.
    pub fn now(&self) -> Now {
        let real = self.origin.elapsed();
        if self.scale == 1.0 && !self.virtual_wall && !self.wall_given {
            return Now::new(Mono::from_origin(real), Zoned::now());
        }
        let simulated = real.mul_f64(self.scale);
        let wall = self
            .wall_origin
            .checked_add(SignedDuration::try_from(simulated).unwrap_or(SignedDuration::MAX))
            .unwrap_or_else(|_| self.wall_origin.clone());
        Now::new(Mono::from_origin(simulated), wall)
    }

    /// The real instant at which the simulated deadline falls.
    pub fn instant_at(&self, now: &Now, deadline: Mono) -> tokio::time::Instant {
        let ahead = deadline - now.mono;
        Instant::now() + ahead.div_f64(self.scale)
    }

    /// A real duration as the scheduler should see it (idle times).
    pub fn simulated(&self, real: Duration) -> Duration {
        // Saturating: a source that reports nonsense (u64::MAX ms idle) must not panic here.
        Duration::try_from_secs_f64(real.as_secs_f64() * self.scale).unwrap_or(Duration::MAX)
    }

    /// Time spent asleep since the last call (simulated), from the growth of the boot-time
    /// clock over the monotonic one. Zero where the boot-time clock is not available.
    pub fn slept_since_last_check(&mut self) -> Duration {
        if self.virtual_wall {
            return Duration::ZERO;
        }
        let Some(offset) = asleep_offset() else { return Duration::ZERO };
        let previous = self.asleep_offset.replace(offset).unwrap_or(offset);
        self.simulated(offset.saturating_sub(previous))
    }
}

#[cfg(target_os = "linux")]
fn asleep_offset() -> Option<Duration> {
    use rustix::time::{ClockId, clock_gettime};
    let boot = clock_gettime(ClockId::Boottime);
    let mono = clock_gettime(ClockId::Monotonic);
    let as_duration = |t: rustix::time::Timespec| {
        Duration::new(u64::try_from(t.tv_sec).ok()?, u32::try_from(t.tv_nsec).ok()?).into()
    };
    let (boot, mono): (Option<Duration>, Option<Duration>) = (as_duration(boot), as_duration(mono));
    Some(boot?.saturating_sub(mono?))
}

#[cfg(not(target_os = "linux"))]
fn asleep_offset() -> Option<Duration> {
    None
}

#[cfg(feature = "test-clock")]
fn scale_from_env() -> Result<f64, String> {
    match std::env::var("UNSLOUCH_TIME_SCALE") {
        Err(_) => Ok(1.0),
        Ok(text) => match text.parse::<f64>() {
            Ok(k) if k.is_finite() && (1.0..=100_000.0).contains(&k) => Ok(k),
            _ => {
                Err(format!("UNSLOUCH_TIME_SCALE must be a number from 1 to 100000, not `{text}`"))
            }
        },
    }
}

#[cfg(not(feature = "test-clock"))]
fn scale_from_env() -> Result<f64, String> {
    Ok(1.0)
}

#[cfg(feature = "test-clock")]
fn start_from_env() -> Result<Option<Zoned>, String> {
    let text = match std::env::var("UNSLOUCH_TIME_START") {
        Ok(text) => text,
        Err(std::env::VarError::NotPresent) => return Ok(None),
        Err(e) => return Err(format!("UNSLOUCH_TIME_START: {e}")),
    };
    // A time the clocks skip or repeat that day is refused, not moved.
    text.parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|start| jiff::tz::TimeZone::system().to_ambiguous_zoned(start).unambiguous().ok())
        .map(Some)
        .ok_or_else(|| {
            format!(
                "UNSLOUCH_TIME_START must be a local date and time like 2026-12-01T17:30 that \
                 the clocks do not skip or repeat, not `{text}`"
            )
        })
}

#[cfg(not(feature = "test-clock"))]
fn start_from_env() -> Result<Option<Zoned>, String> {
    Ok(None)
}
