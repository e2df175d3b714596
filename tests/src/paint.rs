//! Watching the X server for a window's first paint: no hook in the program, just its pixels.

use std::time::{Duration, Instant};

use x11rb::connection::Connection as _;
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _, ImageFormat, Window};
use x11rb::rust_connection::RustConnection;

/// `--accent` in the light theme (ui/src/app.css): the title and the current tab show it as
/// soon as the page has painted.
pub const ACCENT: [u8; 3] = [0x28, 0x7a, 0x70];

/// A connection to one display, for polling windows' contents.
#[derive(Debug)]
pub struct Watcher {
    conn: RustConnection,
    root: Window,
}

impl Watcher {
    pub fn connect(display: &str) -> Watcher {
        let (conn, screen) = x11rb::connect(Some(display)).expect("the X display");
        let root = conn.setup().roots[screen].root;
        Watcher { conn, root }
    }

    /// Top-level windows titled `title` (`WM_NAME`).
    pub fn windows(&self, title: &str) -> Vec<Window> {
        let Ok(tree) = self.conn.query_tree(self.root).map(|c| c.reply()) else { return vec![] };
        let Ok(tree) = tree else { return vec![] };
        tree.children
            .into_iter()
            .filter(|&w| {
                self.conn
                    .get_property(false, w, AtomEnum::WM_NAME, AtomEnum::STRING, 0, 256)
                    .ok()
                    .and_then(|c| c.reply().ok())
                    .is_some_and(|p| p.value == title.as_bytes())
            })
            .collect()
    }

    /// What `window` shows: 32 bits a pixel, blue-green-red-unused (24-bit depth on Xvfb);
    /// `None` for a window not (or no longer) mapped.
    fn pixels(&self, window: Window) -> Option<Vec<u8>> {
        let geometry = self.conn.get_geometry(window).ok()?.reply().ok()?;
        let image = self
            .conn
            .get_image(ImageFormat::Z_PIXMAP, window, 0, 0, geometry.width, geometry.height, !0)
            .ok()?
            .reply()
            .ok()?;
        Some(image.data)
    }

    /// Whether `window` shows a pixel within `tolerance` of `rgb` (a window not yet mapped
    /// shows nothing).
    pub fn shows(&self, window: Window, rgb: [u8; 3], tolerance: u8) -> bool {
        self.pixels(window).is_some_and(|data| {
            data.chunks_exact(4).any(|px| {
                px[2].abs_diff(rgb[0]) <= tolerance
                    && px[1].abs_diff(rgb[1]) <= tolerance
                    && px[0].abs_diff(rgb[2]) <= tolerance
            })
        })
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

    /// Poll (every 2 ms) until a window titled `title` shows `rgb`; when that happened.
    pub fn first_paint(&self, title: &str, rgb: [u8; 3], limit: Duration) -> Option<Instant> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.windows(title).into_iter().any(|w| self.shows(w, rgb, 6)) {
                return Some(Instant::now());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        None
    }
}
