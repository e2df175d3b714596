//! Invariants over random activity traces: whatever a person does, the rules hold.

mod common;

use std::time::Duration;

use common::Harness;
use proptest::prelude::*;
use unslouch_core::Settings;
use unslouch_core::history::EventKind;
use unslouch_core::schedule::{Ask, BreakControl, Effect, Input, PauseFor, StateName};
use unslouch_core::time::secs;

#[derive(Debug, Clone)]
enum Act {
    Active(u64),
    Idle(u64),
    Locked(u64),
    Asleep(u64),
    Snooze,
    Skip,
    StartBreak,
    EndBreak,
    Pause(u32),
    Resume,
    WorkHours(bool),
    Interval(u32),
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        6 => (1u64..5400).prop_map(Act::Active),
        3 => (1u64..1800).prop_map(Act::Idle),
        1 => (1u64..7200).prop_map(Act::Locked),
        1 => (1u64..36000).prop_map(Act::Asleep),
        2 => Just(Act::Snooze),
        1 => Just(Act::Skip),
        1 => Just(Act::StartBreak),
        1 => Just(Act::EndBreak),
        1 => (1u32..240).prop_map(Act::Pause),
        1 => Just(Act::Resume),
        1 => any::<bool>().prop_map(Act::WorkHours),
        1 => (5u32..90).prop_map(Act::Interval),
    ]
}

/// Apply one act; returns the idle time the person built up (what a reading may reveal).
fn apply(h: &mut Harness, settings: &mut Settings, a: &Act) {
    match *a {
        Act::Active(s) => h.active(secs(s)),
        Act::Idle(s) => h.idle(secs(s)),
        Act::Locked(s) => {
            h.input(Input::Locked);
            h.idle(secs(s));
            h.input(Input::Unlocked);
            h.last_input = h.now.mono;
        }
        Act::Asleep(s) => {
            h.input(Input::Suspending);
            h.now.wall = h.now.wall.checked_add(jiff::SignedDuration::from_secs(s as i64)).unwrap();
            h.input(Input::Resumed { slept: secs(s) });
            h.last_input = h.now.mono;
        }
        Act::Snooze => h.ask(Ask::Snooze),
        Act::Skip => h.ask(Ask::Skip),
        Act::StartBreak => h.ask(Ask::StartBreak { moves: None }),
        Act::EndBreak => h.ask(Ask::Break(BreakControl::End)),
        Act::Pause(m) => h.ask(Ask::Pause(PauseFor::Minutes { minutes: m })),
        Act::Resume => h.ask(Ask::Resume),
        Act::WorkHours(on) => {
            settings.work_hours.enabled = on;
            h.ask(Ask::Settings(Box::new(settings.clone())));
        }
        Act::Interval(m) => {
            settings.interval_minutes = m;
            h.ask(Ask::Settings(Box::new(settings.clone())));
        }
    }
}

fn is_reset(k: &EventKind) -> bool {
    matches!(
        k,
        EventKind::NaturalBreak { .. } | EventKind::BreakFinished { .. } | EventKind::Skipped
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_rules_hold_over_any_trace(acts in proptest::collection::vec(act(), 1..60)) {
        let mut settings = Settings::default();
        let mut h = Harness::with(settings.clone());
        let mut desk_before = Duration::ZERO;
        let mut last_step = h.now.mono;
        for a in &acts {
            let mark = h.mark();
            apply(&mut h, &mut settings, a);
            let effects = h.effects_since(mark);
            let desk = h.s.desk().counter(h.now.mono);

            // Desk time: never more than the time that passed; it falls only at a break or a
            // skip, or by no more than the idle time a reading revealed.
            let elapsed = h.now.mono - last_step;
            prop_assert!(desk <= desk_before + elapsed, "desk time grew faster than the clock");
            let reset = h.events()[..].iter().rev().take(effects.len()).any(|e| is_reset(&e.kind));
            if desk + secs(1) < desk_before && !reset {
                let revealed = h.now.mono - h.last_input;
                prop_assert!(desk_before - desk <= revealed + elapsed, "desk time fell by {:?} with no break ({:?})", desk_before - desk, a);
            }

            // The next deadline is always in the future.
            if let Some(d) = h.s.next_deadline(&h.now) {
                prop_assert!(d > h.now.mono);
            }
            desk_before = desk;
            last_step = h.now.mono;
        }

        // Never a reminder from a call that began paused, off hours or away: coming back from
        // any of them waits at least the grace time.
        for (before, after, effects) in &h.steps {
            let notified = effects.iter().any(|e| matches!(e, Effect::Notify(_)));
            if notified {
                prop_assert!(
                    !matches!(before, StateName::Paused | StateName::OffHours | StateName::Away),
                    "a reminder straight out of {before:?}"
                );
                prop_assert_eq!(*after, StateName::Due);
            }
        }

        // No more reminders than the rules allow: one first showing per count toward a break
        // (started again by a break, a skip, a snooze or reminders coming back), and at most one
        // repeat after each first showing.
        let reminders = h.reminders();
        let mut previous_was_repeat = true;
        for (_, r) in &reminders {
            if r.repeat {
                prop_assert!(!previous_was_repeat, "two repeats in a row");
            }
            previous_was_repeat = r.repeat;
        }
        let firsts = reminders.iter().filter(|(_, r)| !r.repeat).count();
        let restarts = 1 + h.count_events(|k| is_reset(k) || matches!(k, EventKind::Snoozed { .. } | EventKind::Resumed { .. }))
            + h.steps.iter().filter(|(b, a, _)| matches!(b, StateName::OffHours | StateName::Away) && *a != *b).count();
        prop_assert!(firsts <= restarts, "{} first reminders for {} restarts", firsts, restarts);
    }
}

#[test]
fn thirty_days_of_desk_life_keep_every_rule() {
    let mut h = Harness::new();
    common::month_of_workdays(&mut h, 30);
    let completed = h.count_events(|k| matches!(k, EventKind::BreakFinished { .. }));
    let natural = h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. }));
    assert!(completed >= 60, "{completed} breaks taken in 30 days");
    assert!(natural >= 60, "lunch and nights are natural breaks: {natural}");
    let summary = unslouch_core::history::summarize(
        &h.events(),
        h.now.wall.time_zone(),
        4,
        h.now.wall.date(),
        30,
    );
    let desk_days = summary.days.iter().filter(|d| d.desk_minutes > 0).count();
    assert!(desk_days >= 28, "{desk_days} days with desk time");
    for d in summary.days.iter().filter(|d| d.desk_minutes > 0) {
        assert!((300..=480).contains(&d.desk_minutes), "{:?}", d);
    }
}

/// A stretch of a person's morning: at the desk touching the keyboard, a pause with no input
/// (reading, thinking: shorter than the threshold, or an absence longer than it), with extra
/// idle readings at the given fractions of the pause.
#[derive(Debug, Clone)]
struct Stretch {
    active: u64,
    pause: u64,
    extra_readings: Vec<f64>,
}

fn stretch() -> impl Strategy<Value = Stretch> {
    (
        1u64..900,
        prop_oneof![3 => 1u64..299, 1 => 300u64..3600],
        proptest::collection::vec(0.0f64..1.0, 0..6),
    )
        .prop_map(|(active, pause, extra_readings)| Stretch { active, pause, extra_readings })
}

/// Play the stretches; with `extra`, also take the extra readings inside each pause.
fn play(stretches: &[Stretch], extra: bool) -> Harness {
    let mut h = Harness::new();
    for s in stretches {
        h.active(secs(s.active));
        let mut cuts: Vec<u64> = if extra {
            s.extra_readings.iter().map(|f| (f * s.pause as f64) as u64).collect()
        } else {
            Vec::new()
        };
        cuts.push(s.pause);
        cuts.sort_unstable();
        let mut done = 0;
        for cut in cuts {
            // Each piece of the pause ends with a reading (the harness reads at the end).
            h.idle(secs(cut - done));
            done = cut;
        }
    }
    h
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn desk_time_does_not_depend_on_when_readings_are_taken(
        stretches in proptest::collection::vec(stretch(), 1..25)
    ) {
        let plain = play(&stretches, false);
        let watched = play(&stretches, true);
        prop_assert_eq!(plain.now.mono, watched.now.mono);
        let (a, b) = (plain.snapshot(), watched.snapshot());
        prop_assert_eq!(a.desk_today_seconds, b.desk_today_seconds);
        prop_assert_eq!(a.status.desk_seconds, b.status.desk_seconds);
        prop_assert_eq!(plain.reminders().len(), watched.reminders().len());
        // And short pauses are sitting time, whole: with no pause reaching the threshold, desk
        // time is all the time that passed.
        if stretches.iter().all(|s| s.pause < 300) {
            let total: u64 = stretches.iter().map(|s| s.active + s.pause).sum();
            prop_assert_eq!(a.desk_today_seconds, total);
        }
    }
}

/// The suggestion of a full session, over random days around a clock change: never more than
/// one a person's day, only at the desk with no reminder out, and never a deadline at or before
/// now (the harness checks that at every wake-up).
#[derive(Debug, Clone)]
enum Day {
    Act(Act),
    StartSession,
    SessionAt(i8, i8),
}

fn day_act() -> impl Strategy<Value = Day> {
    prop_oneof![
        8 => act().prop_map(Day::Act),
        1 => Just(Day::StartSession),
        1 => (0i8..24, 0i8..60).prop_map(|(h, m)| Day::SessionAt(h, m)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn a_session_is_suggested_at_most_once_a_day(
        start in prop_oneof![Just("2026-03-27T15:00"), Just("2026-10-23T15:00")],
        days in proptest::collection::btree_set(0usize..7, 0..7),
        day_starts_at_hour in 0u8..24,
        acts in proptest::collection::vec(day_act(), 40..160),
    ) {
        use unslouch_core::settings::{ClockTime, Day as Weekday};
        let all = [
            Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday,
            Weekday::Friday, Weekday::Saturday, Weekday::Sunday,
        ];
        let mut settings = Settings {
            session_days: days.iter().map(|d| all[*d]).collect(),
            day_starts_at_hour,
            ..Settings::default()
        };
        let mut h = Harness::starting_in(settings.clone(), start, common::berlin());
        for a in &acts {
            match a {
                Day::Act(a) => apply(&mut h, &mut settings, a),
                Day::StartSession => h.ask(Ask::StartSession),
                Day::SessionAt(hour, minute) => {
                    settings.session_time = ClockTime(jiff::civil::time(*hour, *minute, 0, 0));
                    h.ask(Ask::Settings(Box::new(settings.clone())));
                }
            }
        }
        let mut per_day: std::collections::BTreeMap<jiff::civil::Date, u32> = Default::default();
        for e in h.events() {
            let suggested = matches!(e.kind, EventKind::Invited { .. });
            let begun = matches!(e.kind, EventKind::BreakStarted { session: true, .. });
            if suggested || begun {
                let day = unslouch_core::history::local_day(e.at, &common::berlin(), day_starts_at_hour);
                let n = per_day.entry(day).or_default();
                // A suggestion after a session begun that day, or a second one, breaks the rule.
                prop_assert!(!(suggested && *n > 0), "a suggestion on {day} after {n} before");
                *n += 1;
            }
        }
        for (_, after, effects) in &h.steps {
            if effects.iter().any(|e| matches!(e, Effect::Invite(_))) {
                prop_assert!(!effects.iter().any(|e| matches!(e, Effect::Notify(_))), "with a reminder");
                prop_assert_eq!(*after, StateName::Working, "away from the desk or over a reminder");
            }
        }
    }
}
