//! A writer killed with SIGKILL at random moments never leaves a torn file.
//!
//! The test binary runs itself again as the writer (the ignored `*_child` tests, selected with
//! an environment variable), reads what it reports on stdout, and kills it at a random moment.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use unslouch_core::Settings;
use unslouch_core::history::{Event, EventKind};
use unslouch_store::settings_file::parse;
use unslouch_store::{History, SettingsFile};

const DIR_VAR: &str = "UNSLOUCH_KILL_TEST_DIR";

fn now() -> jiff::Timestamp {
    "2026-11-23T09:15:02Z".parse().unwrap()
}

/// Settings that differ in value and in size from save to save.
fn nth_settings(n: u64) -> Settings {
    let mut s = Settings { interval_minutes: 5 + (n % 200) as u32, ..Settings::default() };
    let ids = ["neck-roll", "arm-circle", "shoulder-roll", "chin-tuck", "wall-angel"];
    for id in ids.iter().take((n % 5) as usize) {
        s.excluded_moves.insert((*id).to_string());
    }
    s
}

fn spawn_child(name: &str, dir: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", name, "--nocapture", "--test-threads=1"])
        .env(DIR_VAR, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Run the child until it has reported `ready`, let it work for a random while, SIGKILL it, and
/// return every line it printed.
fn run_and_kill(name: &str, dir: &Path, rng: &mut SmallRng) -> Vec<String> {
    let mut child = spawn_child(name, dir);
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line.clone()).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    loop {
        let line = rx.recv_timeout(Duration::from_secs(20)).expect("the child starts");
        let ready = line.ends_with("ready");
        lines.push(line);
        if ready {
            break;
        }
    }
    std::thread::sleep(Duration::from_micros(rng.random_range(0..20_000)));
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(rx.try_iter());
    lines
}

fn numbers(lines: &[String], prefix: &str) -> Vec<u64> {
    lines.iter().filter_map(|l| l.strip_prefix(prefix)?.trim().parse().ok()).collect()
}

#[test]
fn settings_saves_killed_at_random_leave_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = SmallRng::seed_from_u64(0x5e77);
    let path = dir.path().join("settings.toml");
    let (mut saves, mut kills) = (0u64, 0u32);
    // What the file held after the previous kill: the "old" settings for the next run.
    let mut old: Option<Settings> = None;
    while saves < 200 || kills < 30 {
        let lines = run_and_kill("settings_saver_child", dir.path(), &mut rng);
        kills += 1;
        let saved = numbers(&lines, "saved ");
        let started = numbers(&lines, "saving ");
        saves += saved.len() as u64;
        // Acceptable: the old file, the last confirmed save of this run, or the save in flight.
        let mut allowed: Vec<Settings> = old.iter().cloned().collect();
        allowed.extend(saved.last().map(|n| nth_settings(*n)));
        allowed.extend(started.last().map(|n| nth_settings(*n)));
        match std::fs::read(&path) {
            Ok(bytes) => {
                let settings =
                    parse(&bytes).unwrap_or_else(|e| panic!("torn file after kill {kills}: {e}"));
                assert!(
                    allowed.contains(&settings),
                    "kill {kills}: settings that were never saved"
                );
                old = Some(settings);
            }
            Err(_) => assert!(old.is_none() && saved.is_empty(), "the file vanished after a save"),
        }
    }
    let leftovers: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".settings"))
        .collect();
    // A kill between creating and renaming the temporary file can leave one behind (it never
    // replaces the real file); the next save sweeps them away.
    eprintln!("{saves} saves, {kills} kills, {} leftover temporary files", leftovers.len());
    let mut file = SettingsFile::new(&path);
    file.load(now()).unwrap();
    file.save(&Settings::default(), now()).unwrap();
    let after: usize = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(".settings"))
        .count();
    assert_eq!(after, 0, "a save sweeps away what killed saves left");
}

#[test]
#[ignore = "run by the kill test as a child process"]
fn settings_saver_child() {
    let Some(dir) = std::env::var_os(DIR_VAR) else { return };
    let mut file = SettingsFile::new(PathBuf::from(dir).join("settings.toml"));
    // As the daemon does: load first, so the file a killed run left is known, not a hand edit.
    file.load(now()).unwrap();
    let start = std::time::SystemTime::UNIX_EPOCH.elapsed().unwrap().as_nanos() as u64 % 1_000_000;
    println!("ready");
    for n in start.. {
        println!("saving {n}");
        file.save(&nth_settings(n), now()).unwrap();
        println!("saved {n}");
    }
}

#[test]
fn history_survives_a_killed_writer() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = SmallRng::seed_from_u64(0x4157);
    let path = dir.path().join("history.sqlite3");
    let mut confirmed = 0u64;
    for kill in 0..20 {
        let lines = run_and_kill("history_writer_child", dir.path(), &mut rng);
        confirmed += numbers(&lines, "appended ").len() as u64;
        let opened = History::open(&path, now()).unwrap();
        assert_eq!(opened.warning, None, "kill {kill}: nothing set aside");
        let history = opened.history;
        assert!(history.is_intact().unwrap(), "kill {kill}: integrity check");
        let stored = history.len().unwrap();
        assert!(
            stored >= confirmed && stored <= confirmed + 1,
            "kill {kill}: {stored} events stored, {confirmed} confirmed"
        );
        confirmed = stored;
        history.events_since(None).unwrap();
    }
    assert!(confirmed > 20, "the writer got some work done: {confirmed}");
}

#[test]
#[ignore = "run by the kill test as a child process"]
fn history_writer_child() {
    let Some(dir) = std::env::var_os(DIR_VAR) else { return };
    let history =
        History::open(&PathBuf::from(dir).join("history.sqlite3"), now()).unwrap().history;
    println!("ready");
    let at: jiff::Timestamp = "2026-11-23T09:00:00Z".parse().unwrap();
    for n in 0u32.. {
        let moves = vec!["chin-tuck".to_string(); (n % 7) as usize];
        history.append(&Event { at, kind: EventKind::Reminded { repeat: false, moves } }).unwrap();
        println!("appended {n}");
    }
}
