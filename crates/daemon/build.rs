//! The tray icons (`icons/tray-*.png`, drawn from their SVGs) decoded here, at build time, into
//! the ARGB32 pixmaps the StatusNotifierItem protocol carries: the daemon includes them as they
//! are sent, with no PNG decoder in it and nothing to decode as it starts.

use std::path::Path;

const ICONS: [&str; 4] = ["tray-counting", "tray-due", "tray-paused", "tray-unavailable"];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let icons = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../icons");
    for name in ICONS {
        let source = icons.join(format!("{name}.png"));
        println!("cargo::rerun-if-changed={}", source.display());
        let file =
            std::fs::File::open(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let mut reader = png::Decoder::new(std::io::BufReader::new(file))
            .read_info()
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let mut rgba = vec![0; reader.output_buffer_size().expect("a small image")];
        let info = reader.next_frame(&mut rgba).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            info.color_type == png::ColorType::Rgba && info.bit_depth == png::BitDepth::Eight,
            "{name}: expected 8-bit RGBA, got {:?} {:?}",
            info.color_type,
            info.bit_depth
        );
        assert_eq!((info.width, info.height), (64, 64), "{name}: the tray icons are 64×64");
        let argb: Vec<u8> = rgba[..info.buffer_size()]
            .chunks_exact(4)
            .flat_map(|p| [p[3], p[0], p[1], p[2]])
            .collect();
        std::fs::write(Path::new(&out).join(format!("{name}.argb")), argb).unwrap();
    }
}
