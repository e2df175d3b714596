//! Whether the active window is fullscreen (a film, a game, slides), on X11: the window
//! manager names the active window in the root window's `_NET_ACTIVE_WINDOW` and marks a
//! fullscreen window with `_NET_WM_STATE_FULLSCREEN` in its `_NET_WM_STATE` (EWMH). Both are
//! followed through `PropertyNotify` events, on the root window and on the active window, by a
//! thread of its own blocked on the X connection: no polling, no wake-up while nothing changes.
//!
//! On Wayland no general protocol tells another client's state; X11 there sees only X11
//! windows, so nothing is looked for (said once in the log).
//!
//! It only observes: whether fullscreen holds a reminder is the core's rule.

use x11rb::connection::Connection;
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{
    AtomEnum, ChangeWindowAttributesAux, ConnectionExt as _, EventMask, Window,
};
use x11rb::rust_connection::RustConnection;

use crate::sink::Sink;

/// The atoms this needs, interned once.
struct Atoms {
    active_window: u32,
    wm_state: u32,
    fullscreen: u32,
}

/// Start following fullscreen on the X display named by `DISPLAY`, sending `true` when the
/// active window becomes fullscreen and `false` when it no longer is (the first state at once).
/// Returns why it cannot, when it cannot.
pub fn follow(events: Sink<bool>) -> Result<(), String> {
    if std::env::var_os("WAYLAND_DISPLAY").is_some() {
        return Err("on Wayland, X11 sees only X11 windows".into());
    }
    if std::env::var_os("DISPLAY").is_none() {
        return Err("no X display".into());
    }
    let (conn, screen) = x11rb::connect(None).map_err(|e| format!("no X display: {e}"))?;
    let root = conn.setup().roots.get(screen).ok_or("the X display has no screen")?.root;
    let atoms = Atoms {
        active_window: intern(&conn, b"_NET_ACTIVE_WINDOW")?,
        wm_state: intern(&conn, b"_NET_WM_STATE")?,
        fullscreen: intern(&conn, b"_NET_WM_STATE_FULLSCREEN")?,
    };
    watch(&conn, root).map_err(|e| format!("cannot watch the root window: {e}"))?;
    std::thread::Builder::new()
        .name("fullscreen".into())
        .spawn(move || {
            let why = run(&conn, root, &atoms, &events);
            tracing::info!("fullscreen no longer followed: {why}");
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn intern(conn: &RustConnection, name: &[u8]) -> Result<u32, String> {
    let reply = conn.intern_atom(false, name).map_err(|e| e.to_string())?;
    Ok(reply.reply().map_err(|e| e.to_string())?.atom)
}

/// Ask for `window`'s property changes.
fn watch(conn: &RustConnection, window: Window) -> Result<(), String> {
    let aux = ChangeWindowAttributesAux::new().event_mask(EventMask::PROPERTY_CHANGE);
    conn.change_window_attributes(window, &aux).map_err(|e| e.to_string())?;
    conn.flush().map_err(|e| e.to_string())
}

/// Follow until the connection ends or nobody listens; returns why it stopped.
fn run(conn: &RustConnection, root: Window, atoms: &Atoms, events: &Sink<bool>) -> String {
    let mut active = active_window(conn, root, atoms);
    if let Some(window) = active
        && let Err(e) = watch(conn, window)
    {
        tracing::debug!("cannot watch the active window: {e}");
    }
    let mut last = active.is_some_and(|w| is_fullscreen(conn, w, atoms));
    if !events.send(last) {
        return "the daemon is stopping".into();
    }
    loop {
        let event = match conn.wait_for_event() {
            Ok(event) => event,
            Err(e) => return format!("the X connection ended: {e}"),
        };
        let Event::PropertyNotify(change) = event else { continue };
        if change.window == root && change.atom == atoms.active_window {
            let now = active_window(conn, root, atoms);
            if now != active {
                // The old window's changes are no longer asked for (if it is gone, the error
                // comes back as an event, ignored).
                if let Some(old) = active {
                    let aux = ChangeWindowAttributesAux::new().event_mask(EventMask::NO_EVENT);
                    let _ = conn.change_window_attributes(old, &aux);
                }
                active = now;
                if let Some(window) = active
                    && let Err(e) = watch(conn, window)
                {
                    tracing::debug!("cannot watch the active window: {e}");
                }
            }
        } else if Some(change.window) != active || change.atom != atoms.wm_state {
            continue;
        }
        let fullscreen = active.is_some_and(|w| is_fullscreen(conn, w, atoms));
        if fullscreen != last {
            last = fullscreen;
            if !events.send(fullscreen) {
                return "the daemon is stopping".into();
            }
        }
    }
}

/// The window the window manager says is active, if any.
fn active_window(conn: &RustConnection, root: Window, atoms: &Atoms) -> Option<Window> {
    let reply = conn
        .get_property(false, root, atoms.active_window, AtomEnum::WINDOW, 0, 1)
        .ok()?
        .reply()
        .ok()?;
    reply.value32()?.next().filter(|w| *w != x11rb::NONE)
}

/// Whether `window`'s state says fullscreen (a window that is gone is not).
fn is_fullscreen(conn: &RustConnection, window: Window, atoms: &Atoms) -> bool {
    let reply = conn
        .get_property(false, window, atoms.wm_state, AtomEnum::ATOM, 0, 64)
        .ok()
        .and_then(|cookie| cookie.reply().ok());
    reply
        .as_ref()
        .and_then(|r| r.value32())
        .is_some_and(|mut atoms_set| atoms_set.any(|a| a == atoms.fullscreen))
}
