//! Settings: defaults, validation that names the field, the file format and its migrations.

use std::collections::BTreeSet;

use unslouch_core::Settings;
use unslouch_core::routines::Equipment;
use unslouch_core::settings::{CURRENT_VERSION, MigrateError, SettingsError, TimeRange, migrate};

fn load(source: &str) -> Settings {
    let doc: toml::Table = toml::from_str(source).expect("TOML");
    let doc = migrate(doc).expect("migrates");
    toml::Value::Table(doc).try_into().expect("settings")
}

#[test]
fn the_defaults_are_those_of_the_design() {
    let s = Settings::default();
    assert_eq!(s.interval_minutes, 40);
    assert_eq!(s.routine_seconds, 60);
    assert_eq!(s.natural_break_minutes, 5);
    assert_eq!((s.snooze_minutes, s.snooze_limit), (10, 3));
    assert_eq!(s.remind_again_minutes, 5);
    assert!(s.equipment.is_empty(), "desk and chair only");
    assert!(!s.work_hours.enabled, "always on");
    assert_eq!(s.day_starts_at_hour, 4);
    assert_eq!(s.validate(), Ok(()));
}

#[test]
fn an_out_of_range_value_names_the_field_the_range_and_the_value() {
    let s = Settings { interval_minutes: 2, routine_seconds: 500, ..Settings::default() };
    let problems = s.validate().unwrap_err();
    assert_eq!(
        problems,
        vec![
            SettingsError::OutOfRange {
                field: "interval_minutes".into(),
                min: 5,
                max: 240,
                got: 2
            },
            SettingsError::OutOfRange {
                field: "routine_seconds".into(),
                min: 30,
                max: 180,
                got: 500
            },
        ]
    );
    assert_eq!(problems[0].to_string(), "interval_minutes must be between 5 and 240, not 2");
    assert_eq!(problems[1].field(), "routine_seconds");
}

#[test]
fn overlapping_or_empty_work_hours_are_refused() {
    let mut s = Settings::default();
    s.work_hours.tuesday = vec!["09:00-12:00".parse().unwrap(), "11:00-13:00".parse().unwrap()];
    s.work_hours.friday = vec!["17:00-09:00".parse().unwrap()];
    let problems = s.validate().unwrap_err();
    assert!(problems.contains(&SettingsError::Overlap {
        field: "work_hours.tuesday".into(),
        first: "09:00-12:00".into(),
        second: "11:00-13:00".into(),
    }));
    assert!(problems.iter().any(|p| p.field() == "work_hours.friday"));
}

#[test]
fn work_hours_on_with_no_hours_at_all_is_refused() {
    let mut s = Settings::default();
    s.work_hours.enabled = true;
    for day in [
        &mut s.work_hours.monday,
        &mut s.work_hours.tuesday,
        &mut s.work_hours.wednesday,
        &mut s.work_hours.thursday,
        &mut s.work_hours.friday,
    ] {
        day.clear();
    }
    assert_eq!(s.validate(), Err(vec![SettingsError::NoWorkHours]));
}

#[test]
fn excluding_an_unknown_move_or_nearly_all_of_them_is_refused() {
    let mut s = Settings::default();
    s.excluded_moves.insert("moonwalk".into());
    assert_eq!(s.validate(), Err(vec![SettingsError::UnknownMove { id: "moonwalk".into() }]));
    let all: BTreeSet<String> =
        unslouch_core::routines::Catalog::builtin().moves.iter().map(|m| m.id.clone()).collect();
    let s = Settings { excluded_moves: all, ..Settings::default() };
    assert_eq!(s.validate(), Err(vec![SettingsError::TooFewMoves]));
}

#[test]
fn time_ranges_read_and_write_as_text() {
    let r: TimeRange = "08:30-12:00".parse().unwrap();
    assert_eq!(r.to_string(), "08:30-12:00");
    let late: TimeRange = "22:00-24:00".parse().unwrap();
    assert!(late.contains(jiff::civil::Time::constant(23, 59, 0, 0)));
    for bad in ["8-12", "08:30", "25:00-26:00", "ab:cd-ef:gh", ""] {
        assert!(bad.parse::<TimeRange>().is_err(), "`{bad}` is refused");
    }
}

#[test]
fn settings_survive_a_round_trip_through_toml() {
    let mut s = Settings { interval_minutes: 25, ..Settings::default() };
    s.equipment.insert(Equipment::Doorway);
    s.work_hours.enabled = true;
    s.work_hours.saturday = vec!["10:00-24:00".parse().unwrap()];
    let text = toml::to_string(&s).unwrap();
    assert_eq!(load(&text), s);
}

#[test]
fn unknown_keys_are_ignored_and_missing_ones_take_defaults() {
    let s = load("interval_minutes = 30\nshiny_new_option = true\n[work_hours]\nenabled = false\n");
    assert_eq!(s, Settings { interval_minutes: 30, ..Settings::default() });
}

#[test]
fn a_file_without_a_version_is_version_one() {
    let doc: toml::Table = toml::from_str("interval_minutes = 30").unwrap();
    let migrated = migrate(doc).unwrap();
    assert_eq!(migrated.get("version"), Some(&toml::Value::Integer(CURRENT_VERSION.into())));
}

#[test]
fn the_version_one_fixture_loads_through_every_migration() {
    let s = load(include_str!("fixtures/settings-v1.toml"));
    assert_eq!(s.version, CURRENT_VERSION);
    assert_eq!(s.interval_minutes, 35);
    assert_eq!(s.routine_seconds, 90);
    assert!(!s.can_stand);
    // Version 2: a band of version 1 came with the door anchor its rows need.
    assert_eq!(
        s.equipment,
        BTreeSet::from([Equipment::ResistanceBand, Equipment::DoorAnchor, Equipment::Wall])
    );
    assert!(s.work_hours.enabled);
    assert_eq!(s.work_hours.monday.len(), 2);
    assert_eq!(s.work_hours.wednesday, vec!["08:30-12:00".parse().unwrap()]);
    assert!(s.excluded_moves.contains("neck-roll"));
    assert_eq!(s.validate(), Ok(()));
}

#[test]
fn version_one_without_a_band_gets_no_anchor() {
    let s = load("version = 1\nequipment = [\"wall\"]\n");
    assert_eq!(s.equipment, BTreeSet::from([Equipment::Wall]));
    let s = load("interval_minutes = 30\n");
    assert!(s.equipment.is_empty());
}

#[test]
fn a_file_from_a_newer_unslouch_is_not_guessed_at() {
    let doc: toml::Table = toml::from_str("version = 99").unwrap();
    assert_eq!(migrate(doc), Err(MigrateError::TooNew { got: 99, max: CURRENT_VERSION }));
    let doc: toml::Table = toml::from_str("version = \"one\"").unwrap();
    assert!(matches!(migrate(doc), Err(MigrateError::BadVersion(_))));
}

#[test]
fn settings_of_any_version_but_the_current_one_are_refused() {
    for version in [0, CURRENT_VERSION + 1, u32::MAX] {
        let s = Settings { version, ..Settings::default() };
        let problems = s.validate().expect_err("refused");
        assert!(problems.iter().any(|p| p.field() == "version"), "version {version}: {problems:?}");
    }
    assert!(Settings::default().validate().is_ok());
}
