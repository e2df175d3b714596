//! The history database, `<data>/unslouch/history.sqlite3`: an append-only log of events.
//!
//! SQLite (bundled) in WAL mode, so a crashed writer loses at most the event it was writing.
//! The schema only ever gains migrations (`rusqlite_migration`, tracked in `user_version`).
//! Each event is a row: its instant, its kind, and the rest of its fields as JSON, so new event
//! fields need no migration. Events of a kind this build does not know (written by a newer
//! Unslouch) are skipped on reading, not an error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};
use unslouch_core::history::{Event, EventKind};

/// The migrations, in order. Append only; never edit one that has shipped.
static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![M::up(
        "CREATE TABLE events (
             id    INTEGER PRIMARY KEY,
             at_ms INTEGER NOT NULL,
             kind  TEXT    NOT NULL,
             data  TEXT    NOT NULL
         );
         CREATE INDEX events_at ON events (at_ms);",
    )])
});

/// Why the history could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("history database {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("history database {path}: {source}")]
    Migration { path: PathBuf, source: rusqlite_migration::Error },
    #[error("cannot create {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot write the CSV export: {0}")]
    Csv(#[from] csv::Error),
}

/// The open history.
#[derive(Debug)]
pub struct History {
    conn: Connection,
    path: PathBuf,
}

impl History {
    /// Open (creating if needed) the database at `path`, and bring its schema up to date.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|source| HistoryError::Io { path: dir.to_path_buf(), source })?;
        }
        let conn = Connection::open(path)
            .map_err(|source| HistoryError::Sqlite { path: path.to_path_buf(), source })?;
        History::setup(conn, path.to_path_buf())
    }

    /// A database in memory (tests).
    pub fn open_in_memory() -> Result<History, HistoryError> {
        let conn = Connection::open_in_memory()
            .map_err(|source| HistoryError::Sqlite { path: ":memory:".into(), source })?;
        History::setup(conn, ":memory:".into())
    }

    fn setup(mut conn: Connection, path: PathBuf) -> Result<History, HistoryError> {
        let sql = |source| HistoryError::Sqlite { path: path.clone(), source };
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(sql)?;
        MIGRATIONS
            .to_latest(&mut conn)
            .map_err(|source| HistoryError::Migration { path: path.clone(), source })?;
        Ok(History { conn, path })
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> HistoryError + '_ {
        |source| HistoryError::Sqlite { path: self.path.clone(), source }
    }

    /// Append one event.
    pub fn append(&self, event: &Event) -> Result<(), HistoryError> {
        let (kind, data) = split(&event.kind);
        self.conn
            .execute(
                "INSERT INTO events (at_ms, kind, data) VALUES (?1, ?2, ?3)",
                params![event.at.as_millisecond(), kind, data],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// Append several events in one transaction.
    pub fn append_all(&mut self, events: &[Event]) -> Result<(), HistoryError> {
        let path = self.path.clone();
        let sql = |source| HistoryError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(sql)?;
        {
            let mut stmt = tx
                .prepare_cached("INSERT INTO events (at_ms, kind, data) VALUES (?1, ?2, ?3)")
                .map_err(sql)?;
            for event in events {
                let (kind, data) = split(&event.kind);
                stmt.execute(params![event.at.as_millisecond(), kind, data]).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// Events at or after `since` (all when `None`), oldest first.
    pub fn events_since(&self, since: Option<Timestamp>) -> Result<Vec<Event>, HistoryError> {
        let from = since.map_or(i64::MIN, |t| t.as_millisecond());
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT at_ms, kind, data FROM events WHERE at_ms >= ?1 ORDER BY at_ms, id",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([from], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?))
            })
            .map_err(self.sql())?;
        let mut out = Vec::new();
        for row in rows {
            let (at_ms, kind, data) = row.map_err(self.sql())?;
            if let Some(event) = join(at_ms, &kind, &data) {
                out.push(event);
            }
        }
        Ok(out)
    }

    /// The number of events stored.
    pub fn len(&self) -> Result<u64, HistoryError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .map_err(self.sql())?;
        Ok(n.unsigned_abs())
    }

    pub fn is_empty(&self) -> Result<bool, HistoryError> {
        Ok(self.len()? == 0)
    }

    /// The instant of the newest event.
    pub fn latest(&self) -> Result<Option<Timestamp>, HistoryError> {
        let ms: Option<i64> = self
            .conn
            .query_row("SELECT max(at_ms) FROM events", [], |r| r.get(0))
            .optional()
            .map_err(self.sql())?
            .flatten();
        Ok(ms.and_then(|ms| Timestamp::from_millisecond(ms).ok()))
    }

    /// SQLite's own consistency check: `true` when the file is sound.
    pub fn is_intact(&self) -> Result<bool, HistoryError> {
        let verdict: String =
            self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(self.sql())?;
        Ok(verdict == "ok")
    }

    /// Write the events since `since` as CSV: one row an event, the time in RFC 3339 (UTC),
    /// the event's name, its moves (space-separated), a detail (how a break was asked for or
    /// ended, how it felt, a snooze's count, a pause's end) and seconds where it has a length.
    /// Returns the number of rows written.
    pub fn export_csv(
        &self,
        out: impl Write,
        since: Option<Timestamp>,
    ) -> Result<usize, HistoryError> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["time", "event", "moves", "detail", "seconds"])?;
        let events = self.events_since(since)?;
        for e in &events {
            let (event, moves, detail, seconds) = csv_fields(&e.kind);
            w.write_record([
                e.at.to_string(),
                event.to_owned(),
                moves.join(" "),
                detail,
                seconds.map(|s| s.to_string()).unwrap_or_default(),
            ])?;
        }
        w.flush().map_err(csv::Error::from)?;
        Ok(events.len())
    }
}

/// The name serde gives a unit enum value (`too_easy`, `ended_early`...).
fn name_of(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// An event as CSV fields: name, moves, detail, seconds.
fn csv_fields(kind: &EventKind) -> (&'static str, &[String], String, Option<u32>) {
    const NONE: &[String] = &[];
    match kind {
        EventKind::Reminded { repeat: false, moves } => ("reminded", moves, String::new(), None),
        EventKind::Reminded { repeat: true, moves } => {
            ("reminded_again", moves, String::new(), None)
        }
        EventKind::Snoozed { count } => ("snoozed", NONE, count.to_string(), None),
        EventKind::Skipped => ("skipped", NONE, String::new(), None),
        EventKind::BreakStarted { trigger, moves } => {
            ("break_started", moves, name_of(trigger), None)
        }
        EventKind::BreakFinished { outcome, moves, seconds } => {
            ("break_finished", moves, name_of(outcome), Some(*seconds))
        }
        EventKind::Feedback { feel, moves } => ("feedback", moves, name_of(feel), None),
        EventKind::NaturalBreak { away_seconds } => {
            ("natural_break", NONE, String::new(), Some(*away_seconds))
        }
        EventKind::Paused { until } => ("paused", NONE, until.to_string(), None),
        EventKind::Resumed { auto: true } => ("resumed", NONE, "by_itself".into(), None),
        EventKind::Resumed { auto: false } => ("resumed", NONE, String::new(), None),
        EventKind::Desk { seconds, .. } => ("desk_time", NONE, String::new(), Some(*seconds)),
    }
}

/// An event's kind tag and the rest of its fields as JSON.
fn split(kind: &EventKind) -> (String, String) {
    let mut value = serde_json::to_value(kind).unwrap_or_default();
    let tag = value
        .as_object_mut()
        .and_then(|o| o.remove("kind"))
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    (tag, value.to_string())
}

/// Rebuild an event from a row; `None` for a kind this build does not know.
fn join(at_ms: i64, kind: &str, data: &str) -> Option<Event> {
    let mut value: serde_json::Value = serde_json::from_str(data).ok()?;
    value.as_object_mut()?.insert("kind".into(), kind.into());
    let kind: EventKind = serde_json::from_value(value).ok()?;
    Some(Event { at: Timestamp::from_millisecond(at_ms).ok()?, kind })
}
