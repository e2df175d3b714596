//! Watching the X server for a window's first paint: no hook in the program, just its pixels.
//!
//! Waiting for a paint is told by the X server (the DAMAGE extension: the window's contents
//! changed), and the window's pixels are read only then. Reading a whole window every few
//! milliseconds instead keeps the X server and the watcher busy on a core the window being
//! timed needs, and slowed the very start it measured.

use std::os::fd::AsFd as _;
use std::time::{Duration, Instant};

use x11rb::connection::{Connection as _, RequestConnection as _};
use x11rb::protocol::Event;
use x11rb::protocol::damage::{self, ConnectionExt as _};
use x11rb::protocol::xproto::{
    AtomEnum, ChangeWindowAttributesAux, ConnectionExt as _, EventMask, ImageFormat, Window,
};
use x11rb::rust_connection::RustConnection;

/// `--accent` in the light theme (ui/src/app.css): the title and the current tab show it as
/// soon as the page has painted.
pub const ACCENT: [u8; 3] = [0x28, 0x7a, 0x70];

/// Whether a window shows the break view, not only the page's header: the accent below the
/// top 40% of the window (the running break's timer ring, the prompt's Start button), where
/// the header, which shows it too, never reaches.
pub fn shows_break(image: &Image) -> bool {
    image.shows_below(ACCENT, 6, 0.4)
}

/// A connection to one display, for reading windows' contents and waiting for them to change.
#[derive(Debug)]
pub struct Watcher {
    display: String,
    conn: RustConnection,
    root: Window,
}

/// What a window showed: 32 bits a pixel, blue-green-red-unused (24-bit depth on Xvfb), row
/// after row.
#[derive(Debug)]
pub struct Image {
    pub width: usize,
    pub data: Vec<u8>,
}

impl Image {
    /// Whether a pixel within `tolerance` of `rgb` shows in the rows from `from` (a share of
    /// the height, 0 for the whole window) down.
    pub fn shows_below(&self, rgb: [u8; 3], tolerance: u8, from: f64) -> bool {
        let rows = self.data.len() / 4 / self.width.max(1);
        let first = (rows as f64 * from) as usize;
        self.data[first * self.width * 4..].chunks_exact(4).any(|px| {
            px[2].abs_diff(rgb[0]) <= tolerance
                && px[1].abs_diff(rgb[1]) <= tolerance
                && px[0].abs_diff(rgb[2]) <= tolerance
        })
    }
}

/// When a window appeared on the X server and when it first showed what was waited for.
#[derive(Debug, Clone, Copy)]
pub struct Painted {
    pub created: Instant,
    pub painted: Instant,
}

/// Top-level windows of `root` titled `title` (`WM_NAME`).
fn titled(conn: &RustConnection, root: Window, title: &str) -> Vec<Window> {
    let Ok(tree) = conn.query_tree(root).map(|c| c.reply()) else { return vec![] };
    let Ok(tree) = tree else { return vec![] };
    tree.children
        .into_iter()
        .filter(|&w| {
            conn.get_property(false, w, AtomEnum::WM_NAME, AtomEnum::STRING, 0, 256)
                .ok()
                .and_then(|c| c.reply().ok())
                .is_some_and(|p| p.value == title.as_bytes())
        })
        .collect()
}

/// What `window` shows; `None` for a window not (or no longer) mapped.
fn pixels(conn: &RustConnection, window: Window) -> Option<Image> {
    let geometry = conn.get_geometry(window).ok()?.reply().ok()?;
    let image = conn
        .get_image(ImageFormat::Z_PIXMAP, window, 0, 0, geometry.width, geometry.height, !0)
        .ok()?
        .reply()
        .ok()?;
    Some(Image { width: geometry.width.into(), data: image.data })
}

impl Watcher {
    pub fn connect(display: &str) -> Watcher {
        let (conn, screen) = x11rb::connect(Some(display)).expect("the X display");
        let root = conn.setup().roots[screen].root;
        Watcher { display: display.to_string(), conn, root }
    }

    /// Top-level windows titled `title` (`WM_NAME`).
    pub fn windows(&self, title: &str) -> Vec<Window> {
        titled(&self.conn, self.root, title)
    }

    fn pixels(&self, window: Window) -> Option<Vec<u8>> {
        pixels(&self.conn, window).map(|i| i.data)
    }

    /// Whether `window` shows a pixel within `tolerance` of `rgb` (a window not yet mapped
    /// shows nothing).
    pub fn shows(&self, window: Window, rgb: [u8; 3], tolerance: u8) -> bool {
        pixels(&self.conn, window).is_some_and(|i| i.shows_below(rgb, tolerance, 0.0))
    }

    /// Wait, told by the X server, until a window titled `title` appears and then shows what
    /// `done` looks for: its contents are read only when they have changed. `None` if that
    /// does not happen within `limit`.
    pub fn wait_for_paint(
        &self,
        title: &str,
        limit: Duration,
        done: impl Fn(&Image) -> bool,
    ) -> Option<Painted> {
        let deadline = Instant::now() + limit;
        // A connection of its own: the events it asks for end with it.
        let (conn, screen) = x11rb::connect(Some(&self.display)).ok()?;
        let root = conn.setup().roots[screen].root;
        conn.extension_information(damage::X11_EXTENSION_NAME).ok()??;
        conn.damage_query_version(1, 1).ok()?.reply().ok()?;
        let watch = |w: Window, mask: EventMask| {
            let _ = conn
                .change_window_attributes(w, &ChangeWindowAttributesAux::new().event_mask(mask));
        };
        watch(root, EventMask::SUBSTRUCTURE_NOTIFY);
        let mut found: Option<(Window, Instant)> = None;
        let mut look = true;
        while Instant::now() < deadline {
            if found.is_none() && look {
                look = false;
                if let Some(&w) = titled(&conn, root, title).first() {
                    let d = conn.generate_id().ok()?;
                    conn.damage_create(d, w, damage::ReportLevel::NON_EMPTY).ok()?;
                    found = Some((w, Instant::now()));
                    // It may have drawn before the watch began.
                    if pixels(&conn, w).is_some_and(|i| done(&i)) {
                        return found.map(|(_, c)| Painted { created: c, painted: Instant::now() });
                    }
                }
            }
            let _ = conn.flush();
            let event = match conn.poll_for_event().ok()? {
                Some(event) => event,
                None => {
                    let left = deadline.checked_duration_since(Instant::now())?;
                    let timeout = rustix::event::Timespec::try_from(left).ok()?;
                    let fd = conn.stream().as_fd();
                    let mut fds = [rustix::event::PollFd::new(&fd, rustix::event::PollFlags::IN)];
                    let _ = rustix::event::poll(&mut fds, Some(&timeout));
                    continue;
                }
            };
            match event {
                // A new window: its title may be set after it is created.
                Event::CreateNotify(e) if found.is_none() => {
                    watch(e.window, EventMask::PROPERTY_CHANGE);
                    look = true;
                }
                Event::MapNotify(_) | Event::PropertyNotify(_) if found.is_none() => look = true,
                Event::DamageNotify(e) => {
                    let Some((w, created)) = found else { continue };
                    // Taken off first, so that what is drawn after the read is told again.
                    let _ = conn.damage_subtract(e.damage, x11rb::NONE, x11rb::NONE);
                    if pixels(&conn, w).is_some_and(|i| done(&i)) {
                        return Some(Painted { created, painted: Instant::now() });
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Whether anything on the screen shows a pixel within `tolerance` of `rgb`.
    pub fn screen_shows(&self, rgb: [u8; 3], tolerance: u8) -> bool {
        self.shows(self.root, rgb, tolerance)
    }

    /// What the first window titled `title` shows now, to compare with later.
    pub fn image(&self, title: &str) -> Option<Vec<u8>> {
        self.windows(title).into_iter().find_map(|w| self.pixels(w))
    }

    /// Wait until a window titled `title` has painted its page (it shows the accent colour)
    /// and then holds still: the same pixels twice, 200 ms apart. For a view with nothing
    /// moving on it; `false` if that does not happen within `limit`.
    pub fn settled(&self, title: &str, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        if self.first_paint(title, ACCENT, limit).is_none() {
            return false;
        }
        let mut last = self.image(title);
        while Instant::now() < deadline {
            // The interval to compare over, not a guess at a loading time.
            std::thread::sleep(Duration::from_millis(200));
            let now = self.image(title);
            if now.is_some() && now == last {
                return true;
            }
            last = now;
        }
        false
    }

    /// Wait until a window titled `title` shows something else than `before` (at least 1% of
    /// its pixels changed): the page drew a new view.
    pub fn changed_from(&self, title: &str, before: &[u8], limit: Duration) -> bool {
        crate::wait_for(limit, || {
            let now = self.image(title)?;
            let changed = if now.len() == before.len() {
                now.chunks_exact(4).zip(before.chunks_exact(4)).filter(|(a, b)| a != b).count()
            } else {
                now.len() / 4
            };
            (changed * 100 >= now.len() / 4).then_some(())
        })
        .is_some()
    }

    /// Wait until a window titled `title` shows `rgb`; when that happened.
    pub fn first_paint(&self, title: &str, rgb: [u8; 3], limit: Duration) -> Option<Instant> {
        self.wait_for_paint(title, limit, |i| i.shows_below(rgb, 6, 0.0)).map(|p| p.painted)
    }
}

#[cfg(test)]
mod tests {
    use super::{ACCENT, Image, shows_break};

    #[test]
    fn the_header_in_the_accent_is_not_yet_the_break_view() {
        let width = 10;
        let paint = |image: &mut Image, row: usize| {
            let at = (row * width + 3) * 4;
            image.data[at..at + 3].copy_from_slice(&[ACCENT[2], ACCENT[1], ACCENT[0]]);
        };
        let mut image = Image { width, data: vec![0xf6; width * 10 * 4] };
        paint(&mut image, 1);
        assert!(image.shows_below(ACCENT, 6, 0.0));
        assert!(!shows_break(&image));
        paint(&mut image, 7);
        assert!(shows_break(&image));
    }
}
