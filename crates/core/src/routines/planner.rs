//! The planner: which moves make the next one-minute routine.
//!
//! Given what is at hand, whether the person can stand, what they did recently and what they
//! said about it, it picks desk moves whose doses, as their levels give them, add up to about the
//! target length (within [`tolerance`]): it fits the routine by choosing moves, never by cutting
//! a dose. Every routine is built around a strengthening move for the posture muscles when one
//! is allowed, holds at most one warm-up, and prefers a stretch for its other move (see
//! `docs/decisions.md`, "What is a good one-minute routine?"). It is deterministic for given
//! inputs and seed, so a test can replay any plan.
//!
//! What it remembers between plans ([`Memory`]) is rebuilt from history events, so it needs no
//! file of its own.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::catalog::{Catalog, Dose, Equipment, Kind, Move, MoveId, MuscleGroup, Position};
use crate::history::{EventKind, Feel};
use crate::settings::Settings;

/// Seconds between two moves, to read the next one and get into position (also before the first).
pub const TRANSITION_SECONDS: u32 = 5;
/// Seconds more to get ready for a move that needs setting up (a band looped through a door
/// anchor).
pub const SETUP_SECONDS: u32 = 10;
/// Seconds to switch from the left side to the right.
pub const SWITCH_SIDES_SECONDS: u32 = 3;
/// How much a stretch is preferred as the routine's other move, in score units (a region
/// worked once today is one; a move done in the last routine about three).
const STRETCH_PREFERENCE: f64 = 1.5;
/// The most moves in one micro-break.
const MOST_MOVES: usize = 4;
/// Routines remembered for rotation and daily balance.
const REMEMBERED: usize = 24;

/// Which side a one-sided move is on.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
}

/// One move in a routine, with its dose and the time that dose takes.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub move_id: MoveId,
    /// 0-based level in the move's progression.
    pub level: usize,
    /// Seconds of work on one side (the whole move when it is not one-sided).
    pub seconds_per_side: u32,
    /// Done once on each side.
    pub per_side: bool,
    /// The dose of the move's level: what one side's `seconds_per_side` hold.
    pub dose: Dose,
    /// Seconds to read the move and get into position before it starts (longer for a move that
    /// needs setting up).
    pub prepare_seconds: u32,
    /// Rounds of the dose: one in a micro-break, the level's sets in a full session.
    pub sets: u32,
    /// Seconds of rest between two sets.
    pub rest_seconds: u32,
}

impl Step {
    /// Seconds of work, both sides together.
    pub fn work_seconds(&self) -> u32 {
        if self.per_side { 2 * self.seconds_per_side } else { self.seconds_per_side }
    }

    /// One set: work plus the switch between sides.
    pub fn set_seconds(&self) -> u32 {
        self.work_seconds() + if self.per_side { SWITCH_SIDES_SECONDS } else { 0 }
    }

    /// Every set, with the rests between them.
    pub fn seconds(&self) -> u32 {
        let sets = self.sets.max(1);
        sets * self.set_seconds() + (sets - 1) * self.rest_seconds
    }
}

/// A planned routine.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Routine {
    pub steps: Vec<Step>,
    /// A full session (warm-up, strength in sets, stretches) rather than a micro-break.
    #[serde(default)]
    pub session: bool,
}

impl Routine {
    /// Total length: the preparation before each move, the moves, and switches between sides.
    pub fn total_seconds(&self) -> u32 {
        self.steps.iter().map(|s| s.prepare_seconds + s.seconds()).sum()
    }

    /// The ids of its moves, in order.
    pub fn move_ids(&self) -> Vec<MoveId> {
        self.steps.iter().map(|s| s.move_id.clone()).collect()
    }
}

/// What the planner remembers: recent routines, each move's level, moves that hurt.
///
/// Built by feeding history events to [`Memory::observe`], at start-up from the store and then
/// live from the scheduler's own records, so both paths agree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Memory {
    /// Recent routines that were started, newest last.
    pub(super) recent: VecDeque<(Timestamp, Vec<MoveId>)>,
    /// The most recently planned routine, started or not: the next must differ from it.
    last_planned: Option<BTreeSet<MoveId>>,
    /// Level per move, moved by "too easy" and "too hard".
    levels: HashMap<MoveId, usize>,
    /// Moves that hurt, and when that was said: left out until the person brings them back.
    hurt: BTreeMap<MoveId, Timestamp>,
}

impl Memory {
    /// Take one history event into account (moves as the built-in catalog has them).
    pub fn observe(&mut self, at: Timestamp, kind: &EventKind) {
        self.observe_in(Catalog::builtin(), at, kind);
    }

    /// Take one history event into account, moves as `catalog` has them (ours and the
    /// person's own).
    pub fn observe_in(&mut self, catalog: &Catalog, at: Timestamp, kind: &EventKind) {
        match kind {
            EventKind::BreakStarted { moves, .. } => {
                self.recent.push_back((at, moves.clone()));
                while self.recent.len() > REMEMBERED {
                    self.recent.pop_front();
                }
                self.last_planned = Some(moves.iter().cloned().collect());
            }
            EventKind::Reminded { moves, .. } => {
                self.last_planned = Some(moves.iter().cloned().collect());
            }
            EventKind::BroughtBack { moves } => {
                for id in moves {
                    self.hurt.remove(id);
                }
            }
            EventKind::Feedback { feel, moves } => {
                let max = |id: &MoveId| catalog.get(id).map_or(0, |m| m.levels.len() - 1);
                for id in moves {
                    let level = self.levels.entry(id.clone()).or_default();
                    match feel {
                        Feel::TooEasy => *level = (*level + 1).min(max(id)),
                        Feel::TooHard => *level = level.saturating_sub(1),
                        Feel::JustRight => {}
                        Feel::Hurt => {
                            self.hurt.insert(id.clone(), at);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// The level to use for a move.
    pub fn level(&self, id: &str) -> usize {
        self.levels.get(id).copied().unwrap_or(0)
    }

    /// Whether a move is left out because it hurt (until the person brings it back).
    pub fn is_painful(&self, id: &str) -> bool {
        self.hurt.contains_key(id)
    }

    /// Every move of `catalog` past its first level, with its level (0-based, within the
    /// levels the move has).
    pub fn levels(&self, catalog: &Catalog) -> BTreeMap<MoveId, usize> {
        let level_of = |(id, level): (&MoveId, &usize)| {
            let top = catalog.get(id)?.levels.len() - 1;
            Some((id.clone(), (*level).min(top))).filter(|(_, l)| *l > 0)
        };
        self.levels.iter().filter_map(level_of).collect()
    }

    /// The moves left out because they hurt, by id.
    pub fn painful(&self) -> Vec<MoveId> {
        self.hurt.keys().cloned().collect()
    }
}

/// Everything a plan depends on.
#[derive(Debug, Clone)]
pub struct PlanRequest<'a> {
    pub settings: &'a Settings,
    pub memory: &'a Memory,
    pub now: Timestamp,
    /// Start of the person's current day (for balancing the day's muscle groups).
    pub day_start: Timestamp,
    /// Varies the plan between calls; the same seed gives the same plan.
    pub seed: u64,
}

/// A small, fast, deterministic generator (SplitMix64) for tie-breaking jitter.
#[derive(Debug)]
pub(super) struct Jitter(pub(super) u64);

impl Jitter {
    pub(super) fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Whether a move can be offered at the desk under these conditions.
fn allowed(m: &Move, req: &PlanRequest<'_>) -> bool {
    let at_hand = |e: &Equipment| *e == Equipment::Chair || req.settings.equipment.contains(e);
    let position_ok = match m.position {
        Position::Seated | Position::Either => true,
        Position::Standing => req.settings.can_stand,
        Position::Floor => false,
    };
    m.micro
        && position_ok
        && m.equipment.iter().all(at_hand)
        && !req.settings.excluded_moves.contains(&m.id)
        && !req.memory.is_painful(&m.id)
}

/// Seconds a move's current level wants, both sides and the switch included.
fn natural_seconds(m: &Move, level: usize) -> u32 {
    let one = m.level(level).dose.set_seconds();
    if m.per_side { 2 * one + SWITCH_SIDES_SECONDS } else { one }
}

/// Build the next routine, or `None` when no desk move is allowed at all.
pub fn plan(catalog: &Catalog, req: &PlanRequest<'_>) -> Option<Routine> {
    let mut jitter = Jitter(req.seed ^ 0x5EED);
    let candidates: Vec<&Move> = catalog.moves.iter().filter(|m| allowed(m, req)).collect();
    if candidates.is_empty() {
        return None;
    }

    // How often each region and each move were worked today and lately.
    let mut group_today: BTreeMap<MuscleGroup, u32> = BTreeMap::new();
    let mut move_recency: HashMap<&str, f64> = HashMap::new();
    let n = req.memory.recent.len();
    for (i, (at, moves)) in req.memory.recent.iter().enumerate() {
        let age = (n - i) as f64; // 1 for the newest routine
        for id in moves {
            *move_recency.entry(id.as_str()).or_default() += 1.0 / age;
            if *at >= req.day_start
                && let Some(m) = catalog.get(id)
            {
                for g in m.muscles.iter().map(|x| x.group()).collect::<BTreeSet<_>>() {
                    *group_today.entry(g).or_default() += 1;
                }
            }
        }
    }

    // Lower is better: recently done moves and already worked regions cost more.
    let score = |m: &Move, jitter: &mut Jitter| -> f64 {
        let main = m.muscles[0].group();
        let groups: BTreeSet<MuscleGroup> = m.muscles.iter().map(|x| x.group()).collect();
        let coverage: f64 =
            groups.iter().map(|g| f64::from(*group_today.get(g).unwrap_or(&0))).sum::<f64>()
                / groups.len() as f64
                + 0.5 * f64::from(*group_today.get(&main).unwrap_or(&0));
        let recency = move_recency.get(m.id.as_str()).copied().unwrap_or(0.0);
        coverage + 3.0 * recency + 1.5 * jitter.next()
    };

    let mut scored: Vec<(f64, &Move)> =
        candidates.iter().map(|m| (score(m, &mut jitter), *m)).collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));

    let target = req.settings.routine_seconds;
    let slack = tolerance(target);
    let length = |m: &Move, level: usize| prepare_seconds(m) + natural_seconds(m, level);
    // The person's level, or the highest level below it that fits in `room`: a move that
    // progressed past what a short break holds is done at the most it can be, not dropped.
    let level_within = |m: &Move, room: u32| {
        let top = req.memory.level(&m.id).min(m.levels.len() - 1);
        (0..=top).rev().find(|l| length(m, *l) <= room)
    };
    // Grip work strengthens, but not the muscles that hold the upper back up.
    let strengthens = |m: &Move| {
        matches!(m.kind, Kind::Posture | Kind::Strength)
            && m.muscles[0].group() != MuscleGroup::Support
    };
    // Around the best-scored strengthening move that fits, add the best-scored others while the
    // length stays within the tolerance: a new region first, a stretch preferred, at most one
    // warm-up and one strength move; stop once the target is reached.
    let pick = |skip: Option<&str>| -> Vec<(&Move, usize)> {
        let scores: HashMap<&str, f64> = scored.iter().map(|(s, m)| (m.id.as_str(), *s)).collect();
        let usable: Vec<&Move> = scored
            .iter()
            .map(|(_, m)| *m)
            .filter(|m| Some(m.id.as_str()) != skip && level_within(m, target + slack).is_some())
            .collect();
        let mut chosen: Vec<(&Move, usize)> = Vec::new();
        if let Some(anchor) = usable.iter().find(|m| strengthens(m))
            && let Some(level) = level_within(anchor, target + slack)
        {
            chosen.push((anchor, level));
        }
        loop {
            let total: u32 = chosen.iter().map(|(m, l)| length(m, *l)).sum();
            if chosen.len() >= MOST_MOVES || (total >= target && !chosen.is_empty()) {
                break;
            }
            let room = (target + slack).saturating_sub(total);
            let fits = |m: &&&Move| {
                let twice =
                    |kind: Kind| m.kind == kind && chosen.iter().any(|(c, _)| c.kind == kind);
                !chosen.iter().any(|(c, _)| c.id == m.id)
                    && level_within(m, room).is_some()
                    && !twice(Kind::WarmUp)
                    && !twice(Kind::Strength)
            };
            let groups: BTreeSet<MuscleGroup> =
                chosen.iter().map(|(c, _)| c.muscles[0].group()).collect();
            let has_stretch = chosen.iter().any(|(c, _)| c.kind == Kind::Stretch);
            // Lower is better: the move's score, plus a region already in the routine, less a
            // stretch while there is none.
            let rank = |m: &&&Move| {
                let same_region = groups.contains(&m.muscles[0].group());
                let first_stretch = m.kind == Kind::Stretch && !has_stretch;
                scores[m.id.as_str()] + if same_region { 2.0 } else { 0.0 }
                    - if first_stretch { STRETCH_PREFERENCE } else { 0.0 }
            };
            let Some(next) = usable.iter().filter(fits).min_by(|a, b| rank(a).total_cmp(&rank(b)))
            else {
                break;
            };
            let Some(level) = level_within(next, room) else { break };
            // Past the lower bound, a move that lands farther from the target is left out.
            let with = total + length(next, level);
            if total + slack >= target && with.abs_diff(target) > total.abs_diff(target) {
                break;
            }
            chosen.push((next, level));
        }
        chosen
    };

    let mut chosen = pick(None);
    let same_as_last = |c: &[(&Move, usize)]| {
        let ids: BTreeSet<MoveId> = c.iter().map(|(m, _)| m.id.clone()).collect();
        req.memory.last_planned.as_ref() == Some(&ids)
    };
    if same_as_last(&chosen) {
        // Leave out its strengthening move once (another takes its place when there is one).
        let first = chosen[0].0.id.clone();
        let other = pick(Some(&first));
        if !other.is_empty() {
            chosen = other;
        }
    }
    if chosen.is_empty() {
        return None;
    }

    // Order: warm-ups and posture first, strength in the middle, stretches last.
    let rank = |k: Kind| match k {
        Kind::WarmUp => 0,
        Kind::Posture => 1,
        Kind::Strength => 2,
        Kind::Stretch => 3,
    };
    chosen.sort_by_key(|(m, _)| rank(m.kind));
    let steps = chosen.iter().map(|(m, level)| step_at(m, *level));
    Some(Routine { steps: steps.collect(), session: false })
}

/// How far a routine may land from its target length: 20 seconds, or a third of the target
/// when that is more. Doses are never cut to make a routine fit, so it runs a little over or
/// under instead.
pub fn tolerance(target: u32) -> u32 {
    20.max(target / 3)
}

/// A move at the person's level, with that level's dose.
fn step(m: &Move, memory: &Memory) -> Step {
    step_at(m, memory.level(&m.id).min(m.levels.len() - 1))
}

/// A move at `level`, with that level's dose, once.
pub(super) fn step_at(m: &Move, level: usize) -> Step {
    let dose = m.level(level).dose;
    Step {
        move_id: m.id.clone(),
        level,
        seconds_per_side: dose.set_seconds(),
        per_side: m.per_side,
        dose,
        prepare_seconds: prepare_seconds(m),
        sets: 1,
        rest_seconds: 0,
    }
}

/// Seconds before a move: to read it and get into position, and to set it up when it needs
/// a door anchor.
pub fn prepare_seconds(m: &Move) -> u32 {
    let setup = m.equipment.contains(&Equipment::DoorAnchor);
    TRANSITION_SECONDS + if setup { SETUP_SECONDS } else { 0 }
}

/// A routine of just these moves, in this order, each at the person's level and its full dose
/// (a break the person chose): a desk move once, a workout move in its level's sets with a
/// rest between them, as a session does it. `Err` names the first move the catalog does not
/// have.
pub fn routine_of(catalog: &Catalog, memory: &Memory, ids: &[MoveId]) -> Result<Routine, MoveId> {
    let steps = ids.iter().map(|id| match catalog.get(id) {
        Some(m) => {
            let mut step = step(m, memory);
            let sets = m.level(step.level).sets.max(1);
            if !m.micro && sets > 1 {
                step.sets = sets;
                step.rest_seconds = super::REST_SECONDS;
            }
            Ok(step)
        }
        None => Err(id.clone()),
    });
    Ok(Routine { steps: steps.collect::<Result<_, _>>()?, session: false })
}
