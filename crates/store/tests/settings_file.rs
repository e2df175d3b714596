//! The settings file: atomic saves, only overrides written, unusable files set aside.

use std::fs;

use jiff::Timestamp;
use unslouch_core::Settings;
use unslouch_core::settings::SettingsError;
use unslouch_store::{LoadWarning, SettingsFile, StoreError};

fn now() -> Timestamp {
    "2026-11-23T09:15:02Z".parse().unwrap()
}

fn setup() -> (tempfile::TempDir, SettingsFile) {
    let dir = tempfile::tempdir().unwrap();
    let file = SettingsFile::new(dir.path().join("unslouch").join("settings.toml"));
    (dir, file)
}

#[test]
fn no_file_means_the_defaults() {
    let (_dir, file) = setup();
    let loaded = file.load(now()).unwrap();
    assert_eq!(loaded.settings, Settings::default());
    assert_eq!(loaded.warning, None);
    assert!(!file.path().exists(), "loading writes nothing");
}

#[test]
fn saved_settings_load_back() {
    let (_dir, file) = setup();
    let mut s = Settings { interval_minutes: 25, can_stand: false, ..Settings::default() };
    s.work_hours.enabled = true;
    s.excluded_moves.insert("neck-roll".into());
    file.save(&s).unwrap();
    assert_eq!(file.load(now()).unwrap(), unslouch_store::Loaded { settings: s, warning: None });
}

#[test]
fn only_values_that_differ_from_the_defaults_are_written() {
    let (_dir, file) = setup();
    file.save(&Settings { snooze_minutes: 7, ..Settings::default() }).unwrap();
    let text = fs::read_to_string(file.path()).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let keys: Vec<&str> = doc.keys().map(String::as_str).collect();
    assert_eq!(keys, vec!["snooze_minutes", "version"]);
    assert!(text.starts_with("# Unslouch settings."));
}

#[test]
fn invalid_settings_are_refused_and_change_nothing_on_disk() {
    let (_dir, file) = setup();
    file.save(&Settings { interval_minutes: 30, ..Settings::default() }).unwrap();
    let before = fs::read(file.path()).unwrap();
    let err = file.save(&Settings { interval_minutes: 1000, ..Settings::default() }).unwrap_err();
    match &err {
        StoreError::Invalid(problems) => assert_eq!(
            problems,
            &vec![SettingsError::OutOfRange {
                field: "interval_minutes",
                min: 5,
                max: 240,
                got: 1000
            }]
        ),
        other => panic!("expected a validation error, got {other}"),
    }
    assert_eq!(err.to_string(), "interval_minutes must be between 5 and 240, not 1000");
    assert_eq!(fs::read(file.path()).unwrap(), before);
    let leftovers: Vec<_> = fs::read_dir(file.path().parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

fn assert_set_aside(contents: &[u8], reason_has: &str) {
    let (_dir, file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(file.path(), contents).unwrap();
    let loaded = file.load(now()).unwrap();
    assert_eq!(loaded.settings, Settings::default());
    let Some(LoadWarning::SetAside { moved_to, reason }) = loaded.warning else {
        panic!("a warning")
    };
    assert!(reason.contains(reason_has), "reason `{reason}` mentions `{reason_has}`");
    assert_eq!(
        moved_to.file_name().unwrap(),
        "settings.toml.corrupt-20260923T091502Z".replace("0923", "1123").as_str()
    );
    assert_eq!(fs::read(&moved_to).unwrap(), contents, "the person's file is kept byte for byte");
    assert!(!file.path().exists(), "nothing was written in its place");
}

#[test]
fn a_file_that_is_not_toml_is_set_aside() {
    assert_set_aside(b"interval_minutes = = 3\n", "not valid TOML");
}

#[test]
fn a_file_with_invalid_values_is_set_aside() {
    assert_set_aside(
        b"interval_minutes = 2\n",
        "interval_minutes must be between 5 and 240, not 2",
    );
}

#[test]
fn a_file_with_values_of_the_wrong_type_is_set_aside() {
    assert_set_aside(b"interval_minutes = \"forty\"\n", "invalid type");
}

#[test]
fn a_binary_file_is_set_aside() {
    assert_set_aside(&[0xff, 0xfe, 0x00, 0x12], "not UTF-8");
}

#[test]
fn a_file_from_a_newer_version_is_set_aside_not_overwritten() {
    assert_set_aside(b"version = 7\n", "newer than this Unslouch understands");
}

#[test]
fn a_second_bad_file_in_the_same_second_gets_its_own_name() {
    let (_dir, file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(file.path(), "first = = 1").unwrap();
    let first = file.load(now()).unwrap().warning.unwrap();
    fs::write(file.path(), "second = = 2").unwrap();
    let second = file.load(now()).unwrap().warning.unwrap();
    let (LoadWarning::SetAside { moved_to: a, .. }, LoadWarning::SetAside { moved_to: b, .. }) =
        (first, second);
    assert_ne!(a, b);
    assert_eq!(fs::read_to_string(a).unwrap(), "first = = 1");
    assert_eq!(fs::read_to_string(b).unwrap(), "second = = 2");
}
