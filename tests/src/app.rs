//! Building and running Unslouch's programs.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use crate::{Desktop, wait_for};

/// The built programs.
#[derive(Debug)]
pub struct Binaries {
    pub daemon: PathBuf,
    pub window: PathBuf,
}

/// Build `unslouch` (with the test clock) and `unslouch-window` once per test run: debug builds
/// for the tests, release builds for the benchmarks (`cargo bench` compiles this crate without
/// debug assertions).
pub fn binaries() -> &'static Binaries {
    static BUILT: OnceLock<Binaries> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let workspace = workspace();
        let release = !cfg!(debug_assertions);
        let status = Command::new(cargo)
            .current_dir(&workspace)
            .args([
                "build",
                "--quiet",
                "-p",
                "unslouch",
                "-p",
                "unslouch-window",
                "--features",
                "unslouch/test-clock",
            ])
            .args(release.then_some("--release"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the programs failed");
        let dir = target_dir().join(if release { "release" } else { "debug" });
        Binaries { daemon: dir.join("unslouch"), window: dir.join("unslouch-window") }
    })
}

/// The workspace's root folder.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Cargo's target folder, where [`binaries`] builds: `CARGO_TARGET_DIR` when set (a relative
/// one is taken from the workspace's root, where that build runs), else `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace().join(dir),
        _ => workspace().join("target"),
    }
}

/// Where the tests save their screenshots: `screenshots/` in the target folder, never the
/// tracked `docs/screenshots/` (`scripts/screenshots.sh` copies them there).
pub fn screenshots() -> PathBuf {
    let dir = target_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A person's folders, all temporary.
#[derive(Debug)]
pub struct Home {
    pub root: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home { root: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self, sub: &str) -> PathBuf {
        self.root.path().join(sub)
    }

    pub fn settings_file(&self) -> PathBuf {
        self.path("config/unslouch/settings.toml")
    }

    pub fn history_db(&self) -> PathBuf {
        self.path("data/unslouch/history.sqlite3")
    }

    pub fn socket(&self) -> PathBuf {
        self.path("run/unslouch/control.sock")
    }

    /// Where start at login writes its entry: `$XDG_CONFIG_HOME/autostart`, named by the app id.
    pub fn autostart_entry(&self) -> PathBuf {
        self.path("config/autostart/app.unslouch.Unslouch.desktop")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path("state/unslouch/unslouch.log")).unwrap_or_default()
    }

    /// Write settings before the daemon starts.
    pub fn write_settings(&self, toml: &str) {
        let path = self.settings_file();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, toml).unwrap();
    }

    /// Write the person's own moves (and what else belongs beside them) before the daemon starts.
    pub fn write_config(&self, name: &str, contents: &str) {
        let path = self.path("config/unslouch").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    pub fn env(&self) -> Vec<(String, String)> {
        let p = |s: &str| self.path(s).display().to_string();
        std::fs::create_dir_all(self.path("run")).unwrap();
        vec![
            ("HOME".into(), self.root.path().display().to_string()),
            ("XDG_CONFIG_HOME".into(), p("config")),
            ("XDG_DATA_HOME".into(), p("data")),
            ("XDG_STATE_HOME".into(), p("state")),
            ("XDG_RUNTIME_DIR".into(), p("run")),
            ("RUST_LOG".into(), "unslouch=debug,info".into()),
        ]
    }

    /// Count history events of a kind.
    pub fn events(&self, kind: &str) -> usize {
        let Ok(conn) = rusqlite::Connection::open(self.history_db()) else { return 0 };
        conn.query_row("SELECT count(*) FROM events WHERE kind = ?1", [kind], |r| {
            r.get::<_, i64>(0)
        })
        .map_or(0, |n| n as usize)
    }
}

impl Default for Home {
    fn default() -> Home {
        Home::new()
    }
}

/// A test's daemon suggests no weekly full session unless the test's settings speak of
/// sessions: that suggestion comes on the real weekday and hour (by default Tuesday and Friday
/// from 17:00 until the day ends at 04:00), and a test that counts notifications or history
/// rows would count it too whenever it ran then. So `weekly_sessions = 0` goes at the top of
/// the settings file (made if there is none), unless it names `weekly_sessions` or a
/// `session_` key. A file that is not a TOML table, or a folder in its place, is a test's own
/// fault and is left as it is.
fn without_sessions_unless_asked(home: &Home) {
    let text = match std::fs::read_to_string(home.settings_file()) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(_) => return,
    };
    let Ok(table) = text.parse::<toml::Table>() else { return };
    if table.keys().any(|k| k == "weekly_sessions" || k.starts_with("session_")) {
        return;
    }
    home.write_settings(&format!("weekly_sessions = 0\n{text}"));
}

/// A running `unslouch` daemon.
#[derive(Debug)]
pub struct Daemon {
    pub child: Child,
    env: Vec<(String, String)>,
    /// The programs it runs: the built ones, or an installed pair.
    programs: Programs,
}

/// `unslouch` and the `unslouch-window` beside it.
#[derive(Debug, Clone)]
struct Programs {
    daemon: PathBuf,
    window: PathBuf,
}

impl Daemon {
    /// Start the daemon on `desktop` with `home`'s folders; the clock runs `scale` times fast.
    /// Returns once its control socket answers.
    pub fn start(desktop: &Desktop, home: &Home, scale: u32) -> Daemon {
        Daemon::start_with(desktop.env(), home, scale)
    }

    /// Start with exactly this desktop environment (to leave out the display or the bus).
    pub fn start_with(desktop_env: Vec<(String, String)>, home: &Home, scale: u32) -> Daemon {
        let mut env = desktop_env;
        env.extend(home.env());
        // Cameras and microphones: none, unless the test gives some (the machine's own, in use
        // or not, must not hold a test's reminders).
        if !env.iter().any(|(k, _)| k == "UNSLOUCH_DEVICE_ROOT") {
            std::fs::create_dir_all(home.path("no-devices/dev")).unwrap();
            let root = home.path("no-devices").display().to_string();
            env.push(("UNSLOUCH_DEVICE_ROOT".into(), root));
        }
        env.push(("UNSLOUCH_TIME_SCALE".into(), scale.to_string()));
        let built = binaries();
        Daemon::spawn(
            Programs { daemon: built.daemon.clone(), window: built.window.clone() },
            env,
            home,
        )
    }

    /// Start the programs installed in `bin` (a package unpacked into a folder: its
    /// `usr/bin`), as a person's login would: real time, and the machine's own cameras and
    /// microphones (a release build has no test clock and no device root), with `home`'s
    /// folders. Returns once its control socket answers.
    /// `desktop_env` is the desktop's environment and whatever else the test sets.
    pub fn start_installed(bin: &Path, desktop_env: Vec<(String, String)>, home: &Home) -> Daemon {
        let mut env = desktop_env;
        env.extend(home.env());
        let programs =
            Programs { daemon: bin.join("unslouch"), window: bin.join("unslouch-window") };
        Daemon::spawn(programs, env, home)
    }

    fn spawn(programs: Programs, env: Vec<(String, String)>, home: &Home) -> Daemon {
        without_sessions_unless_asked(home);
        let child = Command::new(&programs.daemon)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("unslouch starts");
        let daemon = Daemon { child, env, programs };
        let ready = wait_for(Duration::from_secs(10), || {
            daemon.cli(&["status", "--json"]).status.success().then_some(())
        });
        assert!(ready.is_some(), "the daemon answers on its socket:\n{}", home.log());
        daemon
    }

    /// Run `unslouch <args>` against this daemon.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(&self.programs.daemon)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args(args)
            .output()
            .expect("unslouch runs")
    }

    /// `status --json`, parsed.
    pub fn status(&self) -> serde_json::Value {
        let out = self.cli(&["status", "--json"]);
        assert!(out.status.success(), "status: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("status is JSON")
    }

    /// Wait for the daemon to exit; its exit code.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        wait_for(limit, || self.child.try_wait().ok().flatten()).map(|s| s.code().unwrap_or(-1))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The environment this daemon runs in (desktop, folders, clock): a window started with it
    /// talks to this daemon.
    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    /// This daemon's `XDG_RUNTIME_DIR`: it also tells its window processes from others'.
    fn runtime_dir(&self) -> PathBuf {
        self.env
            .iter()
            .find(|(k, _)| k == "XDG_RUNTIME_DIR")
            .map(|(_, v)| PathBuf::from(v))
            .unwrap_or_default()
    }

    /// Window processes this daemon's session started, with their arguments.
    pub fn windows(&self) -> Vec<(u32, Vec<String>)> {
        let marker = self.runtime_dir().display().to_string();
        processes(&self.programs.window, &marker)
    }

    /// Talk the control protocol directly.
    pub fn client(&self) -> unslouch_ipc::client::Client {
        let socket = self.runtime_dir();
        unslouch_ipc::client::Client::connect(&socket.join("unslouch/control.sock"))
            .expect("connects")
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        // Ask it to quit first, so the window it opened closes too; then make sure.
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.cli(&["quit"]);
            if self.wait_exit(Duration::from_secs(5)).is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
        // Then its windows, and what they started.
        end_processes_in(&self.runtime_dir(), &self.programs.daemon, &self.programs.window);
    }
}

/// End every window and daemon whose environment names `runtime_dir`, until none is left. A
/// window still starting when its daemon went finds no daemon and starts one of its own, which
/// would outlive the test (holding whatever it inherited, such as a lock on the build).
pub fn end_processes_of(runtime_dir: &Path) {
    let built = binaries();
    end_processes_in(runtime_dir, &built.daemon, &built.window);
}

/// [`end_processes_of`] for the programs `daemon` and `window`.
fn end_processes_in(runtime_dir: &Path, daemon: &Path, window: &Path) {
    let marker = runtime_dir.display().to_string();
    let _ = wait_for(Duration::from_secs(5), || {
        let left: Vec<u32> = processes(window, &marker)
            .into_iter()
            .chain(processes(daemon, &marker))
            .map(|(pid, _)| pid)
            .collect();
        for pid in &left {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        left.is_empty().then_some(())
    });
}

/// Processes whose command line starts with `exe` and holds `arg`, with `env` in their
/// environment (to tell this test's processes from others').
pub fn processes(exe: &Path, env_marker: &str) -> Vec<(u32, Vec<String>)> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else { return out };
    for entry in dir.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let args: Vec<String> = cmdline
            .split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        if args.first().map(PathBuf::from).as_deref() != Some(exe) {
            continue;
        }
        let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
        if String::from_utf8_lossy(&environ).contains(env_marker) {
            out.push((pid, args));
        }
    }
    out
}

/// A process and all its descendants, from `/proc`.
pub fn process_tree(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            // The parent is the second field after the parenthesised command name.
            let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { continue };
            if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
                parents.push((pid, ppid));
            }
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(parents.iter().filter(|(_, pp)| *pp == parent).map(|(p, _)| *p));
        i += 1;
    }
    tree
}

/// Proportional set size of a process, in KiB (`/proc/PID/smaps_rollup`).
pub fn pss_kib(pid: u32) -> Option<u64> {
    crate::measure::memory_of(pid).map(|m| m.pss)
}

/// Whether a process still runs (a zombie, terminated but not yet reaped, does not).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat.rsplit_once(')').map(|(_, rest)| rest.trim_start().starts_with('Z')))
        .is_some_and(|zombie| !zombie)
}

/// The person's own moves: a good one and a bad one, in `moves.toml`.
pub const MY_MOVES: &str = r#"
[[move]]
id = "towel-row"
name = "Towel row"
summary = "Pulls the shoulder blades together against a towel looped round a firm handle."
kind = "strength"
muscles = ["rhomboids", "lats"]
position = "standing"
micro = true
row = true
picture = "towel-row.svg"
cues = ["Loop a towel round a firm handle.", "Lean back with straight arms.", "Pull your chest to your hands."]
[[move.levels]]
dose = { reps = { reps = 8, tempo_seconds = 3 } }

[[move]]
id = "broken-move"
name = "Broken"
summary = "Has a single cue."
kind = "stretch"
muscles = ["chest"]
position = "either"
micro = true
cues = ["Only one."]
[[move.levels]]
dose = { hold = { hold_seconds = 20, reps = 1 } }
"#;

/// The picture the good move of [`MY_MOVES`] names: a figure leaning back from a handle.
pub const TOWEL_ROW_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 200"><g stroke="#357" stroke-width="10" stroke-linecap="round" fill="none"><line x1="20" y1="188" x2="220" y2="188" stroke="#999" stroke-width="3"/><circle cx="80" cy="40" r="12" fill="#357"/><line x1="86" y1="55" x2="110" y2="120"/><line x1="110" y1="120" x2="130" y2="185"/><line x1="92" y1="70" x2="190" y2="80"/><line x1="200" y1="20" x2="200" y2="188" stroke="#a86"/></g></svg>"##;
