//! # unslouch-store
//!
//! Everything Unslouch keeps on disk: the settings file ([`settings_file`]) and the history
//! database ([`history`]). Where they live is `unslouch_ipc::paths`.
//!
//! The rules: a save is atomic (a crash leaves the old file or the new one, never a torn one);
//! a file that cannot be read is set aside, never overwritten; the history database only ever
//! gains migrations.

pub mod history;
pub mod settings_file;

pub use history::{History, HistoryError};
pub use settings_file::{LoadWarning, Loaded, SettingsFile, StoreError};
