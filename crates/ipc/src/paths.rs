//! Where Unslouch's files live, following each platform's conventions (XDG on Linux).

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// The application's files and folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `<config>/unslouch`: holds `settings.toml`, and `moves.toml` with its pictures.
    pub config_dir: PathBuf,
    /// `<data>/unslouch`: holds `history.sqlite3`.
    pub data_dir: PathBuf,
    /// `<state>/unslouch` (the data dir where there is no state dir): holds the logs.
    pub state_dir: PathBuf,
    /// `<runtime>/unslouch` (0700): holds the control socket.
    pub runtime_dir: PathBuf,
}

/// Why the folders could not be found.
#[derive(Debug, thiserror::Error)]
#[error("cannot find a home directory to keep Unslouch's files in (is HOME set?)")]
pub struct NoHome;

impl Paths {
    /// The folders for this user, honouring `XDG_CONFIG_HOME`, `XDG_DATA_HOME`,
    /// `XDG_STATE_HOME` and `XDG_RUNTIME_DIR` on Linux.
    pub fn from_env() -> Result<Paths, NoHome> {
        let dirs = ProjectDirs::from("", "", "unslouch").ok_or(NoHome)?;
        let data_dir = dirs.data_dir().to_path_buf();
        let state_dir = dirs.state_dir().map_or_else(|| data_dir.join("state"), Path::to_path_buf);
        let runtime_dir =
            dirs.runtime_dir().map_or_else(|| data_dir.join("run"), Path::to_path_buf);
        Ok(Paths { config_dir: dirs.config_dir().to_path_buf(), data_dir, state_dir, runtime_dir })
    }

    /// All folders under one root (for tests and portable installs).
    pub fn under(root: &Path) -> Paths {
        Paths {
            config_dir: root.join("config"),
            data_dir: root.join("data"),
            state_dir: root.join("state"),
            runtime_dir: root.join("run"),
        }
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.toml")
    }

    pub fn history_db(&self) -> PathBuf {
        self.data_dir.join("history.sqlite3")
    }

    pub fn control_socket(&self) -> PathBuf {
        self.runtime_dir.join("control.sock")
    }

    /// Held (`flock`) by the open window, so there is never a second one.
    pub fn window_lock(&self) -> PathBuf {
        self.runtime_dir.join("window.lock")
    }

    pub fn log_dir(&self) -> PathBuf {
        self.state_dir.clone()
    }
}

/// The person's Downloads folder (`XDG_DOWNLOAD_DIR`, else `~/Downloads`), where exports go.
pub fn downloads_dir() -> Option<PathBuf> {
    directories::UserDirs::new()
        .and_then(|u| u.download_dir().map(Path::to_path_buf))
        .or_else(|| directories::BaseDirs::new().map(|b| b.home_dir().join("Downloads")))
}
