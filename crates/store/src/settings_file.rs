//! The settings file, `<config>/unslouch/settings.toml`.
//!
//! Only values that differ from the defaults are written, so that better defaults reach people
//! who never changed a value. Keys this build does not know (written by a newer Unslouch, or by
//! the person) are carried over from the file on disk into every save, so going back to an
//! older build, or saving from the window, never drops them. Comments are not carried over: the
//! file is rewritten from values.
//!
//! A save validates first and is atomic: the new text goes to a temporary file in the same folder,
//! is flushed to disk, and is renamed over the old file. When `settings.toml` is a symbolic link
//! (dotfile managers link it into a git repository), all of that happens beside the link's
//! target, so the link stays a link and the target gets the new text.
//!
//! Nothing the person wrote is ever lost:
//!
//! - a file that does not parse, migrate or validate is moved aside to
//!   `settings.toml.corrupt-<time>` (beside the link's target, when it is a link) and the
//!   defaults are used; the caller gets a warning to show;
//! - a path that cannot be read at all (a folder, a FIFO, no permission, an I/O error) is left as
//!   it is and the defaults are used, with a warning; a save over it is refused;
//! - a file changed by hand since it was last loaded or saved is copied to
//!   `settings.toml.edited-<time>` before a save replaces it, and the save says so.
//!
//! Where the file lives is `unslouch_ipc::paths`; what the settings mean is
//! `unslouch_core::settings`.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use unslouch_core::Settings;
use unslouch_core::routines::Catalog;
use unslouch_core::settings::{SettingsError, migrate};

use crate::aside;

/// How many symbolic links a save follows before it gives up (Linux's own limit is 40).
const MAX_LINKS: u32 = 40;

/// The settings file at a path, and what this process last saw in it.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    /// Where the settings live; may be a symbolic link.
    path: PathBuf,
    /// What the file held when it was last loaded or saved here, to tell a hand edit made
    /// while Unslouch runs from our own last write.
    seen: Seen,
    /// The moves settings may name (ours and the person's own).
    catalog: Arc<Catalog>,
}

/// What a [`SettingsFile`] last found at its path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    /// Nothing read yet, or the path could not be read: any file there is news to us.
    Nothing,
    /// No file was there.
    NoFile,
    /// A file with these bytes.
    Text(Fingerprint),
}

/// A hash of a file's bytes. Kept instead of the bytes so that a large hand-written file is not
/// held in memory for the life of the daemon; it only ever compares within one process, where
/// the hasher is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint(u64);

impl Fingerprint {
    fn of(bytes: &[u8]) -> Fingerprint {
        let mut h = DefaultHasher::new();
        bytes.hash(&mut h);
        Fingerprint(h.finish())
    }
}

/// What is at the settings path right now.
enum OnDisk {
    Missing,
    Text(Vec<u8>),
    /// Something that is not a readable regular file; the error says what.
    Unreadable(io::Error),
}

impl OnDisk {
    /// Whether this is what `seen` recorded.
    fn is(&self, seen: &Seen) -> bool {
        match (self, seen) {
            (OnDisk::Missing, Seen::NoFile) => true,
            (OnDisk::Text(bytes), Seen::Text(fingerprint)) => {
                Fingerprint::of(bytes) == *fingerprint
            }
            _ => false,
        }
    }
}

/// Settings as loaded, with anything the person should be told.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub settings: Settings,
    pub warning: Option<LoadWarning>,
}

/// Something went wrong reading the file, and was dealt with: the defaults are in use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadWarning {
    /// The file was moved aside because it does not parse, migrate or validate.
    #[error(
        "the settings file could not be used ({reason}); it was kept as {moved_to} and the defaults are in use"
    )]
    SetAside { moved_to: PathBuf, reason: String },
    /// The path is not a readable file. It is left alone: the cause (permissions, a disk error)
    /// may pass, and the file behind it may be fine.
    #[error(
        "the settings file {path} cannot be read ({reason}); the defaults are in use and the file was left as it is"
    )]
    Unreadable { path: PathBuf, reason: String },
    /// The file could not be used, and moving it aside failed too.
    #[error(
        "the settings file {path} could not be used ({reason}) nor moved aside ({error}); the defaults are in use and the file was left as it is"
    )]
    KeptInPlace { path: PathBuf, reason: String, error: String },
}

/// Something a save did besides writing the settings, that the person should be told.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaveWarning {
    /// The file on disk had been changed since it was loaded (by hand, or by another program);
    /// that version was copied here before the save replaced it.
    #[error(
        "the settings file had been changed by hand while Unslouch was running; that version was kept as {kept_as}"
    )]
    HandEditKeptAside { kept_as: PathBuf },
}

/// Why settings could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<SettingsError>),
    #[error("{action} {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: io::Error },
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> StoreError {
    let path = path.to_path_buf();
    move |source| StoreError::Io { action, path, source }
}

impl SettingsFile {
    /// The settings file at `path`. Load it before saving: until then, any file at `path`
    /// counts as changed by hand, and a save keeps a copy of it.
    pub fn new(path: impl Into<PathBuf>) -> SettingsFile {
        let catalog = Arc::new(Catalog::builtin().clone());
        SettingsFile { path: path.into(), seen: Seen::Nothing, catalog }
    }

    /// The same file, with the moves its settings may name: ours and the person's own (an
    /// excluded move of their own is no unknown move).
    pub fn with_catalog(mut self, catalog: Arc<Catalog>) -> SettingsFile {
        self.catalog = catalog;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read the settings. A missing file gives the defaults. A file that does not parse,
    /// migrate or validate is set aside (its new name carries `now`) and gives the defaults with
    /// a warning. A path that cannot be read gives the defaults with a warning and is left as
    /// it is. Errors never come from the file itself, so the daemon always starts.
    pub fn load(&mut self, now: Timestamp) -> Result<Loaded, StoreError> {
        let defaults = |warning| Ok(Loaded { settings: Settings::default(), warning });
        let bytes = match read(&self.path) {
            OnDisk::Missing => {
                self.seen = Seen::NoFile;
                return defaults(None);
            }
            OnDisk::Unreadable(e) => {
                self.seen = Seen::Nothing;
                let reason = e.to_string();
                return defaults(Some(LoadWarning::Unreadable { path: self.path.clone(), reason }));
            }
            OnDisk::Text(bytes) => bytes,
        };
        match parse_in(&bytes, &self.catalog) {
            Ok(settings) => {
                self.seen = Seen::Text(Fingerprint::of(&bytes));
                Ok(Loaded { settings, warning: None })
            }
            Err(reason) => match self.set_aside(now) {
                Ok(moved_to) => {
                    self.seen = Seen::NoFile;
                    defaults(Some(LoadWarning::SetAside { moved_to, reason }))
                }
                Err(e) => {
                    // Keep going on the defaults: a settings file is never worth a daemon that
                    // does not start. Having seen nothing usable, a later save keeps a copy of
                    // the file before it replaces it.
                    self.seen = Seen::Nothing;
                    let (path, error) = (self.path.clone(), e.to_string());
                    defaults(Some(LoadWarning::KeptInPlace { path, reason, error }))
                }
            },
        }
    }

    /// Whether the file on disk is not the one this `SettingsFile` last loaded or saved: it was
    /// edited, created or removed by hand since. The daemon reloads before it saves when this
    /// is true, so that a save builds on the person's edit instead of replacing it.
    pub fn changed_on_disk(&self) -> bool {
        !read(&self.path).is(&self.seen)
    }

    /// Move the file (behind any links) aside under a name that does not exist yet.
    fn set_aside(&self, now: Timestamp) -> Result<PathBuf, StoreError> {
        let real = resolve_links(&self.path).map_err(io_err("cannot follow", &self.path))?;
        let target = aside::free_name(&real, "corrupt", now, aside::exists)
            .map_err(io_err("cannot set aside", &real))?;
        fs::rename(&real, &target).map_err(io_err("cannot set aside", &real))?;
        let dir = parent(&real);
        aside::sync_dir(dir).map_err(io_err("cannot flush", dir))?;
        Ok(target)
    }

    /// Validate and write the settings atomically. Invalid settings change nothing on disk.
    ///
    /// Keys the file on disk has that this build does not know are written again. If the file
    /// was changed since it was last loaded or saved here, it is first copied aside (its new
    /// name carries `now`) and the warning says where. A path that is there but cannot be read
    /// is not replaced: the save fails instead, since what it would replace cannot be kept.
    pub fn save(
        &mut self,
        settings: &Settings,
        now: Timestamp,
    ) -> Result<Option<SaveWarning>, StoreError> {
        // Moves already excluded are the caller's business (the daemon refuses a new unknown
        // one); a move of the person's own that went missing never blocks a save.
        let problems = settings.problems_after(&self.catalog, settings);
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        // Write beside the real file: a rename over the link would replace the link itself.
        let real = resolve_links(&self.path).map_err(io_err("cannot follow", &self.path))?;
        let dir = parent(&real);
        fs::create_dir_all(dir).map_err(io_err("cannot create", dir))?;
        let on_disk = match read(&real) {
            OnDisk::Unreadable(source) => {
                return Err(StoreError::Io { action: "cannot read", path: real, source });
            }
            readable => readable,
        };
        let (warning, unknown) = match &on_disk {
            OnDisk::Text(bytes) => {
                let warning = if on_disk.is(&self.seen) {
                    None
                } else {
                    let kept_as = keep_copy(&real, bytes, now)?;
                    Some(SaveWarning::HandEditKeptAside { kept_as })
                };
                (warning, unknown_keys(bytes))
            }
            // Gone since we saw it (removed by hand): nothing to keep, nothing to carry over.
            OnDisk::Missing | OnDisk::Unreadable(_) => (None, toml::Table::new()),
        };
        let text = render_keeping(settings, unknown);
        write_atomically(&real, text.as_bytes())?;
        self.seen = Seen::Text(Fingerprint::of(text.as_bytes()));
        Ok(warning)
    }
}

/// What is at `path`, following links. The type is checked before the file is opened: opening
/// a FIFO would block until something writes to it, and a folder cannot be read as text.
fn read(path: &Path) -> OnDisk {
    let not_found = |e: &io::Error| e.kind() == io::ErrorKind::NotFound;
    match fs::metadata(path) {
        Err(e) if not_found(&e) => return OnDisk::Missing,
        Err(e) => return OnDisk::Unreadable(e),
        Ok(meta) if meta.is_dir() => {
            return OnDisk::Unreadable(io::Error::new(
                io::ErrorKind::IsADirectory,
                "it is a folder, not a file",
            ));
        }
        Ok(meta) if !meta.is_file() => {
            return OnDisk::Unreadable(io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is not a regular file",
            ));
        }
        Ok(_) => {}
    }
    // Between the check and the open the file could be swapped for a FIFO; only a person racing
    // us on purpose could do that, and they would only block their own daemon.
    match fs::read(path) {
        Ok(bytes) => OnDisk::Text(bytes),
        Err(e) if not_found(&e) => OnDisk::Missing,
        Err(e) => OnDisk::Unreadable(e),
    }
}

/// The file a chain of symbolic links at `path` ends at (`path` itself when it is no link). The
/// end need not exist: a dangling link is a file not written yet.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                // A relative target is relative to the link's folder; `join` keeps an absolute one.
                path = parent(&path).join(target);
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::new(io::ErrorKind::InvalidInput, "too many levels of symbolic links"))
}

/// The folder a file is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Copy `bytes`, the file at `real` as we read it, to `<name>.edited-<time>` beside it, durably,
/// before the save replaces it. The copy is written from the bytes we compared, not copied from
/// the file again, so the warning speaks of exactly what was kept.
fn keep_copy(real: &Path, bytes: &[u8], now: Timestamp) -> Result<PathBuf, StoreError> {
    let dir = parent(real);
    let kept_as = aside::free_name(real, "edited", now, aside::exists)
        .map_err(io_err("cannot keep", real))?;
    let mut tmp = temporary_in(real)?;
    tmp.write_all(bytes).map_err(io_err("cannot write", tmp.path()))?;
    tmp.as_file().sync_all().map_err(io_err("cannot flush", tmp.path()))?;
    // `persist_noclobber`: never replace a copy kept earlier, even one made since `free_name`.
    tmp.persist_noclobber(&kept_as).map_err(|e| StoreError::Io {
        action: "cannot keep a copy as",
        path: kept_as.clone(),
        source: e.error,
    })?;
    aside::sync_dir(dir).map_err(io_err("cannot flush", dir))?;
    Ok(kept_as)
}

/// A temporary file beside `real`, named so that [`remove_stale_temporaries`] recognizes it.
fn temporary_in(real: &Path) -> Result<tempfile::NamedTempFile, StoreError> {
    let dir = parent(real);
    tempfile::Builder::new()
        .prefix(&temporary_prefix(real))
        .tempfile_in(dir)
        .map_err(io_err("cannot write in", dir))
}

/// `.settings.toml.` for `settings.toml`: hidden, and unlike any name a person would choose.
fn temporary_prefix(real: &Path) -> String {
    let name = real.file_name().map_or_else(|| "settings.toml".into(), |n| n.to_string_lossy());
    format!(".{name}.")
}

/// Write `bytes` to `real` atomically: a temporary file beside it, flushed, renamed over it, and
/// the rename flushed too.
fn write_atomically(real: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = parent(real);
    remove_stale_temporaries(dir, &temporary_prefix(real));
    let mut tmp = temporary_in(real)?;
    tmp.write_all(bytes).map_err(io_err("cannot write", tmp.path()))?;
    tmp.as_file().sync_all().map_err(io_err("cannot flush", tmp.path()))?;
    tmp.persist(real).map_err(|e| StoreError::Io {
        action: "cannot replace",
        path: real.to_path_buf(),
        source: e.error,
    })?;
    aside::sync_dir(dir).map_err(io_err("cannot flush", dir))
}

/// Remove temporary files a save killed before its rename left behind. Only the daemon saves, so
/// none of them belongs to a save in progress.
fn remove_stale_temporaries(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Parse, migrate and validate a settings file's bytes; the error says why it is unusable.
pub fn parse(bytes: &[u8]) -> Result<Settings, String> {
    parse_in(bytes, Catalog::builtin())
}

/// As [`parse`], moves named against `catalog` (ours and the person's own).
pub fn parse_in(bytes: &[u8], catalog: &Catalog) -> Result<Settings, String> {
    let doc = migrate(parse_table(bytes)?).map_err(|e| e.to_string())?;
    let settings: Settings =
        toml::Value::Table(doc).try_into().map_err(|e: toml::de::Error| e.message().to_string())?;
    // An excluded move that is no longer there (the person's own, from a moves file now broken
    // or gone) excludes nothing: it never makes the file unusable.
    let problems = settings.problems_after(catalog, &settings);
    if !problems.is_empty() {
        return Err(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "));
    }
    Ok(settings)
}

/// A file's bytes as a TOML table, not yet migrated.
fn parse_table(bytes: &[u8]) -> Result<toml::Table, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
    toml::from_str(text).map_err(|e| format!("it is not valid TOML: {}", e.message()))
}

/// The keys of a file's text that [`Settings`] does not know, at any depth of tables. Empty when
/// the text does not parse or migrate: then there is nothing we could safely carry over (the
/// whole file has been kept aside already).
fn unknown_keys(bytes: &[u8]) -> toml::Table {
    // Migrate first, so that a key a migration renamed counts as known under its new name
    // instead of being carried over under its old one.
    let Ok(doc) = parse_table(bytes).and_then(|t| migrate(t).map_err(|e| e.to_string())) else {
        return toml::Table::new();
    };
    let known = toml::Table::try_from(Settings::default()).unwrap_or_default();
    unknown_in(doc, &known)
}

/// The entries of `doc` that `known` lacks, descending into tables both have.
fn unknown_in(doc: toml::Table, known: &toml::Table) -> toml::Table {
    let mut out = toml::Table::new();
    for (key, value) in doc {
        match (known.get(&key), value) {
            (None, value) => {
                out.insert(key, value);
            }
            (Some(toml::Value::Table(known)), toml::Value::Table(table)) => {
                let inner = unknown_in(table, known);
                if !inner.is_empty() {
                    out.insert(key, toml::Value::Table(inner));
                }
            }
            // A known key: the settings being saved say what it is.
            (Some(_), _) => {}
        }
    }
    out
}

/// Add `extra` to `doc`, merging tables both have; `doc`'s values win.
fn merge(doc: &mut toml::Table, extra: toml::Table) {
    for (key, value) in extra {
        match (doc.get_mut(&key), value) {
            (None, value) => {
                doc.insert(key, value);
            }
            (Some(toml::Value::Table(ours)), toml::Value::Table(theirs)) => merge(ours, theirs),
            (Some(_), _) => {}
        }
    }
}

/// The file's text: a header and the values that differ from the defaults.
pub fn render(settings: &Settings) -> String {
    render_keeping(settings, toml::Table::new())
}

/// The file's text: a header, the values that differ from the defaults, and `unknown`, the keys
/// this build does not know, as they were.
fn render_keeping(settings: &Settings, unknown: toml::Table) -> String {
    let ours = toml::Table::try_from(settings).unwrap_or_default();
    let defaults = toml::Table::try_from(Settings::default()).unwrap_or_default();
    let mut out = toml::Table::new();
    out.insert("version".into(), toml::Value::Integer(settings.version.into()));
    for (key, value) in ours {
        if defaults.get(&key) != Some(&value) {
            out.insert(key, value);
        }
    }
    merge(&mut out, unknown);
    let body = toml::to_string(&out).unwrap_or_default();
    format!(
        "# Unslouch settings. Only values that differ from the defaults are written here;\n\
         # every key and its default is listed in the README. Unslouch rewrites this file\n\
         # when settings change in its window; edit it while Unslouch is not running.\n\n{body}"
    )
}
