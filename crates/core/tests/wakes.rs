//! The wake-up budget: whatever the day holds (a locked screen all night with no idle source,
//! sleep, the days clocks change, any hour for the start of the day, a change of time zone), the
//! scheduler never asks to be woken at or before now, and an hour nobody is at the desk costs at
//! most a handful of wake-ups. The harness panics on a deadline already due.

mod common;

use std::time::Duration;

use common::{Harness, at_in, beirut, berlin, lord_howe, new_york};
use jiff::tz::TimeZone;
use proptest::prelude::*;
use unslouch_core::Settings;
use unslouch_core::history::{day_start, local_day};
use unslouch_core::schedule::{Ask, Input, PauseFor, StateName};
use unslouch_core::time::{Mono, mins, secs};

/// Wake-ups allowed in an hour with nobody at the desk.
const IDLE_HOUR_BUDGET: usize = 4;

/// The zones and, for each, a date a few days before each of its clock changes.
fn zones() -> Vec<(&'static str, TimeZone, [&'static str; 2])> {
    vec![
        ("Berlin", berlin(), ["2026-03-26", "2026-10-22"]),
        ("New York", new_york(), ["2026-03-05", "2026-10-29"]),
        ("Lord Howe", lord_howe(), ["2026-04-02", "2026-10-01"]),
        ("Beirut (midnight changes)", beirut(), ["2026-03-26", "2026-10-22"]),
    ]
}

/// Wake-ups in `[from, to)`.
fn wakes_between(h: &Harness, from: Mono, to: Mono) -> usize {
    h.wake_times.iter().filter(|t| **t >= from && **t < to).count()
}

/// Consecutive wake-ups are never within a millisecond of each other.
fn assert_no_storm(h: &Harness, what: &str) {
    for pair in h.wake_times.windows(2) {
        assert!(
            pair[1] - pair[0] > Duration::from_millis(1),
            "{what}: two wake-ups {:?} apart at {:?}",
            pair[1] - pair[0],
            pair[1]
        );
    }
}

/// A workday with no idle source: at the desk from 09:00 with a locked lunch hour, locked from
/// 18:00 to 09:00 the next day, then the same again; `days` of it. Returns the wake-ups counted
/// in each locked hour.
fn locked_evenings(h: &mut Harness, days: u32) -> Vec<usize> {
    let mut per_locked_hour = Vec::new();
    for _ in 0..days {
        h.active(mins(180));
        lock_for(h, mins(60), &mut per_locked_hour);
        h.active(mins(300));
        if h.state() == StateName::Due {
            h.ask(Ask::Skip);
        }
        lock_for(h, mins(15 * 60), &mut per_locked_hour);
    }
    per_locked_hour
}

fn lock_for(h: &mut Harness, d: Duration, per_hour: &mut Vec<usize>) {
    h.input(Input::Locked);
    let from = h.now.mono;
    h.idle(d);
    h.input(Input::Unlocked);
    h.last_input = h.now.mono;
    let hours = (d.as_secs() / 3600).max(1);
    for i in 0..hours {
        let start = from + secs(i * 3600);
        per_hour.push(wakes_between(h, start, start + secs(3600)));
    }
}

#[test]
fn locked_all_night_without_an_idle_source_costs_a_few_wake_ups() {
    let mut h = Harness::new().without_idle_source();
    h.active(mins(30));
    h.input(Input::Locked);
    let from = h.now.mono;
    h.idle(mins(15 * 60));
    let wakes = wakes_between(&h, from, h.now.mono);
    // The natural break once, the day's start once: nothing else to wake for.
    assert!(wakes <= 3, "{wakes} wake-ups in 15 locked hours");
    assert_eq!(h.state(), StateName::Away);
    assert_eq!(
        h.count_events(|k| matches!(k, unslouch_core::history::EventKind::NaturalBreak { .. })),
        1
    );
    assert_no_storm(&h, "locked overnight");
}

#[test]
fn a_lock_past_the_threshold_is_a_natural_break_even_with_no_idle_reading() {
    let mut h = Harness::new().without_idle_source();
    h.active(mins(30));
    h.input(Input::Locked);
    h.idle(mins(6));
    assert!(h.events().iter().any(|e| matches!(
        e.kind,
        unslouch_core::history::EventKind::NaturalBreak { away_seconds } if away_seconds == 300
    )));
    h.input(Input::Unlocked);
    assert_eq!(h.desk_minutes(), 0.0, "the natural break started the count again");
}

#[test]
fn every_zone_every_day_start_and_both_clock_changes_keep_the_wake_budget() {
    for (name, tz, dates) in zones() {
        for date in dates {
            for hour in 0..24u8 {
                let settings = Settings { day_starts_at_hour: hour, ..Settings::default() };
                let start = format!("{date}T09:00");
                let mut h =
                    Harness::starting_in(settings, &start, tz.clone()).without_idle_source();
                let per_hour = locked_evenings(&mut h, 6);
                let worst = per_hour.iter().max().copied().unwrap_or(0);
                assert!(
                    worst <= IDLE_HOUR_BUDGET,
                    "{name} from {date}, days start at {hour}: {worst} wake-ups in a locked hour"
                );
                assert_no_storm(&h, &format!("{name} from {date}, day start {hour}"));
            }
        }
    }
}

#[test]
fn a_fortnight_with_an_idle_source_sleep_and_clock_changes_keeps_the_budget() {
    for (name, tz, dates) in zones() {
        for date in dates {
            let start = format!("{date}T09:00");
            let mut h = Harness::starting_in(Settings::default(), &start, tz.clone());
            for day in 0..14 {
                h.active(mins(200));
                h.idle(mins(3));
                h.active(mins(60));
                if h.state() == StateName::Due {
                    h.ask(Ask::StartBreak { moves: None });
                    h.idle(mins(2));
                }
                if day % 2 == 0 {
                    // Locked overnight.
                    let mut per_hour = Vec::new();
                    h.input(Input::Locked);
                    let from = h.now.mono;
                    h.idle(mins(14 * 60));
                    for i in 0..14 {
                        let s = from + secs(i * 3600);
                        per_hour.push(wakes_between(&h, s, s + secs(3600)));
                    }
                    h.input(Input::Unlocked);
                    h.last_input = h.now.mono;
                    // The unlock is signalled: no idle reading is needed while locked.
                    let worst = per_hour.iter().max().copied().unwrap_or(0);
                    assert!(
                        worst <= IDLE_HOUR_BUDGET,
                        "{name} from {date}: {worst} wake-ups in a locked hour with an idle source"
                    );
                } else {
                    // Asleep overnight.
                    h.input(Input::Suspending);
                    let slept = mins(14 * 60);
                    h.now.wall =
                        h.now.wall.checked_add(jiff::SignedDuration::from_hours(14)).unwrap();
                    h.input(Input::Resumed { slept });
                    h.last_input = h.now.mono;
                }
            }
            assert_no_storm(&h, &format!("{name} from {date} with an idle source"));
        }
    }
}

#[test]
fn a_change_of_time_zone_at_run_time_neither_spins_nor_loses_the_day() {
    for hour in [0u8, 4, 23] {
        let settings = Settings { day_starts_at_hour: hour, ..Settings::default() };
        // 01:00 in Berlin is the afternoon before in California: the local date goes back.
        let mut h =
            Harness::starting_in(settings, "2026-11-24T01:00", berlin()).without_idle_source();
        h.active(mins(60));
        // The laptop flies west: the same instant, the wall clock nine hours earlier.
        h.now.wall = h.now.wall.with_time_zone(TimeZone::posix("PST8PDT,M3.2.0,M11.1.0").unwrap());
        h.input(Input::Tick);
        let desk_today = h.snapshot().desk_today_seconds;
        assert!(
            desk_today >= 3600,
            "day start {hour}: today's desk time went back to {desk_today}"
        );
        h.active(mins(60));
        h.input(Input::Locked);
        h.idle(mins(20 * 60));
        // And east, across the date line.
        h.now.wall = h.now.wall.with_time_zone(TimeZone::posix("<+13>-13").unwrap());
        h.input(Input::Unlocked);
        h.last_input = h.now.mono;
        h.active(mins(60));
        assert_no_storm(&h, &format!("time-zone changes, day start {hour}"));
    }
}

#[test]
fn the_local_day_and_its_start_agree_on_the_days_clocks_change() {
    for (name, tz, dates) in zones() {
        for date in dates {
            for hour in 0..24u8 {
                let mut t = at_in(&format!("{date}T00:00"), tz.clone()).timestamp();
                // Every ten minutes over nine days around the change.
                for _ in 0..(9 * 24 * 6) {
                    let day = local_day(t, &tz, hour);
                    let begins = day_start(day, &tz, hour).unwrap();
                    let next = day_start(day.tomorrow().unwrap(), &tz, hour).unwrap();
                    assert!(
                        begins <= t && t < next,
                        "{name}, day start {hour}: {t} is on {day}, which runs {begins}..{next}"
                    );
                    t = t.checked_add(jiff::SignedDuration::from_mins(10)).unwrap();
                }
            }
        }
    }
}

#[test]
fn pause_until_tomorrow_is_taken_in_the_hour_after_the_spring_change() {
    // Berlin, 2026-03-29: 02:00 becomes 03:00. Days start at 04:00.
    let mut h = Harness::starting_in(Settings::default(), "2026-03-29T04:30", berlin());
    let answer = h.try_ask(Ask::Pause(PauseFor::Tomorrow));
    assert_eq!(
        answer,
        Ok(()),
        "pause until tomorrow refused at 04:30 on the day summer time starts"
    );
    let until = h.snapshot().status.paused_until.expect("paused");
    assert_eq!(until, at_in("2026-03-30T04:00", berlin()).timestamp());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any threshold, any pattern of work and pauses, an idle source that may stop working
    /// half-way: never a deadline or a probe already due (the harness panics on one), never two
    /// wake-ups within a millisecond.
    #[test]
    fn no_threshold_and_no_day_ask_for_a_wake_up_already_due(
        threshold in 1u32..=60,
        stretches in proptest::collection::vec((1u64..1500, 1u64..5000), 1..16),
        lost_at in proptest::option::of(0usize..16),
    ) {
        let settings = Settings { natural_break_minutes: threshold, ..Settings::default() };
        let mut h = Harness::with(settings);
        for (i, (active, idle)) in stretches.iter().enumerate() {
            if lost_at == Some(i) {
                h.input(Input::IdleSourceLost);
                h.blind = true;
            }
            h.active(secs(*active));
            h.idle(secs(*idle));
        }
        assert_no_storm(&h, &format!("threshold {threshold}"));
    }
}

#[test]
fn after_the_idle_source_is_lost_desk_time_is_still_written() {
    let mut h = Harness::new();
    h.active(mins(3));
    h.input(Input::IdleSourceLost);
    h.blind = true;
    h.active(mins(20));
    let written: u64 = h
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            unslouch_core::history::EventKind::Desk { seconds, .. } => Some(u64::from(seconds)),
            _ => None,
        })
        .sum();
    assert!(written >= 18 * 60, "only {written} s of 23 minutes written");
    assert_no_storm(&h, "source lost");
}
