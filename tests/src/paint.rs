//! Watching the X server for a window's first paint: no hook in the program, just its pixels.

use std::time::{Duration, Instant};

use x11rb::connection::Connection as _;
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _, ImageFormat, Window};
use x11rb::rust_connection::RustConnection;

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

    /// Whether `window` shows a pixel within `tolerance` of `rgb` (a window not yet mapped
    /// shows nothing).
    pub fn shows(&self, window: Window, rgb: [u8; 3], tolerance: u8) -> bool {
        let Ok(Ok(geometry)) = self.conn.get_geometry(window).map(|c| c.reply()) else {
            return false;
        };
        let Ok(Ok(image)) = self
            .conn
            .get_image(ImageFormat::Z_PIXMAP, window, 0, 0, geometry.width, geometry.height, !0)
            .map(|c| c.reply())
        else {
            return false;
        };
        // 24-bit depth on Xvfb: 32 bits a pixel, blue-green-red-unused.
        image.data.chunks_exact(4).any(|px| {
            px[2].abs_diff(rgb[0]) <= tolerance
                && px[1].abs_diff(rgb[1]) <= tolerance
                && px[0].abs_diff(rgb[2]) <= tolerance
        })
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
