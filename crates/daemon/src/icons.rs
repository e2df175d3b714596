//! The tray icons, drawn in `icons/` and compiled in as PNG, decoded once to the ARGB32 pixmaps
//! (network byte order) that the StatusNotifierItem protocol carries.

/// One decoded icon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pixmap {
    pub width: i32,
    pub height: i32,
    /// ARGB32, network byte order, row by row.
    pub argb: Vec<u8>,
}

/// The tray's icon while counting desk time.
pub const COUNTING: &[u8] = include_bytes!("../../../icons/tray-counting.png");
/// While a break is due.
pub const DUE: &[u8] = include_bytes!("../../../icons/tray-due.png");
/// While reminders are paused or outside work hours.
pub const PAUSED: &[u8] = include_bytes!("../../../icons/tray-paused.png");
/// When idle detection does not work.
pub const UNAVAILABLE: &[u8] = include_bytes!("../../../icons/tray-unavailable.png");

/// Decode an 8-bit RGBA PNG into a pixmap.
pub fn decode(png_bytes: &[u8]) -> Result<Pixmap, String> {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader.output_buffer_size().ok_or("the image is too large")?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    if info.color_type != png::ColorType::Rgba || info.bit_depth != png::BitDepth::Eight {
        return Err(format!("expected 8-bit RGBA, got {:?} {:?}", info.color_type, info.bit_depth));
    }
    let argb =
        buf[..info.buffer_size()].chunks_exact(4).flat_map(|p| [p[3], p[0], p[1], p[2]]).collect();
    Ok(Pixmap { width: info.width as i32, height: info.height as i32, argb })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tray_icon_decodes_to_a_square_argb_pixmap() {
        for bytes in [COUNTING, DUE, PAUSED, UNAVAILABLE] {
            let p = decode(bytes).unwrap();
            assert_eq!((p.width, p.height), (64, 64));
            assert_eq!(p.argb.len(), 64 * 64 * 4);
            // Corners are transparent, the centre is opaque: alpha comes first.
            assert_eq!(p.argb[0], 0);
            let centre = ((32 * 64 + 32) * 4) as usize;
            assert_eq!(p.argb[centre], 255);
        }
    }
}
