//! Every scheduling rule, as a timeline on a fake clock.

mod common;

use std::time::Duration;

use common::{Harness, at};
use unslouch_core::history::{Event, EventKind, Feel, Outcome, Trigger};
use unslouch_core::schedule::{
    Ask, BreakControl, Effect, Input, PauseFor, Phase, Refusal, StateName,
};
use unslouch_core::settings::TimeRange;
use unslouch_core::time::{Mono, Now, mins, secs};
use unslouch_core::{Scheduler, Settings};

#[test]
fn reminder_comes_after_forty_minutes_of_desk_time() {
    let mut h = Harness::new();
    let start = h.now.mono;
    h.active(mins(39) + secs(59));
    assert!(h.reminders().is_empty(), "no reminder before the interval");
    assert_eq!(h.state(), StateName::Working);
    h.active(secs(2));
    let reminders = h.reminders();
    assert_eq!(reminders.len(), 1);
    let (when, reminder) = &reminders[0];
    assert_eq!(when.mono - start, mins(40), "exactly at 40 minutes of desk time");
    assert!(!reminder.repeat && reminder.can_snooze);
    let steps = reminder.routine.steps.len();
    assert!((2..=4).contains(&steps), "a routine of 2 to 4 moves, got {steps}");
    assert_eq!(h.state(), StateName::Due);
    assert_eq!(h.count_events(|k| matches!(k, EventKind::Reminded { repeat: false, .. })), 1);
}

#[test]
fn the_interval_is_a_setting() {
    let mut h = Harness::with(Settings { interval_minutes: 25, ..Settings::default() });
    h.active(mins(24));
    assert!(h.reminders().is_empty());
    h.active(mins(1));
    assert_eq!(h.reminders().len(), 1);
}

#[test]
fn a_short_idle_spell_is_desk_time_whole() {
    let mut h = Harness::new();
    h.active(mins(20));
    // Three minutes of reading with no input and no wake-up; the next reading tells it all.
    h.jump(mins(3));
    h.reading();
    assert!(
        (h.desk_minutes() - 23.0).abs() < 0.01,
        "a pause shorter than the threshold is sitting time: {}",
        h.desk_minutes()
    );
    assert_eq!(h.state(), StateName::Working, "a short idle spell is not an absence");
    h.active(mins(10));
    assert!((h.desk_minutes() - 33.0).abs() < 0.05, "desk time goes on: {}", h.desk_minutes());
}

#[test]
fn input_every_four_minutes_for_an_hour_is_an_hour_of_desk_time_and_a_reminder_at_the_interval() {
    let mut h = Harness::new();
    let start = h.now.mono;
    let day_before = h.snapshot().desk_today_seconds;
    for _ in 0..15 {
        // One touch of the mouse, then four minutes of reading.
        h.last_input = h.now.mono;
        h.idle(mins(4));
    }
    let reminders = h.reminders();
    let firsts: Vec<_> = reminders.iter().filter(|(_, r)| !r.repeat).collect();
    assert_eq!(firsts.len(), 1, "one reminder in the hour (and its repeat): {}", firsts.len());
    assert_eq!(firsts[0].0.mono - start, mins(40), "at 40 minutes of sitting");
    assert_eq!(h.snapshot().desk_today_seconds - day_before, 3600, "an hour at the desk");
    assert_eq!(h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. })), 0);
}

#[test]
fn a_spell_that_reaches_the_threshold_is_an_absence_from_its_first_second() {
    let mut h = Harness::new();
    h.active(mins(20));
    // Nobody looks for seven minutes; then a reading shows seven idle minutes.
    h.jump(mins(7));
    h.reading();
    assert_eq!(h.state(), StateName::Away);
    let away = h.events().into_iter().find_map(|e| match e.kind {
        EventKind::NaturalBreak { away_seconds } => Some(away_seconds),
        _ => None,
    });
    assert_eq!(away, Some(7 * 60));
    assert_eq!(h.snapshot().desk_today_seconds, 20 * 60, "the absence is not desk time");
}

#[test]
fn idle_longer_than_the_threshold_counts_as_a_natural_break() {
    let mut h = Harness::new();
    h.active(mins(30));
    h.idle(mins(4) + secs(50));
    assert_eq!(h.state(), StateName::Working, "under 5 minutes idle is still at the desk");
    assert_eq!(h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. })), 0);
    h.idle(secs(20));
    assert_eq!(h.state(), StateName::Away);
    assert_eq!(h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. })), 1);
    assert_eq!(h.desk_minutes(), 0.0, "a natural break resets the count");
    // Back at the desk: the count starts again from zero, so the reminder is 40 minutes away.
    h.active(secs(10));
    assert_eq!(h.state(), StateName::Working);
    h.active(mins(39));
    assert!(h.reminders().is_empty());
    h.active(mins(1) + secs(10));
    assert_eq!(h.reminders().len(), 1);
}

#[test]
fn a_return_told_as_it_comes_counts_from_that_input_not_from_the_reading_before() {
    let mut h = Harness::new().watching_returns();
    h.active(mins(20));
    // Away from the threshold on; the readings while away are a minute apart, and the last
    // was 37 s before the person comes back.
    h.idle(mins(7));
    h.jump(secs(37));
    assert_eq!(h.state(), StateName::Away);
    let readings = h.read_times.len();
    h.back();
    assert_eq!(h.state(), StateName::Working);
    assert_eq!(h.read_times.len(), readings + 1);
    assert_eq!(h.desk_minutes(), 0.0, "desk time starts at the input, not at the last reading");
    h.active(mins(40) - secs(1));
    assert!(h.reminders().is_empty(), "{:?}", h.reminders());
    h.active(secs(1));
    assert_eq!(h.reminders().len(), 1);
}

#[test]
fn read_as_usual_the_same_return_is_dated_from_the_reading_before() {
    // Without a watch the return is known only to lie between two readings, and the earlier
    // one is taken: the count this test measures is the error the watch removes.
    let mut h = Harness::new().watching_returns();
    h.active(mins(20));
    h.idle(mins(7));
    h.jump(secs(37));
    let last_reading = *h.read_times.last().unwrap();
    h.last_input = h.now.mono;
    h.reading();
    assert_eq!(h.state(), StateName::Working);
    assert_eq!(h.now.mono - last_reading, secs(37));
    assert_eq!(h.s.desk().counter(h.now.mono), secs(37));
}

#[test]
fn a_watch_that_fires_with_no_new_input_leaves_the_person_away() {
    let mut h = Harness::new().watching_returns();
    h.active(mins(20));
    h.idle(mins(8));
    let events = h.events().len();
    // A reading taken on a stale signal: the last input is still the one before the absence.
    let idle_for = h.now.mono - h.last_input;
    h.input(Input::Back { idle_for });
    assert_eq!(h.state(), StateName::Away);
    assert_eq!(h.events().len(), events);
    // A locked screen is left by unlocking, not by a watch.
    h.input(Input::Locked);
    h.input(Input::Back { idle_for: Duration::ZERO });
    assert_eq!(h.state(), StateName::Away);
}

#[test]
fn the_natural_break_threshold_is_a_setting() {
    let mut h = Harness::with(Settings { natural_break_minutes: 2, ..Settings::default() });
    h.active(mins(10));
    h.idle(mins(2) + secs(1));
    assert_eq!(h.state(), StateName::Away);
}

#[test]
fn the_driver_probes_rarely_while_active_and_never_every_second() {
    let mut h = Harness::new();
    h.active(mins(39));
    // One probe per natural-break threshold (5 min) of activity: 7 or 8 in 39 minutes.
    assert!(h.wakes <= 8, "woken {} times in 39 active minutes", h.wakes);
    let before = h.wakes;
    h.idle(mins(60));
    // While away, a reading every 5 s to notice the return: about 660 in 55 minutes.
    let away_wakes = h.wakes - before;
    assert!(away_wakes < 700, "woken {away_wakes} times in an idle hour");
}

#[test]
fn an_ignored_reminder_is_repeated_once_after_five_more_minutes() {
    let mut h = Harness::new();
    h.active(mins(40));
    assert_eq!(h.reminders().len(), 1);
    h.active(mins(4) + secs(59));
    assert_eq!(h.reminders().len(), 1);
    h.active(secs(2));
    let reminders = h.reminders();
    assert_eq!(reminders.len(), 2);
    assert!(reminders[1].1.repeat);
    assert_eq!(
        reminders[0].1.routine, reminders[1].1.routine,
        "the repeat offers the same routine"
    );
    h.active(mins(60));
    assert_eq!(h.reminders().len(), 2, "not more than once");
    assert_eq!(h.state(), StateName::Due, "still due until answered");
}

#[test]
fn snooze_postpones_the_reminder_by_ten_minutes() {
    let mut h = Harness::new();
    h.active(mins(40));
    let mark = h.mark();
    h.ask(Ask::Snooze);
    assert!(h.effects_since(mark).contains(&Effect::Withdraw));
    assert_eq!(h.snapshot().status.next_break_in_seconds, Some(600));
    h.active(mins(9) + secs(59));
    assert_eq!(h.reminders().len(), 1);
    h.active(secs(2));
    assert_eq!(h.reminders().len(), 2);
    assert_eq!(h.reminders()[1].1.snoozes, 1);
    assert_eq!(h.count_events(|k| matches!(k, EventKind::Snoozed { count: 1 })), 1);
}

#[test]
fn after_three_snoozes_the_reminder_offers_only_start_or_skip() {
    let mut h = Harness::new();
    h.active(mins(40));
    for n in 1..=3 {
        h.ask(Ask::Snooze);
        h.active(mins(10));
        let last = h.reminders().last().cloned().expect("a reminder");
        assert_eq!(last.1.snoozes, n);
        assert_eq!(last.1.can_snooze, n < 3, "snooze {n}");
    }
    assert_eq!(h.try_ask(Ask::Snooze), Err(Refusal::SnoozeLimit { limit: 3 }));
    assert_eq!(h.state(), StateName::Due);
    // Starting the break answers the reminder and clears the snooze count.
    h.ask(Ask::StartBreak { moves: None });
    h.active(secs(70));
    h.active(mins(40));
    let last = h.reminders().last().cloned().expect("a new reminder");
    assert_eq!(last.1.snoozes, 0);
    assert!(last.1.can_snooze);
}

#[test]
fn snooze_when_nothing_is_due_is_refused() {
    let mut h = Harness::new();
    h.active(mins(5));
    assert_eq!(h.try_ask(Ask::Snooze), Err(Refusal::NotDue));
}

#[test]
fn skip_restarts_the_count() {
    let mut h = Harness::new();
    h.active(mins(40));
    let mark = h.mark();
    h.ask(Ask::Skip);
    assert!(h.effects_since(mark).contains(&Effect::Withdraw));
    assert_eq!(h.state(), StateName::Working);
    assert_eq!(h.desk_minutes(), 0.0);
    assert_eq!(h.count_events(|k| matches!(k, EventKind::Skipped)), 1);
    h.active(mins(39));
    assert_eq!(h.reminders().len(), 1);
    h.active(mins(1) + secs(1));
    assert_eq!(h.reminders().len(), 2);
}

#[test]
fn skipping_the_coming_break_before_it_is_due_also_restarts_the_count() {
    let mut h = Harness::new();
    h.active(mins(30));
    h.ask(Ask::Skip);
    h.active(mins(39));
    assert!(h.reminders().is_empty());
}

#[test]
fn a_break_started_from_the_tray_at_any_time_counts() {
    let mut h = Harness::new();
    h.active(mins(12));
    let mark = h.mark();
    h.ask(Ask::StartBreak { moves: None });
    assert!(h.effects_since(mark).contains(&Effect::OpenBreak));
    assert_eq!(h.state(), StateName::InBreak);
    h.sit_out_the_break();
    assert_eq!(h.state(), StateName::Working);
    let finished: Vec<_> = h
        .events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::BreakFinished { outcome, moves, .. } => Some((outcome, moves)),
            _ => None,
        })
        .collect();
    assert_eq!(finished.len(), 1);
    assert_eq!(finished[0].0, Outcome::Completed);
    assert!(finished[0].1.len() >= 2);
    assert_eq!(
        h.count_events(|k| matches!(k, EventKind::BreakStarted { trigger: Trigger::Manual, .. })),
        1
    );
    assert_eq!(h.snapshot().status.breaks_today, 1);
    // The count starts again after the break.
    h.active(mins(39));
    assert!(h.reminders().is_empty());
}

#[test]
fn a_break_started_from_the_reminder_uses_the_offered_routine() {
    let mut h = Harness::new();
    h.active(mins(40));
    let offered = h.reminders()[0].1.routine.clone();
    let mark = h.mark();
    h.ask(Ask::StartBreak { moves: None });
    let effects = h.effects_since(mark);
    assert!(effects.contains(&Effect::Withdraw), "the notification goes away");
    assert!(effects.contains(&Effect::OpenBreak));
    assert_eq!(h.snapshot().routine, Some(offered));
    assert_eq!(
        h.count_events(|k| matches!(k, EventKind::BreakStarted { trigger: Trigger::Reminder, .. })),
        1
    );
}

#[test]
fn the_break_timeline_runs_through_every_move_and_side() {
    let mut h = Harness::new();
    h.ask(Ask::StartBreak { moves: Some(vec!["chin-tuck".into(), "upper-trap-stretch".into()]) });
    let p = h.snapshot().break_progress.expect("progress");
    assert_eq!((p.step, p.steps, p.phase, p.paused), (0, 2, Phase::Prepare, false));
    h.idle(secs(5) + Duration::from_millis(10));
    let p = h.snapshot().break_progress.expect("progress");
    assert_eq!((p.step, p.phase), (0, Phase::Work));
    // Skip to the one-sided stretch: prepare, left, switch, right.
    h.ask(Ask::Break(BreakControl::SkipMove));
    let p = h.snapshot().break_progress.expect("progress");
    assert_eq!((p.step, p.phase), (1, Phase::Prepare));
    h.idle(secs(6));
    let p = h.snapshot().break_progress.expect("progress");
    assert_eq!(p.side, Some(unslouch_core::routines::Side::Left));
    let left = p.phase_left_ms;
    h.ask(Ask::Break(BreakControl::Pause));
    h.idle(mins(2));
    let p = h.snapshot().break_progress.expect("still running after a pause");
    assert!(p.paused);
    assert_eq!(p.phase_left_ms, left, "time stands still while paused");
    h.ask(Ask::Break(BreakControl::Continue));
    h.idle(Duration::from_millis(left) + secs(1));
    let p = h.snapshot().break_progress.expect("progress");
    assert_eq!(p.phase, Phase::SwitchSides);
    h.idle(secs(120));
    assert_eq!(h.state(), StateName::Working);
    let last = h.snapshot().last_break.expect("the last break is kept for feedback");
    assert_eq!(last.outcome, Outcome::Completed);
    assert_eq!(last.moves, vec!["chin-tuck".to_string(), "upper-trap-stretch".to_string()]);
}

#[test]
fn ending_a_break_early_is_recorded_and_still_resets_the_count() {
    let mut h = Harness::new();
    h.active(mins(40));
    h.ask(Ask::StartBreak { moves: None });
    h.idle(secs(20));
    h.ask(Ask::Break(BreakControl::End));
    assert_eq!(h.state(), StateName::Working);
    assert_eq!(
        h.count_events(|k| matches!(
            k,
            EventKind::BreakFinished { outcome: Outcome::EndedEarly, .. }
        )),
        1
    );
    assert_eq!(h.desk_minutes(), 0.0);
}

#[test]
fn feedback_after_a_break_is_recorded() {
    let mut h = Harness::new();
    h.ask(Ask::StartBreak { moves: Some(vec!["chin-tuck".into()]) });
    h.idle(mins(1));
    h.ask(Ask::Feedback { feel: Feel::TooEasy, moves: vec!["chin-tuck".into()] });
    assert_eq!(h.count_events(|k| matches!(k, EventKind::Feedback { feel: Feel::TooEasy, .. })), 1);
}

#[test]
fn starting_a_break_of_an_unknown_move_is_refused() {
    let mut h = Harness::new();
    assert_eq!(
        h.try_ask(Ask::StartBreak { moves: Some(vec!["handstand".into()]) }),
        Err(Refusal::UnknownMove { id: "handstand".into() })
    );
    assert_eq!(h.state(), StateName::Working);
}

#[test]
fn pause_for_an_hour_then_resume_by_itself() {
    let mut h = Harness::new();
    h.active(mins(30));
    h.ask(Ask::Pause(PauseFor::Minutes { minutes: 60 }));
    assert_eq!(h.state(), StateName::Paused);
    assert_eq!(h.snapshot().status.paused_until, Some(at("2026-11-23T10:30").timestamp()));
    h.active(mins(59));
    assert!(h.reminders().is_empty(), "no reminder while paused");
    h.active(mins(1) + secs(1));
    assert_eq!(h.state(), StateName::Working);
    assert_eq!(h.count_events(|k| matches!(k, EventKind::Resumed { auto: true })), 1);
    // 90 minutes at the desk by now, but never a reminder at the moment reminders return.
    assert!(h.reminders().is_empty());
    h.active(mins(5) + secs(1));
    assert_eq!(h.reminders().len(), 1, "a reminder 5 minutes after the pause ended");
}

#[test]
fn pause_until_a_time_and_resume_by_hand() {
    let mut h = Harness::new();
    h.ask(Ask::Pause(PauseFor::Until { until: at("2026-11-23T14:30").timestamp() }));
    h.active(mins(20));
    assert_eq!(h.try_ask(Ask::Resume), Ok(()));
    assert_eq!(h.state(), StateName::Working);
    assert_eq!(h.count_events(|k| matches!(k, EventKind::Resumed { auto: false })), 1);
    assert_eq!(h.try_ask(Ask::Resume), Err(Refusal::NotPaused));
}

#[test]
fn pause_until_a_past_time_is_refused() {
    let mut h = Harness::new();
    assert_eq!(
        h.try_ask(Ask::Pause(PauseFor::Until { until: at("2026-11-23T08:00").timestamp() })),
        Err(Refusal::InThePast)
    );
    assert_eq!(h.state(), StateName::Working);
}

#[test]
fn pause_until_tomorrow_ends_when_the_next_day_begins() {
    let mut h = Harness::new();
    h.ask(Ask::Pause(PauseFor::Tomorrow));
    assert_eq!(h.snapshot().status.paused_until, Some(at("2026-11-24T04:00").timestamp()));
}

#[test]
fn pause_until_tomorrow_ends_at_the_first_work_hour_of_the_next_work_day() {
    let mut settings = Settings::default();
    settings.work_hours.enabled = true;
    let mut h = Harness::starting(settings, "2026-11-27T16:00"); // a Friday
    h.ask(Ask::Pause(PauseFor::Tomorrow));
    assert_eq!(
        h.snapshot().status.paused_until,
        Some(at("2026-11-30T09:00").timestamp()),
        "Monday 09:00"
    );
}

#[test]
fn a_due_reminder_is_withdrawn_by_a_pause() {
    let mut h = Harness::new();
    h.active(mins(40));
    let mark = h.mark();
    h.ask(Ask::Pause(PauseFor::Minutes { minutes: 30 }));
    assert!(h.effects_since(mark).contains(&Effect::Withdraw));
}

#[test]
fn no_reminder_outside_work_hours_but_desk_time_still_counts() {
    let mut settings = Settings::default();
    settings.work_hours.enabled = true;
    settings.work_hours.monday = vec![TimeRange::new(
        jiff::civil::Time::constant(9, 0, 0, 0),
        jiff::civil::Time::constant(12, 0, 0, 0),
    )];
    let mut h = Harness::starting(settings, "2026-11-23T07:00");
    assert_eq!(h.state(), StateName::OffHours);
    h.active(mins(90));
    assert!(h.reminders().is_empty());
    assert!(h.snapshot().desk_today_seconds >= 89 * 60, "desk time counted for history");
    // 08:30 → 09:00: work hours begin, and the reminder comes 5 minutes later, not at once.
    h.active(mins(30));
    assert_eq!(h.state(), StateName::Working);
    assert!(h.reminders().is_empty());
    h.active(mins(5) + secs(1));
    assert_eq!(h.reminders().len(), 1);
    // Ignore it until noon: it is withdrawn when work hours end.
    let mark = h.mark();
    h.active(mins(180));
    assert!(h.effects_since(mark).contains(&Effect::Withdraw));
    assert_eq!(h.state(), StateName::OffHours);
}

#[test]
fn work_hours_may_have_several_ranges_a_day() {
    let mut settings = Settings::default();
    settings.work_hours.enabled = true;
    settings.work_hours.monday =
        vec!["09:00-10:00".parse().unwrap(), "10:30-12:00".parse().unwrap()];
    let mut h = Harness::starting(settings, "2026-11-23T09:00");
    h.active(mins(59));
    assert_ne!(h.state(), StateName::OffHours, "09:59 is in the first range");
    h.active(mins(2));
    assert_eq!(h.state(), StateName::OffHours, "10:01 is between the ranges");
    h.active(mins(30));
    assert_ne!(h.state(), StateName::OffHours, "10:31 is in the second range");
}

#[test]
fn locking_the_screen_is_away_and_a_long_lock_is_a_natural_break() {
    let mut h = Harness::new();
    h.active(mins(30));
    h.input(Input::Locked);
    assert_eq!(h.state(), StateName::Away);
    h.idle(mins(6));
    assert_eq!(
        h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. })),
        1,
        "counted while still locked"
    );
    h.input(Input::Unlocked);
    assert_eq!(h.state(), StateName::Working);
    assert_eq!(h.desk_minutes(), 0.0);
}

#[test]
fn a_short_lock_is_not_a_break_and_brings_no_reminder_at_once() {
    let mut h = Harness::new();
    h.active(mins(38));
    h.input(Input::Locked);
    h.idle(mins(3));
    h.input(Input::Unlocked);
    assert_eq!(h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. })), 0);
    assert!((h.desk_minutes() - 38.0).abs() < 0.01, "the lock is not desk time");
    h.active(mins(2) + secs(1));
    assert!(h.reminders().is_empty(), "no reminder right after unlocking");
    h.active(mins(3));
    assert_eq!(h.reminders().len(), 1, "the grace after coming back is 5 minutes of desk time");
}

#[test]
fn a_laptop_opened_after_lunch_gets_no_reminder_at_once() {
    let mut h = Harness::new();
    h.active(mins(39));
    h.input(Input::Locked);
    h.input(Input::Suspending);
    // The monotonic clock stops while asleep; the wall clock moves on an hour.
    h.now.wall = h.now.wall.checked_add(jiff::SignedDuration::from_hours(1)).unwrap();
    h.input(Input::Resumed { slept: mins(60) });
    assert_eq!(h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. })), 1);
    assert_eq!(h.state(), StateName::Away, "still locked");
    h.input(Input::Unlocked);
    h.active(secs(30));
    assert!(h.reminders().is_empty());
    assert_eq!(h.state(), StateName::Working);
    assert!(h.desk_minutes() < 1.0);
}

#[test]
fn an_unannounced_sleep_found_after_waking_counts_as_away() {
    let mut h = Harness::new();
    h.active(mins(39));
    h.input(Input::Resumed { slept: mins(45) });
    assert_eq!(h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. })), 1);
    h.active(mins(1));
    assert!(h.reminders().is_empty());
}

#[test]
fn a_short_sleep_is_not_a_break() {
    let mut h = Harness::new();
    h.active(mins(20));
    h.input(Input::Suspending);
    h.input(Input::Resumed { slept: mins(2) });
    assert_eq!(h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. })), 0);
    assert!((h.desk_minutes() - 20.0).abs() < 0.01);
}

#[test]
fn waking_from_a_sleep_too_short_to_measure_brings_the_person_back() {
    // logind says sleep, then wake; the boot-time clock saw no time pass.
    let mut h = Harness::new();
    h.active(mins(20));
    h.input(Input::Suspending);
    assert_eq!(h.state(), StateName::Away);
    h.input(Input::Resumed { slept: Duration::ZERO });
    h.active(mins(1));
    assert_eq!(h.state(), StateName::Working, "not stuck away after the wake");
    assert_eq!(h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. })), 0);
}

#[test]
fn a_wake_signal_while_present_changes_nothing() {
    // The wake was already handled (the boot-time clock found the sleep); logind's signal
    // comes after.
    let mut h = Harness::new();
    let start = h.now.mono;
    h.active(mins(20));
    h.input(Input::Resumed { slept: Duration::ZERO });
    h.active(mins(21));
    let (when, _) = h.reminders().first().cloned().expect("the reminder");
    assert_eq!(when.mono - start, mins(40), "no absence was made up: the count went on");
}

#[test]
fn a_clock_change_moves_no_desk_time_deadline() {
    let mut h = Harness::new();
    h.active(mins(20));
    // Someone sets the clock an hour back; the monotonic clock does not move.
    h.now.wall = h.now.wall.checked_sub(jiff::SignedDuration::from_hours(1)).unwrap();
    h.input(Input::Tick);
    let start = h.now.mono;
    h.active(mins(21));
    let (when, _) = h.reminders().first().cloned().expect("a reminder");
    assert_eq!(when.mono - start, mins(20), "still 40 minutes of desk time in all");
}

#[test]
fn the_switch_to_summer_time_moves_no_desk_time_deadline() {
    // 2027-03-28 02:00 CET jumps to 03:00 CEST.
    let mut h = Harness::starting(Settings::default(), "2027-03-28T01:40");
    let start = h.now.mono;
    h.active(mins(41));
    let (when, _) = h.reminders().first().cloned().expect("a reminder");
    assert_eq!(when.mono - start, mins(40));
    assert_eq!(when.wall.hour(), 3, "03:20 local, after the jump");
}

#[test]
fn settings_changes_apply_at_once() {
    let mut h = Harness::new();
    h.active(mins(20));
    assert_eq!(h.snapshot().status.next_break_in_seconds, Some(20 * 60));
    h.ask(Ask::Settings(Box::new(Settings { interval_minutes: 30, ..Settings::default() })));
    assert_eq!(h.snapshot().status.next_break_in_seconds, Some(10 * 60));
    h.ask(Ask::Settings(Box::new(Settings { interval_minutes: 15, ..Settings::default() })));
    assert_eq!(h.reminders().len(), 1, "an interval shorter than the desk time so far is due now");
}

#[test]
fn the_daily_total_rolls_over_at_four_in_the_morning() {
    let mut h = Harness::starting(Settings::default(), "2026-11-23T23:00");
    h.active(mins(20));
    h.ask(Ask::StartBreak { moves: None });
    h.sit_out_the_break();
    assert_eq!(h.snapshot().status.breaks_today, 1);
    h.active(mins(250)); // until 03:31: still the same day
    assert_eq!(h.snapshot().status.breaks_today, 1);
    assert!(h.snapshot().desk_today_seconds > 4 * 3600);
    h.active(mins(30)); // 04:01
    let snap = h.snapshot();
    assert_eq!(snap.status.breaks_today, 0);
    assert!(snap.desk_today_seconds <= 2 * 60, "today began at 04:00: {}", snap.desk_today_seconds);
}

#[test]
fn status_serialises_to_the_contract() {
    let mut h = Harness::new();
    h.active(mins(10));
    let json = serde_json::to_value(h.snapshot().status).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "state": "working",
            "desk_seconds": 600,
            "next_break_in_seconds": 1800,
            "paused_until": null,
            "breaks_today": 0,
            "sessions_this_week": 0,
            "held_by": []
        })
    );
    h.ask(Ask::Pause(PauseFor::Until { until: at("2026-11-23T14:30").timestamp() }));
    let json = serde_json::to_value(h.snapshot().status).unwrap();
    assert_eq!(json["state"], "paused");
    assert_eq!(json["paused_until"], "2026-11-23T13:30:00Z");
    assert_eq!(json["next_break_in_seconds"], serde_json::Value::Null);
}

#[test]
fn the_next_deadline_is_always_after_now() {
    let mut h = Harness::new();
    for _ in 0..5 {
        h.active(mins(13));
        assert!(h.s.next_deadline(&h.now).expect("a deadline") > h.now.mono);
        h.idle(mins(7));
        assert!(h.s.next_deadline(&h.now).expect("a deadline") > h.now.mono);
    }
}

fn desk_seconds(h: &Harness) -> Vec<u32> {
    h.events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Desk { seconds, .. } => Some(seconds),
            _ => None,
        })
        .collect()
}

#[test]
fn desk_time_stretches_are_recorded_for_history() {
    let mut h = Harness::new();
    h.active(mins(25));
    h.idle(mins(6));
    let before_leaving: u32 = desk_seconds(&h).iter().sum();
    h.active(mins(10));
    h.input(Input::Shutdown);
    let all: u32 = desk_seconds(&h).iter().sum();
    assert_eq!(before_leaving, 25 * 60);
    assert_eq!(all - before_leaving, 10 * 60);
}

#[test]
fn desk_time_is_written_at_least_every_five_minutes_while_it_grows() {
    let mut h = Harness::new();
    h.active(mins(33));
    let written: u32 = desk_seconds(&h).iter().sum();
    // A crash now would lose at most five minutes.
    assert!(33 * 60 - written <= 5 * 60, "only {written} s of 33 min written");
    assert!(desk_seconds(&h).iter().all(|s| *s <= 5 * 60), "{:?}", desk_seconds(&h));
}

#[test]
fn desk_time_is_written_at_a_snooze_a_skip_and_a_pause() {
    for act in [Ask::Snooze, Ask::Skip, Ask::Pause(PauseFor::Minutes { minutes: 30 })] {
        let mut h = Harness::new();
        h.active(mins(40) + secs(90));
        let mark = h.mark();
        h.ask(act.clone());
        let wrote = h
            .effects_since(mark)
            .iter()
            .any(|e| matches!(e, Effect::Record(ev) if matches!(ev.kind, EventKind::Desk { .. })));
        assert!(wrote, "{act:?} wrote no desk time");
        let written: u32 = desk_seconds(&h).iter().sum();
        assert_eq!(written, 41 * 60 + 30, "{act:?}");
    }
}

#[test]
fn a_restart_carries_on_the_count_and_today() {
    let mut h = Harness::new();
    h.active(mins(32));
    // Killed here; history holds what the checkpoints wrote.
    let events = h.events();
    let written: u32 = desk_seconds(&h).iter().sum();
    let now = h.now.after(secs(3));
    let s = unslouch_core::Scheduler::restore(&now, Settings::default(), &events, 1);
    let snap = s.snapshot(&now);
    assert_eq!(snap.status.desk_seconds, u64::from(written));
    assert_eq!(snap.desk_today_seconds, u64::from(written));
    assert!(32 * 60 - written <= 5 * 60);
    // Back after longer than the natural-break threshold: the count starts again, today's
    // total stays.
    let later = h.now.after(mins(6));
    let s = unslouch_core::Scheduler::restore(&later, Settings::default(), &events, 1);
    assert_eq!(s.snapshot(&later).status.desk_seconds, 0);
    assert_eq!(s.snapshot(&later).desk_today_seconds, u64::from(written));
}

#[test]
fn a_restart_counts_from_the_last_break() {
    let mut h = Harness::new();
    h.active(mins(41));
    h.ask(Ask::Skip);
    h.active(mins(12));
    let events = h.events();
    let now = h.now.after(secs(1));
    let s = unslouch_core::Scheduler::restore(&now, Settings::default(), &events, 1);
    assert_eq!(s.snapshot(&now).status.desk_seconds, 10 * 60, "the checkpoint at 10 minutes");
}

#[test]
fn feedback_on_a_move_that_does_not_exist_is_refused() {
    let mut h = Harness::new();
    assert_eq!(
        h.try_ask(Ask::Feedback { feel: Feel::Hurt, moves: vec!["no-such-move".into()] }),
        Err(Refusal::UnknownMove { id: "no-such-move".into() })
    );
    assert_eq!(h.count_events(|k| matches!(k, EventKind::Feedback { .. })), 0);
}

#[test]
fn a_request_naming_too_many_moves_is_refused() {
    let mut h = Harness::new();
    let many: Vec<_> = (0..1000).map(|_| "chin-tuck".into()).collect();
    assert!(matches!(
        h.try_ask(Ask::StartBreak { moves: Some(many.clone()) }),
        Err(Refusal::TooManyMoves { .. })
    ));
    assert!(matches!(
        h.try_ask(Ask::Feedback { feel: Feel::JustRight, moves: many }),
        Err(Refusal::TooManyMoves { .. })
    ));
}

#[test]
fn the_stretch_closed_at_the_day_start_counts_on_the_day_it_began() {
    let mut h = Harness::starting(Settings::default(), "2026-11-23T22:00");
    h.active(mins(30));
    h.input(Input::Locked);
    h.idle(mins(5 * 60)); // until 03:30
    h.input(Input::Unlocked);
    h.last_input = h.now.mono;
    h.active(mins(60)); // 03:30 to 04:30: half an hour on each day
    let summary = unslouch_core::history::summarize(
        &h.events(),
        h.now.wall.time_zone(),
        4,
        h.now.wall.date(),
        2,
    );
    let minutes: Vec<u32> = summary.days.iter().map(|d| d.desk_minutes).collect();
    assert_eq!(minutes, vec![60, 30], "{:?}", summary.days);
}

#[test]
fn pauses_between_inputs_shorter_than_the_grace_are_still_desk_time() {
    let mut h = Harness::new();
    for _ in 0..20 {
        h.active(mins(1));
        // A reading caught in a 20-second pause between keystrokes.
        h.jump(secs(20));
        h.reading();
        h.last_input = h.now.mono;
    }
    assert!((h.desk_minutes() - 26.67).abs() < 0.1, "every second counts: {}", h.desk_minutes());
}

#[test]
fn a_checkpoint_inside_an_idle_spell_does_not_make_the_spell_desk_time() {
    for blind in [false, true] {
        let mut h = Harness::new();
        if blind {
            h = h.without_idle_source();
        }
        h.active(mins(3));
        // Gone from here: the checkpoint at five minutes of desk time falls inside the spell.
        h.idle(mins(10));
        if blind {
            // Without an idle source nothing can tell: all of it is desk time.
            assert_eq!(h.snapshot().desk_today_seconds, 13 * 60);
            continue;
        }
        let away = h.events().into_iter().find_map(|e| match e.kind {
            EventKind::NaturalBreak { away_seconds } => Some(away_seconds),
            _ => None,
        });
        assert_eq!(away, Some(5 * 60), "the absence began at the last input");
        assert_eq!(h.snapshot().desk_today_seconds, 3 * 60);
        assert_eq!(desk_seconds(&h).iter().sum::<u32>(), 3 * 60, "history says the same");
    }
}

#[test]
fn the_day_start_writes_no_idle_time_that_becomes_an_absence() {
    let settings = Settings { natural_break_minutes: 60, ..Settings::default() };
    let mut h = Harness::starting(settings, "2026-11-24T02:00");
    h.active(mins(70)); // until 03:10
    h.idle(mins(110)); // until 05:00; days start at 04:00
    let away = h.events().into_iter().find_map(|e| match e.kind {
        EventKind::NaturalBreak { away_seconds } => Some(away_seconds),
        _ => None,
    });
    assert_eq!(away, Some(60 * 60), "away from 03:10, counted at 04:10");
    let summary = unslouch_core::history::summarize(
        &h.events(),
        h.now.wall.time_zone(),
        4,
        h.now.wall.date(),
        2,
    );
    let minutes: Vec<u32> = summary.days.iter().map(|d| d.desk_minutes).collect();
    assert_eq!(minutes, vec![70, 0], "{:?}", summary.days);
}

#[test]
fn a_restart_after_a_break_counts_from_the_end_of_the_break() {
    let mut h = Harness::new();
    h.active(mins(41));
    h.ask(Ask::StartBreak { moves: None });
    h.ask(Ask::Break(BreakControl::Pause));
    h.active(mins(24)); // a break left paused for 24 minutes
    h.ask(Ask::Break(BreakControl::End));
    h.active(mins(3));
    let events = h.events();
    let now = h.now.after(secs(1));
    let s = unslouch_core::Scheduler::restore(&now, Settings::default(), &events, 1);
    let restored = s.snapshot(&now).status.desk_seconds;
    assert!(
        restored <= 3 * 60,
        "the break's own time is not desk time toward the next: {restored}"
    );
}

#[test]
fn a_restart_during_a_pause_keeps_the_pause() {
    let mut h = Harness::new();
    h.active(mins(10));
    h.ask(Ask::Pause(PauseFor::Tomorrow));
    h.idle(mins(30));
    let events = h.events();
    let now = h.now.after(secs(1));
    let s = unslouch_core::Scheduler::restore(&now, Settings::default(), &events, 1);
    assert_eq!(s.snapshot(&now).status.state, StateName::Paused);
    // A pause that has run out does not come back.
    let later = h.now.after(mins(24 * 60));
    let s = unslouch_core::Scheduler::restore(&later, Settings::default(), &events, 1);
    assert_ne!(s.snapshot(&later).status.state, StateName::Paused);
}

#[test]
fn an_unannounced_sleep_while_a_reminder_is_due_answers_it() {
    // The laptop slept, unannounced, with the reminder on screen: that sleep was the break.
    let mut h = Harness::new();
    h.active(mins(41));
    assert_eq!(h.state(), StateName::Due);
    let mark = h.mark();
    h.input(Input::Resumed { slept: mins(45) });
    assert!(h.effects_since(mark).contains(&Effect::Withdraw), "the reminder stays on screen");
    assert_eq!(h.state(), StateName::Working);
    // The next one a whole interval on, not a repeat of the old one in five minutes.
    h.active(mins(39));
    assert_eq!(h.reminders().len(), 1, "reminded again before a whole interval");
    h.active(mins(2));
    let reminders = h.reminders();
    assert_eq!(reminders.len(), 2);
    assert!(!reminders[1].1.repeat, "a new reminder, not the old one repeated");
}

#[test]
fn a_move_that_hurt_cannot_be_started_until_it_is_brought_back() {
    let mut h = Harness::new();
    let chin_tuck = || vec!["chin-tuck".to_string()];
    h.ask(Ask::Feedback { feel: Feel::Hurt, moves: chin_tuck() });
    assert_eq!(h.snapshot().left_out, chin_tuck());
    // A month later it is still out, and "Start this move" is refused.
    h.jump(mins(60 * 24 * 30));
    let refused = h.try_ask(Ask::StartBreak { moves: Some(chin_tuck()) });
    assert_eq!(refused, Err(Refusal::Hurt { id: "chin-tuck".into() }));
    assert_ne!(h.state(), StateName::InBreak);
    // Brought back by the person: in again, and a second time is refused.
    assert_eq!(h.try_ask(Ask::BringBack { moves: chin_tuck() }), Ok(()));
    assert!(h.snapshot().left_out.is_empty());
    assert_eq!(
        h.try_ask(Ask::BringBack { moves: chin_tuck() }),
        Err(Refusal::NotLeftOut { id: "chin-tuck".into() })
    );
    assert_eq!(h.try_ask(Ask::StartBreak { moves: Some(chin_tuck()) }), Ok(()));
    assert_eq!(h.count_events(|k| matches!(k, EventKind::BroughtBack { .. })), 1);
}

#[test]
fn the_last_break_says_the_level_each_move_was_done_at() {
    let mut h = Harness::new();
    let chin = || Some(vec!["chin-tuck".to_string()]);
    assert_eq!(h.try_ask(Ask::StartBreak { moves: chin() }), Ok(()));
    h.sit_out_the_break();
    assert_eq!(h.snapshot().last_break.unwrap().levels, vec![0]);
    h.ask(Ask::Feedback { feel: Feel::TooEasy, moves: vec!["chin-tuck".into()] });
    assert_eq!(h.try_ask(Ask::StartBreak { moves: chin() }), Ok(()));
    h.sit_out_the_break();
    let last = h.snapshot().last_break.unwrap();
    assert_eq!((last.moves, last.levels), (vec!["chin-tuck".to_string()], vec![1]));
}

#[test]
fn a_move_reported_as_hurting_is_taken_out_of_the_reminder_already_out() {
    let mut h = Harness::new();
    h.active(mins(41));
    assert_eq!(h.state(), StateName::Due);
    let offered = h.snapshot().routine.unwrap().move_ids();
    h.ask(Ask::Feedback { feel: Feel::Hurt, moves: vec![offered[0].clone()] });
    let now_offered = h.snapshot().routine.unwrap().move_ids();
    assert!(!now_offered.contains(&offered[0]), "still offers {}: {now_offered:?}", offered[0]);
    assert_eq!(h.try_ask(Ask::StartBreak { moves: None }), Ok(()));
    let started = h.snapshot().routine.unwrap().move_ids();
    assert!(!started.contains(&offered[0]), "started {}: {started:?}", offered[0]);
    // Bringing back nothing is refused, and writes nothing.
    assert_eq!(h.try_ask(Ask::BringBack { moves: Vec::new() }), Err(Refusal::NoMoves));
    assert_eq!(h.count_events(|k| matches!(k, EventKind::BroughtBack { .. })), 0);
}

#[test]
fn a_restart_keeps_a_move_left_out_however_long_ago_it_hurt() {
    let now = Now::new(Mono::from_origin(secs(1000)), at("2026-11-23T09:00"));
    let hurt = Event {
        at: at("2026-09-01T09:00").timestamp(),
        kind: EventKind::Feedback { feel: Feel::Hurt, moves: vec!["wall-angel".into()] },
    };
    let s = Scheduler::restore(&now, Settings::default(), &[hurt], 1);
    assert_eq!(s.snapshot(&now).left_out, vec!["wall-angel".to_string()]);
}

#[test]
fn a_full_session_runs_its_sets_counts_for_the_week_and_resets_the_count() {
    // Wednesday 25 November 2026.
    let mut h = Harness::starting(Settings::default(), "2026-11-25T18:00");
    h.active(mins(30));
    h.ask(Ask::StartSession);
    assert_eq!(h.state(), StateName::InBreak);
    let routine = h.snapshot().routine.unwrap();
    assert!(routine.session);
    assert!((15 * 60..=25 * 60).contains(&routine.total_seconds()), "{}", routine.total_seconds());
    assert!(routine.steps.iter().any(|s| s.sets >= 2 && s.rest_seconds > 0));
    // Half-way, a rest between sets comes up at some point.
    let mut saw_rest = false;
    for _ in 0..routine.total_seconds() / 5 {
        h.idle(secs(5));
        if h.snapshot().break_progress.is_some_and(|p| p.phase == Phase::Rest) {
            saw_rest = true;
        }
    }
    h.idle(secs(10));
    assert!(saw_rest);
    // Back at the keys after a quarter of an hour away from them.
    h.active(secs(5));
    assert_eq!(h.state(), StateName::Working);
    let snap = h.snapshot();
    assert_eq!(snap.status.sessions_this_week, 1);
    assert!(snap.status.desk_seconds <= 5, "a session is a break: the count starts again");
    let finished = h
        .events()
        .into_iter()
        .find_map(|e| match e.kind {
            EventKind::BreakFinished { session, outcome, done, .. } => {
                Some((session, outcome, done))
            }
            _ => None,
        })
        .unwrap();
    assert!(finished.0);
    assert_eq!(finished.1, Outcome::Completed);
    // What was done of each move is kept: every move, its sets.
    assert_eq!(finished.2.len(), routine.steps.len());
    for (done, step) in finished.2.iter().zip(&routine.steps) {
        assert_eq!((&done.move_id, done.sets, done.dose), (&step.move_id, step.sets, step.dose));
    }
    // A restart on Sunday still counts it; Monday at four a new week begins.
    let events = h.events();
    let sunday = Now::new(h.now.mono + secs(1), at("2026-11-29T22:00"));
    let s = Scheduler::restore(&sunday, Settings::default(), &events, 1);
    assert_eq!(s.snapshot(&sunday).status.sessions_this_week, 1);
    let monday_early = Now::new(h.now.mono + secs(2), at("2026-11-30T03:59"));
    assert_eq!(s.snapshot(&monday_early).status.sessions_this_week, 1, "the week ends at 04:00");
    let monday = Now::new(h.now.mono + secs(3), at("2026-11-30T04:00"));
    assert_eq!(s.snapshot(&monday).status.sessions_this_week, 0);
}

#[test]
fn a_session_ended_early_is_not_counted_and_one_cannot_start_during_a_break() {
    let mut h = Harness::starting(Settings::default(), "2026-11-25T18:00");
    h.ask(Ask::StartSession);
    assert_eq!(h.try_ask(Ask::StartSession), Err(Refusal::InBreak));
    assert_eq!(h.try_ask(Ask::StartBreak { moves: None }), Err(Refusal::InBreak));
    h.idle(mins(3));
    h.ask(Ask::Break(BreakControl::End));
    assert_eq!(h.snapshot().status.sessions_this_week, 0);
    let started = h.count_events(|k| matches!(k, EventKind::BreakStarted { session: true, .. }));
    assert_eq!(started, 1);
}

#[test]
fn a_session_started_while_a_reminder_is_out_answers_it() {
    let mut h = Harness::new();
    h.active(mins(40) + secs(1));
    assert_eq!(h.state(), StateName::Due);
    let mark = h.mark();
    h.ask(Ask::StartSession);
    assert!(h.effects_since(mark).contains(&Effect::Withdraw));
    let trigger = h.events().into_iter().rev().find_map(|e| match e.kind {
        EventKind::BreakStarted { trigger, session: true, .. } => Some(trigger),
        _ => None,
    });
    assert_eq!(trigger, Some(Trigger::Reminder));
}

fn invitations(h: &Harness) -> Vec<(Now, unslouch_core::schedule::Invitation)> {
    h.log
        .iter()
        .filter_map(|(now, e)| match e {
            Effect::Invite(i) => Some((now.clone(), *i)),
            _ => None,
        })
        .collect()
}

/// Reminders far apart, so that only the suggestion of a session happens in these timelines.
fn rarely_reminded() -> Settings {
    Settings { interval_minutes: 240, ..Settings::default() }
}

#[test]
fn a_session_is_suggested_at_its_time_on_its_day_once() {
    // Tuesday 24 November 2026, a session day by default, at 16:30.
    let mut h = Harness::starting(rarely_reminded(), "2026-11-24T16:30");
    h.active(mins(29) + secs(59));
    assert!(invitations(&h).is_empty(), "not before 17:00");
    h.active(secs(2));
    let invited = invitations(&h);
    assert_eq!(invited.len(), 1);
    assert_eq!(invited[0].0.wall.time(), jiff::civil::time(17, 0, 0, 0), "at 17:00 sharp");
    assert_eq!((invited[0].1.done, invited[0].1.aim), (0, 2));
    assert!((15..=26).contains(&invited[0].1.minutes), "{:?}", invited[0].1);
    assert_eq!(h.count_events(|k| matches!(k, EventKind::Invited { .. })), 1);
    // The rest of the evening: never again that day.
    h.active(mins(150));
    assert_eq!(invitations(&h).len(), 1);
    // A restart the same evening remembers it.
    let events = h.events();
    let mut s = Scheduler::restore(&h.now, rarely_reminded(), &events, 3);
    let later = h.now.after(secs(30));
    let effects = s.observe(&later, Input::Idle { idle_for: secs(1) });
    assert!(!effects.iter().any(|e| matches!(e, Effect::Invite(_))), "{effects:?}");
    // Starting the session takes the suggestion away.
    let mark = h.mark();
    h.ask(Ask::StartSession);
    assert!(h.effects_since(mark).contains(&Effect::Withdraw));
}

#[test]
fn a_suggestion_waits_for_the_desk_and_for_an_answered_reminder() {
    // A reminder falls due at 17:00 on the dot; the suggestion waits until it is answered.
    let mut h = Harness::starting(Settings::default(), "2026-11-24T16:20");
    h.active(mins(40) + secs(1));
    assert_eq!(h.state(), StateName::Due);
    assert!(invitations(&h).is_empty(), "never over a reminder");
    h.ask(Ask::StartBreak { moves: None });
    h.idle(secs(20));
    assert_eq!(h.state(), StateName::InBreak);
    assert!(invitations(&h).is_empty(), "never during a break");
    h.sit_out_the_break();
    h.active(secs(5));
    let invited = invitations(&h);
    assert_eq!(invited.len(), 1, "once the break is over");
    assert!(
        h.events().iter().any(|e| matches!(e.kind, EventKind::BreakFinished { .. })
            && e.at <= invited[0].0.timestamp())
    );

    // Away at 17:00: it comes when the person is back, the same day.
    let mut h = Harness::starting(rarely_reminded(), "2026-11-27T16:50");
    h.active(mins(5));
    h.idle(mins(30));
    assert!(invitations(&h).is_empty());
    h.active(secs(5));
    assert_eq!(invitations(&h).len(), 1);
}

#[test]
fn no_suggestion_when_the_week_is_done_on_other_days_or_when_switched_off() {
    // Wednesday is not a session day by default.
    let mut h = Harness::starting(rarely_reminded(), "2026-11-25T16:50");
    h.active(mins(60));
    assert!(invitations(&h).is_empty());
    // No aim, no suggestion.
    let mut h =
        Harness::starting(Settings { weekly_sessions: 0, ..rarely_reminded() }, "2026-11-24T16:50");
    h.active(mins(60));
    assert!(invitations(&h).is_empty());
    // The aim met on Tuesday: nothing on Friday.
    let mut h =
        Harness::starting(Settings { weekly_sessions: 1, ..rarely_reminded() }, "2026-11-24T09:00");
    h.ask(Ask::StartSession);
    h.sit_out_the_break();
    h.active(mins(5));
    assert_eq!(h.snapshot().status.sessions_this_week, 1);
    // Friday afternoon, the next session day.
    h.jump(mins(60 * 24 * 3 + 7 * 60 + 20));
    h.reading();
    assert_eq!(h.now.wall.weekday(), jiff::civil::Weekday::Friday);
    h.active(mins(30));
    assert!(h.now.wall.time() > jiff::civil::time(17, 0, 0, 0));
    assert!(invitations(&h).is_empty(), "done this week: no suggestion on Friday");
    // Paused at the time: none while paused.
    let mut h = Harness::starting(rarely_reminded(), "2026-11-24T16:50");
    h.ask(Ask::Pause(PauseFor::Minutes { minutes: 60 }));
    h.active(mins(30));
    assert!(invitations(&h).is_empty());
}

#[test]
fn the_snapshot_says_each_moves_level_as_feedback_moved_it() {
    let mut h = Harness::new();
    assert!(h.snapshot().levels.is_empty(), "everything at its first level");
    let tuck = || vec!["chin-tuck".to_string()];
    h.ask(Ask::Feedback { feel: Feel::TooEasy, moves: tuck() });
    h.ask(Ask::Feedback { feel: Feel::TooEasy, moves: tuck() });
    assert_eq!(h.snapshot().levels.get("chin-tuck"), Some(&2));
    h.ask(Ask::Feedback { feel: Feel::TooHard, moves: tuck() });
    assert_eq!(h.snapshot().levels.get("chin-tuck"), Some(&1));
    h.ask(Ask::Feedback { feel: Feel::TooHard, moves: tuck() });
    assert!(!h.snapshot().levels.contains_key("chin-tuck"), "back at the first level");
}

#[test]
fn no_suggestion_the_day_a_session_was_done_even_below_the_aim() {
    // Tuesday: a session from 16:40, over after 17:00; the aim is two.
    let mut h = Harness::starting(rarely_reminded(), "2026-11-24T16:40");
    h.ask(Ask::StartSession);
    h.sit_out_the_break();
    h.active(mins(60));
    assert_eq!(h.snapshot().status.sessions_this_week, 1);
    assert!(invitations(&h).is_empty(), "one session today is enough");
    // Nor after a restart that evening.
    let events = h.events();
    let mut s = Scheduler::restore(&h.now, rarely_reminded(), &events, 3);
    let later = h.now.after(secs(30));
    let effects = s.observe(&later, Input::Idle { idle_for: secs(1) });
    assert!(!effects.iter().any(|e| matches!(e, Effect::Invite(_))), "{effects:?}");
}

#[test]
fn a_session_time_before_the_day_begins_belongs_to_the_day_before() {
    // Days begin at 04:00; "Monday at 02:00" is the small hours after Monday, the person's
    // Monday still.
    let settings = Settings {
        session_days: [unslouch_core::settings::Day::Monday].into(),
        session_time: "02:00".parse().unwrap(),
        ..rarely_reminded()
    };
    let mut h = Harness::starting(settings, "2026-11-23T23:30");
    h.active(mins(150) + secs(1));
    let invited = invitations(&h);
    assert_eq!(invited.len(), 1, "once");
    assert_eq!(invited[0].0.wall.weekday(), jiff::civil::Weekday::Tuesday);
    assert_eq!(invited[0].0.wall.time(), jiff::civil::time(2, 0, 0, 0));
    // Tuesday after 04:00 is not a session day.
    h.active(mins(180));
    assert_eq!(invitations(&h).len(), 1);
}

#[test]
fn a_week_of_session_days_brings_one_suggestion_each_day() {
    use unslouch_core::settings::Day;
    let every_day = [
        Day::Monday,
        Day::Tuesday,
        Day::Wednesday,
        Day::Thursday,
        Day::Friday,
        Day::Saturday,
        Day::Sunday,
    ];
    let settings =
        Settings { session_days: every_day.into(), weekly_sessions: 5, ..rarely_reminded() };
    let mut h = Harness::starting(settings, "2026-11-23T08:00");
    for _ in 0..7 {
        // A long day at the desk, the reminders skipped (a due one holds the suggestion back),
        // then the night away.
        for _ in 0..4 {
            h.active(mins(210));
            h.ask(Ask::Skip);
        }
        h.idle(mins(10 * 60));
    }
    let days: Vec<jiff::civil::Weekday> =
        invitations(&h).iter().map(|(now, _)| now.wall.weekday()).collect();
    assert_eq!(days.len(), 7, "{days:?}");
    assert!(
        invitations(&h).iter().all(|(now, _)| now.wall.time() == jiff::civil::time(17, 0, 0, 0))
    );
}

// ---- What holds a due reminder back (a meeting, fullscreen, Do Not Disturb, typing) ----

fn hold(h: &mut Harness, reason: unslouch_core::hold::HoldReason, on: bool) {
    h.input(Input::Hold { reason, on });
}

#[test]
fn a_meeting_holds_the_reminder_which_comes_after_the_grace_once_it_ends() {
    use unslouch_core::hold::HoldReason::Meeting;
    let mut h = Harness::new();
    h.active(mins(30));
    hold(&mut h, Meeting, true);
    h.active(mins(50));
    assert!(h.reminders().is_empty(), "no reminder during the call");
    let snap = h.snapshot();
    assert_eq!(snap.status.state, StateName::Due);
    assert_eq!(snap.status.held_by, [Meeting]);
    assert_eq!(snap.status_line, "Break waiting: in a meeting");
    // Desk time goes on: the person is at the desk.
    assert!(h.desk_minutes() > 79.0, "{}", h.desk_minutes());
    let ended = h.now.clone();
    hold(&mut h, Meeting, false);
    h.active(secs(119));
    assert!(h.reminders().is_empty(), "not the instant the call ends");
    h.active(secs(2));
    let reminders = h.reminders();
    assert_eq!(reminders.len(), 1, "one reminder, not one per interval missed");
    assert_eq!(reminders[0].0.mono - ended.mono, secs(120), "after the 2-minute grace");
    let held: Vec<(Vec<unslouch_core::hold::HoldReason>, u32)> = h
        .events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Held { reasons, seconds } => Some((reasons, seconds)),
            _ => None,
        })
        .collect();
    assert_eq!(held, [(vec![Meeting], 40 * 60 + 120)], "history says how long and why");
    assert!(h.snapshot().status.held_by.is_empty());
}

#[test]
fn fullscreen_holds_up_to_its_cap_and_the_reminder_then_comes_at_once() {
    use unslouch_core::hold::HoldReason::Fullscreen;
    let mut h = Harness::new();
    let start = h.now.mono;
    hold(&mut h, Fullscreen, true);
    h.active(mins(40) + mins(119));
    assert!(h.reminders().is_empty());
    h.active(mins(1) + secs(1));
    let reminders = h.reminders();
    assert_eq!(reminders.len(), 1, "after two hours of film the reminder comes anyway");
    // Two hours from when it fell due, and no grace: a cap that ran out is no ending.
    assert_eq!(reminders[0].0.mono - start, mins(40) + mins(120));
    assert_eq!(h.count_events(|k| matches!(k, EventKind::Held { .. })), 1);
}

#[test]
fn a_hold_that_begins_while_a_reminder_is_out_takes_it_off_the_screen() {
    use unslouch_core::hold::HoldReason::Dnd;
    let mut h = Harness::new();
    h.active(mins(40) + secs(1));
    assert_eq!(h.reminders().len(), 1);
    let mark = h.mark();
    hold(&mut h, Dnd, true);
    assert!(h.effects_since(mark).contains(&Effect::Withdraw));
    assert_eq!(h.snapshot().status.held_by, [Dnd]);
    // Not a natural break while the person stays: a long hold is desk time.
    h.active(mins(90));
    assert_eq!(h.count_events(|k| matches!(k, EventKind::NaturalBreak { .. })), 0);
    hold(&mut h, Dnd, false);
    h.active(mins(3));
    assert_eq!(h.reminders().len(), 2, "shown again after Do Not Disturb");
}

#[test]
fn a_hold_switched_off_in_the_settings_holds_nothing() {
    use unslouch_core::hold::HoldReason::Dnd;
    let mut h = Harness::with(Settings { hold_for_dnd: false, ..Settings::default() });
    hold(&mut h, Dnd, true);
    h.active(mins(40) + secs(1));
    assert_eq!(h.reminders().len(), 1, "reminders regardless of Do Not Disturb");
    assert!(h.snapshot().status.held_by.is_empty());
}

#[test]
fn a_session_is_never_suggested_during_do_not_disturb_and_comes_once_it_ends() {
    use unslouch_core::hold::HoldReason::Dnd;
    let mut h = Harness::starting(rarely_reminded(), "2026-11-24T16:50");
    hold(&mut h, Dnd, true);
    h.active(mins(30));
    assert!(invitations(&h).is_empty(), "not during Do Not Disturb");
    hold(&mut h, Dnd, false);
    let invited = invitations(&h);
    assert_eq!(invited.len(), 1, "as soon as it ends, the same day");
    assert_eq!(invited[0].0.wall.time(), jiff::civil::time(17, 20, 0, 0));
}

fn held_events(h: &Harness) -> Vec<(Vec<unslouch_core::hold::HoldReason>, u32)> {
    h.events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Held { reasons, seconds } => Some((reasons, seconds)),
            _ => None,
        })
        .collect()
}

#[test]
fn typing_through_the_due_moment_holds_the_reminder_until_a_pause() {
    use unslouch_core::hold::HoldReason::Typing;
    let mut h = Harness::new().seeing_pauses();
    h.active(mins(40) + secs(30));
    assert!(h.reminders().is_empty(), "not mid-sentence");
    let snap = h.snapshot();
    assert_eq!(snap.status.state, StateName::Due);
    assert_eq!(snap.status.held_by, [Typing]);
    assert_eq!(snap.status_line, "Break waiting: a pause in your typing");
    let pause_began = h.last_input;
    h.idle(secs(4));
    assert!(h.reminders().is_empty(), "four seconds is no pause yet");
    h.idle(secs(2));
    let reminders = h.reminders();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].0.mono - pause_began, secs(5), "at the pause, with no grace");
    assert_eq!(held_events(&h), [(vec![Typing], 35)]);
}

#[test]
fn typing_holds_the_reminder_no_longer_than_its_cap() {
    let mut h = Harness::new().seeing_pauses();
    let start = h.now.mono;
    h.active(mins(45));
    let reminders = h.reminders();
    assert_eq!(reminders.len(), 1, "shown anyway");
    assert_eq!(reminders[0].0.mono - start, mins(40) + secs(120), "two minutes after it fell due");
    // The readings while waiting: each when the pause could first be reached, never more than
    // one a second.
    let during: Vec<Mono> = h
        .read_times
        .iter()
        .copied()
        .filter(|t| *t > start + mins(40) && *t <= start + mins(42))
        .collect();
    assert!(during.windows(2).all(|w| w[1] - w[0] >= secs(1)), "{during:?}");
    assert!((20..=25).contains(&during.len()), "one every five seconds: {}", during.len());
}

#[test]
fn a_pause_at_the_due_moment_lets_the_reminder_come_at_once() {
    let mut h = Harness::new().seeing_pauses();
    let start = h.now.mono;
    h.active(mins(39) + secs(50));
    h.idle(secs(11));
    let reminders = h.reminders();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].0.mono - start, mins(40), "on time: the person had stopped typing");
    assert!(held_events(&h).is_empty());
}

#[test]
fn typing_holds_nothing_when_readings_cannot_see_pauses_or_it_is_switched_off() {
    let start = Harness::new().now.mono;
    // An idle source that only tells long idle spells (Wayland's ext-idle-notify).
    let mut coarse = Harness::new();
    coarse.probes_only = true;
    // No idle source at all.
    let mut blind = Harness::new().without_idle_source();
    let mut off =
        Harness::with(Settings { hold_while_typing: false, ..Settings::default() }).seeing_pauses();
    for h in [&mut coarse, &mut blind, &mut off] {
        h.active(mins(41));
        let reminders = h.reminders();
        assert_eq!(reminders.len(), 1);
        assert_eq!(reminders[0].0.mono - start, mins(40));
    }
}

#[test]
fn typing_after_a_meeting_waits_for_a_pause_without_a_second_grace() {
    use unslouch_core::hold::HoldReason::{Meeting, Typing};
    let mut h = Harness::new().seeing_pauses();
    hold(&mut h, Meeting, true);
    h.active(mins(50));
    hold(&mut h, Meeting, false);
    let ended = h.now.mono;
    h.active(mins(2) + secs(20));
    assert!(h.reminders().is_empty(), "typing as the grace ran out");
    assert_eq!(h.snapshot().status.held_by, [Typing]);
    let pause_began = h.last_input;
    h.idle(secs(6));
    let reminders = h.reminders();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].0.mono - pause_began, secs(5), "at the pause, no grace again");
    assert!(reminders[0].0.mono - ended < mins(3));
    let held = held_events(&h);
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].0, [Meeting, Typing]);
}

#[test]
fn with_no_grace_typing_is_still_looked_at_when_a_meeting_ends() {
    use unslouch_core::hold::HoldReason::{Meeting, Typing};
    let mut h =
        Harness::with(Settings { hold_grace_seconds: 0, ..Settings::default() }).seeing_pauses();
    hold(&mut h, Meeting, true);
    h.active(mins(50));
    // The call ends between readings: no reading says whether the person types.
    h.last_input = h.now.mono;
    hold(&mut h, Meeting, false);
    assert!(h.reminders().is_empty(), "not shown without a reading");
    h.active(secs(30));
    assert!(h.reminders().is_empty(), "typing, as the reading a second later tells");
    assert_eq!(h.snapshot().status.held_by, [Typing]);
    let pause_began = h.last_input;
    h.idle(secs(6));
    let reminders = h.reminders();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].0.mono - pause_began, secs(5));
}

#[test]
fn a_call_that_starts_while_typing_holds_is_what_the_reminder_waits_for() {
    use unslouch_core::hold::HoldReason::{Meeting, Typing};
    let mut h = Harness::new().seeing_pauses();
    h.active(mins(40) + secs(20));
    assert_eq!(h.snapshot().status.held_by, [Typing]);
    hold(&mut h, Meeting, true);
    let reads_before = h.read_times.len();
    h.active(mins(30));
    assert_eq!(h.snapshot().status.held_by, [Meeting], "the call, not the typing");
    let reads = h.read_times.len() - reads_before;
    assert!(reads < 20, "no reading every few seconds through the call: {reads}");
    hold(&mut h, Meeting, false);
    // After the grace, typing is looked at anew (its cap counted from then, not from before
    // the call).
    h.active(mins(2) + secs(30));
    assert!(h.reminders().is_empty(), "typing as the grace ran out");
    assert_eq!(h.snapshot().status.held_by, [Typing]);
    h.idle(secs(6));
    assert_eq!(h.reminders().len(), 1);
}
