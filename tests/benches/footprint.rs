//! What a break reminder costs while nobody looks at it: Unslouch against Workrave, RSIBreak and
//! Safe Eyes, each started in turn on a throw-away desktop of its own (all alike), and what Unslouch's window
//! costs when it is looked at. A benchmark: it reports, it never fails on a number.
//!
//!     scripts/benchmark.sh              (installs what it needs, builds, runs this, writes
//!                                        docs/benchmarks.md)
//!     cargo bench -p unslouch-e2e --bench footprint -- [--quick] [--only NAME] [--idle-only]
//!                                                        [--out FILE]
//!
//! `--idle-only` leaves out the window and the month: the runs at rest alone, as
//! `scripts/hot-functions.sh` watches them.
//!
//! Each desktop: Xvfb, a private session bus, a StatusNotifierWatcher standing for a panel (so
//! tray items register), dunst as the notification server, a second private bus standing for
//! the system bus, and fresh HOME and XDG folders for each app. For each app:
//! - startup: wall time from spawning until ready (its tray item registered with the watcher,
//!   or, for an app without one here, its first window on the screen), and the CPU seconds of
//!   its process tree by then;
//! - memory 60 s after ready: RSS, PSS and USS summed over the process tree;
//! - the next 2 minutes: CPU seconds of the tree, and voluntary context switches of all its
//!   threads (each is a thread going to sleep: a wake-up).
//!
//! Unslouch also the same way twice more, with a 1-minute natural-break threshold: with the
//! screen locked, and with nobody at the unlocked screen once it says they are away (it then
//! waits for their return).
//!
//! Unslouch's daemon is the plain release build (`UNSLOUCH_BENCH_BIN`, the folder it is in; the
//! script builds it). Its window is measured with release builds where the daemon has the test
//! clock (minutes pass in seconds): click on a reminder → the break view painted over cold
//! starts, the PSS of the window's process tree while open, the time from the close to the
//! last of its processes gone, and the daemon's PSS across 50 windows opened and closed. Then
//! the daemon (test clock, 10000× fast) through a simulated month of workdays, nights and
//! weekends, its PSS after the first workday and after the month.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use unslouch_e2e::app::{Home, alive, process_tree};
use unslouch_e2e::desktop::SystemBus;
use unslouch_e2e::dunst::Dunst;
use unslouch_e2e::measure::{self, Memory};
use unslouch_e2e::paint::{Painted, Watcher, shows_break};
use unslouch_e2e::report;
use unslouch_e2e::watcher::TrayWatcher;
use unslouch_e2e::{Daemon, Desktop, Notifications, active_until, wait_for};

/// How long each phase lasts.
#[derive(Debug, Clone, Copy)]
struct Phases {
    /// From ready to the memory reading.
    settle: Duration,
    /// The idle period whose CPU and wake-ups are counted.
    idle: Duration,
    /// Cold starts of the window.
    paint_rounds: usize,
    /// Windows opened and closed for the daemon's drift.
    cycles: usize,
    /// Days of the simulated month.
    month_days: u32,
}

const FULL: Phases = Phases {
    settle: Duration::from_secs(60),
    idle: Duration::from_secs(120),
    paint_rounds: 20,
    cycles: 50,
    month_days: 30,
};
/// A run to see that everything works (about 3 minutes), not to quote.
const QUICK: Phases = Phases {
    settle: Duration::from_secs(5),
    idle: Duration::from_secs(10),
    paint_rounds: 3,
    cycles: 3,
    month_days: 3,
};

/// One app under test.
#[derive(Debug, Clone)]
struct App {
    name: &'static str,
    /// The Debian package it comes from (for its version), if any.
    package: Option<&'static str>,
    program: PathBuf,
    args: Vec<&'static str>,
    /// Settings written before it starts (Unslouch's `settings.toml`).
    settings: Option<&'static str>,
}

/// What one app cost.
#[derive(Debug, Clone)]
struct Row {
    name: String,
    version: String,
    ready_by: &'static str,
    startup_wall: f64,
    startup_cpu: f64,
    processes: usize,
    threads: usize,
    memory: Memory,
    idle_cpu: f64,
    idle_switches: u64,
    idle_seconds: f64,
    /// For the locked and away runs: what the daemon said it was doing.
    note: String,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let idle_only = args.iter().any(|a| a == "--idle-only");
    let phases = if quick { QUICK } else { FULL };
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1));
    let only = value("--only").cloned();
    let out = value("--out").map(PathBuf::from);
    let bin = std::env::var_os("UNSLOUCH_BENCH_BIN").map(PathBuf::from).expect(
        "UNSLOUCH_BENCH_BIN names the folder of the plain release build (scripts/benchmark.sh)",
    );

    let apps = [
        App {
            name: "Unslouch",
            package: None,
            program: bin.join("unslouch"),
            args: vec![],
            settings: None,
        },
        App {
            name: "Workrave",
            package: Some("workrave"),
            program: "/usr/bin/workrave".into(),
            args: vec![],
            settings: None,
        },
        App {
            name: "RSIBreak",
            package: Some("rsibreak"),
            program: "/usr/bin/rsibreak".into(),
            args: vec![],
            settings: None,
        },
        App {
            name: "Safe Eyes",
            package: Some("safeeyes"),
            program: "/usr/bin/safeeyes".into(),
            args: vec![],
            settings: None,
        },
    ];
    let wanted = |name: &str| only.as_deref().is_none_or(|o| name.eq_ignore_ascii_case(o));

    let mut rows = Vec::new();
    for app in apps.iter().filter(|a| wanted(a.name)) {
        eprintln!("== {}", app.name);
        match idle_run(app, phases, Mode::Rest) {
            Ok(row) => rows.push(row),
            Err(e) => eprintln!("{}: not measured: {e}", app.name),
        }
    }
    let mut absent = Vec::new();
    if wanted("Unslouch") {
        for (mode, name) in [
            (Mode::Locked, "Unslouch (locked past the natural-break threshold)"),
            (Mode::Away, "Unslouch (away past the natural-break threshold, unlocked)"),
        ] {
            eprintln!("== {name}");
            let app =
                App { settings: Some("natural_break_minutes = 1\n"), name, ..apps[0].clone() };
            match idle_run(&app, phases, mode) {
                Ok(row) => absent.push((mode, row)),
                Err(e) => eprintln!("{name}: {e}"),
            }
        }
    }
    // A failure there (a window that never came) must not lose the figures above.
    let window = (wanted("Unslouch") && !idle_only)
        .then(|| std::panic::catch_unwind(|| window_run(phases)))
        .and_then(|run| run.map_err(|_| eprintln!("the window's part failed: see above")).ok());

    let month = (wanted("Unslouch") && !idle_only)
        .then(|| std::panic::catch_unwind(|| month_run(phases)))
        .and_then(|run| run.map_err(|_| eprintln!("the month's part failed: see above")).ok());

    let report = report(&rows, &absent, window.as_ref(), month.as_ref(), phases, &bin, quick);
    println!("{report}");
    if let Some(out) = out {
        let written = report::write(&out, PART, &report);
        eprintln!("written to {}", written.display());
    }
}

/// Where the figures go in `docs/benchmarks.md`: what is written around them by hand (what
/// they mean, what was changed and measured before) stays.
const PART: report::Part = report::Part {
    begin: "<!-- benchmark:begin (written by scripts/benchmark.sh) -->\n",
    end: "<!-- benchmark:end -->\n",
};

/// What the person does while an app is measured at rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Nothing, from the start: measured before a 5-minute natural-break threshold is reached.
    Rest,
    /// The screen locked once ready, measured past a 1-minute threshold (Unslouch only).
    Locked,
    /// Nothing, measured once Unslouch says the person is away (1-minute threshold), the screen
    /// unlocked: it waits for their return.
    Away,
}

/// Start `app` on a fresh desktop and measure it at rest, as `mode` says.
fn idle_run(app: &App, phases: Phases, mode: Mode) -> Result<Row, String> {
    if !app.program.exists() {
        return Err(format!("{} is not installed", app.program.display()));
    }
    let desktop = Desktop::start();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let panel = rt.block_on(TrayWatcher::start(&desktop.bus));
    let home = Home::new();
    let _dunst = Dunst::start(&desktop, &home, "[global]\n");
    // A person's home as a desktop sets it up: the XDG folders where they are by default (an
    // app may assume `~/.config`), and the runtime folder.
    let folder = |sub: &str| {
        let path = home.path(sub);
        std::fs::create_dir_all(&path).unwrap();
        path.display().to_string()
    };
    // A system bus too (Safe Eyes will not start without one); nothing serves on it.
    let system_bus = SystemBus::start();
    let mut env = desktop.env();
    env.push(("DBUS_SYSTEM_BUS_ADDRESS".into(), system_bus.address.clone()));
    env.extend([
        ("HOME".to_string(), home.root.path().display().to_string()),
        ("XDG_CONFIG_HOME".into(), folder(".config")),
        ("XDG_DATA_HOME".into(), folder(".local/share")),
        ("XDG_STATE_HOME".into(), folder(".local/state")),
        ("XDG_CACHE_HOME".into(), folder(".cache")),
        ("XDG_RUNTIME_DIR".into(), folder("run")),
    ]);
    if let Some(settings) = app.settings {
        std::fs::create_dir_all(home.path(".config/unslouch")).unwrap();
        std::fs::write(home.path(".config/unslouch/settings.toml"), settings).unwrap();
    }
    env.push(("QT_QPA_PLATFORM".into(), "xcb".into()));
    let started = Instant::now();
    let mut child = Command::new(&app.program)
        .args(&app.args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", app.program.display()))?;
    let pid = child.id();
    let ready = wait_for(Duration::from_secs(30), || {
        if !panel.items().is_empty() {
            return Some("tray item");
        }
        visible_window(&desktop, pid).then_some("window")
    });
    let startup_wall = started.elapsed().as_secs_f64();
    let tree = process_tree(pid);
    let startup_cpu = measure::cpu_seconds(&tree);
    let Some(ready_by) = ready else {
        stop(&mut child);
        return Err("neither a tray item nor a window within 30 s".into());
    };
    eprintln!("ready by its {ready_by} after {startup_wall:.2} s, {startup_cpu:.2} s of CPU");
    let mut note = String::new();
    let status = || {
        let out = Command::new(&app.program)
            .args(["status"])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or_default().into())
            .unwrap_or_else(|e| format!("(status: {e})"))
    };
    if mode == Mode::Away {
        eprintln!("no input; waiting for the daemon to say the person is away");
        let away = wait_for(Duration::from_secs(90), || {
            let line = status();
            line.to_lowercase().contains("away").then_some(line)
        });
        let Some(line) = away else {
            stop(&mut child);
            return Err(format!("not away after 90 s: {}", status()));
        };
        note = line;
        eprintln!("status: {note}");
    }
    if mode == Mode::Locked {
        // Locked only once the daemon listens for it (idleness alone would also read "away").
        let log = home.path(".local/state/unslouch/unslouch.log");
        let listening = wait_for(Duration::from_secs(10), || {
            std::fs::read_to_string(&log)
                .is_ok_and(|t| t.contains("listening to the screensaver"))
                .then_some(())
        });
        if listening.is_none() {
            stop(&mut child);
            return Err("the daemon did not listen to the screensaver".into());
        }
        let conn = rt
            .block_on(zbus::connection::Builder::address(desktop.bus.as_str()).unwrap().build())
            .unwrap();
        rt.block_on(unslouch_e2e::desktop::screensaver_active(&conn, true));
        eprintln!("locked; waiting 65 s for the natural-break threshold to pass");
        std::thread::sleep(Duration::from_secs(65));
        note = status();
        eprintln!("status: {note}");
    }
    std::thread::sleep(phases.settle);
    let tree = process_tree(pid);
    let memory = measure::memory(&tree);
    let threads = measure::threads(&tree).len();
    let (cpu0, switches0) = (measure::cpu(&tree), measure::voluntary_switches(&tree));
    let idle_started = Instant::now();
    std::thread::sleep(phases.idle);
    let tree = process_tree(pid);
    let (cpu1, switches1) = (measure::cpu(&tree), measure::voluntary_switches(&tree));
    let idle_seconds = idle_started.elapsed().as_secs_f64();
    stop(&mut child);
    let row = Row {
        name: app.name.to_string(),
        version: version(app),
        ready_by,
        startup_wall,
        startup_cpu,
        processes: tree.len(),
        threads,
        memory,
        idle_cpu: cpu1.since(&cpu0),
        idle_switches: switches1.saturating_sub(switches0),
        idle_seconds,
        note,
    };
    eprintln!("{row:?}");
    Ok(row)
}

/// Whether a window of process `pid` is on the screen.
fn visible_window(desktop: &Desktop, pid: u32) -> bool {
    Command::new("xdotool")
        .env("DISPLAY", &desktop.display)
        .args(["search", "--onlyvisible", "--pid", &pid.to_string()])
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
}

/// End an app and everything it started.
fn stop(child: &mut Child) {
    let tree = process_tree(child.id());
    for pid in tree.iter().rev() {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
    let gone = wait_for(Duration::from_secs(5), || tree.iter().all(|p| !alive(*p)).then_some(()));
    if gone.is_none() {
        for pid in &tree {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }
    let _ = child.wait();
}

fn version(app: &App) -> String {
    match app.package {
        Some(package) => Command::new("dpkg-query")
            .args(["-W", "-f", "${Version}", package])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
            .unwrap_or_default(),
        None => env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// What the window cost.
#[derive(Debug)]
struct WindowRow {
    paint_ms: Vec<f64>,
    /// Click → the window exists on the X server (before its page has painted).
    window_ms: Vec<f64>,
    window_pss_kib: Vec<u64>,
    window_processes: usize,
    gone_s: Vec<f64>,
    /// Windows whose processes had not ended 10 s after they were closed.
    not_ended: usize,
    daemon_before_kib: u64,
    daemon_after_kib: u64,
    cycles: usize,
}

/// Unslouch's window: cold starts from a clicked reminder, then windows opened and closed.
fn window_run(phases: Phases) -> WindowRow {
    let desktop = Desktop::start();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let notifications = rt.block_on(Notifications::start(&desktop.bus));
    let home = Home::new();
    home.write_settings("interval_minutes = 5\nhold_while_typing = false\n");
    let daemon = Daemon::start(&desktop, &home, 60);
    let watcher = Watcher::connect(&desktop.display);
    let mut row = WindowRow {
        paint_ms: Vec::new(),
        window_ms: Vec::new(),
        window_pss_kib: Vec::new(),
        window_processes: 0,
        gone_s: Vec::new(),
        not_ended: 0,
        daemon_before_kib: 0,
        daemon_after_kib: 0,
        cycles: phases.cycles,
    };
    for round in 0..phases.paint_rounds {
        let seen = notifications.shown().len();
        let shown = active_until(&desktop, Duration::from_secs(30), || {
            notifications.shown().get(seen).cloned()
        })
        .unwrap_or_else(|| panic!("reminder {round} came\n{}", home.log()));
        let clicked = Instant::now();
        rt.block_on(notifications.click(shown.id, "default"));
        // Told by the X server: when the window exists (its title set, before any page), and
        // when it shows the break view (the page painted with the daemon's break on it).
        let Painted { created, painted } = watcher
            .wait_for_paint("Unslouch", Duration::from_secs(10), shows_break)
            .expect("the break view painted");
        let ms = (painted - clicked).as_secs_f64() * 1000.0;
        let created_ms = (created - clicked).as_secs_f64() * 1000.0;
        row.window_ms.push(created_ms);
        let windows =
            wait_for(Duration::from_secs(5), || Some(daemon.windows()).filter(|w| !w.is_empty()))
                .unwrap_or_default();
        let tree: Vec<u32> = windows.iter().flat_map(|(pid, _)| process_tree(*pid)).collect();
        let pss = measure::memory(&tree).pss;
        eprintln!(
            "round {round}: click to window {created_ms:.0} ms, to paint {ms:.0} ms; window tree {} processes, PSS {} KiB",
            tree.len(),
            pss
        );
        row.paint_ms.push(ms);
        row.window_pss_kib.push(pss);
        row.window_processes = row.window_processes.max(tree.len());
        let ended = wait_for(Duration::from_secs(10), || {
            (daemon.status()["state"] != "in_break").then_some(())
        });
        if ended.is_none() {
            eprintln!("round {round}: the break had not ended after 10 s; closing anyway");
        }
        match close_and_time(&desktop, &tree) {
            Some(s) => row.gone_s.push(s),
            None => row.not_ended += 1,
        }
    }
    // The daemon across windows opened and closed (the settings, from the command line).
    std::thread::sleep(Duration::from_secs(2));
    row.daemon_before_kib = unslouch_e2e::app::pss_kib(daemon.pid()).unwrap_or(0);
    for cycle in 0..phases.cycles {
        assert!(daemon.cli(&["settings"]).status.success());
        let windows = wait_for(Duration::from_secs(10), || {
            Some(daemon.windows())
                .filter(|w| !w.is_empty() && !desktop.find_windows("Unslouch").is_empty())
        })
        .unwrap_or_else(|| panic!("window {cycle} opened\n{}", home.log()));
        let tree: Vec<u32> = windows.iter().flat_map(|(pid, _)| process_tree(*pid)).collect();
        // Up long enough to have talked to the daemon (it subscribes as it starts).
        std::thread::sleep(Duration::from_millis(500));
        if close_and_time(&desktop, &tree).is_none() {
            row.not_ended += 1;
        }
    }
    std::thread::sleep(Duration::from_secs(2));
    row.daemon_after_kib = unslouch_e2e::app::pss_kib(daemon.pid()).unwrap_or(0);
    eprintln!("{row:?}");
    row
}

/// The simulated month's clock: a day in under 9 s.
const MONTH_SCALE: u32 = 10_000;

/// What a month of use did to the daemon.
#[derive(Debug)]
struct MonthRow {
    days: u32,
    workdays: u32,
    reminders: usize,
    notifications: usize,
    events: usize,
    first_day_kib: u64,
    after_kib: u64,
    real_seconds: f64,
}

/// The daemon through a month of use on the test clock: workdays of two 4-hour stretches at
/// the desk around an hour's lunch, each night and weekend locked, every reminder answered in
/// turn (skip, snooze, none). Its PSS is read after the first workday and after the month.
fn month_run(phases: Phases) -> MonthRow {
    let desktop = Desktop::start();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let notifications = rt.block_on(Notifications::start(&desktop.bus));
    let screensaver = rt
        .block_on(zbus::connection::Builder::address(desktop.bus.as_str()).unwrap().build())
        .unwrap();
    let home = Home::new();
    // At this scale a nudge every 20 ms is 200 s of simulated stillness, and a slow `xdotool`
    // more: a natural break only after 30 minutes keeps the person at the desk while the
    // pointer moves (lunch is still one).
    home.write_settings("natural_break_minutes = 30\nhold_while_typing = false\n");
    let daemon = Daemon::start(&desktop, &home, MONTH_SCALE);
    let listening = wait_for(Duration::from_secs(10), || {
        home.log().contains("listening to the screensaver").then_some(())
    });
    assert!(listening.is_some(), "the daemon listens to the screensaver\n{}", home.log());
    let real = |hours: f64| Duration::from_secs_f64(hours * 3600.0 / f64::from(MONTH_SCALE));
    let lock = |on: bool| {
        rt.block_on(unslouch_e2e::desktop::screensaver_active(&screensaver, on));
    };
    // Notifications seen, and reminders among them (the rest: invitations to a full session,
    // left unanswered).
    let (mut seen, mut reminders) = (0, 0);
    let answers = ["skip", "snooze", ""];
    let mut work = |hours: f64| {
        let end = Instant::now() + real(hours);
        while Instant::now() < end {
            desktop.nudge();
            let shown = notifications.shown();
            for notification in shown.iter().skip(seen) {
                if notification.actions.iter().any(|(k, _)| k == "skip") {
                    let action = answers[reminders % answers.len()];
                    if !action.is_empty() {
                        rt.block_on(notifications.click(notification.id, action));
                    }
                    reminders += 1;
                }
                seen += 1;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let started = Instant::now();
    let mut first_day_kib = 0;
    let mut workdays = 0;
    for day in 0..phases.month_days {
        if day % 7 < 5 {
            workdays += 1;
            work(4.0);
            std::thread::sleep(real(1.0));
            work(4.0);
            lock(true);
            std::thread::sleep(real(15.0));
        } else {
            std::thread::sleep(real(24.0));
        }
        if day == 0 {
            first_day_kib = unslouch_e2e::app::pss_kib(daemon.pid()).expect("the daemon runs");
            eprintln!("after the first workday: PSS {first_day_kib} KiB");
        }
        // The next morning, unlocked for a workday; a weekend stays locked.
        if (day + 1) % 7 < 5 {
            lock(false);
        }
    }
    let real_seconds = started.elapsed().as_secs_f64();
    lock(true);
    std::thread::sleep(Duration::from_secs(2));
    let after_kib = unslouch_e2e::app::pss_kib(daemon.pid()).expect("the daemon runs");
    let events = rusqlite::Connection::open(home.history_db())
        .and_then(|c| c.query_row("SELECT count(*) FROM events", [], |r| r.get::<_, i64>(0)))
        .map_or(0, |n| n as usize);
    let row = MonthRow {
        days: phases.month_days,
        workdays,
        reminders,
        notifications: notifications.shown().len(),
        events,
        first_day_kib,
        after_kib,
        real_seconds,
    };
    eprintln!("{row:?}");
    assert!(daemon.status()["state"].is_string(), "the daemon still answers");
    row
}

/// Close the window and time until every process of `tree` is gone; `None` when they had not
/// ended 10 s after the first request (they are then killed, so the next round starts clean).
/// A request that found no window is made again every 500 ms.
fn close_and_time(desktop: &Desktop, tree: &[u32]) -> Option<f64> {
    let asked = Instant::now();
    let mut next_ask = asked;
    let gone = wait_for(Duration::from_secs(10), || {
        if tree.iter().all(|pid| !alive(*pid)) {
            return Some(Instant::now());
        }
        if Instant::now() >= next_ask {
            desktop.close_window("Unslouch");
            next_ask = Instant::now() + Duration::from_millis(500);
        }
        None
    });
    if gone.is_none() {
        eprintln!("the window's processes had not ended 10 s after closing: killed");
        for pid in tree {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
        let _ = wait_for(Duration::from_secs(5), || tree.iter().all(|p| !alive(*p)).then_some(()));
    }
    gone.map(|g| (g - asked).as_secs_f64())
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    // Nearest rank.
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v[rank.min(v.len()) - 1]
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let ram_kib: u64 = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_default();
    format!(
        "{cpu}, {cores} cores, {:.0} GiB; {os}, Linux {}",
        ram_kib as f64 / 1048576.0,
        kernel.trim()
    )
}

fn report(
    rows: &[Row],
    absent: &[(Mode, Row)],
    window: Option<&WindowRow>,
    month: Option<&MonthRow>,
    phases: Phases,
    bin: &Path,
    quick: bool,
) -> String {
    let date = jiff::Zoned::now().strftime("%Y-%m-%d %H:%M %Z").to_string();
    let mut s = String::new();
    s += "## The last run\n\n";
    if quick {
        s += "**A quick run (`--quick`): phases too short to quote.**\n\n";
    }
    s += &format!("Measured {date} on {}.\n\n", machine());
    s += "Re-run with `scripts/benchmark.sh` (Debian or Ubuntu: it installs Xvfb, dbus, dunst and the \
          peers from the distribution, builds Unslouch, runs `cargo bench -p unslouch-e2e --bench \
          footprint` and writes this file). Every app runs in turn on a throw-away desktop of its own, \
          all alike (Xvfb, a private session bus and one standing for the system bus, a StatusNotifierWatcher \
          standing for the panel, dunst for notifications) with fresh HOME and XDG folders, so with its default settings. Sums are \
          over the app's whole process tree. PSS is counted against the processes of this run: \
          nothing else on the machine maps these programs' libraries, so shared libraries count \
          almost in full.\n\n";
    s += &format!(
        "### At rest\n\nMemory {} s after ready; CPU and wake-ups (voluntary context switches of all \
         threads) over the next {} s.\n\n",
        phases.settle.as_secs(),
        phases.idle.as_secs()
    );
    // A peer that measured nothing (it had gone) is no lightest.
    let peers: Vec<&Row> =
        rows.iter().filter(|r| r.name != "Unslouch" && r.memory.pss > 0).collect();
    let lightest = peers.iter().min_by_key(|r| r.memory.pss);
    s += "| App | Version | Ready by | Startup (s) | Startup CPU (s) | Processes / threads | RSS (MiB) | PSS (MiB) | USS (MiB) | Idle CPU (s) | Wake-ups (/s) | PSS vs lightest peer |\n";
    s += "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for r in rows.iter().chain(absent.iter().map(|(_, r)| r)) {
        let ratio = lightest.map_or("—".to_string(), |l| {
            if r.memory.pss == 0 {
                "—".into()
            } else if r.name == l.name {
                "1×".into()
            } else if l.memory.pss >= r.memory.pss {
                format!("{:.1}× lighter", l.memory.pss as f64 / r.memory.pss as f64)
            } else {
                format!("{:.1}× heavier", r.memory.pss as f64 / l.memory.pss as f64)
            }
        });
        s += &format!(
            "| {} | {} | {} | {:.2} | {:.3} | {} / {} | {} | {} | {} | {:.3} | {:.3} | {} |\n",
            r.name,
            r.version,
            r.ready_by,
            r.startup_wall,
            r.startup_cpu,
            r.processes,
            r.threads,
            mib(r.memory.rss),
            mib(r.memory.pss),
            mib(r.memory.uss),
            r.idle_cpu,
            r.idle_switches as f64 / r.idle_seconds,
            ratio
        );
    }
    for (mode, r) in absent {
        s += &match mode {
            Mode::Locked => format!(
                "\nLocked: the screen locked (`ActiveChanged`) once ready, with `natural_break_minutes = 1`, and measured after 65 s; the daemon then said: “{}”.\n",
                r.note
            ),
            _ => format!(
                "\nAway, unlocked: no input from the start, with `natural_break_minutes = 1`, measured once the daemon said the person was away (it then waits for their return; the X server's alarm tells it); the daemon said: “{}”.\n",
                r.note
            ),
        };
    }
    if let Some(l) = lightest {
        s += &format!("\nThe lightest peer here is {} ({} MiB PSS).\n", l.name, mib(l.memory.pss));
    }
    if let Some(w) = window {
        let pss: Vec<f64> = w.window_pss_kib.iter().map(|k| *k as f64).collect();
        s += &format!(
            "\n### The window\n\n{} cold starts: a reminder clicked (our notification server emits \
             `ActionInvoked`) until the break view shows on the X server (the accent colour below \
             the window's header: the timer's ring, read each time the server says the window \
             changed); the window's process tree ({} processes: the window and WebKit's) measured just after; \
             then closed, and timed until its last process is gone. The daemon here is a release \
             build with the test clock (60× fast).\n\n",
            w.paint_ms.len(),
            w.window_processes
        );
        s += "| Measure | Median | 90th percentile | Worst |\n|---|---:|---:|---:|\n";
        s += &format!(
            "| Click → break view painted (ms) | {:.0} | {:.0} | {:.0} |\n",
            percentile(&w.paint_ms, 50.0),
            percentile(&w.paint_ms, 90.0),
            percentile(&w.paint_ms, 100.0)
        );
        s += &format!(
            "| … of which click → the window exists on the X server (ms) | {:.0} | {:.0} | {:.0} |\n",
            percentile(&w.window_ms, 50.0),
            percentile(&w.window_ms, 90.0),
            percentile(&w.window_ms, 100.0)
        );
        s += &format!(
            "| Window tree PSS while open (MiB) | {:.1} | {:.1} | {:.1} |\n",
            percentile(&pss, 50.0) / 1024.0,
            percentile(&pss, 90.0) / 1024.0,
            percentile(&pss, 100.0) / 1024.0
        );
        s += &format!(
            "| Close → every window process gone (s) | {:.2} | {:.2} | {:.2} |\n",
            percentile(&w.gone_s, 50.0),
            percentile(&w.gone_s, 90.0),
            percentile(&w.gone_s, 100.0)
        );
        if w.not_ended > 0 {
            s += &format!(
                "\n{} of the windows closed had processes left 10 s after the close (killed; \
                 not in the figures above).\n",
                w.not_ended
            );
        }
        s += &format!(
            "\nThe daemon's PSS before and after {} more windows opened and closed (the settings, \
             from the command line): {} MiB → {} MiB ({:+.2} MiB).\n",
            w.cycles,
            mib(w.daemon_before_kib),
            mib(w.daemon_after_kib),
            (w.daemon_after_kib as f64 - w.daemon_before_kib as f64) / 1024.0
        );
    }
    if let Some(m) = month {
        s += &format!(
            "\n### A month\n\nThe daemon (release, test clock {}× fast) through {} simulated days in {:.0} s: \
             on each of {} workdays 4 h at the desk, an hour away for lunch, 4 h more, then the \
             screen locked overnight; weekends locked. Its {} reminders (with their repeats; \
             {} notifications in all, with the invitations to a full session) were answered in \
             turn skip, snooze, none. History: {} events. PSS after the first workday {} MiB, \
             after the month {} MiB ({:+.2} MiB).\n",
            MONTH_SCALE,
            m.days,
            m.real_seconds,
            m.workdays,
            m.reminders,
            m.notifications,
            m.events,
            mib(m.first_day_kib),
            mib(m.after_kib),
            (m.after_kib as f64 - m.first_day_kib as f64) / 1024.0
        );
    }
    let size = |name: &str| std::fs::metadata(bin.join(name)).map_or(0, |m| m.len());
    s += &format!(
        "\n### Programs\n\nRelease builds: `unslouch` {:.2} MB, `unslouch-window` {:.2} MB.\n",
        size("unslouch") as f64 / 1e6,
        size("unslouch-window") as f64 / 1e6
    );
    s
}
