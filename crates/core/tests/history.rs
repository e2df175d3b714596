//! History aggregation: per-day figures, streaks, reminders answered, muscles worked.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use unslouch_core::history::{Event, EventKind, Outcome, Trigger, local_day, summarize};
use unslouch_core::routines::MuscleGroup;

fn tz() -> TimeZone {
    TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap()
}

fn at(local: &str) -> Timestamp {
    let dt: jiff::civil::DateTime = local.parse().unwrap();
    dt.to_zoned(tz()).unwrap().timestamp()
}

fn ev(local: &str, kind: EventKind) -> Event {
    Event { at: at(local), kind }
}

fn completed(local: &str, moves: &[&str]) -> Vec<Event> {
    let moves: Vec<String> = moves.iter().map(|m| m.to_string()).collect();
    vec![
        ev(
            local,
            EventKind::BreakStarted {
                trigger: Trigger::Reminder,
                moves: moves.clone(),
                session: false,
            },
        ),
        ev(
            local,
            EventKind::BreakFinished {
                outcome: Outcome::Completed,
                moves,
                seconds: 60,
                session: false,
                done: vec![],
            },
        ),
    ]
}

fn desk(local: &str, minutes: u32) -> Event {
    ev(local, EventKind::Desk { started: at(local), seconds: minutes * 60 })
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn a_day_runs_from_four_in_the_morning() {
    assert_eq!(local_day(at("2026-11-24T03:59"), &tz(), 4), date("2026-11-23"));
    assert_eq!(local_day(at("2026-11-24T04:00"), &tz(), 4), date("2026-11-24"));
    assert_eq!(local_day(at("2026-11-24T00:30"), &tz(), 0), date("2026-11-24"));
}

#[test]
fn per_day_figures_count_each_kind_of_event() {
    let mut events = vec![
        desk("2026-11-23T09:40", 40),
        ev("2026-11-23T09:40", EventKind::Reminded { repeat: false, moves: vec![] }),
        ev("2026-11-23T09:45", EventKind::Reminded { repeat: true, moves: vec![] }),
        ev("2026-11-23T09:46", EventKind::Snoozed { count: 1 }),
    ];
    events.extend(completed("2026-11-23T09:57", &["chin-tuck"]));
    events.push(desk("2026-11-23T11:00", 55));
    events.push(ev("2026-11-23T11:00", EventKind::NaturalBreak { away_seconds: 600 }));
    events.push(ev("2026-11-23T12:00", EventKind::Skipped));
    events.push(ev("2026-11-24T02:00", EventKind::Skipped)); // still Monday's day
    let s = summarize(&events, &tz(), 4, date("2026-11-24"), 7);
    assert_eq!(s.days.len(), 7);
    assert_eq!(s.days.last().unwrap().date, date("2026-11-24"));
    let monday = &s.days[5];
    assert_eq!(monday.date, date("2026-11-23"));
    assert_eq!(
        (monday.completed, monday.natural, monday.skipped, monday.snoozed, monday.reminded),
        (1, 1, 2, 1, 1)
    );
    assert_eq!(monday.desk_minutes, 95);
    assert_eq!(monday.longest_stretch_minutes, 55);
    assert_eq!(
        s.days[6],
        unslouch_core::history::DaySummary { date: date("2026-11-24"), ..Default::default() }
    );
}

#[test]
fn the_longest_stretch_spans_desk_segments_until_a_real_break() {
    let mut events = vec![desk("2026-11-23T09:30", 30), desk("2026-11-23T10:15", 40)];
    events.push(ev("2026-11-23T10:20", EventKind::Skipped)); // a skip is no break from sitting
    events.push(desk("2026-11-23T10:40", 20));
    events.extend(completed("2026-11-23T10:41", &["chin-tuck"]));
    events.push(desk("2026-11-23T11:30", 45));
    let s = summarize(&events, &tz(), 4, date("2026-11-23"), 1);
    assert_eq!(s.days[0].longest_stretch_minutes, 90);
}

#[test]
fn streaks_count_desk_days_with_a_completed_break_and_skip_days_off() {
    let mut events = Vec::new();
    // Mon–Fri with breaks, a weekend away, Mon with a break, Tue at the desk without one,
    // Wed and Thu with breaks.
    for d in ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-09"] {
        events.push(desk(&format!("{d}T10:00"), 60));
        events.extend(completed(&format!("{d}T10:00"), &["chin-tuck"]));
    }
    events.push(desk("2026-11-10T10:00", 120));
    for d in ["2026-11-11", "2026-11-12"] {
        events.push(desk(&format!("{d}T10:00"), 60));
        events.extend(completed(&format!("{d}T10:00"), &["chin-tuck"]));
    }
    let s = summarize(&events, &tz(), 4, date("2026-11-12"), 14);
    assert_eq!(s.best_streak, 6, "the weekend neither breaks nor adds");
    assert_eq!(s.current_streak, 2);
    // Today at the desk with no break yet: the streak still stands.
    events.push(desk("2026-11-13T10:00", 30));
    let s = summarize(&events, &tz(), 4, date("2026-11-13"), 14);
    assert_eq!(s.current_streak, 2);
}

#[test]
fn the_share_of_reminders_acted_on() {
    let mut events =
        vec![ev("2026-11-23T09:40", EventKind::Reminded { repeat: false, moves: vec![] })];
    events.extend(completed("2026-11-23T09:41", &["chin-tuck"]));
    events.push(ev("2026-11-23T10:40", EventKind::Reminded { repeat: false, moves: vec![] }));
    events.push(ev("2026-11-23T10:41", EventKind::Skipped));
    events.push(ev("2026-11-23T11:40", EventKind::Reminded { repeat: false, moves: vec![] }));
    events.push(ev("2026-11-23T11:45", EventKind::Reminded { repeat: true, moves: vec![] }));
    events.extend(completed("2026-11-23T11:50", &["wall-angel"]));
    events.push(ev("2026-11-23T12:40", EventKind::Reminded { repeat: false, moves: vec![] }));
    let s = summarize(&events, &tz(), 4, date("2026-11-23"), 7);
    assert_eq!(s.acted_on, Some(0.5));
    assert_eq!(summarize(&[], &tz(), 4, date("2026-11-23"), 7).acted_on, None);
}

#[test]
fn muscles_worked_this_week_come_from_completed_moves_only() {
    let mut events = completed("2026-11-23T10:00", &["chin-tuck", "doorway-chest-stretch"]);
    events.extend(completed("2026-11-10T10:00", &["wall-angel"])); // two weeks ago
    events.push(ev(
        "2026-11-23T11:00",
        EventKind::BreakFinished {
            outcome: Outcome::EndedEarly,
            moves: vec!["band-row".into()],
            seconds: 10,
            session: false,
            done: vec![],
        },
    ));
    let s = summarize(&events, &tz(), 4, date("2026-11-23"), 14);
    assert_eq!(s.muscles_week.get(&MuscleGroup::Neck), Some(&1));
    assert_eq!(s.muscles_week.get(&MuscleGroup::ChestAndLats), Some(&1));
    assert_eq!(s.days.last().unwrap().ended_early, 1);
    assert!(!s.muscles_week.contains_key(&MuscleGroup::Support));
}

#[test]
fn recent_breaks_are_listed_newest_first_with_how_they_felt() {
    use unslouch_core::history::{BreakRecord, Feel, RECENT_BREAKS};
    let mut events = vec![ev("2026-11-10T10:00", EventKind::Skipped)]; // before the period
    events.extend(completed("2026-11-23T09:57", &["chin-tuck", "wall-angel"]));
    events.push(ev(
        "2026-11-23T09:58",
        EventKind::Feedback { feel: Feel::TooEasy, moves: vec!["chin-tuck".into()] },
    ));
    events.push(ev("2026-11-23T11:00", EventKind::NaturalBreak { away_seconds: 600 }));
    events.push(ev("2026-11-23T11:30", EventKind::Snoozed { count: 1 })); // not a break
    events.push(ev("2026-11-23T12:00", EventKind::Skipped));
    events.push(ev(
        "2026-11-23T13:00",
        EventKind::BreakFinished {
            outcome: Outcome::EndedEarly,
            moves: vec!["chin-tuck".into()],
            seconds: 20,
            session: false,
            done: vec![],
        },
    ));
    let s = summarize(&events, &tz(), 4, date("2026-11-24"), 7);
    let got: Vec<_> = s.recent.iter().map(|r| (r.what, r.seconds, r.feel)).collect();
    assert_eq!(
        got,
        [
            (BreakRecord::EndedEarly, 20, None),
            (BreakRecord::Skipped, 0, None),
            (BreakRecord::Natural, 600, None),
            (BreakRecord::Completed, 60, Some(Feel::TooEasy)),
        ]
    );
    assert_eq!(s.recent[3].moves, ["chin-tuck", "wall-angel"]);
    assert_eq!(s.recent[0].at, at("2026-11-23T13:00"));

    // A long history is cut to the latest few.
    let many: Vec<Event> = (0..40)
        .flat_map(|i| {
            completed(&format!("2026-11-23T{:02}:{:02}", 8 + i / 4, (i % 4) * 15), &["chin-tuck"])
        })
        .collect();
    let s = summarize(&many, &tz(), 4, date("2026-11-24"), 7);
    assert_eq!(s.recent.len(), RECENT_BREAKS);
    assert_eq!(s.recent[0].at, at("2026-11-23T17:45"));
}

#[test]
fn each_move_says_what_was_done_of_it_in_the_period() {
    use unslouch_core::history::Done;
    use unslouch_core::routines::Dose;
    let row = |level, reps, sets| Done {
        move_id: "bent-over-row".into(),
        level,
        dose: Dose::Reps { reps, tempo_seconds: 3 },
        sets,
    };
    let tuck = Done {
        move_id: "chin-tuck".into(),
        level: 0,
        dose: Dose::Hold { hold_seconds: 3, reps: 5 },
        sets: 1,
    };
    let finished = |done: Vec<Done>| EventKind::BreakFinished {
        outcome: Outcome::Completed,
        moves: done.iter().map(|d| d.move_id.clone()).collect(),
        seconds: 900,
        session: true,
        done,
    };
    let events = vec![
        ev("2026-11-01T18:00", finished(vec![row(0, 10, 2)])), // before the period
        ev("2026-11-17T18:00", finished(vec![row(0, 10, 2), tuck.clone()])),
        ev("2026-11-20T18:00", finished(vec![row(1, 12, 3)])),
    ];
    let s = summarize(&events, &tz(), 4, date("2026-11-23"), 14);
    let got: Vec<(&str, u32, u32, usize)> =
        s.moves.iter().map(|m| (m.move_id.as_str(), m.times, m.sets, m.last.level)).collect();
    assert_eq!(got, [("bent-over-row", 2, 5, 1), ("chin-tuck", 1, 1, 0)], "newest first");
    assert_eq!(s.moves[0].last.dose, Dose::Reps { reps: 12, tempo_seconds: 3 });
}
