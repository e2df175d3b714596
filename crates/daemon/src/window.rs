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

/// WebKit's switch for accelerated compositing, which the window runs without.
const NO_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// How the window is started at `view`: with compositing already off in its environment
/// (unless the person set the variable themselves), so that it need not start itself again to
/// turn it off, which costs another load of its libraries (about 65 ms of the click to paint).
fn window_command(exe: &std::path::Path, view: View) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(exe);
    command.arg(view.as_str());
    if std::env::var_os(NO_COMPOSITING).is_none() {
        command.env(NO_COMPOSITING, "1");
    }
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
    fn the_window_starts_at_its_view_with_compositing_off_and_needs_no_second_start() {
        let command = window_command(std::path::Path::new("/usr/bin/unslouch-window"), View::Break);
        let std = command.as_std();
        assert_eq!(std.get_args().collect::<Vec<_>>(), ["break"]);
        let set: Vec<_> = std.get_envs().collect();
        // Unless this test runs with the variable set, as a person may (then it is inherited).
        if std::env::var_os(NO_COMPOSITING).is_none() {
            assert_eq!(
                set,
                [(std::ffi::OsStr::new(NO_COMPOSITING), Some(std::ffi::OsStr::new("1")))]
            );
        } else {
            assert!(set.is_empty(), "the person's own value is inherited: {set:?}");
        }
    }
}
