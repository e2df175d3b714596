//! The settings file, `<config>/unslouch/settings.toml`.
//!
//! Only values that differ from the defaults are written, so that better defaults reach people
//! who never changed a value. A save validates first and is atomic: the new text goes to a
//! temporary file in the same folder, is flushed to disk, and is renamed over the old file. A
//! file that does not parse, migrate or validate is moved aside to
//! `settings.toml.corrupt-<time>` and the defaults are used; the caller gets a warning to show.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use unslouch_core::Settings;
use unslouch_core::settings::{SettingsError, migrate};

/// The settings file at a path.
#[derive(Debug, Clone)]
pub struct SettingsFile {
    path: PathBuf,
}

/// Settings as loaded, with anything the person should be told.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub settings: Settings,
    pub warning: Option<LoadWarning>,
}

/// Something went wrong reading the file, and was dealt with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadWarning {
    #[error(
        "the settings file could not be used ({reason}); it was kept as {moved_to} and the defaults are in use"
    )]
    SetAside { moved_to: PathBuf, reason: String },
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
    pub fn new(path: impl Into<PathBuf>) -> SettingsFile {
        SettingsFile { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read the settings. A missing file gives the defaults; an unusable one is set aside (its
    /// new name carries `now`) and gives the defaults with a warning.
    pub fn load(&self, now: Timestamp) -> Result<Loaded, StoreError> {
        let text = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Loaded { settings: Settings::default(), warning: None });
            }
            Err(e) => return Err(io_err("cannot read", &self.path)(e)),
        };
        match parse(&text) {
            Ok(settings) => Ok(Loaded { settings, warning: None }),
            Err(reason) => {
                let moved_to = self.set_aside(now)?;
                Ok(Loaded {
                    settings: Settings::default(),
                    warning: Some(LoadWarning::SetAside { moved_to, reason }),
                })
            }
        }
    }

    /// Move the file aside under a name that does not exist yet.
    fn set_aside(&self, now: Timestamp) -> Result<PathBuf, StoreError> {
        let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
        let name = self
            .path
            .file_name()
            .map_or_else(|| "settings.toml".into(), |n| n.to_string_lossy().into_owned());
        for n in 0..1000 {
            let suffix = if n == 0 { String::new() } else { format!("-{n}") };
            let target = self.path.with_file_name(format!("{name}.corrupt-{stamp}{suffix}"));
            if target.exists() {
                continue;
            }
            fs::rename(&self.path, &target).map_err(io_err("cannot set aside", &self.path))?;
            return Ok(target);
        }
        Err(StoreError::Io {
            action: "cannot set aside",
            path: self.path.clone(),
            source: io::Error::new(io::ErrorKind::AlreadyExists, "too many set-aside copies"),
        })
    }

    /// Validate and write the settings atomically. Invalid settings change nothing on disk.
    pub fn save(&self, settings: &Settings) -> Result<(), StoreError> {
        settings.validate().map_err(StoreError::Invalid)?;
        let text = render(settings);
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(io_err("cannot create", dir))?;
        remove_stale_temporaries(dir);
        let mut tmp = tempfile::Builder::new()
            .prefix(".settings.toml.")
            .tempfile_in(dir)
            .map_err(io_err("cannot write in", dir))?;
        tmp.write_all(text.as_bytes()).map_err(io_err("cannot write", tmp.path()))?;
        tmp.as_file().sync_all().map_err(io_err("cannot flush", tmp.path()))?;
        tmp.persist(&self.path).map_err(|e| StoreError::Io {
            action: "cannot replace",
            path: self.path.clone(),
            source: e.error,
        })?;
        // Make the rename itself durable.
        #[cfg(unix)]
        fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io_err("cannot flush", dir))?;
        Ok(())
    }
}

/// Remove temporary files a save killed before its rename left behind. Only the daemon saves, so
/// none of them belongs to a save in progress.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(".settings.toml.") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Parse, migrate and validate a settings file's bytes; the error says why it is unusable.
pub fn parse(bytes: &[u8]) -> Result<Settings, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
    let doc: toml::Table =
        toml::from_str(text).map_err(|e| format!("it is not valid TOML: {}", e.message()))?;
    let doc = migrate(doc).map_err(|e| e.to_string())?;
    let settings: Settings =
        toml::Value::Table(doc).try_into().map_err(|e: toml::de::Error| e.message().to_string())?;
    settings.validate().map_err(|problems| {
        problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    })?;
    Ok(settings)
}

/// The file's text: a header and the values that differ from the defaults.
pub fn render(settings: &Settings) -> String {
    let ours = toml::Table::try_from(settings).unwrap_or_default();
    let defaults = toml::Table::try_from(Settings::default()).unwrap_or_default();
    let mut out = toml::Table::new();
    out.insert("version".into(), toml::Value::Integer(settings.version.into()));
    for (key, value) in ours {
        if defaults.get(&key) != Some(&value) {
            out.insert(key, value);
        }
    }
    let body = toml::to_string(&out).unwrap_or_default();
    format!(
        "# Unslouch settings. Only values that differ from the defaults are written here;\n\
         # every key and its default is listed in the README. Unslouch rewrites this file\n\
         # when settings change in its window; edit it while Unslouch is not running.\n\n{body}"
    )
}
