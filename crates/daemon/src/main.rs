//! `unslouch`: the resident process and its command line.
//!
//! Started with no arguments it runs all day: it keeps the desk-time books, sits in the tray and
//! reminds the person when a break is due. When one is already running, `unslouch` opens its
//! settings instead, and the subcommands talk to it over the control socket. It links no GTK
//! and no WebKit; the window is a separate program (`unslouch-window`).
//!
//! ## Layout
//! - `main.rs`: start-up and the commands; `cli.rs`: the command line's definition (also read
//!   by `xtask` for the man page and shell completions).
//! - `driver.rs`: the one task that owns the scheduler, and what its effects do.
//! - `clock.rs`: reading time (and the test clock); `idle.rs`: idle readings; `power.rs`:
//!   lock and sleep signals; `notifier.rs`: the reminder; `tray.rs`, `icons.rs`: the tray;
//!   `window.rs`: starting the window; `control.rs`: the control socket; `autostart.rs`:
//!   start at login; `logs.rs`: the log file.

mod autostart;
mod cli;
mod clock;
mod control;
mod dnd;
mod driver;
mod fullscreen;
mod icons;
mod idle;
mod inhibitors;
mod logs;
mod meeting;
mod notifier;
mod power;
mod sink;
mod tray;
mod wayland_idle;
mod window;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use tokio::sync::mpsc;
use unslouch_core::schedule::PauseFor;
use unslouch_ipc::Paths;
use unslouch_ipc::client::{Client, ClientError};
use unslouch_ipc::{Reply, Request, View};
use unslouch_store::{History, SettingsFile};

use crate::cli::{Cli, Cmd, PauseLength};

impl PauseLength {
    fn pause(self) -> PauseFor {
        match self {
            PauseLength::HalfHour => PauseFor::Minutes { minutes: 30 },
            PauseLength::Hour => PauseFor::Minutes { minutes: 60 },
            PauseLength::TwoHours => PauseFor::Minutes { minutes: 120 },
            PauseLength::Tomorrow => PauseFor::Tomorrow,
        }
    }
}

/// Exit status when no daemon runs.
const NOT_RUNNING: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let paths = match Paths::from_env() {
        Ok(paths) => paths,
        Err(e) => {
            eprintln!("unslouch: {e}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(cmd) => command(&paths, cmd),
        None => match start(&paths) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("unslouch: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Print a line on stdout. A reader that went away (`unslouch status | head -c0`) is not an
/// error worth a panic: what it did not read is dropped.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Create `dir` (and its parents) if needed, and make it private: 0700. Unslouch's folders hold
/// a record of when a person was at their desk.
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Hold the lock on the data folder for as long as the daemon runs.
fn lock_files(data_dir: &Path) -> anyhow::Result<std::fs::File> {
    private_dir(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let path = data_dir.join("daemon.lock");
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "Unslouch is already running for these files ({}), with another XDG_RUNTIME_DIR",
            data_dir.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// Send one command to the running daemon.
fn command(paths: &Paths, cmd: Cmd) -> ExitCode {
    let request = match &cmd {
        Cmd::Break => Request::StartBreak { moves: None },
        Cmd::Session => Request::StartSession,
        Cmd::Pause { length } => Request::Pause { pause: length.pause() },
        Cmd::Resume => Request::Resume,
        Cmd::Skip => Request::Skip,
        Cmd::Settings => Request::Open { view: View::Settings },
        Cmd::History => Request::Open { view: View::History },
        Cmd::Quit => Request::Quit,
        Cmd::Restart => Request::Restart,
        Cmd::Status { .. } => Request::Snapshot,
    };
    // What a person asks from the app menu (a break, the settings, the history) starts
    // Unslouch first when it is not running; the rest reports that it is not.
    let starts = matches!(cmd, Cmd::Break | Cmd::Session | Cmd::Settings | Cmd::History);
    let connect = || match Client::connect(&paths.control_socket()) {
        Err(ClientError::NotRunning) if starts => start_in_background(paths),
        other => other,
    };
    let result = connect().and_then(|mut c| {
        let reply = c.request(&request)?;
        let (warnings, weekly) = match cmd {
            Cmd::Status { json: false } => match c.request(&Request::GetSettings)? {
                Reply::Settings { warnings, settings } => (warnings, settings.weekly_sessions),
                _ => (Vec::new(), 0),
            },
            _ => (Vec::new(), 0),
        };
        Ok((reply, warnings, weekly))
    });
    match result {
        Ok((Reply::Snapshot { snapshot }, warnings, weekly)) => {
            if matches!(cmd, Cmd::Status { json: true }) {
                say!("{}", serde_json::to_string(&snapshot.status).expect("status serialises"));
            } else {
                let s = &snapshot.status;
                say!("{}", snapshot.status_line);
                say!(
                    "{} min at the desk since the last break · {} break{} today",
                    s.desk_seconds / 60,
                    s.breaks_today,
                    if s.breaks_today == 1 { "" } else { "s" }
                );
                if weekly > 0 {
                    say!("Full sessions this week: {} of {weekly}", s.sessions_this_week);
                }
                for w in warnings {
                    say!("Note: {w}");
                }
            }
            ExitCode::SUCCESS
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(ClientError::NotRunning) => {
            eprintln!("Unslouch is not running. Start it with `unslouch`.");
            ExitCode::from(NOT_RUNNING)
        }
        Err(ClientError::Daemon(error)) => {
            eprintln!("unslouch: {error}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("unslouch: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Start the daemon as a process of its own (this program with no command), and connect to it
/// once it listens (within a few seconds).
fn start_in_background(paths: &Paths) -> Result<Client, ClientError> {
    let exe = std::env::current_exe().map_err(|_| ClientError::NotRunning)?;
    let program = autostart::installed(&exe);
    std::process::Command::new(program)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|_| ClientError::NotRunning)?;
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match Client::connect(&paths.control_socket()) {
            Err(ClientError::NotRunning) if std::time::Instant::now() < until => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// Start the daemon, or, when one runs, open its settings.
fn start(paths: &Paths) -> anyhow::Result<ExitCode> {
    logs::init(&paths.log_dir());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start")?;
    runtime
        .block_on(async {
            let instance = control::claim(&paths.runtime_dir, &paths.control_socket())
                .with_context(|| {
                    format!("cannot open the control socket in {}", paths.runtime_dir.display())
                })?;
            let control = match instance {
                control::Instance::Primary(control) => control,
                control::Instance::Secondary => {
                    let mut client = Client::connect(&paths.control_socket())?;
                    client.request(&Request::Open { view: View::Settings })?;
                    say!("Unslouch is already running: opened its settings.");
                    return Ok(Some(ExitCode::SUCCESS));
                }
            };
            // The runtime folder's lock makes one daemon per session; this one makes one per set of
            // files, should two sessions of the same account name different runtime folders.
            let _files = lock_files(&paths.data_dir)?;
            if daemon(paths, control).await? {
                return Ok(None);
            }
            Ok(Some(ExitCode::SUCCESS))
        })
        .map(|done| done.unwrap_or_else(restart))
}

/// Run the program as installed now in this process's place, with the same arguments and
/// environment (the books are closed, the socket removed and the locks let go by now; every
/// descriptor is closed on exec). Returns only when that failed.
fn restart() -> ExitCode {
    use std::os::unix::process::CommandExt as _;
    let program = match std::env::current_exe() {
        Ok(exe) => autostart::installed(&exe),
        Err(e) => {
            tracing::error!("cannot restart: cannot find this program: {e}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("restarting as {}", program.display());
    let error = std::process::Command::new(&program).args(std::env::args_os().skip(1)).exec();
    tracing::error!("cannot restart as {}: {error}", program.display());
    ExitCode::FAILURE
}

/// Run the daemon until it quits; whether it is to restart.
async fn daemon(paths: &Paths, control: control::Control) -> anyhow::Result<bool> {
    let clock = clock::Clock::from_env().map_err(anyhow::Error::msg)?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), scale = clock.scale(), "Unslouch starting");
    // Our moves and the person's own: read once; a change to the file takes a restart.
    let (catalog, move_problems) = unslouch_ipc::moves::load(paths);
    for p in &move_problems {
        tracing::warn!("a move of your own was left out: {p}");
    }
    let catalog = std::sync::Arc::new(catalog);
    let mut settings_file = SettingsFile::new(paths.settings_file()).with_catalog(catalog.clone());
    let loaded = settings_file.load(clock.now().timestamp()).context("cannot read the settings")?;
    if let Some(w) = &loaded.warning {
        tracing::warn!("{w}");
    }
    let opened = History::open(&paths.history_db(), clock.now().timestamp())
        .context("cannot open the history")?;
    if let Some(w) = &opened.warning {
        tracing::warn!("{w}");
    }
    let (msgs, incoming) = mpsc::unbounded_channel();
    let parts = driver::Parts {
        clock,
        settings_file,
        settings: loaded.settings,
        settings_warning: loaded.warning.map(|w| w.to_string()),
        history: opened.history,
        history_warning: opened.warning.map(|w| w.to_string()),
        window_lock: paths.window_lock(),
        catalog,
        move_problems,
    };
    let (mut driver, channels) = driver::Driver::new(parts, msgs.clone());
    // Served at once: requests wait in the driver's queue while the desktop's services are
    // looked for below (each of which is bounded in time).
    let socket = control.socket().to_path_buf();
    let server = tokio::spawn(control.serve(driver::Msg::calls(&msgs), channels));

    // Listening for answers before any reminder can be shown.
    let bus = match tokio::time::timeout(
        notifier::TIMEOUT,
        notifier::listen(driver::Msg::notifier(&msgs)),
    )
    .await
    {
        Ok(Ok(bus)) => Some(bus),
        Ok(Err(e)) => {
            tracing::warn!("no session bus for reminders ({e}): they open the window instead");
            None
        }
        Err(_) => {
            tracing::warn!("the session bus did not answer: reminders open the window instead");
            None
        }
    };
    power::watch(driver::Msg::power(&msgs));
    let idle = idle::IdleSource::detect().await;
    match &idle {
        idle::IdleSource::Unavailable(why) => tracing::warn!("idle detection unavailable: {why}"),
        source => tracing::info!("idle detection: {}", source.name()),
    }
    driver.attach(idle, bus, msgs).await;
    let start_at_login = driver.settings().start_at_login;
    tokio::task::spawn_blocking(move || {
        match autostart::set(start_at_login, autostart::Why::Start) {
            Ok(autostart::Done::LeftOff) => {
                tracing::info!("start at login is switched off in the desktop's settings: left so");
            }
            Ok(done) => tracing::debug!(?done, "start at login"),
            Err(e) => tracing::warn!("start at login: {e}"),
        }
    });
    let result = driver.run(incoming).await;
    server.abort();
    control::remove_socket(&socket);
    tracing::info!("Unslouch stopped");
    result
}
