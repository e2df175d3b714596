//! # unslouch-e2e
//!
//! Drives the built programs as a person's desktop would: a real X server (Xvfb), a private
//! D-Bus session bus, a notification server speaking the freedesktop protocol (ours, which
//! records every `Notify` and can click an action), `xdotool` for input, and `unslouch` built
//! with the `test-clock` feature so minutes pass in seconds. Each test gets its own display,
//! bus and XDG folders, and stops only what it started.
//!
//! ## Layout
//! - [`desktop`]: Xvfb and the bus.
//! - [`notifications`]: the notification server.
//! - [`app`]: building and running `unslouch` and `unslouch-window`.
//! - [`logind`], [`mutter`]: stand-ins for logind and GNOME's idle monitor, with their faults.

pub mod app;
pub mod desktop;
pub mod dunst;
pub mod gnome_session;
pub mod logind;
pub mod measure;
pub mod mutter;
pub mod notifications;
pub mod paint;
pub mod report;
pub mod services;
pub mod tray;
pub mod watcher;
pub mod wayland;
pub mod webdriver;

pub use app::{Daemon, binaries};
pub use desktop::Desktop;
pub use notifications::Notifications;

use std::time::{Duration, Instant};

/// Wait until `check` returns `Some`, polling every 20 ms, for at most `limit`.
pub fn wait_for<T>(limit: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = check() {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A person at work: move the pointer every 30 ms until `check` gives something, for at most
/// `limit`.
pub fn active_until<T>(
    desktop: &Desktop,
    limit: Duration,
    mut check: impl FnMut() -> Option<T>,
) -> Option<T> {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if let Some(v) = check() {
            return Some(v);
        }
        desktop.nudge();
        std::thread::sleep(Duration::from_millis(30));
    }
    None
}
