//! The planner: which moves make the next one-minute routine.
//!
//! Given what is at hand, whether the person can stand, what they did recently and what they
//! said about it, it picks 2 to 4 desk moves and fits their doses to the target length. It is
//! deterministic for given inputs and seed, so a test can replay any plan.
//!
//! What it remembers between plans ([`Memory`]) is rebuilt from history events, so it needs no
//! file of its own.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::catalog::{Catalog, Dose, Equipment, Kind, Move, MoveId, MuscleGroup, Position};
use crate::history::{EventKind, Feel};
use crate::settings::Settings;

/// Seconds between two moves, to read the next one and get into position (also before the first).
pub const TRANSITION_SECONDS: u32 = 5;
/// Seconds to switch from the left side to the right.
pub const SWITCH_SIDES_SECONDS: u32 = 3;
/// Days a move reported as painful is left out.
pub const PAINFUL_EXCLUSION_DAYS: i64 = 14;
/// How far a move's dose may be stretched or shrunk to fill the length.
const SCALE_RANGE: (f64, f64) = (0.5, 2.0);
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

/// One move in a routine, with the dose fitted to its time.
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
    /// The dose fitted to `seconds_per_side`.
    pub dose: Dose,
}

impl Step {
    /// Seconds of work, both sides together.
    pub fn work_seconds(&self) -> u32 {
        if self.per_side { 2 * self.seconds_per_side } else { self.seconds_per_side }
    }

    /// Work plus the switch between sides.
    pub fn seconds(&self) -> u32 {
        self.work_seconds() + if self.per_side { SWITCH_SIDES_SECONDS } else { 0 }
    }
}

/// A planned routine.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Routine {
    pub steps: Vec<Step>,
}

impl Routine {
    /// Total length: a transition before each move, the moves, and switches between sides.
    pub fn total_seconds(&self) -> u32 {
        self.steps.iter().map(|s| TRANSITION_SECONDS + s.seconds()).sum()
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
    recent: VecDeque<(Timestamp, Vec<MoveId>)>,
    /// The most recently planned routine, started or not: the next must differ from it.
    last_planned: Option<BTreeSet<MoveId>>,
    /// Level per move, moved by "too easy" and "too hard".
    levels: HashMap<MoveId, usize>,
    /// Moves that hurt, and when that was said.
    hurt: HashMap<MoveId, Timestamp>,
}

impl Memory {
    /// Take one history event into account.
    pub fn observe(&mut self, at: Timestamp, kind: &EventKind) {
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
            EventKind::Feedback { feel, moves } => {
                let max =
                    |id: &MoveId| Catalog::builtin().get(id).map_or(0, |m| m.levels.len() - 1);
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

    /// Whether a move is left out at `now` because it hurt less than 14 days ago.
    pub fn is_painful(&self, id: &str, now: Timestamp) -> bool {
        self.hurt.get(id).is_some_and(|at| {
            now.duration_since(*at) < SignedDuration::from_hours(24 * PAINFUL_EXCLUSION_DAYS)
        })
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
struct Jitter(u64);

impl Jitter {
    fn next(&mut self) -> f64 {
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
        && !req.memory.is_painful(&m.id, req.now)
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

    // Pick greedily: each next move should add a region not yet in the routine, with at most one
    // strength move, until the natural length reaches the target.
    let target = req.settings.routine_seconds;
    let pick = |skip: Option<&str>| -> Vec<&Move> {
        let mut chosen: Vec<&Move> = Vec::new();
        let mut groups: BTreeSet<MuscleGroup> = BTreeSet::new();
        let mut length = 0u32;
        while chosen.len() < 4 {
            let next = scored
                .iter()
                .map(|(_, m)| *m)
                .filter(|m| !chosen.iter().any(|c| c.id == m.id) && Some(m.id.as_str()) != skip)
                .filter(|m| {
                    m.kind != Kind::Strength || chosen.iter().all(|c| c.kind != Kind::Strength)
                })
                .min_by_key(|m| u32::from(groups.contains(&m.muscles[0].group())));
            let Some(next) = next else { break };
            let add = TRANSITION_SECONDS + natural_seconds(next, req.memory.level(&next.id));
            // Stop once at least two moves are in and adding one overshoots more than it helps.
            if chosen.len() >= 2 && (length + add).abs_diff(target) >= length.abs_diff(target) {
                break;
            }
            length += add;
            groups.insert(next.muscles[0].group());
            chosen.push(next);
        }
        chosen
    };

    let mut chosen = pick(None);
    let same_as_last = |c: &[&Move]| {
        let ids: BTreeSet<MoveId> = c.iter().map(|m| m.id.clone()).collect();
        req.memory.last_planned.as_ref() == Some(&ids)
    };
    if same_as_last(&chosen) {
        // Leave out the best-scored move once; with two or more candidates this always differs.
        let first = chosen[0].id.clone();
        let other = pick(Some(&first));
        if !other.is_empty() {
            chosen = other;
        }
    }

    // Order: warm-ups and posture first, strength in the middle, stretches last.
    let rank = |k: Kind| match k {
        Kind::WarmUp => 0,
        Kind::Posture => 1,
        Kind::Strength => 2,
        Kind::Stretch => 3,
    };
    chosen.sort_by_key(|m| rank(m.kind));

    Some(fit(&chosen, req, target))
}

/// Share out the target's work time across the moves in proportion to what each wants, within
/// the scale range, and fit each dose to its time.
fn fit(chosen: &[&Move], req: &PlanRequest<'_>, target: u32) -> Routine {
    let overhead: u32 = chosen
        .iter()
        .map(|m| TRANSITION_SECONDS + if m.per_side { SWITCH_SIDES_SECONDS } else { 0 })
        .sum();
    // Work units: a one-sided move counts its seconds twice.
    let wants: Vec<(u32, u32)> = chosen
        .iter()
        .map(|m| {
            (m.level(req.memory.level(&m.id)).dose.set_seconds(), if m.per_side { 2 } else { 1 })
        })
        .collect();
    let natural_work: u32 = wants.iter().map(|(s, k)| s * k).sum();
    let work_target = target.saturating_sub(overhead).max(chosen.len() as u32 * 4);
    let scale = (f64::from(work_target) / f64::from(natural_work.max(1)))
        .clamp(SCALE_RANGE.0, SCALE_RANGE.1);

    let mut per_side: Vec<u32> =
        wants.iter().map(|(s, _)| ((f64::from(*s) * scale).round() as u32).max(3)).collect();
    // Hand the rounding remainder to moves one second at a time, so the total lands on target
    // whenever the scale range allows.
    let mut work: i64 = wants.iter().zip(&per_side).map(|((_, k), s)| i64::from(k * s)).sum();
    let goal = i64::from(work_target);
    let mut i = 0;
    while work != goal && i < 400 {
        let j = i % per_side.len();
        let k = i64::from(wants[j].1);
        if work < goal && work + k <= goal + 1 {
            per_side[j] += 1;
            work += k;
        } else if work > goal && per_side[j] > 3 && work - k >= goal - 1 {
            per_side[j] -= 1;
            work -= k;
        }
        i += 1;
    }

    let steps = chosen.iter().zip(per_side).map(|(m, seconds)| step(m, req.memory, Some(seconds)));
    Routine { steps: steps.collect() }
}

/// A move at the person's level, its dose fitted to `seconds` a side, or as the level has it.
fn step(m: &Move, memory: &Memory, seconds: Option<u32>) -> Step {
    let level = memory.level(&m.id).min(m.levels.len() - 1);
    let natural = m.level(level).dose;
    let (seconds_per_side, dose) = match seconds {
        Some(s) => (s, natural.fitted(s)),
        None => (natural.set_seconds(), natural),
    };
    Step { move_id: m.id.clone(), level, seconds_per_side, per_side: m.per_side, dose }
}

/// A routine of just these moves, in this order, each at the person's level and its full dose
/// (a break the person chose). `Err` names the first move the catalog does not have.
pub fn routine_of(catalog: &Catalog, memory: &Memory, ids: &[MoveId]) -> Result<Routine, MoveId> {
    let steps = ids.iter().map(|id| match catalog.get(id) {
        Some(m) => Ok(step(m, memory, None)),
        None => Err(id.clone()),
    });
    Ok(Routine { steps: steps.collect::<Result<_, _>>()? })
}
