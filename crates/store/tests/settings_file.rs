//! The settings file: atomic saves (also through links), only overrides written, unknown keys
//! kept, unusable files set aside, unreadable paths left alone, hand edits kept aside.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use unslouch_core::Settings;
use unslouch_core::settings::SettingsError;
use unslouch_store::{LoadWarning, SaveWarning, SettingsFile, StoreError};

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
    let (_dir, mut file) = setup();
    let loaded = file.load(now()).unwrap();
    assert_eq!(loaded.settings, Settings::default());
    assert_eq!(loaded.warning, None);
    assert!(!file.path().exists(), "loading writes nothing");
}

#[test]
fn saved_settings_load_back() {
    let (_dir, mut file) = setup();
    let mut s = Settings { interval_minutes: 25, can_stand: false, ..Settings::default() };
    s.work_hours.enabled = true;
    s.excluded_moves.insert("neck-roll".into());
    file.save(&s, now()).unwrap();
    assert_eq!(file.load(now()).unwrap(), unslouch_store::Loaded { settings: s, warning: None });
}

#[test]
fn only_values_that_differ_from_the_defaults_are_written() {
    let (_dir, mut file) = setup();
    file.save(&Settings { snooze_minutes: 7, ..Settings::default() }, now()).unwrap();
    let text = fs::read_to_string(file.path()).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let keys: Vec<&str> = doc.keys().map(String::as_str).collect();
    assert_eq!(keys, vec!["snooze_minutes", "version"]);
    assert!(text.starts_with("# Unslouch settings."));
}

#[test]
fn invalid_settings_are_refused_and_change_nothing_on_disk() {
    let (_dir, mut file) = setup();
    file.save(&Settings { interval_minutes: 30, ..Settings::default() }, now()).unwrap();
    let before = fs::read(file.path()).unwrap();
    let err =
        file.save(&Settings { interval_minutes: 1000, ..Settings::default() }, now()).unwrap_err();
    match &err {
        StoreError::Invalid(problems) => assert_eq!(
            problems,
            &vec![SettingsError::OutOfRange {
                field: "interval_minutes".into(),
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
    let (_dir, mut file) = setup();
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
    let (_dir, mut file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(file.path(), "first = = 1").unwrap();
    let first = file.load(now()).unwrap().warning.unwrap();
    fs::write(file.path(), "second = = 2").unwrap();
    let second = file.load(now()).unwrap().warning.unwrap();
    let (LoadWarning::SetAside { moved_to: a, .. }, LoadWarning::SetAside { moved_to: b, .. }) =
        (first, second)
    else {
        panic!("both set aside")
    };
    assert_ne!(a, b);
    assert_eq!(fs::read_to_string(a).unwrap(), "first = = 1");
    assert_eq!(fs::read_to_string(b).unwrap(), "second = = 2");
}

/// Whether this process reads files whatever their mode (root does), so a mode-000 file
/// proves nothing.
fn reads_anything() -> bool {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    fs::write(&probe, "x").unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o000)).unwrap();
    fs::read(&probe).is_ok()
}

fn assert_unreadable_gives_the_defaults(file: &mut SettingsFile, reason_has: &str) {
    let loaded = file.load(now()).expect("loading never fails because of the file");
    assert_eq!(loaded.settings, Settings::default());
    let Some(LoadWarning::Unreadable { path, reason }) = &loaded.warning else {
        panic!("an unreadable warning, got {:?}", loaded.warning)
    };
    assert_eq!(path, file.path());
    assert!(reason.contains(reason_has), "reason `{reason}` mentions `{reason_has}`");
    let message = loaded.warning.as_ref().unwrap().to_string();
    assert!(message.contains("defaults are in use"), "{message}");
    let siblings: Vec<_> = fs::read_dir(file.path().parent().unwrap()).unwrap().collect();
    assert_eq!(siblings.len(), 1, "nothing was moved aside or written");
}

#[test]
fn a_folder_at_the_settings_path_gives_the_defaults_with_a_warning() {
    let (_dir, mut file) = setup();
    fs::create_dir_all(file.path()).unwrap();
    assert_unreadable_gives_the_defaults(&mut file, "folder");
    assert!(file.path().is_dir(), "the folder is left where it is");
}

#[test]
fn a_fifo_at_the_settings_path_is_never_opened() {
    let (_dir, mut file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo").arg(file.path()).status().unwrap();
    assert!(made.success());
    // Opening a FIFO blocks until a writer comes; run the load where it may hang.
    let (tx, rx) = std::sync::mpsc::channel();
    let mut in_thread = file.clone();
    std::thread::spawn(move || {
        let _ = tx.send(in_thread.load(now()).map(|l| l.warning.map(|w| w.to_string())));
    });
    let loaded =
        rx.recv_timeout(std::time::Duration::from_secs(5)).expect("loading a FIFO does not block");
    let warning = loaded.expect("a FIFO does not stop the daemon").expect("a warning");
    assert!(warning.contains("not a regular file"), "{warning}");
    assert_unreadable_gives_the_defaults(&mut file, "not a regular file");
}

#[test]
fn a_file_that_cannot_be_read_gives_the_defaults_and_stays() {
    use std::os::unix::fs::PermissionsExt;
    if reads_anything() {
        eprintln!("skipped: this process reads mode-000 files (root)");
        return;
    }
    let (_dir, mut file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(file.path(), "interval_minutes = 30\n").unwrap();
    fs::set_permissions(file.path(), fs::Permissions::from_mode(0o000)).unwrap();
    assert_unreadable_gives_the_defaults(&mut file, "ermission denied");
    fs::set_permissions(file.path(), fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(fs::read_to_string(file.path()).unwrap(), "interval_minutes = 30\n");
}

#[test]
fn keys_this_version_does_not_know_survive_a_save() {
    let (_dir, mut file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(
        file.path(),
        "version = 1\nfuture_option = 3\ninterval_minutes = 30\n\n\
         [some_table]\nx = 1\n\n[work_hours]\nenabled = true\nlunch_break = \"12:00-13:00\"\n",
    )
    .unwrap();
    let mut settings = file.load(now()).unwrap().settings;
    assert!(settings.work_hours.enabled);
    settings.interval_minutes = 45;
    settings.snooze_minutes = 7;
    file.save(&settings, now()).unwrap();
    let doc: toml::Table = toml::from_str(&fs::read_to_string(file.path()).unwrap()).unwrap();
    assert_eq!(doc["future_option"].as_integer(), Some(3));
    assert_eq!(doc["some_table"]["x"].as_integer(), Some(1));
    assert_eq!(doc["work_hours"]["lunch_break"].as_str(), Some("12:00-13:00"));
    assert_eq!(doc["work_hours"]["enabled"].as_bool(), Some(true));
    assert_eq!(doc["interval_minutes"].as_integer(), Some(45), "our values win");
    assert_eq!(doc["snooze_minutes"].as_integer(), Some(7));
    assert_eq!(file.load(now()).unwrap().settings, settings);
}

#[test]
fn unknown_keys_inside_a_table_survive_when_its_known_keys_are_defaults() {
    let (_dir, mut file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(file.path(), "[work_hours]\nlunch_break = \"12:00-13:00\"\n").unwrap();
    let settings = file.load(now()).unwrap().settings;
    file.save(&Settings { sound: false, ..settings }, now()).unwrap();
    let doc: toml::Table = toml::from_str(&fs::read_to_string(file.path()).unwrap()).unwrap();
    let work_hours = doc["work_hours"].as_table().unwrap();
    assert_eq!(work_hours.keys().collect::<Vec<_>>(), ["lunch_break"], "defaults stay unwritten");
}

#[test]
fn a_save_writes_through_a_symlink_and_keeps_the_link() {
    let (dir, mut file) = setup();
    let repo = dir.path().join("dotfiles");
    fs::create_dir_all(&repo).unwrap();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    let target = repo.join("unslouch.toml");
    fs::write(&target, "snooze_minutes = 7\n").unwrap();
    std::os::unix::fs::symlink("../dotfiles/unslouch.toml", file.path()).unwrap();
    let settings = file.load(now()).unwrap().settings;
    assert_eq!(settings.snooze_minutes, 7);
    file.save(&Settings { interval_minutes: 50, ..settings.clone() }, now()).unwrap();
    assert!(fs::symlink_metadata(file.path()).unwrap().file_type().is_symlink(), "still a link");
    assert_eq!(fs::read_link(file.path()).unwrap(), Path::new("../dotfiles/unslouch.toml"));
    let saved = unslouch_store::settings_file::parse(&fs::read(&target).unwrap()).unwrap();
    assert_eq!((saved.interval_minutes, saved.snooze_minutes), (50, 7));
    let beside_link: Vec<_> = fs::read_dir(file.path().parent().unwrap()).unwrap().collect();
    assert_eq!(beside_link.len(), 1, "nothing written beside the link");
    let in_repo: Vec<_> = fs::read_dir(&repo).unwrap().collect();
    assert_eq!(in_repo.len(), 1, "no temporary file left beside the target");
}

#[test]
fn a_save_through_a_dangling_symlink_creates_its_target() {
    let (dir, mut file) = setup();
    let repo = dir.path().join("dotfiles");
    fs::create_dir_all(&repo).unwrap();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(repo.join("unslouch.toml"), file.path()).unwrap();
    assert_eq!(file.load(now()).unwrap().warning, None, "a dangling link is no file yet");
    file.save(&Settings { interval_minutes: 50, ..Settings::default() }, now()).unwrap();
    assert!(fs::symlink_metadata(file.path()).unwrap().file_type().is_symlink());
    assert!(fs::read_to_string(repo.join("unslouch.toml")).unwrap().contains("interval_minutes"));
}

#[test]
fn a_bad_file_behind_a_symlink_is_set_aside_beside_its_target_and_the_link_stays() {
    let (dir, mut file) = setup();
    let repo = dir.path().join("dotfiles");
    fs::create_dir_all(&repo).unwrap();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(repo.join("unslouch.toml"), "interval_minutes = = 3\n").unwrap();
    std::os::unix::fs::symlink(repo.join("unslouch.toml"), file.path()).unwrap();
    let Some(LoadWarning::SetAside { moved_to, .. }) = file.load(now()).unwrap().warning else {
        panic!("a warning")
    };
    assert_eq!(moved_to, repo.join("unslouch.toml.corrupt-20261123T091502Z"));
    assert_eq!(fs::read_to_string(&moved_to).unwrap(), "interval_minutes = = 3\n");
    assert!(fs::symlink_metadata(file.path()).unwrap().file_type().is_symlink(), "still a link");
}

/// The files beside the settings file whose name starts with `settings.toml.edited-`.
fn edited_copies(file: &SettingsFile) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(file.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("settings.toml.edited-"))
        .collect();
    found.sort();
    found
}

#[test]
fn a_hand_edit_made_while_running_is_kept_aside_before_a_save() {
    let (_dir, mut file) = setup();
    let settings = file.load(now()).unwrap().settings;
    let first = file.save(&Settings { interval_minutes: 30, ..settings }, now()).unwrap();
    assert_eq!(first, None, "our own writes are no hand edits");
    let settings = file.load(now()).unwrap().settings;
    let hand_edit = "# my own notes\ninterval_minutes = 90\n";
    fs::write(file.path(), hand_edit).unwrap();
    let warning = file.save(&Settings { snooze_minutes: 7, ..settings }, now()).unwrap();
    let copies = edited_copies(&file);
    assert_eq!(copies.len(), 1, "the hand edit was kept");
    assert_eq!(copies[0].file_name().unwrap(), "settings.toml.edited-20261123T091502Z");
    assert_eq!(fs::read_to_string(&copies[0]).unwrap(), hand_edit, "byte for byte");
    assert_eq!(warning, Some(SaveWarning::HandEditKeptAside { kept_as: copies[0].clone() }));
    let message = warning.unwrap().to_string();
    assert!(
        message.contains("kept as") && message.contains("edited-20261123T091502Z"),
        "{message}"
    );
    let saved = file.load(now()).unwrap().settings;
    assert_eq!((saved.interval_minutes, saved.snooze_minutes), (30, 7), "the save went through");
    // Saving again right away is our own file again: nothing more is kept.
    assert_eq!(file.save(&Settings { snooze_minutes: 8, ..saved }, now()).unwrap(), None);
    assert_eq!(edited_copies(&file).len(), 1);
}

#[test]
fn a_second_hand_edit_in_the_same_second_gets_its_own_copy() {
    let (_dir, mut file) = setup();
    let settings = file.load(now()).unwrap().settings;
    file.save(&settings, now()).unwrap();
    for edit in ["interval_minutes = 90\n", "interval_minutes = 95\n"] {
        fs::write(file.path(), edit).unwrap();
        assert!(file.save(&settings, now()).unwrap().is_some());
    }
    let copies = edited_copies(&file);
    let texts: Vec<String> = copies.iter().map(|p| fs::read_to_string(p).unwrap()).collect();
    assert_eq!(texts, ["interval_minutes = 90\n", "interval_minutes = 95\n"]);
}

#[test]
fn changed_on_disk_tells_a_hand_edit_from_our_own_writes() {
    let (_dir, mut file) = setup();
    let settings = file.load(now()).unwrap().settings;
    assert!(!file.changed_on_disk(), "no file, as loaded");
    file.save(&Settings { interval_minutes: 30, ..settings }, now()).unwrap();
    assert!(!file.changed_on_disk(), "our own save");
    fs::write(file.path(), "interval_minutes = 90\n").unwrap();
    assert!(file.changed_on_disk(), "edited by hand");
    // The daemon reloads, and then saves on top of the edit without keeping a copy.
    let settings = file.load(now()).unwrap().settings;
    assert_eq!(settings.interval_minutes, 90);
    assert!(!file.changed_on_disk(), "reloaded");
    assert_eq!(file.save(&Settings { sound: false, ..settings }, now()).unwrap(), None);
    assert!(edited_copies(&file).is_empty());
    fs::remove_file(file.path()).unwrap();
    assert!(file.changed_on_disk(), "removed by hand");
}

#[test]
fn a_file_never_loaded_counts_as_changed() {
    let (_dir, mut file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(file.path(), "interval_minutes = 90\n").unwrap();
    assert!(file.changed_on_disk());
    assert!(file.save(&Settings::default(), now()).unwrap().is_some(), "kept, not overwritten");
}

#[test]
fn a_file_created_by_hand_since_the_load_is_kept_aside_before_a_save() {
    let (_dir, mut file) = setup();
    let settings = file.load(now()).unwrap().settings;
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(file.path(), "interval_minutes = 90\n").unwrap();
    let warning = file.save(&Settings { snooze_minutes: 7, ..settings }, now()).unwrap();
    let copies = edited_copies(&file);
    assert_eq!(copies.len(), 1, "the new file was kept");
    assert_eq!(warning, Some(SaveWarning::HandEditKeptAside { kept_as: copies[0].clone() }));
    assert_eq!(fs::read_to_string(&copies[0]).unwrap(), "interval_minutes = 90\n");
}

#[test]
fn a_save_over_a_file_it_cannot_read_is_refused_and_the_file_stays() {
    use std::os::unix::fs::PermissionsExt;
    if reads_anything() {
        eprintln!("skipped: this process reads mode-000 files (root)");
        return;
    }
    let (_dir, mut file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(file.path(), "interval_minutes = 30\n").unwrap();
    fs::set_permissions(file.path(), fs::Permissions::from_mode(0o000)).unwrap();
    let settings = file.load(now()).unwrap().settings;
    let err = file.save(&Settings { snooze_minutes: 7, ..settings }, now()).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err}");
    fs::set_permissions(file.path(), fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(fs::read_to_string(file.path()).unwrap(), "interval_minutes = 30\n");
}

#[test]
fn a_save_never_replaces_something_that_is_not_a_file() {
    let (_dir, mut file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo").arg(file.path()).status().unwrap();
    assert!(made.success());
    let settings = file.load(now()).unwrap().settings;
    let err = file.save(&Settings { snooze_minutes: 7, ..settings }, now()).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
    assert!(!fs::metadata(file.path()).unwrap().is_file(), "the FIFO is still there");
}

#[test]
fn a_bad_file_that_cannot_be_moved_aside_gives_the_defaults_and_stays() {
    use std::os::unix::fs::PermissionsExt;
    if reads_anything() {
        eprintln!("skipped: this process writes in read-only folders (root)");
        return;
    }
    let (_dir, mut file) = setup();
    let folder = file.path().parent().unwrap().to_path_buf();
    fs::create_dir_all(&folder).unwrap();
    fs::write(file.path(), "interval_minutes = = 3\n").unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o500)).unwrap();
    let loaded = file.load(now());
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o700)).unwrap();
    let loaded = loaded.expect("a bad file never stops the daemon");
    assert_eq!(loaded.settings, Settings::default());
    let Some(LoadWarning::KeptInPlace { reason, .. }) = &loaded.warning else {
        panic!("a kept-in-place warning, got {:?}", loaded.warning)
    };
    assert!(reason.contains("not valid TOML"), "{reason}");
    assert_eq!(fs::read_to_string(file.path()).unwrap(), "interval_minutes = = 3\n");
}

/// A move of the person's own that they excluded, then their moves file broke or went: the
/// settings still load whole, keep the exclusion, and can still be saved.
#[test]
fn an_excluded_move_of_ones_own_that_went_missing_loses_no_setting() {
    use std::sync::Arc;
    use unslouch_core::routines::Catalog;
    let (_dir, file) = setup();
    fs::create_dir_all(file.path().parent().unwrap()).unwrap();
    fs::write(file.path(), "interval_minutes = 25\nexcluded_moves = [\"towel-row\"]\n").unwrap();
    // Their moves file no longer loads: only ours are known.
    let mut file = file.with_catalog(Arc::new(Catalog::builtin().clone()));
    let loaded = file.load(now()).unwrap();
    assert_eq!(loaded.warning, None, "not set aside");
    assert_eq!(loaded.settings.interval_minutes, 25);
    assert!(loaded.settings.excluded_moves.contains("towel-row"));
    let mut changed = loaded.settings.clone();
    changed.interval_minutes = 30;
    assert_eq!(file.save(&changed, now()).unwrap(), None);
    // A change that adds an unknown move is still refused, naming it.
    let mut typo = changed.clone();
    typo.excluded_moves.insert("chin-tuk".into());
    let refused = typo.problems_after(Catalog::builtin(), &changed);
    assert_eq!(refused, vec![SettingsError::UnknownMove { id: "chin-tuk".into() }]);
}
