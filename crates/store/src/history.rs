//! The history database, `<data>/unslouch/history.sqlite3`: an append-only log of events.
//!
//! SQLite (bundled) in WAL mode with `synchronous = FULL`, so a crashed writer, or a power cut,
//! loses at most the event it was writing. The schema only ever gains migrations
//! (`rusqlite_migration`, tracked in `user_version`). Each event is a row: its instant, its kind,
//! and the rest of its fields as JSON, so new event fields need no migration. Events of a kind
//! this build does not know (written by a newer Unslouch) are skipped on reading, not an error.
//!
//! Opening never fails because of what is in the file: a file that is not a SQLite database, is
//! damaged (SQLite says so, or `PRAGMA quick_check` finds fault), has tables that are not ours,
//! or has a schema from a newer Unslouch is moved aside, with its `-wal` and `-shm`, as
//! `history.sqlite3.corrupt-<time>` (`.newer-<time>`), a fresh database is started, and the
//! caller gets a warning to show. Errors about everything else (a folder that cannot be made,
//! a full disk, another program holding the database) stay errors: the file may be fine, and
//! moving it would hide the person's history for nothing.
//!
//! The history says when a person was at their desk, so it is theirs alone: the database is
//! created `0600` in a folder created `0700`, an older database readable by others is tightened
//! to `0600`, and an export written to a file is `0600` too.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};
use unslouch_core::history::{Event, EventKind};

use crate::aside;

/// The migrations' SQL, in order. Append only; never edit one that has shipped. Their number is
/// the newest schema this build knows (`user_version`).
const MIGRATION_SQL: &[&str] = &["CREATE TABLE events (
         id    INTEGER PRIMARY KEY,
         at_ms INTEGER NOT NULL,
         kind  TEXT    NOT NULL,
         data  TEXT    NOT NULL
     );
     CREATE INDEX events_at ON events (at_ms);"];

/// The migrations, built once from [`MIGRATION_SQL`].
static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect()));

/// How long a statement waits for a lock another connection holds (the person browsing the file
/// in a SQLite tool, a backup) before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the history could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("history database {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("history database {path}: {source}")]
    Migration { path: PathBuf, source: rusqlite_migration::Error },
    /// A fresh database, just created in place of an unusable one, is unusable too.
    #[error("history database {path} cannot be used: {reason}")]
    Unusable { path: PathBuf, reason: String },
    #[error("{action} {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: io::Error },
    #[error("cannot write the CSV export: {0}")]
    Csv(#[from] csv::Error),
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> HistoryError {
    let path = path.to_path_buf();
    move |source| HistoryError::Io { action, path, source }
}

/// The database file could not be used, and was dealt with: a fresh one was started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryWarning {
    /// Not a database, damaged, or not ours.
    #[error(
        "the history database could not be used ({reason}); it was kept as {moved_to} and a new one was started"
    )]
    SetAside { moved_to: PathBuf, reason: String },
    /// Written by a newer Unslouch, whose schema this build cannot safely write to.
    #[error(
        "the history database is from a newer Unslouch (schema {found}, this one knows up to {known}); it was kept as {moved_to} and a new one was started"
    )]
    Newer { moved_to: PathBuf, found: i64, known: usize },
}

/// The history as opened, with anything the person should be told.
#[derive(Debug)]
pub struct Opened {
    pub history: History,
    pub warning: Option<HistoryWarning>,
}

/// Why an existing file cannot be our database. Only these are cause to move it aside.
#[derive(Debug)]
enum Unusable {
    /// Not a database, damaged, or its tables are not ours; the text says how.
    Damaged(String),
    /// Its schema version is newer than [`MIGRATION_SQL`] reaches.
    Newer { found: i64 },
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unusable::Damaged(reason) => f.write_str(reason),
            Unusable::Newer { found } => write!(
                f,
                "its schema {found} is newer than this Unslouch knows ({})",
                MIGRATION_SQL.len()
            ),
        }
    }
}

/// Why opening a file failed: because of what is in it, or for another reason.
#[derive(Debug)]
enum Failure {
    Unusable(Unusable),
    Error(HistoryError),
}

impl From<HistoryError> for Failure {
    fn from(e: HistoryError) -> Failure {
        Failure::Error(e)
    }
}

/// The open history.
#[derive(Debug)]
pub struct History {
    /// The one connection; the daemon is the only writer.
    conn: Connection,
    /// Where the database is (`:memory:` in tests), for error messages.
    path: PathBuf,
}

impl History {
    /// Open (creating if needed) the database at `path`, and bring its schema up to date.
    ///
    /// A file that cannot be our database is moved aside (its new name carries `now`) and a
    /// fresh one is started; the warning says where the old one went. Errors are left for
    /// what is not about the file's contents.
    pub fn open(path: &Path, now: Timestamp) -> Result<Opened, HistoryError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            make_private_dir(dir)?;
        }
        let problem = match History::open_file(path) {
            Ok(history) => return Ok(Opened { history, warning: None }),
            Err(Failure::Error(e)) => return Err(e),
            Err(Failure::Unusable(problem)) => problem,
        };
        // The connection that found the problem is closed by now: closing it after the rename
        // could checkpoint into, or delete, the files of the fresh database.
        let label = match problem {
            Unusable::Damaged(_) => "corrupt",
            Unusable::Newer { .. } => "newer",
        };
        let moved_to = set_aside(path, label, now)?;
        let history = History::open_file(path).map_err(|failure| match failure {
            Failure::Error(e) => e,
            Failure::Unusable(again) => {
                HistoryError::Unusable { path: path.to_path_buf(), reason: again.to_string() }
            }
        })?;
        let warning = match problem {
            Unusable::Damaged(reason) => HistoryWarning::SetAside { moved_to, reason },
            Unusable::Newer { found } => {
                HistoryWarning::Newer { moved_to, found, known: MIGRATION_SQL.len() }
            }
        };
        Ok(Opened { history, warning: Some(warning) })
    }

    /// Open the file at `path` as it is, private, checked and migrated.
    fn open_file(path: &Path) -> Result<History, Failure> {
        make_private_file(path)?;
        let conn = Connection::open(path)
            .map_err(|source| HistoryError::Sqlite { path: path.to_path_buf(), source })?;
        let history = History::setup(conn, path.to_path_buf())?;
        // SQLite gives its `-wal` and `-shm` the main file's mode; these may be older.
        for companion in companions(path) {
            tighten(&companion);
        }
        Ok(history)
    }

    /// A database in memory (tests).
    pub fn open_in_memory() -> Result<History, HistoryError> {
        let conn = Connection::open_in_memory()
            .map_err(|source| HistoryError::Sqlite { path: ":memory:".into(), source })?;
        History::setup(conn, ":memory:".into()).map_err(|failure| match failure {
            Failure::Error(e) => e,
            Failure::Unusable(problem) => {
                HistoryError::Unusable { path: ":memory:".into(), reason: problem.to_string() }
            }
        })
    }

    fn setup(mut conn: Connection, path: PathBuf) -> Result<History, Failure> {
        let sql = |source| Failure::Error(HistoryError::Sqlite { path: path.clone(), source });
        // First, before any statement: every one below may need a lock that another program
        // holds for a moment, and without a timeout it would fail at once (switching to WAL
        // would even fail silently and leave the database in rollback mode).
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // Only read until the file is known to be ours, so that one set aside is as it was.
        let verdict = quick_check(&conn).map_err(|e| classify(e, &path, false))?;
        if let Some(fault) = verdict {
            return Err(Failure::Unusable(Unusable::Damaged(format!(
                "its quick check found: {fault}"
            ))));
        }
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| classify(e, &path, false))?;
        if version < 0 {
            let reason = format!("its schema version is {version}");
            return Err(Failure::Unusable(Unusable::Damaged(reason)));
        }
        if version > MIGRATION_SQL.len() as i64 {
            return Err(Failure::Unusable(Unusable::Newer { found: version }));
        }
        if version == 0 {
            // No schema yet: fine when the file is empty, not when another program made it.
            let objects: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .map_err(|e| classify(e, &path, false))?;
            if objects > 0 {
                let reason = "it holds tables, but not Unslouch's".to_string();
                return Err(Failure::Unusable(Unusable::Damaged(reason)));
            }
        } else {
            // Every schema version has these columns: migrations only ever add.
            conn.prepare("SELECT id, at_ms, kind, data FROM events LIMIT 0")
                .map(drop)
                .map_err(|e| classify(e, &path, true))?;
        }
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| classify(e, &path, false))?;
        // FULL: a commit is on the disk when it returns. NORMAL can lose the last commits to a
        // power cut, and an event a person was shown should not vanish from their history.
        conn.pragma_update(None, "synchronous", "FULL").map_err(sql)?;
        MIGRATIONS.to_latest(&mut conn).map_err(|source| match source {
            rusqlite_migration::Error::RusqliteError { err, .. } => classify(err, &path, true),
            source => Failure::Error(HistoryError::Migration { path: path.clone(), source }),
        })?;
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
        let mut out = Vec::new();
        self.each_event_since(since, |event| {
            out.push(event);
            Ok(())
        })?;
        Ok(out)
    }

    /// What a restart needs, oldest first: every event at or after `since`, and the person's
    /// feedback and moves brought back of any age (the levels and the moves left out because
    /// they hurt last until the person changes them, not for a month).
    pub fn events_to_restore(&self, since: Option<Timestamp>) -> Result<Vec<Event>, HistoryError> {
        let mut out = Vec::new();
        self.each_event(EVENTS_TO_RESTORE, since, |event| {
            out.push(event);
            Ok(())
        })?;
        Ok(out)
    }

    /// Hand each event at or after `since` to `f`, oldest first, without holding them all.
    fn each_event_since(
        &self,
        since: Option<Timestamp>,
        f: impl FnMut(Event) -> Result<(), HistoryError>,
    ) -> Result<(), HistoryError> {
        self.each_event(EVENTS_SINCE, since, f)
    }

    /// Hand each event that `query` selects (its `?1` is `since` in milliseconds) to `f`, in
    /// the query's order; kinds this build does not know are skipped.
    fn each_event(
        &self,
        query: &str,
        since: Option<Timestamp>,
        mut f: impl FnMut(Event) -> Result<(), HistoryError>,
    ) -> Result<(), HistoryError> {
        let from = since.map_or(i64::MIN, |t| t.as_millisecond());
        let mut stmt = self.conn.prepare_cached(query).map_err(self.sql())?;
        let rows = stmt
            .query_map([from], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?))
            })
            .map_err(self.sql())?;
        for row in rows {
            let (at_ms, kind, data) = row.map_err(self.sql())?;
            if let Some(event) = join(at_ms, &kind, &data) {
                f(event)?;
            }
        }
        Ok(())
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
    /// A cell a spreadsheet would run as a formula (it begins with `=`, `+`, `-` or `@`) gets a
    /// leading `'`. Returns the number of rows written.
    pub fn export_csv(
        &self,
        out: impl Write,
        since: Option<Timestamp>,
    ) -> Result<usize, HistoryError> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["time", "event", "moves", "detail", "seconds"])?;
        let mut rows = 0;
        self.each_event_since(since, |e| {
            let (event, moves, detail, seconds) = csv_fields(&e.kind);
            w.write_record([
                cell(e.at.to_string()),
                cell(event.to_owned()),
                cell(moves.join(" ")),
                cell(detail),
                cell(seconds.map(|s| s.to_string()).unwrap_or_default()),
            ])?;
            rows += 1;
            Ok(())
        })?;
        w.flush().map_err(csv::Error::from)?;
        Ok(rows)
    }

    /// Write the CSV export (see [`History::export_csv`]) to the file at `path`, atomically:
    /// into a temporary file in the same folder, flushed to disk, then renamed over `path`. A
    /// failed or killed export leaves whatever was at `path` before, never half a file. The file
    /// is readable by its owner only, like the history itself. Returns the number of rows.
    pub fn export_csv_to_file(
        &self,
        path: &Path,
        since: Option<Timestamp>,
    ) -> Result<u64, HistoryError> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        // tempfile creates the file 0600, and a failure before `persist` removes it.
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .tempfile_in(dir)
            .map_err(io_err("cannot write in", dir))?;
        let rows = self.export_csv(tmp.as_file_mut(), since)?;
        tmp.as_file().sync_all().map_err(io_err("cannot flush", tmp.path()))?;
        tmp.persist(path).map_err(|e| HistoryError::Io {
            action: "cannot write",
            path: path.to_path_buf(),
            source: e.error,
        })?;
        aside::sync_dir(dir).map_err(io_err("cannot flush", dir))?;
        Ok(rows as u64)
    }
}

/// A CSV cell a spreadsheet will show as text. Spreadsheets run a cell that begins with `=`,
/// `+`, `-` or `@` as a formula, so a crafted move name could run one when the export is opened;
/// a leading `'` makes the cell text. OWASP's advice on CSV injection adds a leading tab and
/// carriage return to the list. Every cell goes through here, not only the free-text ones (the
/// moves; the rest come from enums, numbers and times), so the rule holds whatever a field
/// comes to hold.
fn cell(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text }
}

/// `PRAGMA quick_check`: `None` when the file is sound, else SQLite's first complaint.
fn quick_check(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let mut stmt = conn.prepare("PRAGMA quick_check(1)")?;
    let verdict: Option<String> = stmt.query_row([], |r| r.get(0)).optional()?;
    Ok(verdict.filter(|v| v != "ok"))
}

/// Sort an error met while opening: about the file's contents (move it aside) or not (an error).
/// `schema`: whether it came from creating or checking our tables, where a plain SQL error means
/// the file holds tables that are not ours (our statements are fixed and run on an empty file).
fn classify(e: rusqlite::Error, path: &Path, schema: bool) -> Failure {
    let code = match &e {
        rusqlite::Error::SqlInputError { error, .. } => Some(error.code),
        other => other.sqlite_error_code(),
    };
    match code {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            Failure::Unusable(Unusable::Damaged(e.to_string()))
        }
        Some(ErrorCode::Unknown) if schema => Failure::Unusable(Unusable::Damaged(e.to_string())),
        // Busy, locked, read-only, disk full, I/O: the file may be fine.
        _ => Failure::Error(HistoryError::Sqlite { path: path.to_path_buf(), source: e }),
    }
}

/// `path` with `suffix` added to its name (`-wal`, `-shm`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// The files SQLite keeps beside a WAL database, which belong to it.
fn companions(path: &Path) -> [PathBuf; 2] {
    [with_suffix(path, "-wal"), with_suffix(path, "-shm")]
}

/// Move the database and its companions aside as `<name>.<label>-<time>` (and its `-wal`,
/// `-shm`), so the kept copy still opens as a database with its log.
fn set_aside(path: &Path, label: &str, now: Timestamp) -> Result<PathBuf, HistoryError> {
    let taken = |candidate: &Path| {
        aside::exists(candidate) || companions(candidate).iter().any(|c| aside::exists(c))
    };
    let target =
        aside::free_name(path, label, now, taken).map_err(io_err("cannot set aside", path))?;
    fs::rename(path, &target).map_err(io_err("cannot set aside", path))?;
    // Companions left behind would be taken for the fresh database's own: a stale log replayed
    // into it.
    for (from, to) in companions(path).iter().zip(companions(&target)) {
        match fs::rename(from, &to) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(HistoryError::Io {
                    action: "cannot set aside",
                    path: from.clone(),
                    source: e,
                });
            }
            _ => {}
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        aside::sync_dir(dir).map_err(io_err("cannot flush", dir))?;
    }
    Ok(target)
}

/// Create the database's folder readable by its owner only, if it is not there. A folder that is
/// there is the person's to set: it may be shared on purpose, and is left as it is.
fn make_private_dir(dir: &Path) -> Result<(), HistoryError> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(up) = dir.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(up).map_err(io_err("cannot create", up))?;
    }
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
            return Err(HistoryError::Io {
                action: "cannot create",
                path: dir.to_path_buf(),
                source: e,
            });
        }
        _ => {}
    }
    // The umask may have taken bits we need; a folder only just made is ours to set.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(io_err("cannot create", dir))?;
    }
    Ok(())
}

/// Create the database file `0600` before SQLite does (it would make it `0644`), or tighten an
/// existing one.
fn make_private_file(path: &Path) -> Result<(), HistoryError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        // An empty file is an empty SQLite database.
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io_err("cannot create", path)(e)),
    }
    tighten(path);
    Ok(())
}

/// Make a regular file at `path` readable and writable by its owner only. Failing to is no
/// reason to stop: it leaves the file as it was, and a file we may not change the mode of is
/// likely one SQLite will refuse to write, with a clear error.
fn tighten(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = fs::metadata(path) else { return };
        if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// The name serde gives a unit enum value (`too_easy`, `ended_early`...).
fn name_of(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Events at or after `?1`, oldest first.
const EVENTS_SINCE: &str =
    "SELECT at_ms, kind, data FROM events WHERE at_ms >= ?1 ORDER BY at_ms, id";

/// Events at or after `?1`, and every feedback and bringing back, oldest first.
const EVENTS_TO_RESTORE: &str = "SELECT at_ms, kind, data FROM events \
     WHERE at_ms >= ?1 OR kind IN ('feedback', 'brought_back') ORDER BY at_ms, id";

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
        EventKind::BreakStarted { trigger, moves, session } => {
            ("break_started", moves, with_session(name_of(trigger), *session), None)
        }
        EventKind::BreakFinished { outcome, moves, seconds, session, .. } => {
            ("break_finished", moves, with_session(name_of(outcome), *session), Some(*seconds))
        }
        EventKind::Held { reasons, seconds } => {
            let why: Vec<String> = reasons.iter().map(name_of).collect();
            ("held", NONE, why.join(" "), Some(*seconds))
        }
        EventKind::Invited { minutes } => ("invited", NONE, String::new(), Some(minutes * 60)),
        EventKind::Feedback { feel, moves } => ("feedback", moves, name_of(feel), None),
        EventKind::BroughtBack { moves } => ("brought_back", moves, String::new(), None),
        EventKind::NaturalBreak { away_seconds } => {
            ("natural_break", NONE, String::new(), Some(*away_seconds))
        }
        EventKind::Paused { until } => ("paused", NONE, until.to_string(), None),
        EventKind::Resumed { auto: true } => ("resumed", NONE, "by_itself".into(), None),
        EventKind::Resumed { auto: false } => ("resumed", NONE, String::new(), None),
        EventKind::Desk { seconds, .. } => ("desk_time", NONE, String::new(), Some(*seconds)),
    }
}

/// A break's detail, marked when the break was a full session.
fn with_session(detail: String, session: bool) -> String {
    if session { format!("{detail} full_session") } else { detail }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `synchronous` lives in the connection, not the file, so only the connection can tell.
    #[test]
    fn every_commit_waits_for_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.sqlite3");
        let history = History::open(&path, Timestamp::UNIX_EPOCH).unwrap().history;
        let level: i64 = history.conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        assert_eq!(level, 2, "FULL");
    }
}
