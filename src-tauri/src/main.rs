//! `unslouch-window`: the Unslouch window (break, settings, history, exercises).
//!
//! Started by the daemon when a person wants to look at something, it shows one window titled
//! "Unslouch" at the view named on the command line, and exits, with all its WebKit processes,
//! when the window closes. It is a client of the daemon: it owns no state and writes no file.
//! If no daemon runs, it starts one. It follows the daemon's requests to show another view, and
//! closes when the daemon quits.

// Keep a console window from opening on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;

mod args;
use args::Args;
use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};
use unslouch_core::routines::Catalog;
use unslouch_core::schedule::StateName;
use unslouch_ipc::client::{Client, ClientError};
use unslouch_ipc::{IpcError, Paths, Reply, Request, Update, View, moves, window_lock};

/// Forward one typed request to the daemon and return its reply; errors come back as the
/// typed `IpcError`. Async, and the blocking socket work on a thread of its own: a slow
/// daemon never freezes the window (sync commands run on the GTK main thread).
#[tauri::command]
async fn send(request: Request, socket: tauri::State<'_, Socket>) -> Result<Reply, IpcError> {
    let path = socket.0.clone().ok_or_else(|| IpcError::internal("no runtime folder"))?;
    blocking(move || {
        let mut client = Client::connect(&path).map_err(|e| IpcError::internal(e.to_string()))?;
        client.request(&request).map_err(|e| match e {
            ClientError::Daemon(error) => error,
            other => IpcError::internal(other.to_string()),
        })
    })
    .await
}

/// Run `work` off the main thread and wait for it.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::internal(e.to_string()))?
}

/// The moves: those the daemon plans from (ours, and the person's own as it read them when it
/// started) with what was left out of their file, and the pictures of their moves read here.
/// With no daemon to ask, the moves file is read here too.
#[tauri::command]
async fn catalog(paths: tauri::State<'_, Library>) -> Result<moves::Library, IpcError> {
    let paths = paths.0.clone();
    blocking(move || {
        let Some(paths) = paths else {
            return Ok(moves::Library {
                moves: Catalog::builtin().moves.clone(),
                pictures: Default::default(),
                problems: Vec::new(),
            });
        };
        let asked =
            Client::connect(&paths.control_socket()).and_then(|mut c| c.request(&Request::Library));
        Ok(match asked {
            Ok(Reply::Library { library }) => moves::with_pictures(&paths, *library),
            other => {
                eprintln!(
                    "unslouch-window: no moves from the daemon ({other:?}); reading the file"
                );
                moves::library(&paths)
            }
        })
    })
    .await
}

/// Where the person's files are, for their own moves.
struct Library(Option<Paths>);

/// Where the daemon listens.
struct Socket(Option<PathBuf>);

fn main() {
    // Parsing happens before any GTK or WebKit start-up, so `--help`, `--version` and bad
    // arguments cost nothing and need no display.
    let args = Args::parse();
    #[cfg(target_os = "linux")]
    without_compositing();
    let view = View::from_name(&args.view).unwrap_or(View::Break);
    let paths = Paths::from_env().ok();
    let socket = paths.as_ref().map(Paths::control_socket);
    if let Some(socket) = &socket
        && let Err(e) = ensure_daemon(socket)
    {
        eprintln!("unslouch-window: {e}");
    }
    // One window at a time: when one is open, ask it (through the daemon) to show this view.
    let _window_lock = match paths.as_ref().map(|p| window_lock::claim(&p.window_lock())) {
        Some(Ok(None)) => {
            let shown = socket
                .as_ref()
                .ok_or_else(|| "no runtime folder".to_string())
                .and_then(|s| Client::connect(s).map_err(|e| e.to_string()))
                .and_then(|mut c| c.request(&Request::Open { view }).map_err(|e| e.to_string()));
            match shown {
                Ok(_) => return,
                Err(e) => {
                    eprintln!("unslouch-window: another window is open but cannot be shown: {e}");
                    std::process::exit(1);
                }
            }
        }
        Some(Ok(Some(lock))) => Some(lock),
        Some(Err(e)) => {
            eprintln!("unslouch-window: cannot take the window lock: {e}");
            None
        }
        None => None,
    };
    let result = tauri::Builder::default()
        .manage(Socket(socket.clone()))
        .manage(Library(paths.clone()))
        .invoke_handler(tauri::generate_handler![send, catalog])
        .setup(move |app| {
            let url = WebviewUrl::App(format!("index.html#/{}", view.as_str()).into());
            // Sized for the screen: a 1366×768 screen at 200% has 384 logical pixels of
            // height, less its panels, where the usual 600 would not fit.
            let work_area = app.primary_monitor().ok().flatten().map(|m| {
                let area = m.work_area().size.to_logical::<f64>(m.scale_factor());
                (area.width, area.height)
            });
            let sizes = window_sizes(work_area);
            WebviewWindowBuilder::new(app, "main", url)
                .title("Unslouch")
                .inner_size(sizes.size.0, sizes.size.1)
                .min_inner_size(sizes.least.0, sizes.least.1)
                .build()?;
            if let Some(socket) = socket {
                follow_daemon(app.handle().clone(), socket);
            }
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("unslouch-window: {e}");
        std::process::exit(1);
    }
}

/// The window's size and least size, in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Sizes {
    size: (f64, f64),
    least: (f64, f64),
}

/// Room the window manager's title bar and borders take, in logical pixels (a generous guess:
/// the work area is known, the frame only once the window is shown).
const FRAME: f64 = 48.0;

/// 420×600, and at least 360×480, but never more than the screen's work area (`None`: not
/// known) allows with the window's frame, and never less than 240×320 (a work area reported as
/// nothing): the window must fit, and a break view that then scrolls is better than controls
/// below the screen's edge.
fn window_sizes(work_area: Option<(f64, f64)>) -> Sizes {
    let (width, height) = work_area.unwrap_or((f64::INFINITY, f64::INFINITY));
    let room = ((width - FRAME / 2.0).max(240.0), (height - FRAME).max(320.0));
    let fit = |(w, h): (f64, f64)| (w.min(room.0), h.min(room.1));
    Sizes { size: fit((420.0, 600.0)), least: fit((360.0, 480.0)) }
}

/// Draw in software (`unslouch_ipc::drawing`: no accelerated compositing, and GL asked for by
/// one probe only), unless the person chose otherwise. WebKit and GTK read the variables as
/// they start. The daemon starts the window with them set; started any other way, the process
/// starts itself again with them set (the same process id: `exec`), which costs one more load
/// of its libraries (about 65 ms).
#[cfg(target_os = "linux")]
fn without_compositing() {
    use std::os::unix::process::CommandExt as _;
    let missing = unslouch_ipc::drawing::software_drawing(|name| std::env::var_os(name));
    if missing.is_empty() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    let error = Command::new(exe).args(std::env::args_os().skip(1)).envs(missing).exec();
    // Only reached when `exec` failed: carry on as we are.
    eprintln!("unslouch-window: cannot restart to draw in software: {error}");
}

/// Start the daemon (`unslouch`, next to this executable) when none answers on the socket,
/// and wait for it to listen.
fn ensure_daemon(socket: &std::path::Path) -> Result<(), String> {
    match Client::connect(socket) {
        Ok(client) => {
            ensure_current(client, socket);
            return Ok(());
        }
        Err(ClientError::NotRunning) => {}
        Err(e) => return Err(e.to_string()),
    }
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("unslouch")))
        .unwrap_or_else(|| PathBuf::from("unslouch"));
    Command::new(&exe)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if Client::connect(socket).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err("Unslouch did not start within 5 seconds".into())
}

/// What the daemon says of itself: protocol, version, and whether its program was replaced on
/// disk since it started.
fn hello(client: &mut Client) -> Result<(u32, String, bool), ClientError> {
    let request = Request::Hello {
        protocol: unslouch_ipc::PROTOCOL,
        version: env!("CARGO_PKG_VERSION").into(),
    };
    match client.request(&request)? {
        Reply::Hello { protocol, version, replaced } => Ok((protocol, version, replaced)),
        other => Err(ClientError::Daemon(IpcError::internal(format!("{other:?}")))),
    }
}

/// A daemon left running across an upgrade (its program replaced, or an older protocol) is asked
/// to start again from the program installed now, and waited for (at most 5 s); it keeps its
/// state through its history. One too old to know how is named, with what to do.
fn ensure_current(mut client: Client, socket: &std::path::Path) {
    let stale = match hello(&mut client) {
        Ok((protocol, _, replaced)) => replaced || protocol < unslouch_ipc::PROTOCOL,
        Err(ClientError::Daemon(IpcError::BadRequest { .. })) => {
            eprintln!(
                "unslouch-window: the running Unslouch is older than this window and cannot \
                 restart itself: choose Quit Unslouch in its tray menu, then start it again"
            );
            return;
        }
        Err(e) => {
            eprintln!("unslouch-window: cannot ask the daemon who it is: {e}");
            return;
        }
    };
    if !stale {
        return;
    }
    match client.request(&Request::Restart) {
        Ok(_) => {}
        // During a break: it restarts another time.
        Err(e) => {
            eprintln!("unslouch-window: the daemon could not restart now: {e}");
            return;
        }
    }
    drop(client);
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        if let Ok(mut c) = Client::connect(socket)
            && let Ok((_, _, false)) = hello(&mut c)
        {
            return;
        }
    }
    eprintln!("unslouch-window: the daemon did not come back within 5 seconds");
}

/// Follow the daemon on a thread of its own: show the views it asks for, keep the window above
/// the others while a break runs, close when the daemon quits. When the daemon goes away without
/// saying so (a crash, a restart), connect again until it is back.
fn follow_daemon(app: AppHandle, socket: PathBuf) {
    std::thread::spawn(move || {
        let mut on_top = false;
        let mut wait = Duration::from_millis(100);
        loop {
            match follow_once(&app, &socket, &mut on_top) {
                Ok(Followed::Quit) => return,
                Ok(Followed::Lost) => wait = Duration::from_millis(100),
                Err(e) => eprintln!("unslouch-window: lost the daemon: {e}"),
            }
            std::thread::sleep(wait);
            wait = (wait * 2).min(Duration::from_secs(5));
        }
    });
}

/// How a subscription ended.
enum Followed {
    /// The daemon said it quits (the window has been told to close).
    Quit,
    /// The connection ended without a word.
    Lost,
}

fn follow_once(
    app: &AppHandle,
    socket: &std::path::Path,
    on_top: &mut bool,
) -> Result<Followed, ClientError> {
    let client = Client::connect(socket)?;
    let mut quit = false;
    client.subscribe(|update| match update {
        Update::Show { view } => {
            let handle = app.clone();
            let _ = app.run_on_main_thread(move || show(&handle, view));
            true
        }
        Update::Quit => {
            quit = true;
            app.exit(0);
            false
        }
        Update::Snapshot { snapshot } => {
            let in_break = snapshot.status.state == StateName::InBreak;
            if in_break != *on_top {
                *on_top = in_break;
                let handle = app.clone();
                let _ = app.run_on_main_thread(move || {
                    if let Some(window) = handle.get_webview_window("main") {
                        let _ = window.set_always_on_top(in_break);
                    }
                });
            }
            let _ = app.emit_to("main", "snapshot", &*snapshot);
            true
        }
    })?;
    Ok(if quit { Followed::Quit } else { Followed::Lost })
}

/// Bring the window forward at `view`.
fn show(app: &AppHandle, view: View) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.eval(format!("location.hash = '#/{}'", view.as_str()));
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_fits_a_small_screen_at_twice_the_scale() {
        // 1366×768 at 200%, less a 32-pixel panel: 683×368 logical pixels, the frame inside.
        let small = window_sizes(Some((683.0, 368.0)));
        assert_eq!(small, Sizes { size: (420.0, 320.0), least: (360.0, 320.0) });
        assert_eq!(window_sizes(Some((0.0, 0.0))).least, (240.0, 320.0));
        let usual = window_sizes(Some((1920.0, 1050.0)));
        assert_eq!(usual, Sizes { size: (420.0, 600.0), least: (360.0, 480.0) });
        assert_eq!(window_sizes(None), usual);
    }
}
