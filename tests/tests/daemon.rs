//! The daemon end to end: real X server, real session bus, real notification protocol, the
//! built programs, a clock running fast.

use std::process::Command;
use std::time::{Duration, Instant};

use unslouch_e2e::app::{Home, screenshots};
use unslouch_e2e::paint::Watcher;
use unslouch_e2e::{Daemon, Desktop, Notifications, active_until, binaries, wait_for};
use unslouch_ipc::{Reply, Request};

/// A person at the keyboard for `for_`: the pointer moves every 30 ms (the time passing is the
/// point: desk time grows meanwhile).
fn keep_active(desktop: &Desktop, for_: Duration) {
    let end = Instant::now() + for_;
    while Instant::now() < end {
        desktop.nudge();
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// Press `key` in the window under the pointer at (`x`, `y`) until `done` gives something, for
/// at most `limit`: a key pressed before the page is up to take it goes nowhere, so it is
/// pressed again (only keys that change nothing once `done` holds, or `done` must be checked
/// first).
fn press_until<T>(
    desktop: &Desktop,
    (x, y): (u32, u32),
    key: &str,
    limit: Duration,
    mut done: impl FnMut() -> Option<T>,
) -> Option<T> {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        let _ = Command::new("xdotool")
            .envs(desktop.env())
            .args(["mousemove", &x.to_string(), &y.to_string(), "key", key])
            .status();
        // Long enough for the key to reach the daemon through the page, were the page up.
        if let Some(value) = wait_for(Duration::from_secs(2), &mut done) {
            return Some(value);
        }
    }
    None
}

/// How many times the daemon has logged a client subscribing (the window does when it starts).
fn subscriptions(home: &Home) -> usize {
    home.log().matches("a client subscribed").count()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn status_without_a_daemon_says_so_and_exits_3() {
    let home = Home::new();
    let out = Command::new(&binaries().daemon)
        .env("XDG_RUNTIME_DIR", home.path("run"))
        .env("HOME", home.root.path())
        .args(["status", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "Unslouch is not running. Start it with `unslouch`."
    );
}

#[test]
fn bad_arguments_are_a_clear_error_with_exit_2() {
    let out = Command::new(&binaries().daemon).args(["pause", "3h"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid value '3h'") && err.contains("30m, 1h, 2h, tomorrow"), "{err}");
    for exe in [&binaries().daemon, &binaries().window] {
        let out = Command::new(exe).arg("--version").output().unwrap();
        assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("0.1.0"));
        assert!(Command::new(exe).arg("--help").output().unwrap().status.success());
    }
}

#[test]
fn status_json_follows_the_contract() {
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start(&desktop, &home, 1);
    let status = daemon.status();
    let keys: Vec<&str> = status.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "breaks_today",
            "desk_seconds",
            "held_by",
            "next_break_in_seconds",
            "paused_until",
            "sessions_this_week",
            "state"
        ]
    );
    assert_eq!(status["state"], "working");
    assert_eq!(status["held_by"], serde_json::json!([]));
    assert_eq!(status["sessions_this_week"], 0);
    assert_eq!(status["breaks_today"], 0);
    let next = status["next_break_in_seconds"].as_u64().unwrap();
    assert!((2390..=2400).contains(&next), "{next}");
    let human = daemon.cli(&["status"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.starts_with("Next break in 40 min"), "{text}");
}

#[test]
fn a_reminder_comes_after_the_interval_of_active_desk_time() {
    let desktop = Desktop::start();
    let rt = runtime();
    let notifications = rt.block_on(Notifications::start(&desktop.bus));
    let home = Home::new();
    // The pointer moves all along: typing would hold the reminder (tested on its own below).
    home.write_settings("interval_minutes = 5\nhold_while_typing = false\n");
    let scale = 30.0;
    // Built before the clock starts (a first test alone waits for cargo here).
    let _ = binaries();
    let started = Instant::now();
    let daemon = Daemon::start(&desktop, &home, scale as u32);
    let shown =
        active_until(&desktop, Duration::from_secs(20), || notifications.shown().first().cloned())
            .unwrap_or_else(|| panic!("a reminder\n{}", home.log()));
    let took = shown.at.duration_since(started).as_secs_f64() * scale;
    let error = (took - 300.0).abs();
    eprintln!("reminder after {took:.1} s of simulated desk time (error {error:.1} s)");
    assert!(
        error <= 0.02 * 300.0 + 2.0,
        "reminder after {took:.1} s, expected 300 s\n{}",
        home.log()
    );
    assert_eq!(shown.app_name, "Unslouch");
    assert!(shown.summary.starts_with("Posture break"), "{}", shown.summary);
    assert!(shown.body.contains("about 1 min"), "the body names the length: {}", shown.body);
    let keys: Vec<&str> = shown.actions.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["default", "start", "snooze", "skip"]);
    assert_eq!(daemon.status()["state"], "due");
    assert_eq!(home.events("reminded"), 1);
}

/// Everything a reminder test needs: a desktop with our notification server, a daemon with a
/// 5-minute interval (and `extra` settings) on a clock `scale` times fast, and the first
/// reminder, reached by keeping the pointer moving.
struct Due {
    desktop: Desktop,
    rt: tokio::runtime::Runtime,
    notifications: Notifications,
    home: Home,
    daemon: Daemon,
    first: unslouch_e2e::notifications::Shown,
}

fn until_due(extra: &str, scale: u32) -> Due {
    let desktop = Desktop::start();
    let rt = runtime();
    let notifications = rt.block_on(Notifications::start(&desktop.bus));
    let home = Home::new();
    home.write_settings(&format!("interval_minutes = 5\nhold_while_typing = false\n{extra}"));
    let daemon = Daemon::start(&desktop, &home, scale);
    let first =
        active_until(&desktop, Duration::from_secs(20), || notifications.shown().first().cloned())
            .unwrap_or_else(|| panic!("a reminder\n{}", home.log()));
    // No pause to read it: the daemon hears answers from its start, and keeps one that comes
    // before the server has told it the notification's id (see faults.rs).
    Due { desktop, rt, notifications, home, daemon, first }
}

#[test]
fn clicking_the_reminder_opens_the_break_and_a_finished_break_is_recorded() {
    let Due { desktop: _desktop, rt, notifications, home, daemon, first: shown } =
        until_due("", 60);
    rt.block_on(notifications.click(shown.id, "default"));
    let window = wait_for(Duration::from_secs(10), || daemon.windows().into_iter().next())
        .expect("a window");
    assert_eq!(
        window.1.last().map(String::as_str),
        Some("break"),
        "opened at the break view: {:?}",
        window.1
    );
    assert_eq!(daemon.status()["state"], "in_break");
    // The routine is about a minute: a second or two of real time.
    let done =
        wait_for(Duration::from_secs(10), || (home.events("break_finished") == 1).then_some(()));
    assert!(done.is_some(), "the break is recorded");
    assert_eq!(home.events("break_started"), 1);
    let status = daemon.status();
    assert_eq!(status["breaks_today"], 1);
    assert_eq!(status["state"], "working");
    assert_eq!(daemon.windows().len(), 1, "still one window");
}

#[test]
fn snooze_brings_the_reminder_back_after_the_snooze() {
    let Due { desktop, rt, notifications, home, daemon, first } =
        until_due("snooze_minutes = 2\n", 60);
    let clicked = Instant::now();
    rt.block_on(notifications.click(first.id, "snooze"));
    assert!(
        wait_for(Duration::from_secs(5), || (home.events("snoozed") == 1).then_some(())).is_some()
    );
    assert_eq!(daemon.status()["state"], "working");
    let again =
        active_until(&desktop, Duration::from_secs(10), || notifications.shown().get(1).cloned())
            .expect("reminded again");
    let after = again.at.duration_since(clicked).as_secs_f64() * 60.0;
    assert!(
        (110.0..=135.0).contains(&after),
        "reminded again {after:.0} s after the snooze of 120 s"
    );
    assert!(daemon.windows().is_empty(), "snoozing opens nothing");
}

#[test]
fn skip_starts_the_count_again_without_opening_anything() {
    let Due { desktop: _desktop, rt, notifications, home, daemon, first } = until_due("", 60);
    rt.block_on(notifications.click(first.id, "skip"));
    assert!(
        wait_for(Duration::from_secs(5), || (home.events("skipped") == 1).then_some(())).is_some()
    );
    let status = daemon.status();
    assert_eq!(status["state"], "working");
    assert!(status["desk_seconds"].as_u64().unwrap() < 60, "{status}");
    assert!(daemon.windows().is_empty());
}

#[test]
fn idle_for_the_threshold_is_away_and_desk_time_restarts_on_return() {
    let desktop = Desktop::start();
    let home = Home::new();
    home.write_settings("natural_break_minutes = 1\n");
    let daemon = Daemon::start(&desktop, &home, 60);
    keep_active(&desktop, Duration::from_secs(2));
    assert!(daemon.status()["desk_seconds"].as_u64().unwrap() >= 90);
    // No input: after a minute of simulated idleness, away.
    let away =
        wait_for(Duration::from_secs(5), || (daemon.status()["state"] == "away").then_some(()));
    assert!(away.is_some(), "away after the threshold: {}", daemon.status());
    assert_eq!(home.events("natural_break"), 1);
    let back = active_until(&desktop, Duration::from_secs(5), || {
        (daemon.status()["state"] == "working").then_some(())
    });
    assert!(back.is_some(), "back at the desk: {}\n{}", daemon.status(), home.log());
    assert!(daemon.status()["desk_seconds"].as_u64().unwrap() < 30, "desk time restarted");
}

/// How many idle readings the daemon has logged.
fn readings(home: &Home) -> usize {
    home.log().matches("idle reading reading=Some").count()
}

#[test]
fn away_by_idleness_the_daemon_sleeps_until_the_first_input_and_counts_from_it() {
    let desktop = Desktop::start();
    let home = Home::new();
    home.write_settings("natural_break_minutes = 1\n");
    let daemon = Daemon::start(&desktop, &home, 60);
    keep_active(&desktop, Duration::from_secs(1));
    let away =
        wait_for(Duration::from_secs(5), || (daemon.status()["state"] == "away").then_some(()));
    assert!(away.is_some(), "away after the threshold: {}", daemon.status());
    // The X server's alarm will tell the return.
    sleeps_while_away(&home);
    assert!(home.log().contains("watching for the return"), "{}", home.log());
    back_from_one_input(&daemon, &home, || desktop.nudge());
}

/// Ten simulated minutes away (at 60×) with a watch on the return: a reading a minute only
/// guards it (reading every 5 s to find the return would be 120).
fn sleeps_while_away(home: &Home) {
    let before = readings(home);
    std::thread::sleep(Duration::from_secs(10));
    let away_readings = readings(home) - before;
    assert!(away_readings <= 11, "{away_readings} readings in ten minutes away:\n{}", home.log());
}

/// One input (`touch`), and the count starts from it, not from the reading before (at 60×).
fn back_from_one_input(daemon: &Daemon, home: &Home, touch: impl FnOnce()) {
    let input = Instant::now();
    touch();
    let status = wait_for(Duration::from_secs(3), || {
        let status = daemon.status();
        (status["state"] == "working").then_some(status)
    })
    .unwrap_or_else(|| panic!("back at the desk: {}\n{}", daemon.status(), home.log()));
    let since_input = input.elapsed().as_secs_f64() * 60.0;
    let desk = status["desk_seconds"].as_f64().unwrap();
    assert!(desk <= since_input + 1.0, "{desk} s of desk time {since_input:.1} s after the input");
}

#[test]
fn on_gnome_the_return_comes_from_a_user_active_watch() {
    use unslouch_e2e::mutter::{Behaviour, Mutter};
    let rt = runtime();
    let desktop = Desktop::start();
    let home = Home::new();
    home.write_settings("natural_break_minutes = 1\n");
    let mutter = rt.block_on(Mutter::start(&desktop.bus, Behaviour::InputAt(Instant::now())));
    let daemon = Daemon::start(&desktop, &home, 60);
    let away =
        wait_for(Duration::from_secs(5), || (daemon.status()["state"] == "away").then_some(()));
    assert!(away.is_some(), "away after the threshold: {}", daemon.status());
    assert!(home.log().contains("idle detection: GNOME Mutter idle monitor"), "{}", home.log());
    sleeps_while_away(&home);
    assert_eq!(mutter.watches().0, 1, "one watch on the return while away");
    back_from_one_input(&daemon, &home, || rt.block_on(mutter.input()));
    // Locked while away: the return is the unlock's to tell, and the watch is taken down.
    let away =
        wait_for(Duration::from_secs(5), || (daemon.status()["state"] == "away").then_some(()));
    assert!(away.is_some(), "away again: {}", daemon.status());
    let (active, added) = mutter.watches();
    assert_eq!((active, added), (1, 2), "a new watch for the new absence");
    let screensaver = rt
        .block_on(zbus::connection::Builder::address(desktop.bus.as_str()).unwrap().build())
        .unwrap();
    rt.block_on(unslouch_e2e::desktop::screensaver_active(&screensaver, true));
    let removed = wait_for(Duration::from_secs(3), || (mutter.watches().0 == 0).then_some(()));
    assert!(removed.is_some(), "the watch is removed on locking\n{}", home.log());
}

#[test]
fn pause_and_resume_through_the_command_line() {
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start(&desktop, &home, 1);
    assert!(daemon.cli(&["pause", "1h"]).status.success());
    let status = daemon.status();
    assert_eq!(status["state"], "paused");
    assert!(status["paused_until"].as_str().unwrap().ends_with('Z'));
    assert_eq!(status["next_break_in_seconds"], serde_json::Value::Null);
    assert!(daemon.cli(&["resume"]).status.success());
    assert_eq!(daemon.status()["state"], "working");
    let again = daemon.cli(&["resume"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&again.stderr).trim(), "unslouch: reminders are not paused");
    assert_eq!(home.events("paused"), 1);
    assert_eq!(home.events("resumed"), 1);
}

#[test]
fn a_break_from_the_command_line_opens_the_window_once() {
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start(&desktop, &home, 1);
    assert!(daemon.cli(&["break"]).status.success());
    assert_eq!(daemon.status()["state"], "in_break");
    assert!(
        wait_for(Duration::from_secs(10), || (daemon.windows().len() == 1).then_some(())).is_some()
    );
    // Space in the window pauses the break (the daemon's timeline says so). Pressed until the
    // page takes it: a second Space would continue the break, but none is pressed once the
    // daemon says paused.
    let paused = press_until(&desktop, (200, 300), "space", Duration::from_secs(20), || {
        let Ok(Reply::Snapshot { snapshot }) = daemon.client().request(&Request::Snapshot) else {
            return None;
        };
        snapshot.break_progress.filter(|p| p.paused).map(|_| ())
    });
    assert!(paused.is_some(), "Space paused the break\n{}", home.log());
    assert!(daemon.cli(&["history"]).status.success(), "re-routes the open window");
    // Nothing to wait for: a second window, were one started, would show within this.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(daemon.windows().len(), 1, "never a second window\n{}", home.log());
}

#[test]
fn a_second_launch_opens_the_settings_of_the_first_and_exits() {
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start(&desktop, &home, 1);
    let second = daemon.cli(&[]);
    assert!(second.status.success());
    assert_eq!(
        String::from_utf8_lossy(&second.stdout).trim(),
        "Unslouch is already running: opened its settings."
    );
    let window = wait_for(Duration::from_secs(10), || daemon.windows().into_iter().next())
        .expect("a window");
    assert_eq!(window.1.last().map(String::as_str), Some("settings"));
}

#[test]
fn quit_closes_the_window_and_exits_zero() {
    let desktop = Desktop::start();
    let home = Home::new();
    let mut daemon = Daemon::start(&desktop, &home, 1);
    assert!(daemon.cli(&["settings"]).status.success());
    let (pid, _) = wait_for(Duration::from_secs(10), || daemon.windows().into_iter().next())
        .expect("a window");
    // Quit once the window has subscribed (so it hears the daemon go).
    let subscribed =
        wait_for(Duration::from_secs(20), || (subscriptions(&home) >= 1).then_some(()));
    assert!(subscribed.is_some(), "the window subscribed\n{}", home.log());
    assert!(daemon.cli(&["quit"]).status.success());
    assert_eq!(daemon.wait_exit(Duration::from_secs(10)), Some(0));
    let gone = wait_for(Duration::from_secs(5), || {
        (!std::path::Path::new(&format!("/proc/{pid}")).exists()).then_some(())
    });
    assert!(gone.is_some(), "the window closed with the daemon");
    assert!(!home.socket().exists(), "the socket is removed");
}

#[test]
fn a_killed_daemon_restarts_with_its_history_and_replaces_the_stale_socket() {
    let desktop = Desktop::start();
    let home = Home::new();
    let mut daemon = Daemon::start(&desktop, &home, 1);
    assert!(daemon.cli(&["pause", "30m"]).status.success());
    assert!(daemon.cli(&["resume"]).status.success());
    let _ = Command::new("kill").args(["-KILL", &daemon.pid().to_string()]).status();
    daemon.wait_exit(Duration::from_secs(5)).expect("killed");
    assert!(home.socket().exists(), "a stale socket is left behind");
    let again = Daemon::start(&desktop, &home, 1);
    assert_eq!(again.status()["state"], "working");
    assert_eq!(home.events("paused"), 1, "history intact");
    assert_eq!(home.events("resumed"), 1);
    let conn = rusqlite::Connection::open(home.history_db()).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn without_a_notification_server_the_reminder_opens_the_prompt_window() {
    let desktop = Desktop::start();
    let home = Home::new();
    home.write_settings("interval_minutes = 5\nhold_while_typing = false\n");
    let daemon = Daemon::start(&desktop, &home, 60);
    let window =
        active_until(&desktop, Duration::from_secs(20), || daemon.windows().into_iter().next())
            .expect("the prompt window opens");
    assert_eq!(window.1.last().map(String::as_str), Some("break"));
    assert_eq!(daemon.status()["state"], "due");
    // Keep a picture of the prompt once the page has painted and holds still.
    let watcher = Watcher::connect(&desktop.display);
    assert!(watcher.settled("Unslouch", Duration::from_secs(20)), "the prompt is drawn");
    let prompt = watcher.image("Unslouch").expect("the prompt window's pixels");
    desktop.screenshot(&screenshots().join("prompt-window.png"));
    // The prompt can be answered from the keyboard: its Start button has the focus. (No
    // window manager here: the pointer over the window gives it the keyboard.) Return does
    // nothing more once the break runs.
    let started = press_until(&desktop, (200, 560), "Return", Duration::from_secs(10), || {
        (daemon.status()["state"] == "in_break").then_some(())
    });
    assert!(
        started.is_some(),
        "Start in the prompt starts the break: {}\n{}",
        daemon.status(),
        home.log()
    );
    // The page draws the running break in place of the prompt.
    assert!(watcher.changed_from("Unslouch", &prompt, Duration::from_secs(10)), "the break drawn");
    desktop.screenshot(&screenshots().join("break-running.png"));
    let mut client = daemon.client();
    let Reply::Settings { warnings, .. } = client.request(&Request::GetSettings).unwrap() else {
        panic!()
    };
    assert!(warnings.contains(&unslouch_ipc::Warning::NoNotifications), "{warnings:?}");
}

#[test]
fn without_a_display_or_bus_the_daemon_runs_and_says_what_is_missing() {
    let home = Home::new();
    let daemon = Daemon::start_with(Vec::new(), &home, 1);
    assert_eq!(daemon.status()["state"], "working");
    let text = String::from_utf8_lossy(&daemon.cli(&["status"]).stdout).into_owned();
    assert!(text.contains("Idle detection unavailable"), "{text}");
}

#[test]
fn start_at_login_writes_and_removes_a_valid_desktop_entry() {
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start(&desktop, &home, 1);
    let entry = home.autostart_entry();
    assert!(entry.exists(), "on by default");
    let text = std::fs::read_to_string(&entry).unwrap();
    assert!(text.contains(&format!("\nExec=\"{}\"\n", binaries().daemon.display())), "{text}");
    let validate = Command::new("desktop-file-validate").arg(&entry).output().unwrap();
    assert!(
        validate.status.success(),
        "{}{}",
        String::from_utf8_lossy(&validate.stdout),
        String::from_utf8_lossy(&validate.stderr)
    );
    let mut client = daemon.client();
    let Reply::Settings { mut settings, .. } = client.request(&Request::GetSettings).unwrap()
    else {
        panic!()
    };
    settings.start_at_login = false;
    client.request(&Request::SetSettings { settings }).unwrap();
    assert!(!entry.exists(), "removed when turned off");
    let saved = std::fs::read_to_string(home.settings_file()).unwrap();
    assert!(saved.contains("start_at_login = false"), "{saved}");
}

#[test]
fn invalid_settings_over_the_socket_are_refused_naming_the_field() {
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start(&desktop, &home, 1);
    let before = std::fs::read_to_string(home.settings_file()).unwrap();
    let mut client = daemon.client();
    let Reply::Settings { mut settings, .. } = client.request(&Request::GetSettings).unwrap()
    else {
        panic!()
    };
    settings.interval_minutes = 1;
    let err = client.request(&Request::SetSettings { settings }).unwrap_err();
    let unslouch_ipc::client::ClientError::Daemon(e) = err else { panic!("{err}") };
    let unslouch_ipc::IpcError::InvalidSettings { problems } = e else { panic!("{e:?}") };
    let fields: Vec<&str> = problems.iter().map(|p| p.field()).collect();
    assert_eq!(fields, ["interval_minutes"]);
    let after = std::fs::read_to_string(home.settings_file()).unwrap();
    assert_eq!(after, before, "nothing written");
    // A valid change reaches the scheduler at once.
    let Reply::Settings { mut settings, .. } = client.request(&Request::GetSettings).unwrap()
    else {
        panic!()
    };
    settings.interval_minutes = 20;
    client.request(&Request::SetSettings { settings }).unwrap();
    let next = daemon.status()["next_break_in_seconds"].as_u64().unwrap();
    assert!((1190..=1200).contains(&next), "{next}");
}

#[test]
fn the_tray_menu_pauses_resumes_and_quits() {
    let desktop = Desktop::start();
    let home = Home::new();
    let mut daemon = Daemon::start(&desktop, &home, 1);
    let rt = runtime();
    let menu = rt
        .block_on(async {
            for _ in 0..100 {
                if let Some(menu) =
                    unslouch_e2e::tray::TrayMenu::find(&desktop.bus, daemon.pid()).await
                {
                    return Some(menu);
                }
                // Polled: the tray shows up on the bus once the daemon has registered it.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            None
        })
        .expect("the tray is on the bus");
    let entries = rt.block_on(menu.entries());
    let labels: Vec<&str> = entries.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Next break in 40 min",
            "Start a break now",
            "Start a full session (about 15 min)",
            "Pause for 30 minutes",
            "Pause for 1 hour",
            "Pause until tomorrow",
            "Resume",
            "Settings…",
            "History…",
            "Quit Unslouch"
        ]
    );
    assert!(!entries[0].enabled, "the status line is not clickable");
    assert!(!entries[6].enabled, "Resume only while paused");

    rt.block_on(menu.click("Pause for 1 hour"));
    assert!(
        wait_for(Duration::from_secs(5), || (daemon.status()["state"] == "paused").then_some(()))
            .is_some()
    );
    let entries = rt.block_on(menu.entries());
    assert!(entries[0].label.starts_with("Paused until "), "{:?}", entries[0]);
    assert!(entries[6].enabled, "Resume is offered while paused");

    rt.block_on(menu.click("Resume"));
    assert!(
        wait_for(Duration::from_secs(5), || (daemon.status()["state"] == "working").then_some(()))
            .is_some()
    );

    rt.block_on(menu.click("Quit Unslouch"));
    assert_eq!(daemon.wait_exit(Duration::from_secs(10)), Some(0));
}

/// `frame_color` in [`DUNSTRC`].
const DUNST_FRAME: [u8; 3] = [0x2f, 0x8f, 0x83];

const DUNSTRC: &str = r##"[global]
    font = "DejaVu Sans 11"
    width = 420
    origin = top-right
    offset = 16x16
    padding = 12
    horizontal_padding = 14
    frame_width = 2
    frame_color = "#2f8f83"
    corner_radius = 8
    format = "<b>%s</b>\n%b"
    show_indicators = no
[urgency_normal]
    background = "#f7faf9"
    foreground = "#1f2b29"
    timeout = 0
"##;

#[test]
fn a_reminder_through_dunst_can_be_clicked_to_start_the_break() {
    let desktop = Desktop::start();
    let home = Home::new();
    let dunst = unslouch_e2e::dunst::Dunst::start(&desktop, &home, DUNSTRC);
    let dunstctl = |args: &[&str]| dunst.ctl(args);
    assert!(
        wait_for(Duration::from_secs(10), || (dunstctl(&["count", "displayed"]) == "0")
            .then_some(()))
        .is_some()
    );
    home.write_settings("interval_minutes = 5\nhold_while_typing = false\n");
    let daemon = Daemon::start(&desktop, &home, 60);
    let shown = active_until(&desktop, Duration::from_secs(20), || {
        (dunstctl(&["count", "displayed"]) == "1").then_some(())
    });
    assert!(shown.is_some(), "dunst shows the reminder\n{}", home.log());
    // Counted as displayed is not yet drawn: wait for its frame on the screen.
    let watcher = Watcher::connect(&desktop.display);
    let drawn =
        wait_for(Duration::from_secs(10), || watcher.screen_shows(DUNST_FRAME, 2).then_some(()));
    assert!(drawn.is_some(), "dunst draws the reminder");
    desktop.screenshot(&screenshots().join("reminder-dunst.png"));
    // dunst's own "default action" (a click on the notification).
    dunstctl(&["action", "0"]);
    let started = wait_for(Duration::from_secs(10), || {
        (daemon.status()["state"] == "in_break").then_some(())
    });
    assert!(started.is_some(), "the break started: {}\n{}", daemon.status(), home.log());
    assert!(
        wait_for(Duration::from_secs(10), || daemon.windows().into_iter().next()).is_some(),
        "the window opened"
    );
    drop(daemon);
}

#[test]
fn closing_the_window_ends_its_process_and_every_webkit_process() {
    use unslouch_e2e::app::{alive, process_tree, pss_kib};
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start(&desktop, &home, 1);
    assert!(daemon.cli(&["settings"]).status.success());
    let (pid, _) = wait_for(Duration::from_secs(10), || daemon.windows().into_iter().next())
        .expect("a window");
    // Wait for the page: WebKit's web process is up when the tree has grown, and every
    // process it needs is when the page has painted.
    let tree =
        wait_for(Duration::from_secs(15), || Some(process_tree(pid)).filter(|t| t.len() >= 3))
            .expect("the window starts its WebKit processes");
    let watcher = Watcher::connect(&desktop.display);
    assert!(watcher.settled("Unslouch", Duration::from_secs(20)), "the page is drawn");
    let tree = process_tree(pid).into_iter().chain(tree).collect::<std::collections::BTreeSet<_>>();
    let pss: u64 = tree.iter().filter_map(|p| pss_kib(*p)).sum();
    eprintln!(
        "window process tree while open: {} processes, PSS {:.1} MiB",
        tree.len(),
        pss as f64 / 1024.0
    );
    assert!(desktop.close_window("Unslouch") >= 1, "the window is on the display");
    let closed = Instant::now();
    let gone = wait_for(Duration::from_secs(2), || tree.iter().all(|p| !alive(*p)).then_some(()));
    let left: Vec<_> = tree.iter().filter(|p| alive(**p)).collect();
    assert!(gone.is_some(), "still running 2 s after closing: {left:?}");
    eprintln!(
        "the whole window tree was gone {:.0} ms after the close",
        closed.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(daemon.status()["state"], "working", "the daemon runs on");
}

#[test]
fn a_window_closed_as_soon_as_it_shows_ends_at_once() {
    // The page is still loading: one close request, as a window manager sends on a click,
    // ends the window and its WebKit processes, every time.
    use unslouch_e2e::app::{alive, process_tree};
    let desktop = Desktop::start();
    let home = Home::new();
    let daemon = Daemon::start(&desktop, &home, 1);
    let mut took = Vec::new();
    for round in 0..40u64 {
        assert!(daemon.cli(&["settings"]).status.success());
        let windows = wait_for(Duration::from_secs(10), || {
            Some(daemon.windows())
                .filter(|w| !w.is_empty() && !desktop.find_windows("Unslouch").is_empty())
        })
        .unwrap_or_else(|| panic!("window {round} shown\n{}", home.log()));
        let tree: Vec<u32> = windows.iter().flat_map(|(pid, _)| process_tree(*pid)).collect();
        // Open for 0.2 to 1 s, varied.
        std::thread::sleep(Duration::from_millis(200 + round * 37 % 800));
        assert_eq!(desktop.close_window("Unslouch"), 1, "round {round}");
        let closed = Instant::now();
        let gone =
            wait_for(Duration::from_secs(3), || tree.iter().all(|p| !alive(*p)).then_some(()));
        let left: Vec<_> = tree.iter().filter(|p| alive(**p)).collect();
        assert!(gone.is_some(), "round {round}: still running 3 s after one close: {left:?}");
        took.push(closed.elapsed().as_secs_f64());
        // The next round only once the daemon has taken this window's end (it asks the open
        // window to show the view otherwise, as it should).
        let taken = wait_for(Duration::from_secs(3), || {
            (home.log().matches("the window closed").count() > round as usize).then_some(())
        });
        assert!(taken.is_some(), "round {round}: the daemon saw the window end\n{}", home.log());
    }
    took.sort_by(f64::total_cmp);
    eprintln!(
        "closed in {:.2} s (median), {:.2} s (worst)",
        took[took.len() / 2],
        took[took.len() - 1]
    );
}

/// On a compositor offering `offer`, the daemon asks for `asked` and names `source` as its idle
/// detection; the compositor's idle and resume make the person away and back.
fn wayland_idle_tells_away_and_back(
    offer: unslouch_e2e::wayland::Offer,
    asked: unslouch_e2e::wayland::Asked,
    source: &str,
) {
    use unslouch_e2e::wayland::Compositor;
    let desktop = Desktop::start();
    let home = Home::new();
    std::fs::create_dir_all(home.path("run")).unwrap();
    let socket = home.path("run/wayland-test");
    let compositor = Compositor::offering(&socket, offer);
    // No X display: only the compositor can tell when the person is away.
    let env = vec![
        ("DBUS_SESSION_BUS_ADDRESS".to_string(), desktop.bus.clone()),
        ("WAYLAND_DISPLAY".to_string(), socket.display().to_string()),
    ];
    let daemon = Daemon::start_with(env, &home, 60);
    assert_eq!(
        compositor.asked(),
        [asked],
        "one notification, after a minute (the shortest natural-break threshold)"
    );
    let named = format!("idle detection: {source}\n");
    assert!(home.log().contains(&named), "{named}{}", home.log());
    assert_eq!(daemon.status()["state"], "working");

    // Idle: at 60× the minute already idle is an hour of simulated time, past the 5-minute
    // threshold.
    compositor.idle();
    let away =
        wait_for(Duration::from_secs(15), || (daemon.status()["state"] == "away").then_some(()));
    assert!(away.is_some(), "away once the compositor says idle: {}", daemon.status());
    compositor.resume();
    let back =
        wait_for(Duration::from_secs(15), || (daemon.status()["state"] == "working").then_some(()));
    assert!(back.is_some(), "working again once the compositor says resumed");
    // Told by `resumed` itself, not found by a reading later.
    assert!(home.log().contains("input after an absence"), "{}", home.log());
    assert_eq!(home.events("natural_break"), 1, "the time away counted as a break\n{}", home.log());
}

#[test]
fn on_a_wayland_compositor_idle_time_comes_from_ext_idle_notify() {
    use unslouch_e2e::wayland::{Asked, Offer};
    wayland_idle_tells_away_and_back(
        Offer::Ext(1),
        Asked::Idle(60_000),
        "Wayland ext-idle-notify-v1",
    );
}

/// Version 2 of ext-idle-notify: the notification asked for counts input only (a film that
/// inhibits idleness is not the person at the keys).
#[test]
fn ext_idle_notify_version_2_is_asked_for_input_only() {
    use unslouch_e2e::wayland::{Asked, Offer};
    wayland_idle_tells_away_and_back(
        Offer::Ext(2),
        Asked::InputIdle(60_000),
        "Wayland ext-idle-notify-v1 (input)",
    );
}

/// A compositor with only KDE's idle protocol (sway 1.7, as in Debian 12; older KWin).
#[test]
fn an_older_compositor_tells_idle_time_through_kde_idle() {
    use unslouch_e2e::wayland::{Asked, Offer};
    wayland_idle_tells_away_and_back(Offer::Kde, Asked::Kde(60_000), "Wayland org_kde_kwin_idle");
}

#[test]
fn locking_and_sleeping_are_time_away_and_the_wake_brings_the_person_back() {
    use unslouch_e2e::desktop::SystemBus;
    use unslouch_e2e::logind::{Logind, SESSION};
    let desktop = Desktop::start();
    let system = SystemBus::start();
    let rt = runtime();
    let logind = rt.block_on(Logind::start(&system.address));
    let home = Home::new();
    let mut env = desktop.env();
    env.push(("DBUS_SYSTEM_BUS_ADDRESS".into(), system.address.clone()));
    // Real time: only a lock or a sleep can make the person away here, never idleness.
    let daemon = Daemon::start_with(env, &home, 1);
    let listening = wait_for(Duration::from_secs(10), || {
        let log = home.log();
        (log.contains("listening to logind for sleep, lock and unlock")
            && log.contains("listening to the screensaver"))
        .then_some(())
    });
    assert!(listening.is_some(), "{}", home.log());
    let state = || daemon.status()["state"].as_str().unwrap_or_default().to_string();
    let becomes = |want: &str| {
        active_until(&desktop, Duration::from_secs(5), || (state() == want).then_some(())).is_some()
    };
    assert_eq!(state(), "working");

    rt.block_on(logind.session_signal(SESSION, "Lock"));
    assert!(becomes("away"), "a locked session is away");
    rt.block_on(logind.session_signal(SESSION, "Unlock"));
    assert!(becomes("working"), "unlocked: back at the desk");

    rt.block_on(logind.session_signal("/org/freedesktop/login1/session/_99", "Lock"));
    // Nothing should happen: time for the signal to arrive, were it taken.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(state(), "working", "another session's lock is not ours");

    rt.block_on(logind.prepare_for_sleep(true));
    assert!(becomes("away"), "asleep is away");
    rt.block_on(logind.prepare_for_sleep(false));
    assert!(becomes("working"), "the wake brings the person back, even from a short sleep");

    let screensaver = rt
        .block_on(zbus::connection::Builder::address(desktop.bus.as_str()).unwrap().build())
        .unwrap();
    let active_changed = |on: bool| {
        rt.block_on(unslouch_e2e::desktop::screensaver_active(&screensaver, on));
    };
    active_changed(true);
    assert!(becomes("away"), "the screensaver on is away");
    active_changed(false);
    assert!(becomes("working"), "the screensaver off: back");
}

/// On a session day past the session time, the daemon suggests the week's full session in a
/// notification; "Start the session" starts one, recorded as a session.
#[test]
fn the_weekly_session_is_suggested_and_starts_from_the_notification() {
    let desktop = Desktop::start();
    let rt = runtime();
    let notifications = rt.block_on(Notifications::start(&desktop.bus));
    let home = Home::new();
    let today = jiff::Zoned::now().weekday();
    let day = format!("{today:?}").to_lowercase();
    // Days begin at midnight and the session time is midnight: the suggestion is due at once
    // whatever the hour the test runs.
    home.write_settings(&format!(
        "interval_minutes = 240\nday_starts_at_hour = 0\nsession_days = [\"{day}\"]\nsession_time = \"00:00\"\n"
    ));
    let daemon = Daemon::start(&desktop, &home, 1);
    let shown =
        active_until(&desktop, Duration::from_secs(20), || notifications.shown().first().cloned())
            .unwrap_or_else(|| panic!("a suggestion\n{}", home.log()));
    assert!(shown.summary.starts_with("Time for a full session?"), "{}", shown.summary);
    assert!(shown.body.contains("0 of 2 done this week"), "{}", shown.body);
    let keys: Vec<&str> = shown.actions.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["default", "start_session", "not_today"]);
    assert_eq!(daemon.status()["state"], "working", "a suggestion is not a reminder");
    assert_eq!(home.events("invited"), 1);

    rt.block_on(notifications.click(shown.id, "start_session"));
    let started = wait_for(Duration::from_secs(10), || {
        (daemon.status()["state"] == "in_break").then_some(())
    });
    assert!(started.is_some(), "the session runs\n{}", home.log());
    let conn = rusqlite::Connection::open(home.history_db()).unwrap();
    let data: String = conn
        .query_row("SELECT data FROM events WHERE kind = 'break_started'", [], |r| r.get(0))
        .unwrap();
    assert!(data.contains("\"session\":true"), "{data}");
    // The session ended early, the person back at the desk: no second suggestion that day.
    let end = Request::Break { control: unslouch_core::schedule::BreakControl::End };
    assert!(matches!(daemon.client().request(&end).unwrap(), Reply::Done));
    let again =
        active_until(&desktop, Duration::from_secs(3), || notifications.shown().get(1).cloned());
    assert!(again.is_none(), "suggested again: {again:?}");
    assert_eq!(daemon.status()["state"], "working");
}

/// A test's daemon, started on a session evening (a Tuesday at 17:30 by its test clock),
/// suggests no full session unless the test's settings ask for one: otherwise every test that
/// counts notifications would fail when run on a Tuesday or Friday evening.
#[test]
fn a_test_daemon_suggests_a_full_session_only_when_its_settings_ask() {
    let desktop = Desktop::start();
    let rt = runtime();
    let notifications = rt.block_on(Notifications::start(&desktop.bus));
    let tuesday_evening = || {
        let mut env = desktop.env();
        env.push(("UNSLOUCH_TIME_START".into(), "2026-12-01T17:30".into()));
        env
    };
    let home = Home::new();
    home.write_settings("interval_minutes = 240\n");
    let daemon = Daemon::start_with(tuesday_evening(), &home, 1);
    let shown =
        active_until(&desktop, Duration::from_secs(4), || notifications.shown().first().cloned());
    assert!(shown.is_none(), "suggested unasked: {shown:?}");
    assert_eq!(home.events("invited"), 0);
    drop(daemon);

    // Asked for: the same evening brings the suggestion (the clock's start is taken).
    let home = Home::new();
    home.write_settings("interval_minutes = 240\nweekly_sessions = 2\n");
    let _daemon = Daemon::start_with(tuesday_evening(), &home, 1);
    let shown =
        active_until(&desktop, Duration::from_secs(20), || notifications.shown().first().cloned())
            .unwrap_or_else(|| panic!("a suggestion\n{}", home.log()));
    assert!(shown.summary.starts_with("Time for a full session?"), "{}", shown.summary);
    assert_eq!(home.events("invited"), 1);
}

#[test]
fn a_persons_own_move_is_planned_and_a_bad_one_is_reported_by_status() {
    let desktop = Desktop::start();
    let home = Home::new();
    home.write_config("moves.toml", unslouch_e2e::app::MY_MOVES);
    // Their move may be excluded like ours (no unknown move, the settings file is kept).
    home.write_settings("excluded_moves = [\"chin-tuck\"]\n");
    let daemon = Daemon::start(&desktop, &home, 1);
    let out = daemon.cli(&["status"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Some of your own moves were left out")
            && text.contains("move 2 (`broken-move`): cues: it needs 3 to 5 cues"),
        "{text}"
    );
    assert!(!text.contains("towel-row"), "the good one is not reported: {text}");
    let mut client = daemon.client();
    let Reply::Library { library } = client.request(&Request::Library).unwrap() else {
        panic!("the library")
    };
    assert!(library.moves.iter().any(|m| m.id == "towel-row" && m.custom));
    assert_eq!(library.problems.len(), 1, "{:?}", library.problems);
    let reply =
        client.request(&Request::StartBreak { moves: Some(vec!["towel-row".into()]) }).unwrap();
    assert!(matches!(reply, Reply::Done), "{reply:?}");
    let Reply::Snapshot { snapshot } = client.request(&Request::Snapshot).unwrap() else {
        panic!("a snapshot")
    };
    let routine = snapshot.routine.expect("a break runs");
    assert_eq!(routine.move_ids(), ["towel-row"]);
    let end = Request::Break { control: unslouch_core::schedule::BreakControl::End };
    assert!(matches!(client.request(&end).unwrap(), Reply::Done));
    // The one left out is no move at all.
    let broken = Request::StartBreak { moves: Some(vec!["broken-move".into()]) };
    let err = client.request(&broken).unwrap_err().to_string();
    assert!(err.contains("no move called `broken-move`"), "{err}");
    // Their own exclusion is accepted by the settings too.
    let Reply::Settings { mut settings, .. } = client.request(&Request::GetSettings).unwrap()
    else {
        panic!("settings")
    };
    settings.excluded_moves.insert("towel-row".into());
    let reply = client.request(&Request::SetSettings { settings }).unwrap();
    assert!(matches!(reply, Reply::Settings { .. }), "{reply:?}");
    assert!(std::fs::read_to_string(home.settings_file()).unwrap().contains("towel-row"));
}

/// dunst paused (its Do Not Disturb) holds a reminder that falls due: none is sent, the status
/// says why; once unpaused, the reminder comes after the grace.
#[test]
fn dunst_paused_holds_the_reminder_until_it_is_unpaused() {
    let desktop = Desktop::start();
    let home = Home::new();
    let dunst = unslouch_e2e::dunst::Dunst::start(&desktop, &home, DUNSTRC);
    let dunstctl = |args: &[&str]| dunst.ctl(args);
    dunstctl(&["set-paused", "true"]);
    // A five-minute interval and a one-minute grace, sixty times fast: due after 5 s.
    home.write_settings(
        "interval_minutes = 10\nhold_grace_seconds = 60\nhold_while_typing = false\n",
    );
    let daemon = Daemon::start(&desktop, &home, 60);
    let held = active_until(&desktop, Duration::from_secs(20), || {
        let status = daemon.status();
        (status["held_by"] == serde_json::json!(["dnd"])).then_some(status)
    })
    .unwrap_or_else(|| panic!("held for Do Not Disturb\n{}", home.log()));
    assert_eq!(held["state"], "due");
    assert_eq!(home.events("reminded"), 0, "no reminder while paused");
    let line = String::from_utf8_lossy(&daemon.cli(&["status"]).stdout).to_string();
    assert!(line.starts_with("Break waiting: Do Not Disturb"), "{line}");
    // Unpaused: after the grace (1 s here), the reminder.
    dunstctl(&["set-paused", "false"]);
    let reminded = active_until(&desktop, Duration::from_secs(15), || {
        (home.events("reminded") == 1).then_some(())
    });
    assert!(reminded.is_some(), "reminded once unpaused\n{}", home.log());
    assert_eq!(home.events("held"), 1);
    assert_eq!(daemon.status()["held_by"], serde_json::json!([]));
}

/// An `xterm` titled `title` on the desktop, killed on drop; returned once the window manager
/// lists it.
struct Xterm(std::process::Child);

impl Xterm {
    fn open(desktop: &Desktop, title: &str) -> Xterm {
        let child = Command::new("xterm")
            .envs(desktop.env())
            .args(["-title", title, "-e", "sleep", "600"])
            .spawn()
            .expect("xterm runs (apt package xterm)");
        let listed = wait_for(Duration::from_secs(10), || {
            let out = Command::new("wmctrl").envs(desktop.env()).arg("-l").output().ok()?;
            String::from_utf8_lossy(&out.stdout).contains(title).then_some(())
        });
        assert!(listed.is_some(), "{title} is managed");
        Xterm(child)
    }
}

impl Drop for Xterm {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `wmctrl` on the desktop, which asks the window manager as a pager would (EWMH messages).
fn wmctrl(desktop: &Desktop, args: &[&str]) {
    let ok = Command::new("wmctrl").envs(desktop.env()).args(args).status().expect("wmctrl runs");
    assert!(ok.success(), "wmctrl {args:?}");
}

/// A window made fullscreen under a real window manager holds the reminder that falls due;
/// another window becoming the active one ends the hold, and the reminder comes after the grace.
#[test]
fn a_fullscreen_window_holds_the_reminder_until_another_window_is_active() {
    let desktop = Desktop::start();
    let _wm = desktop.window_manager();
    let home = Home::new();
    let film = Xterm::open(&desktop, "unslouch-film");
    // A ten-minute interval and a one-minute grace, sixty times fast: due after 10 s. Typing
    // is left out: the pointer moves all along here.
    home.write_settings(
        "interval_minutes = 10\nhold_grace_seconds = 60\nhold_while_typing = false\n",
    );
    let daemon = Daemon::start(&desktop, &home, 60);
    let followed = wait_for(Duration::from_secs(10), || {
        home.log().contains("following fullscreen windows").then_some(())
    });
    assert!(followed.is_some(), "fullscreen followed\n{}", home.log());
    wmctrl(&desktop, &["-a", "unslouch-film"]);
    wmctrl(&desktop, &["-r", "unslouch-film", "-b", "add,fullscreen"]);
    let held = active_until(&desktop, Duration::from_secs(20), || {
        let status = daemon.status();
        (status["held_by"] == serde_json::json!(["fullscreen"])).then_some(status)
    })
    .unwrap_or_else(|| panic!("held for the fullscreen window\n{}", home.log()));
    assert_eq!(held["state"], "due");
    assert_eq!(home.events("reminded"), 0, "no reminder over the film");
    let line = String::from_utf8_lossy(&daemon.cli(&["status"]).stdout).to_string();
    assert!(line.starts_with("Break waiting: fullscreen"), "{line}");
    assert_eq!(tray_status_line(&desktop, &daemon), "Break waiting: fullscreen");
    // Still held a while later: the hold lasts as long as the window stays fullscreen.
    keep_active(&desktop, Duration::from_secs(3));
    assert_eq!(home.events("reminded"), 0, "no reminder over the film\n{}", home.log());
    // Another window opens and takes the focus: the film is no longer what the person sees.
    let _editor = Xterm::open(&desktop, "unslouch-editor");
    wmctrl(&desktop, &["-a", "unslouch-editor"]);
    let reminded = active_until(&desktop, Duration::from_secs(15), || {
        (home.events("reminded") == 1).then_some(())
    });
    assert!(reminded.is_some(), "reminded once the film is not in front\n{}", home.log());
    assert_eq!(home.events("held"), 1);
    drop(film);
}

/// The fullscreen state of the active window itself: set, the reminder waits; cleared, it
/// comes.
#[test]
fn leaving_fullscreen_lets_the_held_reminder_come() {
    let desktop = Desktop::start();
    let _wm = desktop.window_manager();
    let home = Home::new();
    let _slides = Xterm::open(&desktop, "unslouch-slides");
    wmctrl(&desktop, &["-a", "unslouch-slides"]);
    wmctrl(&desktop, &["-r", "unslouch-slides", "-b", "add,fullscreen"]);
    home.write_settings(
        "interval_minutes = 10\nhold_grace_seconds = 60\nhold_while_typing = false\n",
    );
    let daemon = Daemon::start(&desktop, &home, 60);
    let held = active_until(&desktop, Duration::from_secs(20), || {
        (daemon.status()["held_by"] == serde_json::json!(["fullscreen"])).then_some(())
    });
    assert!(held.is_some(), "held from the start\n{}", home.log());
    wmctrl(&desktop, &["-r", "unslouch-slides", "-b", "remove,fullscreen"]);
    let reminded = active_until(&desktop, Duration::from_secs(15), || {
        (home.events("reminded") == 1).then_some(())
    });
    assert!(reminded.is_some(), "reminded once out of fullscreen\n{}", home.log());
    assert_eq!(daemon.status()["held_by"], serde_json::json!([]));
}

/// Typing through the moment a reminder falls due holds it until a pause in the typing: keys
/// pressed through the X server (XTEST, as a keyboard does), then a pause, then the reminder.
#[test]
fn typing_through_the_due_moment_holds_the_reminder_until_a_pause() {
    let desktop = Desktop::start();
    let home = Home::new();
    // Thirty times fast: due after 10 s; a pause of 30 s (1 s here); at most 10 min (20 s).
    home.write_settings(
        "interval_minutes = 5\ntyping_pause_seconds = 30\ntyping_cap_seconds = 600\n",
    );
    let daemon = Daemon::start(&desktop, &home, 30);
    let typing = || {
        let _ = Command::new("xdotool")
            .envs(desktop.env())
            .args(["type", "--delay", "40", "sit tall "])
            .status();
    };
    let started = Instant::now();
    let mut held = None;
    while held.is_none() && started.elapsed() < Duration::from_secs(30) {
        typing();
        let status = daemon.status();
        held = (status["held_by"] == serde_json::json!(["typing"])).then_some(status);
    }
    let held = held.unwrap_or_else(|| panic!("held while typing\n{}", home.log()));
    assert_eq!(held["state"], "due");
    let line = String::from_utf8_lossy(&daemon.cli(&["status"]).stdout).to_string();
    assert!(line.starts_with("Break waiting: a pause in your typing"), "{line}");
    assert_eq!(tray_status_line(&desktop, &daemon), "Break waiting: a pause in your typing");
    // Two more seconds of typing (a minute here): still held.
    let more = Instant::now();
    while more.elapsed() < Duration::from_secs(2) {
        typing();
    }
    assert_eq!(home.events("reminded"), 0, "not mid-sentence\n{}", home.log());
    // The hands stop: the reminder comes once the pause is reached.
    let stopped = Instant::now();
    let reminded =
        wait_for(Duration::from_secs(10), || (home.events("reminded") == 1).then_some(()));
    assert!(reminded.is_some(), "reminded at the pause\n{}", home.log());
    let after = stopped.elapsed();
    assert!(after < Duration::from_secs(3), "at the pause, not the cap: {after:?}");
    assert_eq!(home.events("held"), 1);
}

/// A device tree for the daemon to watch instead of `/dev` and `/sys`: a USB camera, a virtual
/// one (as v4l2loopback makes) and a microphone, as plain files with their sysfs entries.
fn device_tree() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("a temporary folder");
    let dev = root.path().join("dev");
    let class = root.path().join("sys/class/video4linux");
    std::fs::create_dir_all(dev.join("snd")).unwrap();
    std::fs::create_dir_all(&class).unwrap();
    for (node, place) in [
        ("video0", "sys/devices/pci0000:00/0000:00:14.0/usb1/1-6/1-6:1.0/video4linux/video0"),
        ("video4", "sys/devices/virtual/video4linux/video4"),
    ] {
        let place = root.path().join(place);
        std::fs::create_dir_all(&place).unwrap();
        std::os::unix::fs::symlink(&place, class.join(node)).unwrap();
        std::fs::write(dev.join(node), "").unwrap();
    }
    std::fs::write(dev.join("snd/pcmC1D0c"), "").unwrap();
    std::fs::write(dev.join("snd/pcmC1D0p"), "").unwrap();
    root
}

/// A process holding `node` open (as a video call holds the camera), killed on drop.
struct Holder(std::process::Child);

impl Holder {
    fn open(node: &std::path::Path) -> Holder {
        let child = Command::new("sh")
            .arg("-c")
            .arg(format!("exec 3<'{}'; exec sleep 600", node.display()))
            .spawn()
            .expect("sh runs");
        Holder(child)
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A camera held open by another process is a meeting: the reminder waits, the status says
/// why; a virtual camera is none; once the call ends, the reminder comes after the grace. The
/// microphone alone is a meeting too, unless the settings leave it out.
#[test]
fn a_camera_in_use_holds_the_reminder_until_the_call_ends() {
    let desktop = Desktop::start();
    let home = Home::new();
    let devices = device_tree();
    let dev = devices.path().join("dev");
    home.write_settings(
        "interval_minutes = 10\nhold_grace_seconds = 60\nhold_while_typing = false\n",
    );
    let mut env = desktop.env();
    env.push(("UNSLOUCH_DEVICE_ROOT".into(), devices.path().display().to_string()));
    let daemon = Daemon::start_with(env, &home, 60);
    let followed = wait_for(Duration::from_secs(10), || {
        home.log().contains("following 2 cameras and microphones").then_some(())
    });
    assert!(followed.is_some(), "the camera and the microphone followed\n{}", home.log());
    // A virtual camera in use (OBS feeding v4l2loopback) is not a call.
    let _obs = Holder::open(&dev.join("video4"));
    let call = Holder::open(&dev.join("video0"));
    let held = active_until(&desktop, Duration::from_secs(20), || {
        let status = daemon.status();
        (status["held_by"] == serde_json::json!(["meeting"])).then_some(status)
    })
    .unwrap_or_else(|| panic!("held for the call\n{}", home.log()));
    assert_eq!(held["state"], "due");
    assert_eq!(home.events("reminded"), 0, "no reminder during the call");
    let line = String::from_utf8_lossy(&daemon.cli(&["status"]).stdout).to_string();
    assert!(line.starts_with("Break waiting: in a meeting"), "{line}");
    assert_eq!(tray_status_line(&desktop, &daemon), "Break waiting: in a meeting");
    drop(call);
    let reminded = active_until(&desktop, Duration::from_secs(15), || {
        (home.events("reminded") == 1).then_some(())
    });
    assert!(reminded.is_some(), "reminded once the call ended\n{}", home.log());
    assert_eq!(home.events("held"), 1);
    // The microphone alone (a voice call) holds a reminder too...
    let _mic = Holder::open(&dev.join("snd/pcmC1D0c"));
    let held = active_until(&desktop, Duration::from_secs(20), || {
        (daemon.status()["held_by"] == serde_json::json!(["meeting"])).then_some(())
    });
    assert!(held.is_some(), "held for the voice call\n{}", home.log());
    // ...unless the person leaves the microphone out.
    let mut client = daemon.client();
    let Reply::Settings { mut settings, .. } = client.request(&Request::GetSettings).unwrap()
    else {
        panic!()
    };
    settings.meeting_microphone = false;
    client.request(&Request::SetSettings { settings }).unwrap();
    let reminded = active_until(&desktop, Duration::from_secs(15), || {
        (home.events("reminded") == 2).then_some(())
    });
    assert!(reminded.is_some(), "the microphone no longer counts\n{}", home.log());
}

/// With Do Not Disturb switched on by `switch(true)`, a reminder that falls due is held and the
/// status says so; switched off, the reminder comes after the grace.
fn do_not_disturb_holds(desktop: &Desktop, home: &Home, daemon: &Daemon, switch: impl Fn(bool)) {
    switch(true);
    let held = active_until(desktop, Duration::from_secs(20), || {
        let status = daemon.status();
        (status["held_by"] == serde_json::json!(["dnd"])).then_some(status)
    })
    .unwrap_or_else(|| panic!("held for Do Not Disturb\n{}", home.log()));
    assert_eq!(held["state"], "due");
    assert_eq!(home.events("reminded"), 0, "no reminder during Do Not Disturb");
    let line = String::from_utf8_lossy(&daemon.cli(&["status"]).stdout).to_string();
    assert!(line.starts_with("Break waiting: Do Not Disturb"), "{line}");
    assert_eq!(tray_status_line(desktop, daemon), "Break waiting: Do Not Disturb");
    switch(false);
    let reminded = active_until(desktop, Duration::from_secs(15), || {
        (home.events("reminded") == 1).then_some(())
    });
    assert!(reminded.is_some(), "reminded once Do Not Disturb ends\n{}", home.log());
    assert_eq!(home.events("held"), 1);
}

/// Settings for the Do Not Disturb tests: due after 10 s at sixty times fast, a one-second grace,
/// typing left out (the pointer moves all along).
const DND_SETTINGS: &str =
    "interval_minutes = 10\nhold_grace_seconds = 60\nhold_while_typing = false\n";

/// KDE Plasma: the notification server's `Inhibited` property and its `PropertiesChanged`.
#[test]
fn plasma_inhibited_holds_the_reminder() {
    let desktop = Desktop::start();
    let rt = runtime();
    let notifications = rt.block_on(Notifications::named(&desktop.bus, "Plasma"));
    let home = Home::new();
    home.write_settings(DND_SETTINGS);
    let daemon = Daemon::start(&desktop, &home, 60);
    let followed = wait_for(Duration::from_secs(10), || {
        home.log().contains("following Do Not Disturb source=Plasma").then_some(())
    });
    assert!(followed.is_some(), "Plasma's Do Not Disturb followed\n{}", home.log());
    do_not_disturb_holds(&desktop, &home, &daemon, |on| {
        rt.block_on(notifications.set_inhibited(on));
    });
    assert_eq!(notifications.shown().len(), 1, "the reminder, once");
}

/// GNOME: `show-banners` switched off with `gsettings set`, through the real dconf writer,
/// which says so on the bus; the daemon reads the key back with `gsettings get`.
#[test]
fn gnome_banners_off_holds_the_reminder() {
    let desktop = Desktop::start();
    let rt = runtime();
    let _shell = rt.block_on(Notifications::named(&desktop.bus, "gnome-shell"));
    let home = Home::new();
    home.write_settings(DND_SETTINGS);
    let dconf = unslouch_e2e::services::Service::dconf(&desktop, &home);
    let daemon = Daemon::start(&desktop, &home, 60);
    let followed = wait_for(Duration::from_secs(10), || {
        home.log().contains("following Do Not Disturb source=Gnome").then_some(())
    });
    assert!(followed.is_some(), "GNOME's Do Not Disturb followed\n{}", home.log());
    do_not_disturb_holds(&desktop, &home, &daemon, |on| {
        let banners = if on { "false" } else { "true" };
        let args = ["set", "org.gnome.desktop.notifications", "show-banners", banners];
        let out = dconf.run("gsettings", &args);
        assert!(out.trim().is_empty(), "gsettings set: {out}");
    });
}

/// XFCE: xfce4-notifyd's `/do-not-disturb` in xfconf, set with `xfconf-query` through the real
/// xfconfd, which says so with `PropertyChanged`.
#[test]
fn xfce_do_not_disturb_holds_the_reminder() {
    let desktop = Desktop::start();
    let rt = runtime();
    let _notifyd = rt.block_on(Notifications::named(&desktop.bus, "Xfce Notify Daemon"));
    let home = Home::new();
    home.write_settings(DND_SETTINGS);
    let xfconf = unslouch_e2e::services::Service::xfconfd(&desktop, &home);
    let daemon = Daemon::start(&desktop, &home, 60);
    let followed = wait_for(Duration::from_secs(10), || {
        home.log().contains("following Do Not Disturb source=Xfce").then_some(())
    });
    assert!(followed.is_some(), "XFCE's Do Not Disturb followed\n{}", home.log());
    do_not_disturb_holds(&desktop, &home, &daemon, |on| {
        let value = if on { "true" } else { "false" };
        let args =
            ["-c", "xfce4-notifyd", "-p", "/do-not-disturb", "-n", "-t", "bool", "-s", value];
        let out = xfconf.run("xfconf-query", &args);
        assert!(out.trim().is_empty(), "xfconf-query: {out}");
    });
}

/// On GNOME under Wayland, where no protocol tells another client's fullscreen state, a video
/// that keeps the session from going idle holds the reminder as fullscreen would; a music
/// player doing the same does not.
#[test]
fn on_gnome_wayland_a_video_keeping_the_session_awake_holds_the_reminder() {
    use unslouch_e2e::gnome_session::GnomeSession;
    use unslouch_e2e::wayland::Compositor;
    let desktop = Desktop::start();
    let rt = runtime();
    let session = rt.block_on(GnomeSession::start(&desktop.bus));
    let _music = rt.block_on(session.inhibit("org.gnome.Rhythmbox3", "Playing", 8));
    let home = Home::new();
    home.write_settings(DND_SETTINGS);
    std::fs::create_dir_all(home.path("run")).unwrap();
    let socket = home.path("run/wayland-test");
    let _compositor = Compositor::start(&socket);
    let env = vec![
        ("DBUS_SESSION_BUS_ADDRESS".to_string(), desktop.bus.clone()),
        ("WAYLAND_DISPLAY".to_string(), socket.display().to_string()),
    ];
    let daemon = Daemon::start_with(env, &home, 60);
    let followed = wait_for(Duration::from_secs(10), || {
        home.log().contains("following the GNOME session's inhibitors").then_some(())
    });
    assert!(followed.is_some(), "the session's inhibitors followed\n{}", home.log());
    let film = rt.block_on(session.inhibit("firefox", "video-playing", 8));
    let held = wait_for(Duration::from_secs(20), || {
        (daemon.status()["held_by"] == serde_json::json!(["fullscreen"])).then_some(())
    });
    assert!(held.is_some(), "held during the film\n{}", home.log());
    assert_eq!(home.events("reminded"), 0);
    rt.block_on(session.uninhibit(&film));
    // The music plays on, and holds nothing.
    let reminded =
        wait_for(Duration::from_secs(15), || (home.events("reminded") == 1).then_some(()));
    assert!(reminded.is_some(), "reminded once the film ends\n{}", home.log());
}

/// The tray menu's status line (its first entry), as a tray host shows it.
fn tray_status_line(desktop: &Desktop, daemon: &Daemon) -> String {
    let rt = runtime();
    rt.block_on(async {
        for _ in 0..100 {
            if let Some(menu) = unslouch_e2e::tray::TrayMenu::find(&desktop.bus, daemon.pid()).await
            {
                return menu.entries().await[0].label.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the tray is on the bus");
    })
}

/// Typing is looked at when a call ends, after the grace: a deadline wakes the daemon with no
/// fresh reading, and it takes one at once rather than showing the reminder mid-sentence.
#[test]
fn typing_as_a_call_ends_still_holds_the_reminder_until_a_pause() {
    let desktop = Desktop::start();
    let home = Home::new();
    let devices = device_tree();
    let call = Holder::open(&devices.path().join("dev/video0"));
    // Thirty times fast: due after 10 s; a 2 s grace; a pause of 1 s; at most 20 s of typing.
    home.write_settings(
        "interval_minutes = 5\nhold_grace_seconds = 60\ntyping_pause_seconds = 30\n\
         typing_cap_seconds = 600\n",
    );
    let mut env = desktop.env();
    env.push(("UNSLOUCH_DEVICE_ROOT".into(), devices.path().display().to_string()));
    let daemon = Daemon::start_with(env, &home, 30);
    let typing = || {
        let _ = Command::new("xdotool")
            .envs(desktop.env())
            .args(["type", "--delay", "40", "sit tall "])
            .status();
    };
    let in_call = active_until(&desktop, Duration::from_secs(30), || {
        (daemon.status()["held_by"] == serde_json::json!(["meeting"])).then_some(())
    });
    assert!(in_call.is_some(), "held for the call\n{}", home.log());
    drop(call);
    // Typing through the end of the call and its grace, and 4 s more.
    let ended = Instant::now();
    while ended.elapsed() < Duration::from_secs(6) {
        typing();
    }
    assert_eq!(home.events("reminded"), 0, "not mid-sentence\n{}", home.log());
    assert_eq!(daemon.status()["held_by"], serde_json::json!(["typing"]));
    let stopped = Instant::now();
    let reminded =
        wait_for(Duration::from_secs(20), || (home.events("reminded") == 1).then_some(()));
    assert!(reminded.is_some(), "reminded at the pause\n{}", home.log());
    assert!(stopped.elapsed() < Duration::from_secs(3), "at the pause: {:?}", stopped.elapsed());
}

/// `desktop-file-validate` on `entry`: its complaints, if any.
fn validate_entry(entry: &std::path::Path) {
    let validate = Command::new("desktop-file-validate").arg(entry).output().unwrap();
    assert!(
        validate.status.success() && validate.stdout.is_empty(),
        "{}{}",
        String::from_utf8_lossy(&validate.stdout),
        String::from_utf8_lossy(&validate.stderr)
    );
}

/// Start the daemon at `program` (a copy of the built one) and wait for its entry.
fn start_copy(desktop: &Desktop, home: &Home, program: &std::path::Path) -> std::process::Child {
    let mut env = desktop.env();
    env.extend(home.env());
    let child = Command::new(program)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the copy starts");
    let written =
        wait_for(Duration::from_secs(10), || home.autostart_entry().exists().then_some(()));
    assert!(written.is_some(), "start at login written\n{}", home.log());
    child
}

/// Installed in a folder with a space, the entry still starts the program: one quoted
/// argument, as a launcher splits it.
#[test]
fn start_at_login_quotes_a_path_with_a_space() {
    let desktop = Desktop::start();
    let home = Home::new();
    let folder = home.path("my apps");
    std::fs::create_dir_all(&folder).unwrap();
    let program = folder.join("unslouch");
    std::fs::copy(&binaries().daemon, &program).unwrap();
    let mut daemon = start_copy(&desktop, &home, &program);
    let entry = home.autostart_entry();
    let text = std::fs::read_to_string(&entry).unwrap();
    let exec = text.lines().find_map(|l| l.strip_prefix("Exec=")).expect("an Exec line");
    assert_eq!(exec, format!("\"{}\"", program.display()));
    validate_entry(&entry);
    // As a launcher splits it (GLib's shell rules): one argument, the whole path.
    let split =
        Command::new("sh").arg("-c").arg(format!("printf '%s\\n' {exec}")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&split.stdout).trim_end(), program.display().to_string());
    let _ = daemon.kill();
    let _ = daemon.wait();
}

/// Upgraded in place while it runs (the package manager renames a new file over the old), the
/// daemon's start at login names the program at its path, not the ` (deleted)` file the
/// kernel then shows.
#[test]
fn start_at_login_after_an_upgrade_in_place_names_the_installed_program() {
    let desktop = Desktop::start();
    let home = Home::new();
    let bin = home.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let program = bin.join("unslouch");
    std::fs::copy(&binaries().daemon, &program).unwrap();
    let mut daemon = start_copy(&desktop, &home, &program);
    // The upgrade: the new file written beside, then renamed over the running one.
    let new = bin.join(".unslouch.new");
    std::fs::copy(&binaries().daemon, &new).unwrap();
    std::fs::rename(&new, &program).unwrap();
    let exe = std::fs::read_link(format!("/proc/{}/exe", daemon.id())).unwrap();
    assert!(exe.to_string_lossy().ends_with(" (deleted)"), "{}", exe.display());
    // The person turns start at login off and on again.
    let env: Vec<(String, String)> = desktop.env().into_iter().chain(home.env()).collect();
    let cli = |args: &[&str]| {
        Command::new(&binaries().daemon).env_clear().envs(env.clone()).args(args).output().unwrap()
    };
    let set = |on: bool| {
        let mut client = unslouch_ipc::client::Client::connect(&home.socket()).unwrap();
        let Reply::Settings { mut settings, .. } = client.request(&Request::GetSettings).unwrap()
        else {
            panic!()
        };
        settings.start_at_login = on;
        client.request(&Request::SetSettings { settings }).unwrap();
    };
    set(false);
    assert!(!home.autostart_entry().exists());
    set(true);
    let text = std::fs::read_to_string(home.autostart_entry()).unwrap();
    assert!(text.contains(&format!("\nExec=\"{}\"\n", program.display())), "{text}");
    assert!(!text.contains("deleted"), "{text}");
    validate_entry(&home.autostart_entry());
    let _ = cli(&["quit"]);
    let _ = daemon.wait();
}

/// Switched off in the desktop's startup settings, the entry is left so at every start; the
/// one `auto-launch` wrote in earlier versions is removed.
#[test]
fn start_at_login_switched_off_by_the_desktop_is_left_off() {
    let desktop = Desktop::start();
    let home = Home::new();
    let entry = home.autostart_entry();
    std::fs::create_dir_all(entry.parent().unwrap()).unwrap();
    let off = format!(
        "[Desktop Entry]\nType=Application\nName=Unslouch\nExec=\"{}\"\nHidden=true\n",
        binaries().daemon.display()
    );
    std::fs::write(&entry, &off).unwrap();
    let old = entry.with_file_name("unslouch.desktop");
    let theirs = format!(
        "[Desktop Entry]\nType=Application\nVersion=1.0\nName=unslouch\n\
         Comment=unslouch startup script\nExec={} \nStartupNotify=false\nTerminal=false",
        binaries().daemon.display()
    );
    std::fs::write(&old, theirs).unwrap();
    let _daemon = Daemon::start(&desktop, &home, 1);
    let looked = wait_for(Duration::from_secs(10), || {
        home.log().contains("switched off in the desktop's settings").then_some(())
    });
    assert!(looked.is_some(), "{}", home.log());
    assert_eq!(std::fs::read_to_string(&entry).unwrap(), off, "the person's choice kept");
    assert!(!old.exists(), "the old entry removed");
}

/// The app-menu entry and the AppStream metadata pass their validators; the metadata's latest
/// release is this version, and its screenshots are in the repository.
#[test]
fn the_app_menu_entry_and_the_metadata_pass_their_validators() {
    let packaging = unslouch_e2e::app::workspace().join("packaging");
    validate_entry(&packaging.join("app.unslouch.Unslouch.desktop"));
    let metainfo = packaging.join("app.unslouch.Unslouch.metainfo.xml");
    let out = Command::new("appstreamcli")
        .args(["validate", "--no-net"])
        .arg(&metainfo)
        .output()
        .expect("appstreamcli runs (apt package appstream)");
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{said}");
    assert!(said.contains("Validation was successful"), "{said}");
    let text = std::fs::read_to_string(&metainfo).unwrap();
    let latest = text.split("<release version=\"").nth(1).and_then(|r| r.split('"').next());
    assert_eq!(latest, Some(env!("CARGO_PKG_VERSION")), "the latest release is this version");
    let prefix = "https://example.invalid/unslouch/raw/main/";
    let shots: Vec<&str> = text
        .split("<image>")
        .skip(1)
        .map(|s| s.split("</image>").next().unwrap().trim_start_matches(prefix))
        .collect();
    assert!(!shots.is_empty());
    for shot in shots {
        let path = unslouch_e2e::app::workspace().join(shot);
        assert!(path.is_file(), "{} is in the repository", path.display());
    }
}

/// The app menu's "Start a Break Now" when Unslouch is not running: it starts, and the break
/// with it.
#[test]
fn a_break_asked_for_when_unslouch_is_not_running_starts_it() {
    let desktop = Desktop::start();
    let home = Home::new();
    let env: Vec<(String, String)> = desktop.env().into_iter().chain(home.env()).collect();
    let cli = |args: &[&str]| {
        Command::new(&binaries().daemon)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env.clone())
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(cli(&["status"]).status.code(), Some(3), "not running");
    let asked = cli(&["break"]);
    assert!(asked.status.success(), "{}", String::from_utf8_lossy(&asked.stderr));
    let status = cli(&["status", "--json"]);
    assert!(status.status.success());
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["state"], "in_break");
    assert!(cli(&["quit"]).status.success());
    let gone = wait_for(Duration::from_secs(10), || {
        (cli(&["status"]).status.code() == Some(3)).then_some(())
    });
    assert!(gone.is_some(), "stopped");
}

/// Upgraded in place while it runs, the daemon is asked by the new window to start again from
/// the program installed now: the same process runs the new program, and carries on (a pause
/// set before is still on); the window opens as asked.
#[test]
fn after_an_upgrade_in_place_the_window_has_the_daemon_restart_itself() {
    let desktop = Desktop::start();
    let home = Home::new();
    let bin = home.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let (daemon_program, window_program) = (bin.join("unslouch"), bin.join("unslouch-window"));
    std::fs::copy(&binaries().daemon, &daemon_program).unwrap();
    std::fs::copy(&binaries().window, &window_program).unwrap();
    let mut env: Vec<(String, String)> = desktop.env().into_iter().chain(home.env()).collect();
    env.push(("PATH".into(), std::env::var("PATH").unwrap_or_default()));
    let run = |program: &std::path::Path, args: &[&str]| {
        Command::new(program).env_clear().envs(env.clone()).args(args).output().unwrap()
    };
    let mut daemon = Command::new(&daemon_program)
        .env_clear()
        .envs(env.clone())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let up = wait_for(Duration::from_secs(10), || {
        run(&daemon_program, &["status"]).status.success().then_some(())
    });
    assert!(up.is_some(), "{}", home.log());
    assert!(run(&daemon_program, &["pause", "2h"]).status.success());
    // The upgrade: both programs replaced by renaming new files over them.
    for program in [&daemon_program, &window_program] {
        let new = program.with_extension("new");
        std::fs::copy(program, &new).unwrap();
        std::fs::rename(&new, program).unwrap();
    }
    let hello = |client: &mut unslouch_ipc::client::Client| {
        let request = Request::Hello { protocol: unslouch_ipc::PROTOCOL, version: "test".into() };
        match client.request(&request).unwrap() {
            Reply::Hello { protocol, replaced, .. } => (protocol, replaced),
            other => panic!("{other:?}"),
        }
    };
    let mut client = unslouch_ipc::client::Client::connect(&home.socket()).unwrap();
    assert_eq!(hello(&mut client), (unslouch_ipc::PROTOCOL, true), "it knows it was replaced");
    drop(client);
    // The person opens the settings from the app menu: the new window.
    let mut window = Command::new(&window_program)
        .env_clear()
        .envs(env.clone())
        .arg("settings")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let restarted = wait_for(Duration::from_secs(20), || {
        let exe = std::fs::read_link(format!("/proc/{}/exe", daemon.id())).ok()?;
        (!exe.to_string_lossy().contains("(deleted)")).then_some(exe)
    });
    let exe = restarted.unwrap_or_else(|| panic!("restarted from the new program\n{}", home.log()));
    assert_eq!(exe, daemon_program, "the same process, the program installed now");
    let back = wait_for(Duration::from_secs(10), || {
        let mut client = unslouch_ipc::client::Client::connect(&home.socket()).ok()?;
        (hello(&mut client) == (unslouch_ipc::PROTOCOL, false)).then_some(())
    });
    assert!(back.is_some(), "answering again\n{}", home.log());
    let status = run(&daemon_program, &["status", "--json"]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["state"], "paused", "the pause carried across the restart: {status}");
    let shown = wait_for(Duration::from_secs(20), || {
        (!desktop.find_windows("Unslouch").is_empty()).then_some(())
    });
    assert!(shown.is_some(), "the window opens as asked\n{}", home.log());
    assert!(run(&daemon_program, &["quit"]).status.success());
    let _ = daemon.wait();
    let _ = window.kill();
    let _ = window.wait();
}
