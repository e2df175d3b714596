//! # unslouch-store
//!
//! Everything Unslouch keeps on disk: the settings file ([`settings_file`]) and the history
//! database ([`history`]). Where they live is `unslouch_ipc::paths`.
//!
//! The rules: nothing the person wrote or did is lost, and no file stops the daemon.
//!
//! - A save is atomic (a crash leaves the old file or the new one, never a torn one), also
//!   through a symbolic link, and an export is written the same way.
//! - A file that cannot be used is set aside under a name that says why and when
//!   (`.corrupt-<time>`, `.edited-<time>`, `.newer-<time>`), never overwritten; the caller gets
//!   a warning to show and carries on with the defaults or a fresh history. Only errors that
//!   are not about a file's contents (a read-only folder, a full disk, a held lock) are errors.
//! - The history database only ever gains migrations, and is readable by its owner only.
//!
//! `aside` names the copies kept aside, for both stores.

mod aside;
pub mod history;
pub mod settings_file;

pub use history::{History, HistoryError, HistoryWarning, Opened};
pub use settings_file::{LoadWarning, Loaded, SaveWarning, SettingsFile, StoreError};
