//! A private desktop: Xvfb on a free display and a D-Bus session bus of our own.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::wait_for;

/// A running X server and session bus, stopped on drop.
#[derive(Debug)]
pub struct Desktop {
    pub display: String,
    pub bus: String,
    xvfb: Child,
    dbus: Child,
    nudges: std::sync::atomic::AtomicU32,
    /// Holds the bus configuration.
    _dir: tempfile::TempDir,
}

const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=DIR</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

impl Desktop {
    /// Start Xvfb on the first free display from :90, and a session bus with no activatable
    /// services (so nothing but what a test starts answers on it).
    pub fn start() -> Desktop {
        Desktop::start_sized("1024x768")
    }

    /// A desktop whose screen is `size` pixels (`"1920x1200"`): a HiDPI laptop's, for the tests
    /// at 200%, where a 1024×768 screen has room for 384 pixels of height only.
    pub fn start_sized(size: &str) -> Desktop {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (xvfb, display) = start_xvfb(size);
        let (dbus, bus) = start_bus(dir.path());
        Desktop { display, bus, xvfb, dbus, nudges: Default::default(), _dir: dir }
    }

    /// The environment a program on this desktop gets.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("DISPLAY".into(), self.display.clone()),
            ("DBUS_SESSION_BUS_ADDRESS".into(), self.bus.clone()),
        ]
    }

    /// Move the pointer back and forth: input that resets the X server's idle time.
    pub fn nudge(&self) {
        let step =
            if self.nudges.fetch_add(1, std::sync::atomic::Ordering::Relaxed).is_multiple_of(2) {
                "2"
            } else {
                "-2"
            };
        let _ = Command::new("xdotool")
            .env("DISPLAY", &self.display)
            .args(["mousemove_relative", "--", step, step])
            .status();
    }

    /// Save the screen as a PNG (ImageMagick's `import`).
    pub fn screenshot(&self, to: &Path) -> bool {
        Command::new("import")
            .env("DISPLAY", &self.display)
            .args(["-window", "root"])
            .arg(to)
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Desktop {
    /// Ask every window titled `title` to close, as a window manager's close button does
    /// (a `WM_DELETE_WINDOW` client message). Returns how many were asked.
    pub fn close_window(&self, title: &str) -> usize {
        use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt as _, EventMask};
        let out = Command::new("xdotool")
            .env("DISPLAY", &self.display)
            .args(["search", "--name", &format!("^{title}$")])
            .output()
            .expect("xdotool runs");
        let ids: Vec<u32> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
        let (conn, _) = x11rb::connect(Some(&self.display)).expect("the X display");
        let atom = |name: &[u8]| conn.intern_atom(false, name).unwrap().reply().unwrap().atom;
        let (protocols, delete) = (atom(b"WM_PROTOCOLS"), atom(b"WM_DELETE_WINDOW"));
        for &id in &ids {
            let event = ClientMessageEvent::new(32, id, protocols, [delete, 0, 0, 0, 0]);
            conn.send_event(false, id, EventMask::NO_EVENT, event).unwrap();
        }
        // A round trip before this connection closes: once the server answers, it has taken
        // the requests above. Without it the close was sometimes lost (the window's own trace
        // showed no delete event at all): windows closed just after they showed took 1 to 9 s
        // to close, a few in ten, since the benchmark asks again every 500 ms, and a test that
        // asks once saw one never close.
        conn.get_input_focus().unwrap().reply().unwrap();
        ids.len()
    }
}

impl Desktop {
    /// X window ids of the windows titled `title` (at any depth: a window manager reparents).
    pub fn find_windows(&self, title: &str) -> Vec<u32> {
        let out = Command::new("xdotool")
            .env("DISPLAY", &self.display)
            .args(["search", "--name", &format!("^{title}$")])
            .output()
            .expect("xdotool runs");
        String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.trim().parse().ok()).collect()
    }

    /// The `_NET_WM_STATE` atoms (`_NET_WM_STATE_ABOVE`...) of any window titled `title`.
    pub fn window_states(&self, title: &str) -> Vec<String> {
        use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _};
        let (conn, _) = x11rb::connect(Some(&self.display)).expect("the X display");
        let state = conn.intern_atom(false, b"_NET_WM_STATE").unwrap().reply().unwrap().atom;
        let mut names = Vec::new();
        for id in self.find_windows(title) {
            let Ok(Ok(reply)) =
                conn.get_property(false, id, state, AtomEnum::ATOM, 0, 64).map(|c| c.reply())
            else {
                continue;
            };
            for atom in reply.value32().into_iter().flatten() {
                if let Ok(Ok(name)) = conn.get_atom_name(atom).map(|c| c.reply()) {
                    names.push(String::from_utf8_lossy(&name.name).into_owned());
                }
            }
        }
        names
    }

    /// Run a window manager (Openbox, which follows the EWMH hints) until the returned guard
    /// is dropped.
    pub fn window_manager(&self) -> WindowManager {
        let child = Command::new("openbox")
            .env("DISPLAY", &self.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openbox runs (apt package openbox)");
        // It owns the screen once it has set _NET_SUPPORTING_WM_CHECK on the root window.
        let (conn, screen) = x11rb::connect(Some(&self.display)).expect("the X display");
        let root = x11rb::connection::Connection::setup(&conn).roots[screen].root;
        let check = {
            use x11rb::protocol::xproto::ConnectionExt as _;
            conn.intern_atom(false, b"_NET_SUPPORTING_WM_CHECK").unwrap().reply().unwrap().atom
        };
        let up = wait_for(Duration::from_secs(10), || {
            use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _};
            let reply =
                conn.get_property(false, root, check, AtomEnum::WINDOW, 0, 1).ok()?.reply().ok()?;
            (reply.value_len > 0).then_some(())
        });
        assert!(up.is_some(), "openbox manages the display");
        WindowManager { child }
    }
}

/// A running window manager, stopped on drop.
#[derive(Debug)]
pub struct WindowManager {
    child: Child,
}

impl Drop for WindowManager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        let _ = self.dbus.kill();
        let _ = self.xvfb.kill();
        let _ = self.dbus.wait();
        let _ = self.xvfb.wait();
    }
}

/// A `dbus-daemon` with no activatable services listening in `dir`; the process and its address.
fn start_bus(dir: &Path) -> (Child, String) {
    let config = dir.join("bus.conf");
    std::fs::write(&config, BUS_CONFIG.replace("DIR", &dir.display().to_string())).unwrap();
    let mut dbus = Command::new("dbus-daemon")
        .arg(format!("--config-file={}", config.display()))
        .args(["--nofork", "--print-address"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon runs (apt package dbus)");
    let mut address = String::new();
    BufReader::new(dbus.stdout.take().unwrap()).read_line(&mut address).unwrap();
    (dbus, address.trim().to_string())
}

/// A second private bus, to stand for the system bus (where logind lives).
#[derive(Debug)]
pub struct SystemBus {
    pub address: String,
    child: Child,
    _dir: tempfile::TempDir,
}

impl SystemBus {
    pub fn start() -> SystemBus {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (child, address) = start_bus(dir.path());
        SystemBus { address, child, _dir: dir }
    }
}

impl Drop for SystemBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start Xvfb on a display it picks itself (`-displayfd`), so parallel tests never race
/// for one.
fn start_xvfb(size: &str) -> (Child, String) {
    let mut child = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", &format!("{size}x24"), "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb runs (apt package xvfb)");
    let mut number = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut number)
        .expect("Xvfb names its display");
    let display = format!(":{}", number.trim());
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{}", number.trim()));
    assert!(
        wait_for(Duration::from_secs(10), || socket.exists().then_some(())).is_some(),
        "Xvfb listens"
    );
    (child, display)
}

/// Announce the screensaver on or off over `conn` (`ActiveChanged`), as a desktop does around a
/// lock.
pub async fn screensaver_active(conn: &zbus::Connection, on: bool) {
    conn.emit_signal(
        None::<()>,
        "/org/freedesktop/ScreenSaver",
        "org.freedesktop.ScreenSaver",
        "ActiveChanged",
        &on,
    )
    .await
    .unwrap();
}
