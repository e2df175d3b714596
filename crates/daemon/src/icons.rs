//! The tray icons, drawn in `icons/` and decoded at build time (`build.rs`) into the ARGB32
//! pixmaps (network byte order) that the StatusNotifierItem protocol carries.

/// One icon, as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pixmap {
    pub width: i32,
    pub height: i32,
    /// ARGB32, network byte order, row by row.
    pub argb: &'static [u8],
}

/// Every tray icon is this many pixels square.
const SIZE: i32 = 64;

const fn pixmap(argb: &'static [u8]) -> Pixmap {
    Pixmap { width: SIZE, height: SIZE, argb }
}

/// The tray's icon while counting desk time.
pub const COUNTING: Pixmap =
    pixmap(include_bytes!(concat!(env!("OUT_DIR"), "/tray-counting.argb")));
/// While a break is due.
pub const DUE: Pixmap = pixmap(include_bytes!(concat!(env!("OUT_DIR"), "/tray-due.argb")));
/// While reminders are paused or outside work hours.
pub const PAUSED: Pixmap = pixmap(include_bytes!(concat!(env!("OUT_DIR"), "/tray-paused.argb")));
/// When idle detection does not work.
pub const UNAVAILABLE: Pixmap =
    pixmap(include_bytes!(concat!(env!("OUT_DIR"), "/tray-unavailable.argb")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tray_icon_is_a_square_argb_pixmap_with_alpha_first() {
        for p in [COUNTING, DUE, PAUSED, UNAVAILABLE] {
            assert_eq!((p.width, p.height), (64, 64));
            assert_eq!(p.argb.len(), 64 * 64 * 4);
            // Corners are transparent, the centre is opaque: alpha comes first.
            assert_eq!(p.argb[0], 0);
            let centre = ((32 * 64 + 32) * 4) as usize;
            assert_eq!(p.argb[centre], 255);
        }
        // Four different pictures.
        let all = [COUNTING, DUE, PAUSED, UNAVAILABLE];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a.argb, b.argb);
            }
        }
    }
}
