//! The full session: the guide's once- or twice-a-week routine, as opposed to a desk
//! micro-break.
//!
//! It is built as the guide builds it: about five minutes of dynamic warm-up, then three to five
//! strengthening moves (at least one row when the equipment allows one, and at least one move
//! for posture), each in the sets its level asks for with a rest between them, then three to
//! five static stretches. Floor moves are allowed and the desk is not needed; the equipment is
//! the person's. The whole lasts about [`SESSION_MINUTES`]. Like the micro-break planner it is
//! deterministic for given inputs and seed.

use std::collections::{BTreeSet, HashMap};
use std::ops::RangeInclusive;

use super::catalog::{Catalog, Equipment, Kind, Move, MuscleGroup, Position};
use super::planner::{Jitter, PlanRequest, Routine, Step, step_at};

/// Seconds of dynamic warm-up aimed for (the guide's five minutes), preparation included.
pub const WARM_UP_SECONDS: u32 = 300;
/// Seconds of rest between two sets of a strengthening move.
pub const REST_SECONDS: u32 = 45;
/// How long a full session lasts, in minutes, when the person has enough moves to choose from.
pub const SESSION_MINUTES: RangeInclusive<u32> = 15..=25;
/// Strengthening moves in a session.
pub const STRENGTH_MOVES: RangeInclusive<usize> = 3..=5;
/// Static stretches at the end of a session.
pub const STRETCHES: RangeInclusive<usize> = 3..=5;
/// The most warm-up moves.
const MOST_WARM_UPS: usize = 6;

/// Whether a move can be part of a session for this person: the equipment at hand, standing
/// only when they can stand, and not excluded or left out because it hurt.
fn allowed(m: &Move, req: &PlanRequest<'_>) -> bool {
    let at_hand = |e: &Equipment| *e == Equipment::Chair || req.settings.equipment.contains(e);
    let position_ok = m.position != Position::Standing || req.settings.can_stand;
    position_ok
        && m.equipment.iter().all(at_hand)
        && !req.settings.excluded_moves.contains(&m.id)
        && !req.memory.is_painful(&m.id)
}

/// A move the guide counts as posture work: the shoulder-blade and rear-shoulder moves, and
/// the resets (chin tucks, squeezes, wall angels).
pub fn for_posture(m: &Move) -> bool {
    m.kind == Kind::Posture
        || (m.kind == Kind::Strength
            && !m.row
            && matches!(m.muscles[0].group(), MuscleGroup::ShoulderBlades | MuscleGroup::Shoulders))
}

/// A strengthening move: posture and strength kinds.
fn strengthens(m: &Move) -> bool {
    matches!(m.kind, Kind::Posture | Kind::Strength)
}

/// The fewest sets of a strengthening move in a session: a level's first set is sized for a
/// desk break, and a session's work is in sets.
pub const FEWEST_SETS: u32 = 2;

/// The move as a session does it: the person's level; for a strengthening move that level's
/// sets (at least [`FEWEST_SETS`]) with a rest between them.
fn session_step(m: &Move, req: &PlanRequest<'_>) -> Step {
    let level = req.memory.level(&m.id).min(m.levels.len() - 1);
    let mut step = step_at(m, level);
    if strengthens(m) {
        step.sets = m.level(level).sets.max(FEWEST_SETS);
        step.rest_seconds = REST_SECONDS;
    }
    step
}

/// The first move of `pool` not yet chosen that `keep` accepts, from a region not yet worked
/// when there is one.
fn next_fresh<'a>(
    pool: &[&'a Move],
    chosen: &[&'a Move],
    keep: impl Fn(&Move) -> bool,
) -> Option<&'a Move> {
    let regions: BTreeSet<MuscleGroup> = chosen.iter().map(|m| m.muscles[0].group()).collect();
    let fresh = |m: &&&'a Move| !chosen.iter().any(|c| c.id == m.id) && keep(m);
    let candidates: Vec<&'a Move> = pool.iter().filter(fresh).copied().collect();
    candidates
        .iter()
        .find(|m| !regions.contains(&m.muscles[0].group()))
        .or_else(|| candidates.first())
        .copied()
}

fn length(steps: &[Step]) -> u32 {
    steps.iter().map(|s| s.prepare_seconds + s.seconds()).sum()
}

/// Build a full session, or `None` when not one strengthening move is allowed.
pub fn session<'c>(catalog: &'c Catalog, req: &PlanRequest<'_>) -> Option<Routine> {
    let mut jitter = Jitter(req.seed ^ 0x5E55_1011);
    // Lower is better: moves done lately cost more, so that sessions vary week to week.
    let mut recency: HashMap<&str, f64> = HashMap::new();
    let n = req.memory.recent.len();
    for (i, (_, moves)) in req.memory.recent.iter().enumerate() {
        for id in moves {
            *recency.entry(id.as_str()).or_default() += 1.0 / (n - i) as f64;
        }
    }
    let mut ranked: Vec<(f64, &Move)> = catalog
        .moves
        .iter()
        .filter(|m| allowed(m, req))
        .map(|m| (recency.get(m.id.as_str()).copied().unwrap_or(0.0) + jitter.next(), m))
        .collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let of_kind = |keep: &dyn Fn(&Move) -> bool| -> Vec<&Move> {
        ranked.iter().map(|(_, m)| *m).filter(|m| keep(m)).collect()
    };

    // Strength: a row first when there is one, then a posture move, then the best of the rest,
    // a new region each while one is left, at most one for the supporting muscles (grip, core,
    // hips).
    let strength_moves = of_kind(&|m| strengthens(m));
    if strength_moves.is_empty() {
        return None;
    }
    let mut strength: Vec<&Move> = Vec::new();
    if let Some(row) = strength_moves.iter().find(|m| m.row) {
        strength.push(row);
    }
    if let Some(posture) = strength_moves.iter().find(|m| for_posture(m)) {
        strength.push(posture);
    }
    let support = |m: &Move| m.muscles[0].group() == MuscleGroup::Support;
    let add_strength = |strength: &mut Vec<&'c Move>| {
        let has_support = strength.iter().any(|m| support(m));
        let next = next_fresh(&strength_moves, strength, |m| !(support(m) && has_support));
        next.map(|m| strength.push(m)).is_some()
    };
    while strength.len() < *STRENGTH_MOVES.start() && add_strength(&mut strength) {}

    // Stretches: a new region each while one is left, the chest first among them (it opens what
    // sitting closes).
    let stretch_moves = of_kind(&|m| m.kind == Kind::Stretch);
    let mut stretches: Vec<&Move> = Vec::new();
    let add_stretch = |stretches: &mut Vec<&'c Move>| {
        next_fresh(&stretch_moves, stretches, |_| true).map(|m| stretches.push(m)).is_some()
    };
    while stretches.len() < *STRETCHES.start() && add_stretch(&mut stretches) {}

    // Warm-up: the best-ranked dynamic moves until about five minutes; when the moves run out
    // first, the shortest are done twice (straight through, no rest).
    let enough = WARM_UP_SECONDS - 30;
    let mut warm_up: Vec<Step> = Vec::new();
    for m in of_kind(&|m| m.kind == Kind::WarmUp) {
        if warm_up.len() >= MOST_WARM_UPS || length(&warm_up) >= enough {
            break;
        }
        warm_up.push(session_step(m, req));
    }
    while length(&warm_up) < enough {
        let Some(once) = warm_up.iter_mut().filter(|s| s.sets == 1).min_by_key(|s| s.seconds())
        else {
            break;
        };
        once.sets = 2;
    }

    // Fit the whole within the session's length: more strength, then more stretches, while it
    // is short; fewer (never below the guide's three) while it is long.
    let steps_of = |moves: &[&Move]| moves.iter().map(|m| session_step(m, req)).collect::<Vec<_>>();
    let total = |strength: &[&Move], stretches: &[&Move]| {
        length(&warm_up) + length(&steps_of(strength)) + length(&steps_of(stretches))
    };
    let (shortest, longest) = (SESSION_MINUTES.start() * 60, SESSION_MINUTES.end() * 60);
    // Growing takes turns: a fourth strengthening move, a fourth stretch, a fifth of each.
    for size in 4..=5 {
        if total(&strength, &stretches) < shortest && strength.len() < size {
            add_strength(&mut strength);
        }
        if total(&strength, &stretches) < shortest && stretches.len() < size {
            add_stretch(&mut stretches);
        }
    }
    while total(&strength, &stretches) > longest {
        if strength.len() > *STRENGTH_MOVES.start() {
            // The last added: never the row or the posture move picked first.
            strength.pop();
        } else if stretches.len() > *STRETCHES.start() {
            stretches.pop();
        } else {
            break;
        }
    }

    // The chest stretch first among the stretches; the rest as ranked.
    stretches.sort_by_key(|m| m.muscles[0].group() != MuscleGroup::ChestAndLats);
    let mut steps = warm_up;
    steps.extend(steps_of(&strength));
    steps.extend(steps_of(&stretches));
    Some(Routine { steps, session: true })
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use proptest::prelude::*;

    use super::*;
    use crate::history::{EventKind, Feel};
    use crate::routines::Memory;
    use crate::settings::Settings;

    fn plan_with(settings: &Settings, memory: &Memory, seed: u64) -> Option<Routine> {
        let now = Timestamp::UNIX_EPOCH;
        let req = PlanRequest { settings, memory, now, day_start: now, seed };
        session(Catalog::builtin(), &req)
    }

    fn kind(step: &Step) -> Kind {
        Catalog::builtin().get(&step.move_id).unwrap().kind
    }

    /// Every combination of the equipment a person may own.
    fn equipment_sets() -> Vec<BTreeSet<Equipment>> {
        let all = [
            Equipment::Wall,
            Equipment::Doorway,
            Equipment::ResistanceBand,
            Equipment::DoorAnchor,
            Equipment::Dumbbells,
            Equipment::Barbell,
            Equipment::Bench,
            Equipment::Bar,
        ];
        (0u32..1 << all.len())
            .map(|mask| {
                all.iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, e)| *e)
                    .collect()
            })
            .collect()
    }

    /// The guide's structure, checked on one session.
    fn check_structure(r: &Routine, settings: &Settings) -> Result<(), String> {
        let catalog = Catalog::builtin();
        let kinds: Vec<Kind> = r.steps.iter().map(kind).collect();
        // Warm-ups, then strengthening moves, then stretches.
        let phase = |k: Kind| match k {
            Kind::WarmUp => 0,
            Kind::Posture | Kind::Strength => 1,
            Kind::Stretch => 2,
        };
        if !kinds.windows(2).all(|w| phase(w[0]) <= phase(w[1])) {
            return Err(format!("out of order: {kinds:?}"));
        }
        let count = |p: u32| kinds.iter().filter(|k| phase(**k) == p).count();
        if !STRENGTH_MOVES.contains(&count(1)) {
            return Err(format!("{} strengthening moves", count(1)));
        }
        if !STRETCHES.contains(&count(2)) {
            return Err(format!("{} stretches", count(2)));
        }
        let warm_up: u32 = r
            .steps
            .iter()
            .filter(|s| kind(s) == Kind::WarmUp)
            .map(|s| s.prepare_seconds + s.seconds())
            .sum();
        if !(180..=420).contains(&warm_up) {
            return Err(format!("a warm-up of {warm_up} s"));
        }
        let moves: Vec<&Move> = r.steps.iter().map(|s| catalog.get(&s.move_id).unwrap()).collect();
        if !moves.iter().any(|m| for_posture(m)) {
            return Err("no posture move".into());
        }
        let row_possible = catalog.moves.iter().any(|m| {
            m.row
                && m.equipment
                    .iter()
                    .all(|e| *e == Equipment::Chair || settings.equipment.contains(e))
                && (m.position != Position::Standing || settings.can_stand)
        });
        if row_possible && !moves.iter().any(|m| m.row) {
            return Err("no row, though one is possible".into());
        }
        for (s, m) in r.steps.iter().zip(&moves) {
            let level = m.level(s.level);
            if s.dose != level.dose {
                return Err(format!("{}: the dose was changed", m.id));
            }
            if strengthens(m) && s.sets != level.sets.max(FEWEST_SETS) {
                return Err(format!("{}: {} sets, the level says {}", m.id, s.sets, level.sets));
            }
            if strengthens(m) && s.rest_seconds != REST_SECONDS {
                return Err(format!("{}: no rest between sets", m.id));
            }
            if m.kind == Kind::Stretch
                && let crate::routines::Dose::Hold { hold_seconds, .. } = s.dose
                && hold_seconds < 15
            {
                return Err(format!("{}: a hold of {hold_seconds} s", m.id));
            }
            if m.position == Position::Standing && !settings.can_stand {
                return Err(format!("{}: standing", m.id));
            }
        }
        let ids: BTreeSet<&str> = r.steps.iter().map(|s| s.move_id.as_str()).collect();
        if ids.len() != r.steps.len() {
            return Err("a move twice".into());
        }
        let minutes = r.total_seconds() as f64 / 60.0;
        if !(f64::from(*SESSION_MINUTES.start())..=f64::from(*SESSION_MINUTES.end()))
            .contains(&minutes)
        {
            return Err(format!("{minutes:.1} minutes"));
        }
        Ok(())
    }

    #[test]
    fn every_equipment_and_posture_gives_the_guides_session() {
        let mut failures = Vec::new();
        for equipment in equipment_sets() {
            for can_stand in [true, false] {
                let settings =
                    Settings { equipment: equipment.clone(), can_stand, ..Settings::default() };
                for seed in 0..8 {
                    let r = plan_with(&settings, &Memory::default(), seed).expect("a session");
                    assert!(r.session);
                    if let Err(e) = check_structure(&r, &settings) {
                        failures.push(format!("{equipment:?} stand={can_stand} seed={seed}: {e}"));
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures, first: {:#?}",
            failures.len(),
            &failures[..failures.len().min(5)]
        );
    }

    #[test]
    fn a_person_with_weights_gets_a_row_in_sets_with_rests() {
        let settings = Settings {
            equipment: [Equipment::Dumbbells, Equipment::Bench].into(),
            ..Settings::default()
        };
        let r = plan_with(&settings, &Memory::default(), 1).unwrap();
        let row = r
            .steps
            .iter()
            .find(|s| Catalog::builtin().get(&s.move_id).unwrap().row)
            .expect("a row");
        assert!(row.sets >= 2, "{row:?}");
        assert_eq!(row.rest_seconds, REST_SECONDS);
    }

    #[test]
    fn a_move_that_hurt_or_is_excluded_stays_out_and_levels_carry_over() {
        let settings = Settings {
            equipment: [Equipment::Dumbbells].into(),
            excluded_moves: ["chin-tuck".to_string()].into(),
            ..Settings::default()
        };
        let mut memory = Memory::default();
        let at = Timestamp::UNIX_EPOCH;
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        memory
            .observe(at, &EventKind::Feedback { feel: Feel::Hurt, moves: ids(&["bent-over-row"]) });
        memory.observe(
            at,
            &EventKind::Feedback { feel: Feel::TooEasy, moves: ids(&["reverse-dumbbell-fly"]) },
        );
        for seed in 0..50 {
            let r = plan_with(&settings, &memory, seed).unwrap();
            for s in &r.steps {
                assert_ne!(s.move_id, "bent-over-row");
                assert_ne!(s.move_id, "chin-tuck");
                if s.move_id == "reverse-dumbbell-fly" {
                    assert_eq!(s.level, 1);
                }
            }
        }
    }

    #[test]
    fn sessions_vary_with_the_seed() {
        let settings = Settings::default();
        let plans: BTreeSet<Vec<String>> = (0..20)
            .map(|seed| plan_with(&settings, &Memory::default(), seed).unwrap().move_ids())
            .collect();
        assert!(plans.len() > 5, "{} distinct sessions in 20", plans.len());
    }

    proptest! {
        #[test]
        fn any_seed_and_history_keeps_the_structure(seed in any::<u64>(), done in prop::collection::vec(0usize..40, 0..30)) {
            let catalog = Catalog::builtin();
            let mut memory = Memory::default();
            for (i, m) in done.iter().enumerate() {
                let id = catalog.moves[m % catalog.moves.len()].id.clone();
                let at = Timestamp::from_second(i as i64 * 3600).unwrap();
                memory.observe(at, &EventKind::BreakStarted {
                    trigger: crate::history::Trigger::Manual,
                    moves: vec![id],
                    session: false,
                });
            }
            let settings = Settings {
                equipment: [Equipment::ResistanceBand, Equipment::DoorAnchor, Equipment::Wall].into(),
                ..Settings::default()
            };
            let r = plan_with(&settings, &memory, seed).unwrap();
            prop_assert_eq!(check_structure(&r, &settings), Ok(()));
        }
    }
}
