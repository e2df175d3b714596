//! The history database: every event kind round-trips, queries, export, schema.

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
            kind: EventKind::BreakStarted { trigger: Trigger::Reminder, moves: moves() },
        },
        Event {
            at: at("2026-11-23T08:53:00Z"),
            kind: EventKind::BreakFinished {
                outcome: Outcome::Completed,
                moves: moves(),
                seconds: 60,
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
    let mut history = History::open(&path).unwrap();
    history.append_all(&every_kind()).unwrap();
    drop(history);
    let history = History::open(&path).unwrap();
    assert_eq!(history.events_since(None).unwrap(), every_kind());
    assert_eq!(history.len().unwrap(), 11);
    assert_eq!(history.latest().unwrap(), Some(at("2026-11-23T13:00:00Z")));
    assert!(history.is_intact().unwrap());
}

#[test]
fn the_database_is_in_wal_mode_at_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    History::open(&path).unwrap();
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
fn events_written_by_a_newer_unslouch_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let history = History::open(&path).unwrap();
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
