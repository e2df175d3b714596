//! Starting the window: `unslouch-window <view>`, found next to this executable, at most one at
//! a time. When one is open (started here, or by anyone else: it holds the window lock), a new
//! view is sent to it instead (as an `Update::Show`).

use std::path::PathBuf;
use std::time::Duration;

use unslouch_ipc::View;

use crate::sink::Sink;

/// The window process with this id ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed(pub Option<u32>);

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
    pub fn check(&mut self) -> Result<(), String> {
        if self.open_now() {
            return Ok(());
        }
        match std::fs::metadata(&self.exe) {
            Ok(meta) if meta.is_file() => Ok(()),
            Ok(_) => Err(format!("{} is not a program", self.exe.display())),
            Err(e) => Err(format!("the window program {} is missing ({e})", self.exe.display())),
        }
    }

    /// Whether a window is open: ours, unless its process has ended (the message that says so
    /// may still be on its way), or anyone's that holds the lock.
    fn open_now(&mut self) -> bool {
        let ended = self.exited.as_mut().is_some_and(|exited| {
            !matches!(exited.try_recv(), Err(tokio::sync::oneshot::error::TryRecvError::Empty))
        });
        if ended {
            self.pid = None;
            self.exited = None;
        }
        self.pid.is_some() || unslouch_ipc::window_lock::held(&self.lock)
    }

    /// Open the window at `view`, or report that one is open already.
    pub fn open(&mut self, view: View) -> Result<Opened, String> {
        if self.open_now() {
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
            closed.send(Closed(pid));
        });
        tracing::info!(view = view.as_str(), ?pid, "opened the window");
        Ok(Opened::Started)
    }

    /// The window process `closed` ended (a window started since is still open): `true` when
    /// no window of ours is open now.
    pub fn closed(&mut self, closed: Closed) -> bool {
        if self.pid == closed.0 {
            self.pid = None;
            self.exited = None;
        }
        self.pid.is_none()
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

    #[tokio::test]
    async fn a_window_that_ended_is_not_open_even_before_the_daemon_hears_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let (queue, mut closed) = tokio::sync::mpsc::unbounded_channel();
        let mut launcher = WindowLauncher::new(Sink::new(queue, |c| c), dir.path().join("lock"));
        // A window that ends as soon as it starts.
        launcher.exe = PathBuf::from("/bin/true");
        assert_eq!(launcher.open(View::Settings), Ok(Opened::Started));
        // It has ended; the driver has not handled the message that says so.
        let first = closed.recv().await.expect("the first window ends");
        assert_eq!(launcher.open(View::Break), Ok(Opened::Started), "a click then opens a window");
        // The message about the first arrives after the second started: that one is still ours.
        assert!(!launcher.closed(first), "the second window is open");
        assert!(launcher.pid.is_some());
        let second = closed.recv().await.expect("the second window ends");
        assert!(launcher.closed(second), "no window is open");
    }
}
