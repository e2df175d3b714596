//! What may hold a due reminder back, and for how long: a meeting (a camera or microphone in
//! use), a film, game or presentation in fullscreen, Do Not Disturb, and typing.
//!
//! The daemon's detectors only observe (`Input::Hold`); the rules are here. While a reason holds,
//! a reminder that falls due waits, counted once and never stacked. When the last reason ends,
//! it comes after a short grace (not the instant a call ends). A reason that holds past its cap
//! stops holding, and the reminder comes at once. Desk time goes on counting throughout: the
//! person is at the desk.
//!
//! Typing is the last thing looked at, when a reminder is about to show: if the person gave
//! input within the last `typing_pause_seconds`, it waits for a pause that long (at once when
//! one comes, no grace: the pause is the moment), but never longer than `typing_cap_seconds`.
//! The idle readings that tell it cannot tell keys from the pointer: any input counts, which is
//! what being mid-sentence or mid-drag looks like.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::settings::Settings;
use crate::time::{Mono, secs};

/// Why a due reminder waits.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// A camera or a microphone is in use.
    Meeting,
    /// The active window is fullscreen.
    Fullscreen,
    /// The desktop's Do Not Disturb is on.
    Dnd,
    /// The person is typing (gave input within the last few seconds).
    Typing,
}

impl HoldReason {
    /// Whether the person wants reminders held for this reason.
    pub fn enabled(self, s: &Settings) -> bool {
        match self {
            HoldReason::Meeting => s.hold_for_meetings,
            HoldReason::Fullscreen => s.hold_for_fullscreen,
            HoldReason::Dnd => s.hold_for_dnd,
            HoldReason::Typing => s.hold_while_typing,
        }
    }

    /// How long it may hold a reminder at most; `None`: as long as it lasts. (Typing has a cap
    /// of its own, counted from when typing began holding: see [`Held::typing_ends`].)
    pub fn cap(self, s: &Settings) -> Option<Duration> {
        let minutes = |m: u32| (m > 0).then(|| secs(u64::from(m) * 60));
        match self {
            HoldReason::Meeting => minutes(s.meeting_cap_minutes),
            HoldReason::Fullscreen => minutes(s.fullscreen_cap_minutes),
            HoldReason::Dnd => minutes(s.dnd_cap_minutes),
            HoldReason::Typing => None,
        }
    }
}

/// Whether the person is in a meeting: a camera in use, or a microphone, each as far as the
/// settings let it tell.
pub fn in_meeting(camera: bool, microphone: bool, s: &Settings) -> bool {
    (camera && s.meeting_camera) || (microphone && s.meeting_microphone)
}

/// A reminder that fell due and waits.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// When it fell due.
    pub since: Mono,
    /// Every reason that held it so far.
    pub reasons: BTreeSet<HoldReason>,
    /// When the grace after the last reason ended runs out.
    pub release: Option<Mono>,
    /// Snoozes in a row before it fell due again.
    pub snoozes: u32,
    /// When typing began holding it, once it was otherwise ready to show.
    pub typing_since: Option<Mono>,
}

impl Held {
    /// A reminder falling due at `now` with these snoozes behind it.
    pub fn new(now: Mono, snoozes: u32) -> Held {
        Held { since: now, reasons: BTreeSet::new(), release: None, snoozes, typing_since: None }
    }

    /// When `reason` stops holding this reminder because of its cap (counted from when the
    /// reminder fell due).
    pub fn cap_ends(&self, reason: HoldReason, s: &Settings) -> Option<Mono> {
        reason.cap(s).map(|cap| self.since + cap)
    }

    /// When typing stops holding this reminder however much the person types.
    pub fn typing_ends(&self, s: &Settings) -> Option<Mono> {
        self.typing_since.map(|since| since + secs(s.typing_cap_seconds.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_is_a_camera_or_a_microphone_in_use_as_far_as_the_settings_count_them() {
        let s = Settings::default();
        assert!(in_meeting(true, false, &s));
        assert!(in_meeting(false, true, &s));
        assert!(!in_meeting(false, false, &s));
        let no_mic = Settings { meeting_microphone: false, ..Settings::default() };
        assert!(!in_meeting(false, true, &no_mic), "the microphone left out");
        assert!(in_meeting(true, true, &no_mic));
        let no_camera = Settings { meeting_camera: false, ..Settings::default() };
        assert!(!in_meeting(true, false, &no_camera), "the camera left out");
    }
}
