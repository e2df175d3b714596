//! What the planner gives over many seeds, for each routine length a person can set: the share
//! of routines that hold a strengthening move (posture or strength), the share that are two
//! warm-ups, the shortest stretch hold, and how far the length lands from the target.
//!
//! `cargo run -q -p unslouch-core --example plans [seeds]` (default 2000 per length), with the
//! default settings; `--band` adds a resistance band.

use jiff::{SignedDuration, Timestamp};
use unslouch_core::Settings;
use unslouch_core::history::{EventKind, Trigger};
use unslouch_core::routines::{Catalog, Dose, Equipment, Kind, Memory, PlanRequest, plan};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds: u64 = args.iter().find_map(|a| a.parse().ok()).unwrap_or(2000);
    let mut settings = Settings::default();
    if args.iter().any(|a| a == "--band") {
        settings.equipment.insert(Equipment::ResistanceBand);
    }
    let catalog = Catalog::builtin();
    let t0: Timestamp = "2026-11-23T08:00:00Z".parse().expect("a time");
    println!(
        "routine_s  plans  strengthening  two_warm_ups  shortest_hold_s  length_s(min/median/max)"
    );
    for target in [30, 45, 60, 90, 120, 180] {
        settings.routine_seconds = target;
        let (mut strong, mut warm2, mut shortest, mut lengths) = (0, 0, u32::MAX, Vec::new());
        // A day of plans in a row, each remembered, as the daemon makes them.
        let mut memory = Memory::default();
        for seed in 0..seeds {
            let now = t0 + SignedDuration::from_mins(40 * (seed % 12) as i64);
            if seed % 12 == 0 {
                memory = Memory::default();
            }
            let request =
                PlanRequest { settings: &settings, memory: &memory, now, day_start: t0, seed };
            let routine = plan(catalog, &request).expect("a routine");
            let kinds: Vec<Kind> = routine
                .steps
                .iter()
                .filter_map(|s| catalog.get(&s.move_id))
                .map(|m| m.kind)
                .collect();
            if kinds.iter().any(|k| matches!(k, Kind::Posture | Kind::Strength)) {
                strong += 1;
            }
            if kinds.iter().filter(|k| **k == Kind::WarmUp).count() >= 2 {
                warm2 += 1;
            }
            for (step, kind) in routine.steps.iter().zip(&kinds) {
                if let (Kind::Stretch, Dose::Hold { hold_seconds, .. }) = (kind, step.dose) {
                    shortest = shortest.min(hold_seconds.min(step.seconds_per_side));
                }
            }
            lengths.push(routine.total_seconds());
            memory.observe(
                now,
                &EventKind::BreakStarted {
                    trigger: Trigger::Reminder,
                    moves: routine.move_ids(),
                    session: false,
                },
            );
        }
        lengths.sort_unstable();
        let share = |n: u64| 100.0 * n as f64 / seeds as f64;
        println!(
            "{target:>9}  {seeds:>5}  {:>12.1}%  {:>11.1}%  {:>15}  {}/{}/{}",
            share(strong),
            share(warm2),
            if shortest == u32::MAX { "-".to_string() } else { shortest.to_string() },
            lengths[0],
            lengths[lengths.len() / 2],
            lengths[lengths.len() - 1],
        );
    }
}
