//! Click on the reminder → first paint of the break view, with a cold window process each time.
//!
//! Release builds of `unslouch` (test clock) and `unslouch-window`, Xvfb, a private bus and our
//! notification server. Each round: a reminder comes (5 min of desk time at 60× with the pointer
//! moving), the clock starts as the server emits `ActionInvoked`, and stops when a window titled
//! "Unslouch" first shows the break view (the accent colour below the header: the timer's ring),
//! read from the X server each time it says the window's contents changed, with nothing added to
//! the programs. The window is then closed and its process waited for, so every round starts one
//! from nothing.
//!
//!     cargo bench -p unslouch-e2e --bench first_paint [-- ROUNDS] [--env NAME=VALUE]...
//!
//! `--env` sets a variable in the daemon's environment, which its windows inherit: to compare
//! (`--env WEBKIT_DISABLE_COMPOSITING_MODE=1` is the window as it was before it drew without
//! GL: set by "the person", the daemon adds nothing of its own, so GTK and WebKit load Mesa).
//! The daemon's log is left in `target/first-paint-daemon.log`, and each round's click is
//! printed in UTC, to place the window's requests in a round.

use std::time::{Duration, Instant};

use unslouch_e2e::app::Home;
use unslouch_e2e::paint::{Watcher, shows_break};
use unslouch_e2e::{Daemon, Desktop, Notifications, active_until, wait_for};

fn main() {
    let rounds: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10);
    let args: Vec<String> = std::env::args().collect();
    let extra: Vec<(String, String)> = args
        .windows(2)
        .filter(|w| w[0] == "--env")
        .filter_map(|w| w[1].split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect();
    let desktop = Desktop::start();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let notifications = rt.block_on(Notifications::start(&desktop.bus));
    let home = Home::new();
    home.write_settings("interval_minutes = 5\n");
    let mut env = desktop.env();
    env.extend(extra);
    let daemon = Daemon::start_with(env, &home, 60);
    let watcher = Watcher::connect(&desktop.display);
    let mut times = Vec::new();
    for round in 0..rounds {
        let seen = notifications.shown().len();
        let shown = active_until(&desktop, Duration::from_secs(30), || {
            notifications.shown().get(seen).cloned()
        })
        .unwrap_or_else(|| panic!("reminder {round} came\n{}", home.log()));
        // Clicked at once: the daemon listens for answers from its start and keeps one that
        // comes before the server has even told it the notification's id.
        let clicked = Instant::now();
        let clicked_at = jiff::Timestamp::now();
        rt.block_on(notifications.click(shown.id, "default"));
        let painted = watcher
            .wait_for_paint("Unslouch", Duration::from_secs(10), shows_break)
            .expect("the break view painted")
            .painted;
        let ms = (painted - clicked).as_secs_f64() * 1000.0;
        eprintln!("round {round}: click to break view painted {ms:.0} ms (clicked {clicked_at})");
        times.push(ms);
        // Let the break end (60 s of routine: 1 s here), then close the window and wait for
        // all of its processes (WebKit's too) to be gone, so the next round starts from nothing.
        let windows =
            wait_for(Duration::from_secs(5), || Some(daemon.windows()).filter(|w| !w.is_empty()))
                .unwrap_or_default();
        let ended = wait_for(Duration::from_secs(10), || {
            (daemon.status()["state"] != "in_break").then_some(())
        });
        assert!(ended.is_some(), "the break ended\n{}", home.log());
        let tree: Vec<u32> =
            windows.iter().flat_map(|(pid, _)| unslouch_e2e::app::process_tree(*pid)).collect();
        let gone = wait_for(Duration::from_secs(10), || {
            desktop.close_window("Unslouch");
            // Time for the close to take effect before asking again.
            std::thread::sleep(Duration::from_millis(200));
            tree.iter().all(|pid| !unslouch_e2e::app::alive(*pid)).then_some(())
        });
        if gone.is_none() {
            eprintln!(
                "round {round}: windows titled Unslouch on the X server 10 s after the close: {}",
                desktop.find_windows("Unslouch").len()
            );
            // Say where each process left is, then end them: the next round starts clean.
            for pid in tree.iter().filter(|p| unslouch_e2e::app::alive(**p)) {
                let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
                let stacks = std::process::Command::new("gdb")
                    .args(["-p", &pid.to_string(), "-batch", "-ex", "thread apply all bt 12"])
                    .output()
                    .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
                    .unwrap_or_default();
                eprintln!(
                    "round {round}: {pid} ({}) still there 10 s after the close:\n{stacks}",
                    comm.trim()
                );
                let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
            }
        }
    }
    // To place each round's requests (the daemon logs them, timed) against its click.
    let log = unslouch_e2e::app::target_dir().join("first-paint-daemon.log");
    let _ = std::fs::write(&log, home.log());
    eprintln!("the daemon's log: {}", log.display());
    times.sort_by(f64::total_cmp);
    let median = if times.len() % 2 == 1 {
        times[times.len() / 2]
    } else {
        (times[times.len() / 2 - 1] + times[times.len() / 2]) / 2.0
    };
    println!(
        "click to break view painted over {} cold starts: median {median:.0} ms, best {:.0} ms, worst {:.0} ms",
        times.len(),
        times[0],
        times[times.len() - 1]
    );
}
