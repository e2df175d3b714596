//! A running break's timeline: for each move a moment to get ready, then the work (one side,
//! a switch, the other side for one-sided moves). Time runs while the break is not paused; the
//! timeline says where the break is at any instant, when it next changes phase, and which moves
//! were reached.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::history::{Done, Trigger};
use crate::routines::{MoveId, Routine, SWITCH_SIDES_SECONDS, Side};
use crate::time::Mono;

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
    /// Resting between two sets of a move.
    Rest,
}

/// One stretch of a break's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    step: usize,
    phase: Phase,
    side: Option<Side>,
    /// 0-based set of the step (a rest belongs to the set it leads into).
    set: u32,
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
}

impl BreakRun {
    /// A break of `routine` starting at `now`.
    pub fn new(routine: Routine, trigger: Trigger, now: Mono) -> BreakRun {
        BreakRun { routine, trigger, elapsed: Duration::ZERO, running_since: Some(now) }
    }

    fn segments(&self) -> Vec<Segment> {
        let mut out = Vec::new();
        for (i, s) in self.routine.steps.iter().enumerate() {
            let seg = |phase, side, set, seconds| Segment { step: i, phase, side, set, seconds };
            out.push(seg(Phase::Prepare, None, 0, s.prepare_seconds));
            for set in 0..s.sets.max(1) {
                if set > 0 {
                    out.push(seg(Phase::Rest, None, set, s.rest_seconds));
                }
                if s.per_side {
                    out.push(seg(Phase::Work, Some(Side::Left), set, s.seconds_per_side));
                    out.push(seg(Phase::SwitchSides, None, set, SWITCH_SIDES_SECONDS));
                    out.push(seg(Phase::Work, Some(Side::Right), set, s.seconds_per_side));
                } else {
                    out.push(seg(Phase::Work, None, set, s.seconds_per_side));
                }
            }
        }
        out
    }

    pub fn total(&self) -> Duration {
        Duration::from_secs(self.routine.total_seconds().into())
    }

    /// Running time so far.
    pub fn elapsed(&self, now: Mono) -> Duration {
        self.elapsed + self.running_since.map_or(Duration::ZERO, |since| now - since)
    }

    pub fn is_finished(&self, now: Mono) -> bool {
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
    pub fn moves_reached(&self, now: Mono) -> Vec<MoveId> {
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

    /// What was done of each move reached by `now`: its level, dose and the sets begun.
    pub fn done(&self, now: Mono) -> Vec<Done> {
        let elapsed = self.elapsed(now);
        let mut start = Duration::ZERO;
        let mut sets = vec![0u32; self.routine.steps.len()];
        for seg in self.segments() {
            let first_side = seg.side != Some(Side::Right);
            if seg.phase == Phase::Work && first_side && elapsed > start {
                sets[seg.step] = sets[seg.step].max(seg.set + 1);
            }
            start += Duration::from_secs(seg.seconds.into());
        }
        let steps = self.routine.steps.iter().zip(sets).filter(|(_, sets)| *sets > 0);
        steps
            .map(|(s, sets)| Done {
                move_id: s.move_id.clone(),
                level: s.level,
                dose: s.dose,
                sets,
            })
            .collect()
    }

    pub fn pause(&mut self, now: Mono) {
        if let Some(since) = self.running_since.take() {
            self.elapsed += now - since;
        }
    }

    pub fn resume(&mut self, now: Mono) {
        if self.running_since.is_none() {
            self.running_since = Some(now);
        }
    }

    /// Jump to the start of the next move.
    pub fn skip_move(&mut self, now: Mono) {
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
    pub fn next_change(&self, now: Mono) -> Option<Mono> {
        self.running_since?;
        self.position(now).map(|(_, _, left)| now + left)
    }

    pub fn progress(&self, now: Mono) -> BreakProgress {
        let (seg, left) =
            self.position(now).map_or((None, Duration::ZERO), |(_, s, left)| (Some(s), left));
        BreakProgress {
            step: seg.map_or(self.routine.steps.len().saturating_sub(1), |s| s.step),
            steps: self.routine.steps.len(),
            phase: seg.map_or(Phase::Work, |s| s.phase),
            side: seg.and_then(|s| s.side),
            set: seg.map_or(0, |s| s.set),
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
    /// The current set of the move, 0-based (the move's step says how many there are).
    pub set: u32,
    /// Length of the current phase.
    pub phase_seconds: u32,
    /// Time left in the current phase, in milliseconds.
    pub phase_left_ms: u64,
    /// Time left in the whole routine, in milliseconds.
    pub total_left_ms: u64,
    pub paused: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routines::{Dose, Step, TRANSITION_SECONDS};
    use crate::time::secs;

    /// Two moves: a 20 s one, then a one-sided one of 10 s per side.
    fn run() -> BreakRun {
        let step = |id: &str, seconds: u32, per_side: bool| Step {
            move_id: id.into(),
            level: 0,
            seconds_per_side: seconds,
            per_side,
            dose: Dose::Timed { seconds },
            prepare_seconds: TRANSITION_SECONDS,
            sets: 1,
            rest_seconds: 0,
        };
        let routine = Routine {
            steps: vec![step("chin-tuck", 20, false), step("doorway-stretch", 10, true)],
            session: false,
        };
        BreakRun::new(routine, Trigger::Manual, Mono::ZERO)
    }

    fn at(s: u64) -> Mono {
        Mono::ZERO + secs(s)
    }

    #[test]
    fn the_timeline_runs_prepare_work_then_both_sides() {
        let r = run();
        let t = u64::from(TRANSITION_SECONDS);
        let switch = u64::from(SWITCH_SIDES_SECONDS);
        assert_eq!(r.total(), secs(t + 20 + t + 10 + switch + 10));
        let p = r.progress(at(0));
        assert_eq!((p.step, p.phase, p.side), (0, Phase::Prepare, None));
        let p = r.progress(at(t));
        assert_eq!((p.step, p.phase, p.phase_left_ms), (0, Phase::Work, 20_000));
        let p = r.progress(at(t + 20 + t));
        assert_eq!((p.step, p.phase, p.side), (1, Phase::Work, Some(Side::Left)));
        let p = r.progress(at(t + 20 + t + 10));
        assert_eq!(p.phase, Phase::SwitchSides);
        let p = r.progress(at(t + 20 + t + 10 + switch));
        assert_eq!((p.phase, p.side), (Phase::Work, Some(Side::Right)));
        assert!(!r.is_finished(at(t + 20 + t + 10 + switch + 9)));
        assert!(r.is_finished(at(t + 20 + t + 10 + switch + 10)));
        assert_eq!(r.next_change(at(1)), Some(at(t)));
    }

    #[test]
    fn a_paused_break_keeps_its_place_and_asks_for_no_wake_up() {
        let mut r = run();
        r.pause(at(3));
        assert_eq!(r.next_change(at(100)), None);
        assert_eq!(r.elapsed(at(100)), secs(3));
        assert!(r.progress(at(100)).paused);
        r.resume(at(100));
        assert_eq!(r.elapsed(at(105)), secs(8));
        // Resuming twice changes nothing.
        r.resume(at(106));
        assert_eq!(r.elapsed(at(107)), secs(10));
    }

    #[test]
    fn skipping_a_move_lands_on_the_next_one_and_the_last_ends_the_break() {
        let mut r = run();
        r.skip_move(at(2));
        let p = r.progress(at(2));
        assert_eq!((p.step, p.phase), (1, Phase::Prepare));
        r.skip_move(at(4));
        assert!(r.is_finished(at(4)));
        assert_eq!(r.next_change(at(4)), None);
    }

    #[test]
    fn a_move_counts_as_reached_once_its_work_began() {
        let r = run();
        let t = u64::from(TRANSITION_SECONDS);
        assert!(r.moves_reached(at(t)).is_empty());
        assert_eq!(r.moves_reached(at(t + 1)), vec!["chin-tuck".to_string()]);
        let all = r.moves_reached(at(t + 20 + t + 1));
        assert_eq!(all, vec!["chin-tuck".to_string(), "doorway-stretch".to_string()]);
        // One entry per move, though it has two sides.
        assert_eq!(r.moves_reached(at(1000)).len(), 2);
    }

    #[test]
    fn sets_repeat_the_work_with_a_rest_between_them() {
        let step = Step {
            move_id: "band-row".into(),
            level: 1,
            seconds_per_side: 30,
            per_side: false,
            dose: Dose::Reps { reps: 10, tempo_seconds: 3 },
            prepare_seconds: 5,
            sets: 3,
            rest_seconds: 45,
        };
        let r = BreakRun::new(
            Routine { steps: vec![step], session: true },
            Trigger::Manual,
            Mono::ZERO,
        );
        assert_eq!(r.total(), secs(5 + 30 + 45 + 30 + 45 + 30));
        let p = r.progress(at(5 + 29));
        assert_eq!((p.phase, p.set), (Phase::Work, 0));
        let p = r.progress(at(5 + 30));
        assert_eq!((p.phase, p.set, p.phase_seconds), (Phase::Rest, 1, 45));
        let p = r.progress(at(5 + 30 + 45));
        assert_eq!((p.phase, p.set), (Phase::Work, 1));
        let p = r.progress(at(5 + 30 + 45 + 30 + 45 + 1));
        assert_eq!((p.phase, p.set), (Phase::Work, 2));
        let done = r.done(at(5 + 30 + 45 + 1));
        assert_eq!(done.len(), 1);
        assert_eq!((done[0].sets, done[0].level), (2, 1));
        // Skipping leaves the whole move, every set left of it.
        let mut r = r;
        r.skip_move(at(5 + 30 + 10));
        assert!(r.is_finished(at(5 + 30 + 10)));
    }
}
