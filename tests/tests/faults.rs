//! Faults injected into the real daemon on a throw-away desktop: each case names what must hold
//! (it still answers, nothing is lost, a warning is shown) and asserts it.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use unslouch_e2e::app::Home;
use unslouch_e2e::mutter::{Behaviour, Mutter};
use unslouch_e2e::{Daemon, Desktop, binaries, wait_for};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// The session bus only: no X display, so no idle source (desk time is all the time).
fn bus_only(desktop: &Desktop) -> Vec<(String, String)> {
    vec![("DBUS_SESSION_BUS_ADDRESS".into(), desktop.bus.clone())]
}

/// Voluntary context switches of each of a process's threads (by thread id): how often each
/// went to sleep.
fn voluntary_switches(pid: u32) -> std::collections::HashMap<String, u64> {
    let mut out = std::collections::HashMap::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap().flatten() {
        let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
        let n = status
            .lines()
            .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(0);
        out.insert(task.file_name().to_string_lossy().into_owned(), n);
    }
    out
}

/// Switches made between two samples, over the threads alive at the second.
fn switches_between(
    before: &std::collections::HashMap<String, u64>,
    after: &std::collections::HashMap<String, u64>,
) -> u64 {
    after.iter().map(|(tid, n)| n - before.get(tid).copied().unwrap_or(0)).sum()
}

/// CPU time of a process (user + system), in clock ticks (1/100 s).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let rest = stat.rsplit_once(')').unwrap().1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

fn signal(pid: u32, sig: &str) {
    let ok = Command::new("kill").args([sig, &pid.to_string()]).status().unwrap().success();
    assert!(ok, "kill {sig} {pid}");
}

/// Run the daemon binary with `env` and no arguments, as a person starting it; its exit and
/// stderr, or `None` when it was still running after `limit` (it is then killed).
fn run_briefly(env: &[(String, String)], limit: Duration) -> Option<(bool, String)> {
    let mut child = Command::new(&binaries().daemon)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_for(limit, || child.try_wait().ok().flatten());
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
        return None;
    }
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    Some((status.unwrap().success(), err))
}

/// The daemon never found a deadline already due (it logs and counts each one).
fn assert_no_past_deadline(home: &Home) {
    let log = home.log();
    assert!(!log.contains("a deadline already due"), "{log}");
}

/// `status --json` and how long it took.
fn timed_status(daemon: &Daemon) -> (serde_json::Value, Duration) {
    let start = Instant::now();
    let status = daemon.status();
    (status, start.elapsed())
}

/// Announce the screensaver on or off, as a desktop does around a lock.
fn screensaver(rt: &tokio::runtime::Runtime, bus: &str, on: bool) {
    let conn =
        rt.block_on(zbus::connection::Builder::address(bus).unwrap().build()).expect("connects");
    rt.block_on(unslouch_e2e::desktop::screensaver_active(&conn, on));
}

/// Desk seconds recorded in history since the last break or skip.
fn recorded_since_reset(home: &Home) -> u64 {
    let conn = rusqlite::Connection::open(home.history_db()).unwrap();
    let last_reset: i64 = conn
        .query_row(
            "SELECT coalesce(max(id), 0) FROM events WHERE kind IN \
             ('break_finished', 'natural_break', 'skipped')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut stmt = conn.prepare("SELECT data FROM events WHERE kind = 'desk' AND id > ?1").unwrap();
    stmt.query_map([last_reset], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|d| {
            let v: serde_json::Value = serde_json::from_str(&d.unwrap()).unwrap();
            v["seconds"].as_u64().unwrap()
        })
        .sum()
}

#[test]
fn locked_past_the_threshold_without_idle_detection_the_daemon_sleeps() {
    let desktop = Desktop::start();
    let home = Home::new();
    let rt = runtime();
    home.write_settings("natural_break_minutes = 1\n");
    // ×60: the one-minute threshold passes in a second of real time.
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 60);
    let listening = wait_for(Duration::from_secs(10), || {
        home.log().contains("listening to the screensaver").then_some(())
    });
    assert!(listening.is_some(), "{}", home.log());
    screensaver(&rt, &desktop.bus, true);
    let counted =
        wait_for(Duration::from_secs(10), || (home.events("natural_break") == 1).then_some(()));
    assert!(counted.is_some(), "the lock became a natural break\n{}", home.log());
    // Not a wait for readiness: a second for the work the lock set off (the history write,
    // the last reading) to finish, so that what follows counts only the daemon at rest.
    std::thread::sleep(Duration::from_secs(1));
    let pid = daemon.pid();
    let (switches, ticks) = (voluntary_switches(pid), cpu_ticks(pid));
    // The point of the test: a minute of real time (an hour at ×60) locked, counting wake-ups.
    std::thread::sleep(Duration::from_secs(60));
    let woke = switches_between(&switches, &voluntary_switches(pid));
    let cpu = cpu_ticks(pid) - ticks;
    println!(
        "locked, no idle source, 60 s (an hour at ×60): {woke} voluntary context switches, {cpu} CPU ticks"
    );
    assert!(woke <= 5, "{woke} wake-ups in 60 s while locked\n{}", home.log());
    assert_eq!(daemon.status()["state"], "away");
    screensaver(&rt, &desktop.bus, false);
    let back =
        wait_for(Duration::from_secs(5), || (daemon.status()["state"] == "working").then_some(()));
    assert!(back.is_some(), "the unlock brings the person back");
    assert_no_past_deadline(&home);
}

const DUNSTRC: &str = "[global]\n    idle_threshold = 0\n";

#[test]
fn a_stuck_notification_server_delays_neither_status_nor_a_break() {
    let desktop = Desktop::start();
    let home = Home::new();
    let dunst = unslouch_e2e::dunst::Dunst::start(&desktop, &home, DUNSTRC);
    // Alive but stuck: it holds its name on the bus and answers nothing.
    signal(dunst.pid(), "-STOP");
    home.write_settings("interval_minutes = 5\nhold_while_typing = false\n");
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 60);
    // Five minutes of desk time pass in five seconds: the reminder goes to the stuck server.
    let due =
        wait_for(Duration::from_secs(20), || (daemon.status()["state"] == "due").then_some(()));
    assert!(due.is_some(), "a reminder fell due\n{}", home.log());
    let mut slowest = Duration::ZERO;
    for _ in 0..20 {
        let (_, took) = timed_status(&daemon);
        slowest = slowest.max(took);
        // A status bar's pace, not a wait.
        std::thread::sleep(Duration::from_millis(50));
    }
    println!("status with a stuck notification server: slowest of 20 took {slowest:?}");
    assert!(slowest < Duration::from_millis(200), "status took {slowest:?}");
    // A break started meanwhile runs its timeline to the end (about a minute, at ×60).
    let out = daemon.cli(&["break"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(daemon.status()["state"], "in_break");
    let ended =
        wait_for(Duration::from_secs(10), || (home.events("break_finished") == 1).then_some(()));
    assert!(ended.is_some(), "the break ran to its end\n{}", home.log());
    let (_, took) = timed_status(&daemon);
    assert!(took < Duration::from_millis(200), "status took {took:?}");
    signal(dunst.pid(), "-CONT");
}

#[test]
fn the_control_socket_survives_idle_floods_long_lines_bad_bytes_and_a_deaf_subscriber() {
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 1);
    let pid = daemon.pid();
    let ticks = cpu_ticks(pid);

    // 1,100 connections that say nothing.
    let idle: Vec<UnixStream> =
        (0..1100).filter_map(|_| UnixStream::connect(home.socket()).ok()).collect();
    let fds = open_fds(pid);
    println!("{} idle connections open; the daemon holds {fds} descriptors", idle.len());
    assert!(fds < 300, "the daemon holds {fds} descriptors");
    let answered = wait_for(Duration::from_secs(8), || {
        daemon.cli(&["status", "--json"]).status.success().then_some(())
    });
    assert!(answered.is_some(), "status answers while idle connections are held");
    drop(idle);

    // A 2 MiB line without a newline gets an error, and the connection is closed.
    let mut long = UnixStream::connect(home.socket()).unwrap();
    long.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = long.write_all(&vec![b'x'; 2 << 20]);
    let mut reply = String::new();
    let _ = long.read_to_string(&mut reply);
    assert!(reply.contains("too long"), "{reply}");

    // Bytes that are not UTF-8.
    let mut bad = UnixStream::connect(home.socket()).unwrap();
    bad.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    bad.write_all(b"\xff\xfe{\"request\":\"snapshot\"}\n").unwrap();
    let mut reply = String::new();
    let _ = bad.read_to_string(&mut reply);
    assert!(reply.contains("bad_request"), "{reply}");

    // Half a request, then nothing: closed after a while, not kept forever.
    let mut half = UnixStream::connect(home.socket()).unwrap();
    half.write_all(b"{\"request\":").unwrap();
    half.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let started = Instant::now();
    let mut sink = Vec::new();
    let _ = half.read_to_end(&mut sink);
    assert!(started.elapsed() < Duration::from_secs(14), "a half-sent request is dropped");

    // A request that arrives in pieces on a subscribed connection is still answered.
    let mut pieces = UnixStream::connect(home.socket()).unwrap();
    pieces.write_all(b"{\"request\":\"subscribe\"}\n").unwrap();
    pieces.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    for piece in [&b"{\"request\":"[..], b"\"get_settings\"", b"}\n"] {
        pieces.write_all(piece).unwrap();
        // The point: the pieces arrive apart, each read on its own.
        std::thread::sleep(Duration::from_millis(150));
    }
    let mut got = Vec::new();
    let mut buf = [0u8; 65536];
    let found = wait_for(Duration::from_secs(5), || {
        let n = pieces.read(&mut buf).ok()?;
        got.extend_from_slice(&buf[..n]);
        String::from_utf8_lossy(&got).contains("\"settings\"").then_some(())
    });
    assert!(found.is_some(), "a request sent in pieces is answered");

    let cpu = cpu_ticks(pid) - ticks;
    println!("CPU over the whole abuse: {cpu} ticks");
    assert!(cpu < 500, "the daemon spent {cpu} ticks");
    assert_eq!(daemon.status()["state"], "working");
}

#[test]
fn a_subscriber_that_never_reads_delays_nothing_and_is_dropped() {
    let desktop = Desktop::start();
    let home = Home::new();
    // ×1000: the snapshot changes every millisecond, so there is always a new one to push.
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 1000);
    // A subscriber that never reads while a status bar polls at 20 Hz.
    let mut deaf = UnixStream::connect(home.socket()).unwrap();
    deaf.write_all(b"{\"request\":\"subscribe\"}\n").unwrap();
    let mut slowest = Duration::ZERO;
    for _ in 0..100 {
        let (_, took) = timed_status(&daemon);
        slowest = slowest.max(took);
        // A status bar at 20 Hz, not a wait.
        std::thread::sleep(Duration::from_millis(50));
    }
    println!("status at 20 Hz beside a deaf subscriber: slowest {slowest:?}");
    assert!(slowest < Duration::from_millis(500), "status took {slowest:?}");
    // Then snapshots as fast as they come, until its socket is full: it is dropped, not
    // waited for.
    let mut fast = daemon.client();
    for _ in 0..5000 {
        fast.request(&unslouch_ipc::Request::Snapshot).unwrap();
    }
    // The daemon gives up on a write the peer does not read, and says so.
    let dropped = wait_for(Duration::from_secs(30), || {
        home.log().contains("the peer is not reading").then_some(())
    });
    assert!(dropped.is_some(), "the deaf subscriber was given up\n{}", home.log());
    deaf.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut sink = Vec::new();
    let closed = deaf.read_to_end(&mut sink);
    assert!(closed.is_ok(), "the deaf subscriber was dropped: {closed:?}");
}

#[test]
fn sigkill_at_random_moments_loses_at_most_five_minutes_of_desk_time() {
    let desktop = Desktop::start();
    // ×60: a minute of desk time a second. First with no idle source, then with the X server's
    // idle time and a person moving the pointer.
    let mut worst = 0u64;
    for watched in [false, true] {
        let home = Home::new();
        let env = if watched { desktop.env() } else { bus_only(&desktop) };
        for (round, wait_ms) in [7_300u64, 11_900, 4_100].into_iter().enumerate() {
            let mut daemon = Daemon::start_with(env.clone(), &home, 60);
            // A person at work until the kill: the moment is the point, the pointer moves every
            // 30 ms meanwhile.
            let end = Instant::now() + Duration::from_millis(wait_ms);
            while Instant::now() < end {
                desktop.nudge();
                std::thread::sleep(Duration::from_millis(30));
            }
            let before = daemon.status()["desk_seconds"].as_u64().unwrap();
            signal(daemon.pid(), "-KILL");
            daemon.wait_exit(Duration::from_secs(5)).expect("killed");
            let kept = recorded_since_reset(&home);
            let lost = before.saturating_sub(kept);
            println!(
                "kill {round} ({} idle source): {before} s of desk time counted, {kept} s kept, {lost} s lost",
                if watched { "X11" } else { "no" }
            );
            worst = worst.max(lost);
            // Five minutes, and a second of real time (a minute here) for the kill itself.
            assert!(lost <= 6 * 60, "kill {round} lost {lost} s of desk time\n{}", home.log());
            // Restarted at once: the count carries on from what was kept.
            let again = Daemon::start_with(env.clone(), &home, 60);
            let now = again.status()["desk_seconds"].as_u64().unwrap();
            assert!(now >= kept, "the restart counts from {now} s, not the {kept} s kept");
            drop(again);
        }
    }
    println!("worst loss per SIGKILL: {worst} s");
}

#[test]
fn sighup_closes_the_books_like_sigterm() {
    let desktop = Desktop::start();
    let home = Home::new();
    let mut daemon = Daemon::start_with(bus_only(&desktop), &home, 60);
    // Three minutes of desk time to keep (×60), less than a checkpoint's five.
    std::thread::sleep(Duration::from_secs(3));
    let before = daemon.status()["desk_seconds"].as_u64().unwrap();
    signal(daemon.pid(), "-HUP");
    assert_eq!(daemon.wait_exit(Duration::from_secs(5)), Some(0), "SIGHUP ends it cleanly");
    let kept = recorded_since_reset(&home);
    assert!(kept >= before, "{kept} s kept of {before} s");
}

#[test]
fn a_fake_sleep_signal_from_a_stranger_is_ignored() {
    use unslouch_e2e::desktop::SystemBus;
    use unslouch_e2e::logind::Logind;
    let desktop = Desktop::start();
    let system = SystemBus::start();
    let rt = runtime();
    let logind = rt.block_on(Logind::start(&system.address));
    let home = Home::new();
    let mut env = desktop.env();
    env.push(("DBUS_SYSTEM_BUS_ADDRESS".into(), system.address.clone()));
    let daemon = Daemon::start_with(env, &home, 1);
    let listening = wait_for(Duration::from_secs(10), || {
        home.log().contains("listening to logind").then_some(())
    });
    assert!(listening.is_some(), "{}", home.log());
    // Any local user can broadcast on the system bus.
    let stranger = rt
        .block_on(zbus::connection::Builder::address(system.address.as_str()).unwrap().build())
        .unwrap();
    rt.block_on(stranger.emit_signal(
        None::<()>,
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
        "PrepareForSleep",
        &true,
    ))
    .unwrap();
    // Heard and refused: the daemon names the stranger in its log.
    let refused =
        wait_for(Duration::from_secs(10), || home.log().contains("not logind").then_some(()));
    assert!(refused.is_some(), "the stranger is named in the log\n{}", home.log());
    assert_eq!(daemon.status()["state"], "working", "a stranger cannot put us to sleep");
    rt.block_on(logind.prepare_for_sleep(true));
    let away =
        wait_for(Duration::from_secs(5), || (daemon.status()["state"] == "away").then_some(()));
    assert!(away.is_some(), "logind itself is believed");
}

#[test]
fn a_fake_idle_monitor_that_lies_or_hangs_does_not_stop_the_daemon() {
    let rt = runtime();
    for behaviour in [Behaviour::WrongType, Behaviour::Hang, Behaviour::Idle(u64::MAX)] {
        let desktop = Desktop::start();
        let home = Home::new();
        let _mutter = rt.block_on(Mutter::start(&desktop.bus, behaviour));
        let daemon = Daemon::start_with(bus_only(&desktop), &home, 1);
        let (status, took) = timed_status(&daemon);
        assert!(took < Duration::from_millis(700), "{behaviour:?}: status took {took:?}");
        match behaviour {
            // An absurd idle time cannot reach back before the daemon started: still working,
            // and alive.
            Behaviour::Idle(_) => assert_eq!(status["state"], "working", "{behaviour:?}"),
            _ => {
                let text = daemon.cli(&["status"]);
                let text = String::from_utf8_lossy(&text.stdout);
                assert!(text.contains("Idle detection unavailable"), "{behaviour:?}: {text}");
            }
        }
    }
    // One that works, then hangs (gnome-shell stuck): the daemon keeps answering, then finds it
    // again when it answers once more.
    let desktop = Desktop::start();
    let home = Home::new();
    let mutter = rt.block_on(Mutter::start(&desktop.bus, Behaviour::Idle(0)));
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 60);
    let found = wait_for(Duration::from_secs(5), || {
        home.log().contains("idle detection: GNOME Mutter idle monitor").then_some(())
    });
    assert!(found.is_some(), "{}", home.log());
    // Long enough at ×60 for checkpoints and readings to fall while it works.
    std::thread::sleep(Duration::from_secs(3));
    mutter.behave(Behaviour::Hang);
    let dropped = wait_for(Duration::from_secs(20), || {
        home.log().contains("idle detection stopped working").then_some(())
    });
    assert!(dropped.is_some(), "a hung monitor is dropped\n{}", home.log());
    let (_, took) = timed_status(&daemon);
    assert!(took < Duration::from_millis(700), "status took {took:?}");
    mutter.behave(Behaviour::Idle(0));
    let again = wait_for(Duration::from_secs(30), || {
        home.log().contains("idle detection works again").then_some(())
    });
    assert!(again.is_some(), "found again after it recovers\n{}", home.log());
    // Three minutes at ×60 with the monitor back, for a deadline in the past to show up.
    std::thread::sleep(Duration::from_secs(3));
    assert_no_past_deadline(&home);
}

#[test]
fn two_daemons_started_at_once_leave_one() {
    let desktop = Desktop::start();
    let home = Home::new();
    let template = Daemon::start_with(bus_only(&desktop), &home, 1);
    let env: Vec<(String, String)> = template.env().to_vec();
    drop(template);
    let fresh = Home::new();
    let env: Vec<(String, String)> = env
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                v.replace(
                    &home.root.path().display().to_string(),
                    &fresh.root.path().display().to_string(),
                ),
            )
        })
        .collect();
    std::fs::create_dir_all(fresh.path("run")).unwrap();
    let spawn = || {
        Command::new(&binaries().daemon)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut both = [spawn(), spawn()];
    let answers = || {
        Command::new(&binaries().daemon)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .args(["status", "--json"])
            .output()
            .unwrap()
            .status
            .success()
    };
    // Settled when one has given up and exited and the other answers.
    let settled = wait_for(Duration::from_secs(10), || {
        let exited = both.iter_mut().filter_map(|c| c.try_wait().ok().flatten()).count();
        (exited >= 1 && answers()).then_some(())
    });
    assert!(settled.is_some(), "one daemon gave up and the other answers");
    let running: Vec<usize> =
        (0..2).filter(|i| both[*i].try_wait().ok().flatten().is_none()).collect();
    assert_eq!(running.len(), 1, "exactly one daemon runs");
    for child in &mut both {
        let _ = child.kill();
        let _ = child.wait();
    }
    // The second one asked the first to open its settings: a window that was still starting
    // would start a daemon of its own now.
    unslouch_e2e::app::end_processes_of(&fresh.path("run"));
}

#[test]
fn a_second_daemon_with_another_runtime_dir_is_refused() {
    let desktop = Desktop::start();
    let home = Home::new();
    let first = Daemon::start_with(bus_only(&desktop), &home, 1);
    let other_run = home.path("run-elsewhere");
    std::fs::create_dir_all(&other_run).unwrap();
    let mut env = first.env().to_vec();
    env.retain(|(k, _)| k != "XDG_RUNTIME_DIR");
    env.push(("XDG_RUNTIME_DIR".into(), other_run.display().to_string()));
    let (ok, err) = run_briefly(&env, Duration::from_secs(10))
        .expect("a second daemon on the same files must not keep running");
    assert!(!ok, "a second daemon on the same files must not run");
    assert!(err.contains("already running"), "{err}");
    assert_eq!(first.status()["state"], "working");
}

#[test]
fn a_runtime_dir_that_is_not_ours_is_refused() {
    let home = Home::new();
    let elsewhere = home.path("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(home.path("run")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, home.path("run/unslouch")).unwrap();
    let p = |s: &str| home.path(s).display().to_string();
    let env = [
        ("HOME".to_string(), home.root.path().display().to_string()),
        ("XDG_RUNTIME_DIR".to_string(), p("run")),
        ("XDG_DATA_HOME".to_string(), p("data")),
        ("XDG_CONFIG_HOME".to_string(), p("config")),
        ("XDG_STATE_HOME".to_string(), p("state")),
    ];
    let (ok, err) =
        run_briefly(&env, Duration::from_secs(10)).expect("it must refuse, not run there");
    assert!(!ok);
    assert!(err.contains("symbolic link"), "{err}");
}

#[test]
fn history_and_logs_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 1);
    assert!(daemon.cli(&["pause", "30m"]).status.success());
    let mode = |p: std::path::PathBuf| std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(home.history_db()), 0o600);
    assert_eq!(mode(home.path("data/unslouch")), 0o700);
    assert_eq!(mode(home.path("state/unslouch")), 0o700);
    assert_eq!(mode(home.path("state/unslouch/unslouch.log")), 0o600);
}

#[test]
fn status_into_a_closed_pipe_does_not_panic() {
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 1);
    let mut child = Command::new(&binaries().daemon)
        .env_clear()
        .envs(daemon.env().iter().map(|(k, v)| (k, v)))
        .args(["status"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader is gone before anything is written
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
}

#[test]
fn without_the_window_program_a_break_is_refused_and_none_is_recorded() {
    let desktop = Desktop::start();
    let home = Home::new();
    // The daemon alone in a folder of its own.
    let bin = home.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::copy(&binaries().daemon, bin.join("unslouch")).unwrap();
    let mut env = bus_only(&desktop);
    env.extend([
        ("HOME".to_string(), home.root.path().display().to_string()),
        ("XDG_CONFIG_HOME".to_string(), home.path("config").display().to_string()),
        ("XDG_DATA_HOME".to_string(), home.path("data").display().to_string()),
        ("XDG_STATE_HOME".to_string(), home.path("state").display().to_string()),
        ("XDG_RUNTIME_DIR".to_string(), home.path("run").display().to_string()),
    ]);
    std::fs::create_dir_all(home.path("run")).unwrap();
    let mut daemon = Command::new(bin.join("unslouch"))
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let cli = |args: &[&str]| {
        Command::new(bin.join("unslouch"))
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .args(args)
            .output()
            .unwrap()
    };
    let up = wait_for(Duration::from_secs(10), || {
        cli(&["status", "--json"]).status.success().then_some(())
    });
    assert!(up.is_some());
    for args in [&["break"][..], &["settings"]] {
        let out = cli(args);
        assert!(!out.status.success(), "{args:?} succeeded without a window");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("unslouch-window"), "{args:?}: {err}");
    }
    assert_eq!(home.events("break_started"), 0);
    let text = cli(&["status"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("window cannot be opened"));
    let _ = cli(&["quit"]);
    let _ = wait_for(Duration::from_secs(5), || daemon.try_wait().ok().flatten());
    let _ = daemon.kill();
}

#[test]
fn a_full_disk_during_a_break_loses_nothing_once_there_is_room() {
    let desktop = Desktop::start();
    let home = Home::new();
    let data = home.path("data");
    std::fs::create_dir_all(&data).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&data)
        .status()
        .is_ok_and(|s| s.success());
    assert!(mounted, "this test mounts a 2 MiB tmpfs, which needs root (as CI runs)");
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(data.clone());
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 60);
    assert!(daemon.cli(&["pause", "30m"]).status.success());
    assert!(daemon.cli(&["resume"]).status.success());
    // Fill the disk.
    let filler = data.join("filler");
    let _ = std::fs::write(&filler, vec![0u8; 4 << 20]);
    let out = daemon.cli(&["break"]);
    assert!(out.status.success());
    let warned = wait_for(Duration::from_secs(20), || {
        let text = daemon.cli(&["status"]);
        String::from_utf8_lossy(&text.stdout).contains("History cannot be written").then_some(())
    });
    assert!(warned.is_some(), "the full disk is said\n{}", home.log());
    let ended =
        wait_for(Duration::from_secs(10), || (daemon.status()["state"] == "working").then_some(()));
    assert!(ended.is_some(), "the break ran to its end anyway");
    std::fs::remove_file(&filler).unwrap();
    let written = wait_for(Duration::from_secs(30), || {
        (home.events("break_started") == 1 && home.events("break_finished") == 1).then_some(())
    });
    assert!(written.is_some(), "once there is room, every event is written\n{}", home.log());
    let text = daemon.cli(&["status"]);
    assert!(!String::from_utf8_lossy(&text.stdout).contains("History cannot be written"));
    drop(daemon);
}

#[test]
fn a_click_that_comes_before_the_server_even_answers_is_not_lost() {
    let desktop = Desktop::start();
    let rt = runtime();
    let server = rt.block_on(unslouch_e2e::Notifications::clicking_at_once(&desktop.bus));
    let home = Home::new();
    home.write_settings("interval_minutes = 5\nhold_while_typing = false\n");
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 60);
    let started =
        wait_for(Duration::from_secs(20), || (home.events("break_started") == 1).then_some(()));
    assert!(started.is_some(), "the instant click started the break\n{}", home.log());
    assert_eq!(server.shown().len(), 1, "one reminder shown");
    drop(daemon);
}

#[test]
fn years_of_history_export_to_a_file_the_daemon_writes() {
    use unslouch_core::history::{Event, EventKind};
    let desktop = Desktop::start();
    let home = Home::new();
    // Three years of a working day's events: far more than one reply line may carry.
    let start = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let events: Vec<Event> = (0..30_000i64)
        .map(|i| Event {
            at: start + jiff::SignedDuration::from_mins(50 * i),
            kind: EventKind::Reminded {
                repeat: false,
                moves: vec!["chin-tuck".into(), "wall-angel".into()],
            },
        })
        .collect();
    std::fs::create_dir_all(home.history_db().parent().unwrap()).unwrap();
    let mut history = unslouch_store::History::open(&home.history_db(), start).unwrap().history;
    history.append_all(&events).unwrap();
    drop(history);
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 1);
    let mut client = daemon.client();
    let reply = client
        .request(&unslouch_ipc::Request::ExportCsv { name: "unslouch-history.csv".into() })
        .expect("the export is answered");
    let unslouch_ipc::Reply::Exported { path, rows } = reply else { panic!("{reply:?}") };
    assert_eq!(rows, 30_000);
    assert_eq!(path, home.path("Downloads/unslouch-history.csv").display().to_string());
    let text = std::fs::read_to_string(&path).unwrap();
    println!("exported {rows} rows, {} bytes", text.len());
    assert!(text.len() > 1 << 20, "more than one reply line could hold");
    assert_eq!(text.lines().count(), 30_001, "a header and every row");
}

#[test]
fn a_view_asked_for_while_the_window_starts_up_reaches_it_when_it_subscribes() {
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 1);
    // A window that has taken its lock but not yet subscribed.
    let _lock = unslouch_ipc::window_lock::claim(&home.path("run/unslouch/window.lock"))
        .unwrap()
        .expect("the window lock");
    let reply =
        daemon.client().request(&unslouch_ipc::Request::Open { view: unslouch_ipc::View::History });
    assert!(matches!(reply, Ok(unslouch_ipc::Reply::Done)), "{reply:?}");
    // Now it subscribes: the view it missed comes first.
    let mut window = daemon.client();
    window.request(&unslouch_ipc::Request::Subscribe).unwrap();
    let mut seen = Vec::new();
    for _ in 0..3 {
        match window.read() {
            Ok(unslouch_ipc::FromDaemon::Update(unslouch_ipc::Update::Show { view })) => {
                seen.push(view);
                break;
            }
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(seen, [unslouch_ipc::View::History]);
}

#[test]
fn an_unreadable_settings_file_and_a_broken_history_do_not_stop_the_daemon() {
    let desktop = Desktop::start();
    let home = Home::new();
    // A folder where the settings file should be, and a history that is not a database.
    std::fs::create_dir_all(home.settings_file()).unwrap();
    std::fs::create_dir_all(home.history_db().parent().unwrap()).unwrap();
    std::fs::write(home.history_db(), b"this is not a database, it is a shopping list").unwrap();
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 1);
    assert_eq!(daemon.status()["state"], "working");
    let text = daemon.cli(&["status"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("cannot be read"), "the settings problem is said: {text}");
    assert!(text.contains("history database could not be used"), "and the history's: {text}");
    // Nothing was lost: the broken file is kept aside, and the new history works.
    let aside = std::fs::read_dir(home.history_db().parent().unwrap())
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("history.sqlite3.corrupt-"))
        .expect("the broken history kept aside");
    assert_eq!(
        std::fs::read(aside.path()).unwrap(),
        b"this is not a database, it is a shopping list"
    );
    assert!(daemon.cli(&["pause", "30m"]).status.success());
    assert_eq!(home.events("paused"), 1);
    assert!(home.settings_file().is_dir(), "the folder in the settings' place is left alone");
}

#[test]
fn a_notification_server_that_vanishes_sends_the_reminder_to_the_window() {
    let desktop = Desktop::start();
    let rt = runtime();
    let server = rt.block_on(unslouch_e2e::Notifications::start(&desktop.bus));
    let home = Home::new();
    home.write_settings("interval_minutes = 5\nhold_while_typing = false\n");
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 60);
    // Gone before the reminder falls due.
    drop(server);
    let said = wait_for(Duration::from_secs(20), || {
        let text = daemon.cli(&["status"]);
        String::from_utf8_lossy(&text.stdout)
            .contains("Notifications are not available")
            .then_some(())
    });
    assert!(said.is_some(), "the missing server is said\n{}", home.log());
    assert_eq!(daemon.status()["state"], "due", "the reminder is still due");
    assert!(home.log().contains("opened the window"), "the prompt window instead\n{}", home.log());
}

#[test]
fn quitting_takes_the_reminder_off_the_screen() {
    let desktop = Desktop::start();
    let rt = runtime();
    let server = rt.block_on(unslouch_e2e::Notifications::start(&desktop.bus));
    let home = Home::new();
    home.write_settings("interval_minutes = 5\nhold_while_typing = false\n");
    let mut daemon = Daemon::start_with(bus_only(&desktop), &home, 60);
    let shown = wait_for(Duration::from_secs(20), || server.shown().first().map(|s| s.id));
    let id = shown.expect("a reminder is shown");
    assert!(daemon.cli(&["quit"]).status.success());
    assert_eq!(daemon.wait_exit(Duration::from_secs(5)), Some(0));
    assert!(server.closed().contains(&id), "the reminder was withdrawn before the exit");
}

#[test]
fn a_control_socket_served_by_another_user_is_not_trusted() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    let run = home.path("run");
    let dir = run.join("unslouch");
    std::fs::create_dir_all(&dir).unwrap();
    for d in [home.root.path(), run.as_path(), dir.as_path()] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let socket = dir.join("control.sock");
    // Someone else's process answers where our daemon would be (as user `nobody`).
    let server = "import socket, sys, time\n\
                  s = socket.socket(socket.AF_UNIX)\n\
                  s.bind(sys.argv[1]); s.listen(1)\n\
                  c, _ = s.accept()\n\
                  c.sendall(b'{\"reply\":\"done\"}\\n'); time.sleep(5)\n";
    let mut stranger = Command::new("runuser")
        .args(["-u", "nobody", "--", "/usr/bin/python3", "-c", server])
        .arg(&socket)
        .spawn()
        .expect("runuser and python3");
    let listening = wait_for(Duration::from_secs(5), || socket.exists().then_some(()));
    assert!(listening.is_some(), "the stranger listens");
    let out = Command::new(&binaries().daemon)
        .env_clear()
        .env("HOME", home.root.path())
        .env("XDG_RUNTIME_DIR", &run)
        .args(["status", "--json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a stranger's answer was taken: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(err.contains("not to this user"), "{err}");
    let _ = stranger.kill();
    let _ = stranger.wait();
}

#[test]
fn out_of_file_descriptors_the_daemon_backs_off_instead_of_spinning() {
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start_with(bus_only(&desktop), &home, 1);
    let pid = daemon.pid();
    // Fewer descriptors than the connection cap: `accept` fails with EMFILE.
    let limited = Command::new("prlimit")
        .args([&format!("--pid={pid}"), "--nofile=48:48"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(limited, "prlimit (util-linux) lowers the daemon's limit");
    let held: Vec<UnixStream> =
        (0..100).filter_map(|_| UnixStream::connect(home.socket()).ok()).collect();
    // Out of descriptors once it logs its back-off.
    let backing_off = wait_for(Duration::from_secs(10), || {
        home.log().contains("accepting again in").then_some(())
    });
    assert!(backing_off.is_some(), "the back-off is logged\n{}", home.log());
    let ticks = cpu_ticks(pid);
    // The point: CPU time over three seconds out of descriptors.
    std::thread::sleep(Duration::from_secs(3));
    let cpu = cpu_ticks(pid) - ticks;
    println!("out of descriptors with {} connections waiting: {cpu} CPU ticks in 3 s", held.len());
    assert!(cpu < 30, "the daemon spun: {cpu} ticks in 3 s\n{}", home.log());
    drop(held);
    let answered = wait_for(Duration::from_secs(10), || {
        daemon.cli(&["status", "--json"]).status.success().then_some(())
    });
    assert!(answered.is_some(), "it answers once descriptors are free again");
}

#[test]
fn the_window_follows_a_daemon_that_restarted() {
    let desktop = Desktop::start();
    let home = Home::new();
    let mut daemon = Daemon::start(&desktop, &home, 1);
    let subscribed = |n: usize| {
        wait_for(Duration::from_secs(20), || {
            (home.log().matches("a client subscribed").count() >= n).then_some(())
        })
    };
    assert!(daemon.cli(&["settings"]).status.success());
    assert!(subscribed(1).is_some(), "the window subscribed\n{}", home.log());
    let window = daemon.windows().first().map(|(pid, _)| *pid).expect("a window process");
    signal(daemon.pid(), "-KILL");
    daemon.wait_exit(Duration::from_secs(5)).expect("killed");
    let again = Daemon::start(&desktop, &home, 1);
    assert!(subscribed(2).is_some(), "the open window came back to the new daemon\n{}", home.log());
    assert!(unslouch_e2e::app::alive(window), "the same window");
    drop(again);
}
