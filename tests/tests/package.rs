//! The packaged programs on the throw-away desktop: `scripts/test-packages.sh` installs the .deb
//! into a folder and runs this with `UNSLOUCH_PACKAGE_ROOT` naming it. A release build has no
//! test clock, so the reminder comes in real time: the history is seeded with desk time a few
//! seconds short of the interval, which the daemon carries on from as after any restart.

use std::path::PathBuf;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use unslouch_core::history::{Event, EventKind};
use unslouch_e2e::app::{Home, screenshots};
use unslouch_e2e::desktop::SystemBus;
use unslouch_e2e::tray::TrayMenu;
use unslouch_e2e::watcher::TrayWatcher;
use unslouch_e2e::{Daemon, Desktop, Notifications, active_until, wait_for};

/// Where the package is installed; the test cannot run without one.
fn package_root() -> PathBuf {
    let root = std::env::var_os("UNSLOUCH_PACKAGE_ROOT").expect(
        "UNSLOUCH_PACKAGE_ROOT names the folder the .deb is installed in \
         (scripts/test-packages.sh sets it)",
    );
    // As the daemon sees its own path (`current_exe`), which names its window and its
    // autostart entry: a temporary folder behind a symbolic link would otherwise differ.
    std::fs::canonicalize(&root).expect("UNSLOUCH_PACKAGE_ROOT exists")
}

#[test]
#[ignore = "needs an installed package: scripts/test-packages.sh runs it"]
fn the_packaged_daemon_shows_its_tray_item_and_a_reminder_that_opens_the_packaged_window() {
    let bin = package_root().join("usr/bin");
    let desktop = Desktop::start();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let notifications = rt.block_on(Notifications::start(&desktop.bus));
    let panel = rt.block_on(TrayWatcher::start(&desktop.bus));
    let home = Home::new();
    // The machine's own camera and microphone are not the test's business; the pointer moves
    // through the due moment.
    home.write_settings(
        "interval_minutes = 5\nhold_while_typing = false\nmeeting_camera = false\n\
         meeting_microphone = false\n",
    );
    // 4 min 52 s at the desk, ending now: the reminder is due 8 s after the daemon starts.
    let now = Timestamp::now();
    let seconds = 5 * 60 - 8;
    let history = unslouch_store::history::History::open(&home.history_db(), now)
        .expect("a fresh history")
        .history;
    history
        .append(&Event {
            at: now,
            kind: EventKind::Desk {
                started: now - SignedDuration::from_secs(seconds.into()),
                seconds,
            },
        })
        .unwrap();
    drop(history);

    // A system bus of the test's own: the machine's logind (a locked screen, a suspend) is not
    // the test's business either.
    let system_bus = SystemBus::start();
    let mut env = desktop.env();
    env.push(("DBUS_SYSTEM_BUS_ADDRESS".into(), system_bus.address.clone()));
    let daemon = Daemon::start_installed(&bin, env, &home);

    // The tray item: registered with the panel's watcher under the daemon's own name, and its
    // menu answers.
    let item = wait_for(Duration::from_secs(10), || panel.items().into_iter().next())
        .unwrap_or_else(|| panic!("the tray item registers\n{}", home.log()));
    assert!(
        item.starts_with(&format!("org.kde.StatusNotifierItem-{}-", daemon.pid())),
        "registered as the daemon's item: {item}"
    );
    let menu = rt
        .block_on(TrayMenu::find(&desktop.bus, daemon.pid()))
        .expect("the tray item's menu is on the bus");
    let first = rt.block_on(menu.entries()).remove(0).label;
    assert!(first.starts_with("Next break in"), "the status line: {first}");

    // The reminder, in real time.
    let shown =
        active_until(&desktop, Duration::from_secs(30), || notifications.shown().first().cloned())
            .unwrap_or_else(|| panic!("a reminder\n{}", home.log()));
    assert_eq!(shown.app_name, "Unslouch");
    assert!(shown.summary.starts_with("Posture break"), "{}", shown.summary);
    assert_eq!(daemon.status()["state"], "due");

    // Clicked: the packaged window, beside the packaged daemon, opens at the break.
    rt.block_on(notifications.click(shown.id, "default"));
    let window = wait_for(Duration::from_secs(15), || daemon.windows().into_iter().next())
        .unwrap_or_else(|| panic!("the packaged window opens\n{}", home.log()));
    assert_eq!(window.1.last().map(String::as_str), Some("break"), "{:?}", window.1);
    let painted = wait_for(Duration::from_secs(15), || {
        (!desktop.find_windows("Unslouch").is_empty()).then_some(())
    });
    assert!(painted.is_some(), "the window is on the screen");
    // Painted, not only mapped: the break's first step has its timer by now.
    std::thread::sleep(Duration::from_secs(2));
    desktop.screenshot(&screenshots().join("package-break.png"));
    assert_eq!(daemon.status()["state"], "in_break");

    // Start at login names the installed program, and only runs while it is installed.
    let entry = std::fs::read_to_string(home.autostart_entry()).expect("the autostart entry");
    let program = bin.join("unslouch");
    assert!(entry.contains(&format!("\nTryExec={}\n", program.display())), "{entry}");

    let out = daemon.cli(&["quit"]);
    assert!(out.status.success());
    let gone = wait_for(Duration::from_secs(5), || daemon.windows().is_empty().then_some(()));
    assert!(gone.is_some(), "the window closes with the daemon");
}
