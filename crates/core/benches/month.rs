//! How long the scheduler takes to live through a month of desk time.
//!
//! `cargo bench -p unslouch-core --bench month` prints the figures: wall time per simulated
//! month, scheduler calls, and the cost of one call.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

// A benchmark measures real time; the ban on clocks is for the domain code it drives.
#[allow(clippy::disallowed_methods)]
fn main() {
    let runs = 20;
    let mut best = f64::MAX;
    let mut total = 0.0;
    let mut calls = 0;
    let mut events = 0;
    for _ in 0..runs {
        let mut h = common::Harness::new();
        let start = Instant::now();
        common::month_of_workdays(&mut h, 30);
        let took = start.elapsed().as_secs_f64();
        best = best.min(took);
        total += took;
        calls = h.steps.len();
        events = h.events().len();
    }
    let mean = total / f64::from(runs);
    println!("30 simulated workdays: {calls} scheduler calls, {events} history events");
    println!("  best {:.2} ms, mean {:.2} ms over {runs} runs", best * 1e3, mean * 1e3);
    println!("  {:.2} µs per call (mean)", mean * 1e6 / calls as f64);
}
