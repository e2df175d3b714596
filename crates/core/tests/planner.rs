//! The routine planner fills the length, respects what is at hand, rotates and balances.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use unslouch_core::Settings;
use unslouch_core::history::{EventKind, Feel, Trigger};
use unslouch_core::routines::{
    Catalog, Dose, Equipment, Kind, Memory, MuscleGroup, PlanRequest, Position, Routine,
    SETUP_SECONDS, TRANSITION_SECONDS, plan, tolerance,
};

fn t0() -> Timestamp {
    "2026-11-23T08:00:00Z".parse().unwrap()
}

fn request<'a>(settings: &'a Settings, memory: &'a Memory, seed: u64) -> PlanRequest<'a> {
    PlanRequest { settings, memory, now: t0(), day_start: t0(), seed }
}

/// Plan and "start" `n` routines in a row, as a day of breaks.
fn day_of_plans(settings: &Settings, n: usize, seed: u64) -> Vec<Routine> {
    let mut memory = Memory::default();
    let mut out = Vec::new();
    for i in 0..n {
        let mut req = request(settings, &memory, seed + i as u64);
        req.now = t0() + SignedDuration::from_mins(40 * i as i64);
        let routine = plan(Catalog::builtin(), &req).expect("a routine");
        memory.observe(
            req.now,
            &EventKind::BreakStarted {
                trigger: Trigger::Reminder,
                moves: routine.move_ids(),
                session: false,
            },
        );
        out.push(routine);
    }
    out
}

#[test]
fn every_plan_keeps_its_doses_and_lands_within_the_tolerance() {
    // Every length a person can set, over many seeds, three sets of equipment and every move at
    // levels 1 to 4: doses are the catalog's own at the level planned (never cut to fit, never
    // above the person's level), the length within the tolerance, a strengthening move for the
    // posture muscles in every routine, at most one warm-up and one strength move.
    let catalog = Catalog::builtin();
    let band = BTreeSet::from([Equipment::ResistanceBand]);
    let everything = BTreeSet::from([
        Equipment::ResistanceBand,
        Equipment::DoorAnchor,
        Equipment::Wall,
        Equipment::Doorway,
    ]);
    let all: Vec<String> = catalog.moves.iter().map(|m| m.id.clone()).collect();
    let mut plans = 0;
    for raised in 0..4 {
        let mut levels = Memory::default();
        for _ in 0..raised {
            levels.observe(t0(), &EventKind::Feedback { feel: Feel::TooEasy, moves: all.clone() });
        }
        for equipment in [BTreeSet::new(), band.clone(), everything.clone()] {
            for target in 30..=180 {
                let settings = Settings {
                    routine_seconds: target,
                    equipment: equipment.clone(),
                    ..Settings::default()
                };
                let mut memory = levels.clone();
                for seed in 0..10 {
                    let routine = plan(catalog, &request(&settings, &memory, seed)).unwrap();
                    plans += 1;
                    let total = routine.total_seconds();
                    assert!(
                        total.abs_diff(target) <= tolerance(target),
                        "target {target}, levels +{raised}, seed {seed}: {total} s, {routine:?}"
                    );
                    assert!((1..=4).contains(&routine.steps.len()), "{routine:?}");
                    let mut kinds = Vec::new();
                    for step in &routine.steps {
                        let m = catalog.get(&step.move_id).unwrap();
                        assert!(step.level <= memory.level(&m.id), "{} above its level", m.id);
                        let level = m.level(step.level);
                        assert_eq!(step.dose, level.dose, "{} cut at target {target}", m.id);
                        assert_eq!(step.seconds_per_side, level.dose.set_seconds(), "{}", m.id);
                        kinds.push((m.kind, m.muscles[0].group()));
                    }
                    assert!(
                        kinds.iter().any(|(k, g)| matches!(k, Kind::Posture | Kind::Strength)
                            && *g != MuscleGroup::Support),
                        "no strengthening move at {target} s, levels +{raised}: {routine:?}"
                    );
                    let count = |kind| kinds.iter().filter(|(k, _)| *k == kind).count();
                    assert!(count(Kind::WarmUp) <= 1, "{kinds:?}");
                    assert!(count(Kind::Strength) <= 1, "{kinds:?}");
                    memory.observe(
                        t0(),
                        &EventKind::BreakStarted {
                            trigger: Trigger::Reminder,
                            moves: routine.move_ids(),
                            session: false,
                        },
                    );
                }
            }
        }
    }
    assert!(plans > 15_000, "{plans} plans");
}

#[test]
fn a_move_that_progressed_past_a_short_break_is_done_at_the_level_that_fits() {
    // Three "too easy"s on the neck stretches: at 60 s they are still planned, at a level that
    // fits, and at 180 s at the person's own.
    let catalog = Catalog::builtin();
    let mut memory = Memory::default();
    let neck = vec!["upper-trap-stretch".to_string(), "levator-scapulae-stretch".to_string()];
    for _ in 0..3 {
        memory.observe(t0(), &EventKind::Feedback { feel: Feel::TooEasy, moves: neck.clone() });
    }
    let levels_used = |target: u32| {
        let settings = Settings { routine_seconds: target, ..Settings::default() };
        let mut used = BTreeSet::new();
        for seed in 0..400 {
            let routine = plan(catalog, &request(&settings, &memory, seed)).unwrap();
            used.extend(
                routine.steps.iter().filter(|s| neck.contains(&s.move_id)).map(|s| s.level),
            );
        }
        used
    };
    let short = levels_used(60);
    assert!(!short.is_empty(), "the neck stretches dropped from one-minute breaks");
    assert!(short.iter().all(|l| *l < memory.level("upper-trap-stretch")), "{short:?}");
    assert!(levels_used(180).contains(&memory.level("upper-trap-stretch")));
}

#[test]
fn no_stretch_is_held_shorter_than_fifteen_seconds() {
    let catalog = Catalog::builtin();
    for target in [30, 45, 60, 90, 120, 180] {
        let settings = Settings { routine_seconds: target, ..Settings::default() };
        for routine in day_of_plans(&settings, 200, 9) {
            for step in &routine.steps {
                if catalog.get(&step.move_id).unwrap().kind != Kind::Stretch {
                    continue;
                }
                let Dose::Hold { hold_seconds, .. } = step.dose else { panic!("{step:?}") };
                assert!(hold_seconds >= 15 && step.seconds_per_side >= 15, "{step:?}");
            }
        }
    }
}

#[test]
fn a_third_of_one_minute_routines_end_on_a_stretch() {
    let catalog = Catalog::builtin();
    let plans = day_of_plans(&Settings::default(), 600, 3);
    let ending = plans
        .iter()
        .filter(|r| {
            r.steps.last().is_some_and(|s| catalog.get(&s.move_id).unwrap().kind == Kind::Stretch)
        })
        .count();
    // The other move is a stretch or a mobility move for another region, the stretch preferred
    // (see decisions.md): about a third end on one.
    assert!(ending * 10 >= plans.len() * 3, "{ending} of {} end on a stretch", plans.len());
}

#[test]
fn a_routine_uses_only_desk_moves_and_what_is_at_hand() {
    let catalog = Catalog::builtin();
    let settings = Settings::default(); // no band, wall or doorway
    for routine in day_of_plans(&settings, 300, 1) {
        for step in &routine.steps {
            let m = catalog.get(&step.move_id).unwrap();
            assert!(m.micro, "{} is a desk move", m.id);
            assert!(
                m.equipment.iter().all(|e| *e == Equipment::Chair),
                "{} needs {:?}",
                m.id,
                m.equipment
            );
        }
    }
    let mut with_band = Settings::default();
    with_band.equipment.insert(Equipment::ResistanceBand);
    let used_band = day_of_plans(&with_band, 300, 1).iter().any(|r| {
        r.steps.iter().any(|s| {
            catalog.get(&s.move_id).unwrap().equipment.contains(&Equipment::ResistanceBand)
        })
    });
    assert!(used_band, "a band at hand gets used");
}

#[test]
fn a_person_who_cannot_stand_gets_only_seated_moves() {
    let catalog = Catalog::builtin();
    let mut settings = Settings { can_stand: false, ..Settings::default() };
    settings.equipment.extend([Equipment::Wall, Equipment::Doorway, Equipment::ResistanceBand]);
    for routine in day_of_plans(&settings, 300, 3) {
        for step in &routine.steps {
            let position = catalog.get(&step.move_id).unwrap().position;
            assert!(
                matches!(position, Position::Seated | Position::Either),
                "{} is {position:?}",
                step.move_id
            );
        }
    }
}

#[test]
fn excluded_moves_are_never_planned() {
    let mut settings = Settings::default();
    settings.excluded_moves.extend(["chin-tuck".to_string(), "neck-roll".to_string()]);
    for routine in day_of_plans(&settings, 300, 5) {
        assert!(routine.steps.iter().all(|s| s.move_id != "chin-tuck" && s.move_id != "neck-roll"));
    }
}

#[test]
fn no_two_consecutive_routines_are_identical_over_a_thousand_plans() {
    let settings = Settings::default();
    let plans = day_of_plans(&settings, 1000, 11);
    for pair in plans.windows(2) {
        let a: BTreeSet<_> = pair[0].move_ids().into_iter().collect();
        let b: BTreeSet<_> = pair[1].move_ids().into_iter().collect();
        assert_ne!(a, b);
    }
}

#[test]
fn a_reminder_that_was_not_taken_is_not_offered_again_identically() {
    let settings = Settings::default();
    let mut memory = Memory::default();
    let first = plan(Catalog::builtin(), &request(&settings, &memory, 1)).unwrap();
    memory.observe(t0(), &EventKind::Reminded { repeat: false, moves: first.move_ids() });
    let second = plan(Catalog::builtin(), &request(&settings, &memory, 1)).unwrap();
    assert_ne!(first.move_ids(), second.move_ids());
}

#[test]
fn a_day_of_plans_covers_every_desk_region_evenly() {
    let catalog = Catalog::builtin();
    let settings = Settings::default();
    for seed in [1, 2, 3] {
        // Twelve breaks: a long working day at one every 40 minutes.
        let mut count: BTreeMap<MuscleGroup, u32> = BTreeMap::new();
        for routine in day_of_plans(&settings, 12, seed) {
            for step in &routine.steps {
                let groups: BTreeSet<MuscleGroup> =
                    catalog.get(&step.move_id).unwrap().muscles.iter().map(|m| m.group()).collect();
                for g in groups {
                    *count.entry(g).or_default() += 1;
                }
            }
        }
        for g in MuscleGroup::DESK {
            let n = count.get(&g).copied().unwrap_or(0);
            assert!(n >= 3, "seed {seed}: {g:?} worked {n} times in a day: {count:?}");
        }
        let max =
            MuscleGroup::DESK.iter().map(|g| count.get(g).copied().unwrap_or(0)).max().unwrap();
        let min =
            MuscleGroup::DESK.iter().map(|g| count.get(g).copied().unwrap_or(0)).min().unwrap();
        assert!(max <= 4 * min, "seed {seed}: uneven {count:?}");
    }
}

#[test]
fn the_planner_rotates_through_many_moves() {
    // Two days of one-minute breaks (two moves each, the day's least-worked regions first): two
    // thirds of the 15 desk moves the defaults allow come round.
    let plans = day_of_plans(&Settings::default(), 24, 4);
    let distinct: BTreeSet<_> = plans.iter().flat_map(|r| r.move_ids()).collect();
    assert!(distinct.len() >= 10, "{} distinct moves in two days", distinct.len());
}

#[test]
fn the_same_inputs_and_seed_give_the_same_plan() {
    let settings = Settings::default();
    let memory = Memory::default();
    let a = plan(Catalog::builtin(), &request(&settings, &memory, 42)).unwrap();
    let b = plan(Catalog::builtin(), &request(&settings, &memory, 42)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_move_that_hurt_is_left_out_until_the_person_brings_it_back() {
    let settings = Settings::default();
    let mut memory = Memory::default();
    memory
        .observe(t0(), &EventKind::Feedback { feel: Feel::Hurt, moves: vec!["chin-tuck".into()] });
    let uses_chin_tuck = |memory: &Memory, days: i64| {
        (0..200).any(|seed| {
            let mut req = request(&settings, memory, seed);
            req.now = t0() + SignedDuration::from_hours(24 * days);
            plan(Catalog::builtin(), &req).unwrap().move_ids().contains(&"chin-tuck".to_string())
        })
    };
    assert!(!uses_chin_tuck(&memory, 0));
    assert!(!uses_chin_tuck(&memory, 365), "it came back by itself");
    memory.observe(t0(), &EventKind::BroughtBack { moves: vec!["chin-tuck".into()] });
    assert!(uses_chin_tuck(&memory, 1), "brought back, but still left out");
}

#[test]
fn too_easy_raises_a_level_and_too_hard_lowers_it() {
    let chin = Catalog::builtin().get("chin-tuck").unwrap();
    let mut memory = Memory::default();
    let tuck = || vec!["chin-tuck".to_string()];
    assert_eq!(memory.level("chin-tuck"), 0);
    memory.observe(t0(), &EventKind::Feedback { feel: Feel::TooEasy, moves: tuck() });
    assert_eq!(memory.level("chin-tuck"), 1);
    memory.observe(t0(), &EventKind::Feedback { feel: Feel::JustRight, moves: tuck() });
    assert_eq!(memory.level("chin-tuck"), 1);
    for _ in 0..10 {
        memory.observe(t0(), &EventKind::Feedback { feel: Feel::TooEasy, moves: tuck() });
    }
    assert_eq!(memory.level("chin-tuck"), chin.levels.len() - 1, "never past the last level");
    for _ in 0..10 {
        memory.observe(t0(), &EventKind::Feedback { feel: Feel::TooHard, moves: tuck() });
    }
    assert_eq!(memory.level("chin-tuck"), 0, "never below the first");
}

#[test]
fn a_planned_step_carries_the_move_level_and_a_dose_that_fits_its_time() {
    let settings = Settings::default();
    let mut memory = Memory::default();
    memory.observe(
        t0(),
        &EventKind::Feedback { feel: Feel::TooEasy, moves: vec!["chin-tuck".into()] },
    );
    let found = (0..300).find_map(|seed| {
        let r = plan(Catalog::builtin(), &request(&settings, &memory, seed)).unwrap();
        r.steps.into_iter().find(|s| s.move_id == "chin-tuck")
    });
    let step = found.expect("chin tucks come up");
    assert_eq!(step.level, 1);
    assert!(step.dose.set_seconds().abs_diff(step.seconds_per_side) <= 5, "{step:?}");
}

#[test]
fn rows_and_face_pulls_need_a_door_anchor_and_get_time_to_set_it_up() {
    let catalog = Catalog::builtin();
    let anchored = |routine: &Routine| {
        routine.steps.iter().any(|s| matches!(s.move_id.as_str(), "band-row" | "band-face-pull"))
    };
    let band = Settings {
        equipment: BTreeSet::from([Equipment::ResistanceBand]),
        routine_seconds: 90,
        ..Settings::default()
    };
    assert!(!day_of_plans(&band, 300, 2).iter().any(anchored), "a band in the hands only");
    let anchor = Settings {
        equipment: BTreeSet::from([Equipment::ResistanceBand, Equipment::DoorAnchor]),
        ..band
    };
    let plans = day_of_plans(&anchor, 300, 2);
    assert!(plans.iter().any(anchored), "never a row or a face pull with a door anchor");
    for step in plans.iter().flat_map(|r| &r.steps) {
        let needs_setup =
            catalog.get(&step.move_id).unwrap().equipment.contains(&Equipment::DoorAnchor);
        let want = TRANSITION_SECONDS + if needs_setup { SETUP_SECONDS } else { 0 };
        assert_eq!(step.prepare_seconds, want, "{}", step.move_id);
    }
}

#[test]
fn grip_work_comes_as_the_other_move_never_instead_of_the_posture_one() {
    let catalog = Catalog::builtin();
    let plans = day_of_plans(&Settings { routine_seconds: 90, ..Settings::default() }, 600, 5);
    let with_grip: Vec<&Routine> =
        plans.iter().filter(|r| r.move_ids().contains(&"desk-grip-squeeze".to_string())).collect();
    assert!(!with_grip.is_empty(), "grip work never planned");
    for routine in with_grip {
        let posture = routine.steps.iter().any(|s| {
            let m = catalog.get(&s.move_id).unwrap();
            m.id != "desk-grip-squeeze" && matches!(m.kind, Kind::Posture | Kind::Strength)
        });
        assert!(posture, "grip in place of a posture move: {routine:?}");
    }
}

#[test]
fn a_chosen_workout_move_comes_in_its_sets_and_a_desk_move_once() {
    use unslouch_core::routines::{REST_SECONDS, routine_of};
    let catalog = Catalog::builtin();
    let ids = vec!["bent-over-row".to_string(), "chin-tuck".to_string()];
    let r = routine_of(catalog, &Memory::default(), &ids).unwrap();
    let row = &r.steps[0];
    assert_eq!(
        (row.sets, row.rest_seconds),
        (catalog.get("bent-over-row").unwrap().levels[0].sets, REST_SECONDS)
    );
    assert!(row.sets >= 2);
    assert_eq!((r.steps[1].sets, r.steps[1].rest_seconds), (1, 0));
    assert!(!r.session);
    assert_eq!(routine_of(catalog, &Memory::default(), &["no-such".into()]), Err("no-such".into()));
}
