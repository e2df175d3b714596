//! The history database: every kind of event round-trips, queries, export (escaped, to a file),
//! schema, privacy, and files that are not a usable database set aside instead of stopping us.

use std::path::Path;

use jiff::Timestamp;
use unslouch_core::history::{Event, EventKind, Feel, Outcome, Trigger, summarize};
use unslouch_store::History;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn every_kind() -> Vec<Event> {
    let moves = || vec!["chin-tuck".to_string(), "wall-angel".to_string()];
    vec![
        Event {
            at: at("2026-11-23T08:40:00Z"),
            kind: EventKind::Desk { started: at("2026-11-23T08:00:00Z"), seconds: 2400 },
        },
        Event {
            at: at("2026-11-23T08:40:00Z"),
            kind: EventKind::Reminded { repeat: false, moves: moves() },
        },
        Event { at: at("2026-11-23T08:41:00Z"), kind: EventKind::Snoozed { count: 1 } },
        Event {
            at: at("2026-11-23T08:51:00Z"),
            kind: EventKind::Reminded { repeat: true, moves: moves() },
        },
        Event {
            at: at("2026-11-23T08:52:00Z"),
            kind: EventKind::BreakStarted {
                trigger: Trigger::Reminder,
                moves: moves(),
                session: false,
            },
        },
        Event {
            at: at("2026-11-23T08:53:00Z"),
            kind: EventKind::BreakFinished {
                outcome: Outcome::Completed,
                moves: moves(),
                seconds: 60,
                session: false,
                done: vec![],
            },
        },
        Event {
            at: at("2026-11-23T08:53:10Z"),
            kind: EventKind::Feedback { feel: Feel::TooEasy, moves: moves() },
        },
        Event { at: at("2026-11-23T10:00:00Z"), kind: EventKind::Skipped },
        Event {
            at: at("2026-11-23T11:00:00Z"),
            kind: EventKind::NaturalBreak { away_seconds: 3600 },
        },
        Event {
            at: at("2026-11-23T12:00:00Z"),
            kind: EventKind::Paused { until: at("2026-11-23T13:00:00Z") },
        },
        Event { at: at("2026-11-23T13:00:00Z"), kind: EventKind::Resumed { auto: true } },
    ]
}

#[test]
fn every_kind_of_event_is_stored_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("history.sqlite3");
    let mut history = open(&path).0;
    history.append_all(&every_kind()).unwrap();
    drop(history);
    let history = open(&path).0;
    assert_eq!(history.events_since(None).unwrap(), every_kind());
    assert_eq!(history.len().unwrap(), 11);
    assert_eq!(history.latest().unwrap(), Some(at("2026-11-23T13:00:00Z")));
    assert!(history.is_intact().unwrap());
}

#[test]
fn the_database_is_in_wal_mode_at_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    drop(open(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!((mode.as_str(), version), ("wal", 1));
}

#[test]
fn events_since_a_time_leave_out_older_ones() {
    let history = History::open_in_memory().unwrap();
    for e in every_kind() {
        history.append(&e).unwrap();
    }
    let recent = history.events_since(Some(at("2026-11-23T10:00:00Z"))).unwrap();
    assert_eq!(recent.len(), 4);
    assert_eq!(recent[0].kind, EventKind::Skipped);
}

#[test]
fn a_restart_reads_recent_events_and_every_feedback_and_bringing_back() {
    let history = History::open_in_memory().unwrap();
    let hurt = EventKind::Feedback { feel: Feel::Hurt, moves: vec!["wall-angel".into()] };
    let back = EventKind::BroughtBack { moves: vec!["chin-tuck".into()] };
    let old = [
        Event { at: at("2026-09-01T09:00:00Z"), kind: hurt.clone() },
        Event { at: at("2026-09-02T09:00:00Z"), kind: EventKind::Skipped },
        Event { at: at("2026-09-03T09:00:00Z"), kind: back.clone() },
    ];
    let recent = Event { at: at("2026-11-23T09:00:00Z"), kind: EventKind::Skipped };
    for e in old.iter().chain([&recent]) {
        history.append(e).unwrap();
    }
    let read = history.events_to_restore(Some(at("2026-11-01T00:00:00Z"))).unwrap();
    let kinds: Vec<&EventKind> = read.iter().map(|e| &e.kind).collect();
    assert_eq!(kinds, [&hurt, &back, &EventKind::Skipped], "oldest first, no old skip");
    assert_eq!(read[2].at, recent.at);
}

#[test]
fn events_written_by_a_newer_unslouch_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let history = open(&path).0;
    history.append(&every_kind()[7]).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO events (at_ms, kind, data) VALUES (1, 'levitated', '{\"height\":3}')",
        [],
    )
    .unwrap();
    assert_eq!(history.events_since(None).unwrap(), vec![every_kind()[7].clone()]);
}

#[test]
fn the_history_exports_to_csv() {
    let history = History::open_in_memory().unwrap();
    for e in every_kind() {
        history.append(&e).unwrap();
    }
    let mut out = Vec::new();
    let rows = history.export_csv(&mut out, None).unwrap();
    assert_eq!(rows, 11);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "time,event,moves,detail,seconds");
    assert_eq!(lines[1], "2026-11-23T08:40:00Z,desk_time,,,2400");
    assert_eq!(lines[5], "2026-11-23T08:52:00Z,break_started,chin-tuck wall-angel,reminder,");
    assert_eq!(lines[6], "2026-11-23T08:53:00Z,break_finished,chin-tuck wall-angel,completed,60");
    assert_eq!(lines[7], "2026-11-23T08:53:10Z,feedback,chin-tuck wall-angel,too_easy,");
    assert_eq!(lines[11], "2026-11-23T13:00:00Z,resumed,,by_itself,");
    // It reads back as CSV with the same number of fields on every row.
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.records().map(|r| r.unwrap().len()).filter(|n| *n == 5).count(), 11);
}

#[test]
fn stored_events_feed_the_summary() {
    let history = History::open_in_memory().unwrap();
    for e in every_kind() {
        history.append(&e).unwrap();
    }
    let events = history.events_since(None).unwrap();
    let tz = jiff::tz::TimeZone::UTC;
    let s = summarize(&events, &tz, 4, "2026-11-23".parse().unwrap(), 7);
    let today = s.days.last().unwrap();
    assert_eq!((today.completed, today.natural, today.skipped, today.snoozed), (1, 1, 1, 1));
    assert_eq!(today.desk_minutes, 40);
    assert_eq!(s.acted_on, Some(1.0));
}

fn now() -> Timestamp {
    at("2026-11-23T09:15:02Z")
}

/// Open as the daemon does; the warning as its message.
fn open(path: &Path) -> (History, Option<String>) {
    let opened = History::open(path, now()).expect("opening never fails because of the file");
    (opened.history, opened.warning.map(|w| w.to_string()))
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A database of ours with `n` events, closed.
fn database_with(path: &Path, n: usize) {
    let (mut history, _) = open(path);
    let events: Vec<Event> = (0..n)
        .map(|i| Event {
            at: Timestamp::from_second(1_790_000_000 + i as i64 * 600).unwrap(),
            kind: EventKind::Reminded { repeat: false, moves: vec!["chin-tuck".into(); 3] },
        })
        .collect();
    history.append_all(&events).unwrap();
}

/// `path` holds `contents`; opening it keeps them aside under `kept_as` and starts afresh.
fn assert_set_aside(path: &Path, kept_as: &str, reason_has: &str) {
    let contents = std::fs::read(path).unwrap();
    let (history, warning) = open(path);
    let kept = path.with_file_name(kept_as);
    assert!(std::fs::read(&kept).unwrap() == contents, "the old file is kept byte for byte");
    assert_eq!(history.len().unwrap(), 0, "a fresh database");
    history.append(&every_kind()[0]).unwrap();
    assert!(history.is_intact().unwrap());
    let warning = warning.expect("a warning");
    assert!(warning.contains(kept_as), "{warning}");
    assert!(warning.contains(reason_has), "`{warning}` mentions `{reason_has}`");
    drop(history);
    let (again, warning) = open(path);
    assert_eq!((again.len().unwrap(), warning), (1, None), "the fresh one opens cleanly");
}

#[test]
fn a_file_that_is_not_a_database_is_set_aside_and_a_new_one_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    std::fs::write(&path, "time,event\n".repeat(100)).unwrap();
    assert_set_aside(&path, "history.sqlite3.corrupt-20261123T091502Z", "not a database");
}

#[test]
fn a_truncated_database_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    database_with(&path, 3000);
    let len = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(len / 3).unwrap();
    assert_set_aside(&path, "history.sqlite3.corrupt-20261123T091502Z", "malformed");
}

#[test]
fn a_database_cut_inside_its_header_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    database_with(&path, 10);
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(50).unwrap();
    assert_set_aside(&path, "history.sqlite3.corrupt-20261123T091502Z", "malformed");
}

#[test]
fn a_database_that_fails_its_quick_check_is_set_aside() {
    use std::io::{Seek, SeekFrom, Write};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    database_with(&path, 3000);
    // Scribble over the cell pointers of a table page: the header is fine, the tree is not.
    let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.seek(SeekFrom::Start(4096 * 5 + 200)).unwrap();
    f.write_all(&[0xff; 300]).unwrap();
    drop(f);
    assert_set_aside(&path, "history.sqlite3.corrupt-20261123T091502Z", "quick check");
}

#[test]
fn a_database_from_a_newer_unslouch_is_set_aside_as_newer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    database_with(&path, 5);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE moods (at_ms INTEGER); PRAGMA user_version = 2;").unwrap();
    drop(conn);
    assert_set_aside(&path, "history.sqlite3.newer-20261123T091502Z", "newer");
}

#[test]
fn a_database_another_program_made_is_set_aside_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE events (name TEXT, venue TEXT);").unwrap();
    drop(conn);
    assert_set_aside(&path, "history.sqlite3.corrupt-20261123T091502Z", "not Unslouch's");
}

#[test]
fn a_database_whose_events_table_is_not_ours_is_set_aside_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE events (name TEXT); PRAGMA user_version = 1;").unwrap();
    drop(conn);
    assert_set_aside(&path, "history.sqlite3.corrupt-20261123T091502Z", "no such column");
}

#[test]
fn events_still_in_the_log_of_a_database_set_aside_are_kept_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    // A newer Unslouch was writing when the power went: its last event is in the `-wal` only.
    let writing = dir.path().join("writing");
    std::fs::create_dir(&writing).unwrap();
    let (mut newer, _) = open(&writing.join("history.sqlite3"));
    newer.append_all(&every_kind()).unwrap();
    drop(newer);
    let conn = rusqlite::Connection::open(writing.join("history.sqlite3")).unwrap();
    conn.execute_batch("PRAGMA wal_autocheckpoint = 0; PRAGMA user_version = 2;").unwrap();
    conn.execute("INSERT INTO events (at_ms, kind, data) VALUES (1, 'skipped', '{}')", []).unwrap();
    for suffix in ["", "-wal"] {
        let name = format!("history.sqlite3{suffix}");
        std::fs::copy(writing.join(&name), dir.path().join(&name)).unwrap();
    }
    drop(conn);
    let (history, warning) = open(&path);
    assert!(warning.unwrap().contains("newer"));
    assert_eq!(history.len().unwrap(), 0);
    let kept = path.with_file_name("history.sqlite3.newer-20261123T091502Z");
    let kept = rusqlite::Connection::open(kept).unwrap();
    let n: i64 = kept.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
    let version: i64 = kept.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!((n, version), (12, 2), "every event, the last one from the log too");
}

#[test]
fn a_stale_log_beside_a_bad_file_is_not_replayed_into_the_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    std::fs::write(&path, "not a database ".repeat(20)).unwrap();
    std::fs::write(dir.path().join("history.sqlite3-wal"), "a stale log").unwrap();
    std::fs::write(dir.path().join("history.sqlite3-shm"), "a stale index").unwrap();
    let (history, warning) = open(&path);
    assert!(warning.is_some());
    history.append(&every_kind()[0]).unwrap();
    assert_eq!(history.len().unwrap(), 1);
    assert!(history.is_intact().unwrap());
}

#[test]
fn a_second_bad_database_in_the_same_second_gets_its_own_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    for text in ["first bad file ", "second bad file "] {
        std::fs::write(&path, text.repeat(20)).unwrap();
        let (history, warning) = open(&path);
        assert!(warning.is_some());
        drop(history);
        // Remove the fresh database so the next bad file takes its place.
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.path().join(format!("history.sqlite3{suffix}")));
        }
    }
    let names = names_in(dir.path());
    assert_eq!(
        names,
        ["history.sqlite3.corrupt-20261123T091502Z", "history.sqlite3.corrupt-20261123T091502Z-1"]
    );
}

#[test]
fn opening_waits_for_another_program_that_holds_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    // An empty file another connection holds: not even its header can be read for now.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE;").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        other.execute_batch("COMMIT").unwrap();
    });
    let (history, warning) = open(&path);
    holder.join().unwrap();
    assert_eq!(warning, None);
    history.append(&every_kind()[0]).unwrap();
    // Without the wait, switching to WAL gives up at once and the database silently stays in
    // rollback mode.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_database_held_too_long_is_an_error_and_stays_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    database_with(&path, 5);
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;").unwrap();
    let result = History::open(&path, now());
    assert!(result.is_err(), "a busy database is not a broken one");
    drop(other);
    assert_eq!(names_in(dir.path()), ["history.sqlite3"], "nothing moved aside");
    assert_eq!(open(&path).0.len().unwrap(), 5);
}

#[test]
fn a_folder_that_cannot_be_made_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data"), "a file where the folder should be").unwrap();
    assert!(History::open(&dir.path().join("data").join("history.sqlite3"), now()).is_err());
}

#[test]
fn the_database_and_its_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("unslouch");
    let path = folder.join("history.sqlite3");
    let (history, _) = open(&path);
    history.append(&every_kind()[0]).unwrap();
    assert_eq!(mode(&folder), 0o700, "a folder open makes is private");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&folder.join("history.sqlite3-wal")), 0o600, "SQLite's log too");
    drop(history);
    // A database made by an older build, readable by everyone, is tightened.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (history, _) = open(&path);
    assert_eq!(history.len().unwrap(), 1);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&folder), 0o755, "a folder open did not make is left alone");
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_as_formulas_are_escaped() {
    let history = History::open_in_memory().unwrap();
    let crafted = |first: &str| Event {
        at: at("2026-11-23T08:40:00Z"),
        kind: EventKind::Feedback {
            feel: Feel::TooEasy,
            moves: vec![first.to_string(), "neck-roll".to_string()],
        },
    };
    for first in ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "chin-tuck"] {
        history.append(&crafted(first)).unwrap();
    }
    let mut out = Vec::new();
    history.export_csv(&mut out, None).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let moves: Vec<String> = reader.records().map(|r| r.unwrap()[2].to_string()).collect();
    assert_eq!(
        moves,
        [
            "'=HYPERLINK(\"http://x\") neck-roll",
            "'+1+1 neck-roll",
            "'-2+3 neck-roll",
            "'@SUM(A1) neck-roll",
            "chin-tuck neck-roll",
        ]
    );
}

/// A year of history: a working day's events, every day.
fn a_year() -> Vec<Event> {
    let start = at("2025-11-24T08:00:00Z");
    let mut events = Vec::new();
    for day in 0..365 {
        let morning = start + jiff::SignedDuration::from_hours(24 * day);
        for (i, kind) in every_kind().into_iter().map(|e| e.kind).enumerate() {
            let at = morning + jiff::SignedDuration::from_mins(20 * i as i64);
            events.push(Event { at, kind });
        }
    }
    events
}

#[test]
fn a_year_of_history_exports_to_a_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (mut history, _) = open(&dir.path().join("history.sqlite3"));
    let year = a_year();
    history.append_all(&year).unwrap();
    let out = dir.path().join("export").join("unslouch-history.csv");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, "an older export").unwrap();
    let rows = history.export_csv_to_file(&out, None).unwrap();
    assert_eq!(rows, year.len() as u64);
    assert_eq!(rows, 365 * 11);
    // The same text as the export the window gets, and well-formed CSV.
    let mut in_memory = Vec::new();
    history.export_csv(&mut in_memory, None).unwrap();
    let text = std::fs::read(&out).unwrap();
    assert_eq!(text, in_memory);
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), year.len());
    assert_eq!(&records[0][0], "2025-11-24T08:00:00Z");
    assert_eq!(&records[records.len() - 1][1], "resumed");
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(names_in(out.parent().unwrap()), ["unslouch-history.csv"], "no temporary left");
    // Since a time: only the last day.
    let since = year[year.len() - 11].at;
    assert_eq!(history.export_csv_to_file(&out, Some(since)).unwrap(), 11);
}

#[test]
fn an_export_that_cannot_be_written_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open_in_memory().unwrap();
    history.append(&every_kind()[0]).unwrap();
    let missing = dir.path().join("no-such-folder").join("export.csv");
    assert!(history.export_csv_to_file(&missing, None).is_err());
    // A folder in the way: the rename fails, and the folder is left as it was.
    let in_the_way = dir.path().join("export.csv");
    std::fs::create_dir(&in_the_way).unwrap();
    std::fs::write(in_the_way.join("inside"), "kept").unwrap();
    assert!(history.export_csv_to_file(&in_the_way, None).is_err());
    assert_eq!(std::fs::read_to_string(in_the_way.join("inside")).unwrap(), "kept");
    assert_eq!(names_in(dir.path()), ["export.csv"], "no temporary left");
}
