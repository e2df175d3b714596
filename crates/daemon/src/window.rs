//! Starting the window: `unslouch-window <view>`, found next to this executable, at most one at
//! a time. When one is open (started here, or by anyone else: it holds the window lock), a new
//! view is sent to it instead (as an `Update::Show`).

use std::path::PathBuf;
use std::time::Duration;

use unslouch_ipc::View;

use crate::sink::Sink;

/// The open window's process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed;

/// What opening a view did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// A window process was started.
    Started,
    /// A window was already open: it should be sent the view.
    AlreadyOpen,
}

/// Starts the window and keeps track of it.
#[derive(Debug)]
pub struct WindowLauncher {
    exe: PathBuf,
    /// The lock an open window holds.
    lock: PathBuf,
    closed: Sink<Closed>,
    /// The process id of the open window.
    pid: Option<u32>,
    /// Fires when the open window's process has exited (sent by the task that waits on it).
    exited: Option<tokio::sync::oneshot::Receiver<()>>,
}

impl WindowLauncher {
    pub fn new(closed: Sink<Closed>, lock: PathBuf) -> WindowLauncher {
        let exe = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join(window_exe_name())))
            .unwrap_or_else(|| PathBuf::from(window_exe_name()));
        WindowLauncher { exe, lock, closed, pid: None, exited: None }
    }

    /// Whether a view can be shown: a window is open, or its program is there to start.
    pub fn check(&self) -> Result<(), String> {
        if self.pid.is_some() || unslouch_ipc::window_lock::held(&self.lock) {
            return Ok(());
        }
        match std::fs::metadata(&self.exe) {
            Ok(meta) if meta.is_file() => Ok(()),
            Ok(_) => Err(format!("{} is not a program", self.exe.display())),
            Err(e) => Err(format!("the window program {} is missing ({e})", self.exe.display())),
        }
    }

    /// Open the window at `view`, or report that one is open already.
    pub fn open(&mut self, view: View) -> Result<Opened, String> {
        if self.pid.is_some() || unslouch_ipc::window_lock::held(&self.lock) {
            return Ok(Opened::AlreadyOpen);
        }
        let mut child = window_command(&self.exe, view)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.exe.display()))?;
        let pid = child.id();
        self.pid = pid;
        let (exited, on_exit) = tokio::sync::oneshot::channel();
        self.exited = Some(on_exit);
        let closed = self.closed.clone();
        tokio::spawn(async move {
            let status = child.wait().await;
            tracing::info!(?status, "the window closed");
            let _ = exited.send(());
            closed.send(Closed);
        });
        tracing::info!(view = view.as_str(), ?pid, "opened the window");
        Ok(Opened::Started)
    }

    /// The window process ended.
    pub fn closed(&mut self) {
        self.pid = None;
        self.exited = None;
    }

    /// Make sure the window is gone: it was asked to close; end it if it has not `within` this.
    pub async fn close(&mut self, within: Duration) {
        let (Some(pid), Some(exited)) = (self.pid.take(), self.exited.take()) else { return };
        if tokio::time::timeout(within, exited).await.is_err() {
            terminate(pid);
        }
    }
}

/// How the window is started at `view`: drawing in software already set in its environment
/// (`unslouch_ipc::drawing`, unless the person chose otherwise), so that it need not start
/// itself again to set it, which costs another load of its libraries (about 65 ms of the click
/// to paint).
fn window_command(exe: &std::path::Path, view: View) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(exe);
    command.arg(view.as_str());
    command.envs(unslouch_ipc::drawing::software_drawing(|name| std::env::var_os(name)));
    command
}

fn window_exe_name() -> &'static str {
    if cfg!(windows) { "unslouch-window.exe" } else { "unslouch-window" }
}

#[cfg(unix)]
fn terminate(pid: u32) {
    if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_starts_at_its_view_drawing_in_software_and_needs_no_second_start() {
        let command = window_command(std::path::Path::new("/usr/bin/unslouch-window"), View::Break);
        let std = command.as_std();
        assert_eq!(std.get_args().collect::<Vec<_>>(), ["break"]);
        let set: Vec<_> = std.get_envs().collect();
        // What this test's own environment leaves to set (a person may have set some).
        let wanted = unslouch_ipc::drawing::software_drawing(|name| std::env::var_os(name));
        let mut wanted: Vec<_> = wanted
            .iter()
            .map(|(k, v)| (std::ffi::OsStr::new(k), Some(std::ffi::OsStr::new(v))))
            .collect();
        wanted.sort();
        assert_eq!(set, wanted, "(the command lists what it sets in order of name)");
        // The window, started with it, finds nothing more to set.
        let inherited = |name: &str| {
            set.iter()
                .find(|(k, _)| *k == name)
                .and_then(|(_, v)| v.map(|v| v.to_os_string()))
                .or_else(|| std::env::var_os(name))
        };
        assert!(unslouch_ipc::drawing::software_drawing(inherited).is_empty());
    }
}
