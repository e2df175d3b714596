//! One full session as the planner builds it, step by step, and the spread of session lengths
//! over many seeds.
//!
//! `cargo run -q -p unslouch-core --example session [seed] [--weights] [--band] [--sit]`

use jiff::Timestamp;
use unslouch_core::Settings;
use unslouch_core::routines::{Catalog, Equipment, Memory, PlanRequest, session};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed: u64 = args.iter().find_map(|a| a.parse().ok()).unwrap_or(0);
    let mut settings = Settings::default();
    if args.iter().any(|a| a == "--weights") {
        settings.equipment.extend([Equipment::Dumbbells, Equipment::Bench]);
    }
    if args.iter().any(|a| a == "--band") {
        settings.equipment.extend([Equipment::ResistanceBand, Equipment::DoorAnchor]);
    }
    settings.can_stand = !args.iter().any(|a| a == "--sit");
    let catalog = Catalog::builtin();
    let memory = Memory::default();
    let now = Timestamp::UNIX_EPOCH;
    let request =
        |seed| PlanRequest { settings: &settings, memory: &memory, now, day_start: now, seed };
    let Some(routine) = session(catalog, &request(seed)) else {
        println!("no session fits these settings");
        return;
    };
    println!(
        "{:<28} {:<9} {:>5} {:>4} {:>6} {:>6}",
        "move", "kind", "level", "sets", "rest_s", "all_s"
    );
    for s in &routine.steps {
        let m = catalog.get(&s.move_id).expect("a catalog move");
        println!(
            "{:<28} {:<9} {:>5} {:>4} {:>6} {:>6}",
            s.move_id,
            format!("{:?}", m.kind),
            s.level + 1,
            s.sets,
            s.rest_seconds,
            s.prepare_seconds + s.seconds()
        );
    }
    println!("total: {:.1} min", f64::from(routine.total_seconds()) / 60.0);
    let mut minutes: Vec<f64> = (0..1000)
        .filter_map(|seed| session(catalog, &request(seed)))
        .map(|r| f64::from(r.total_seconds()) / 60.0)
        .collect();
    minutes.sort_by(f64::total_cmp);
    println!(
        "1000 seeds: {:.1} / {:.1} / {:.1} min (min/median/max)",
        minutes[0],
        minutes[minutes.len() / 2],
        minutes[minutes.len() - 1]
    );
}
