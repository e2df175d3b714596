//! The person's own moves: `moves.toml` in the config folder, beside the pictures it names.
//!
//! Both programs read it the same way: the daemon plans from it, the window shows it. Our moves
//! are always there; what the file adds is checked move by move by the core's catalog rules,
//! and a move that fails is left out and reported, never the whole file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde::{Deserialize, Serialize};
use unslouch_core::routines::{Catalog, CustomMoveProblem, Move, MoveId};

use crate::paths::Paths;

/// The moves file.
pub fn file(paths: &Paths) -> PathBuf {
    paths.config_dir.join("moves.toml")
}

/// Our moves and the person's own, with what was left out of theirs and why. No file: ours
/// only, and nothing to report.
pub fn load(paths: &Paths) -> (Catalog, Vec<CustomMoveProblem>) {
    load_from(&file(paths))
}

/// As [`load`], from the file at `path`.
pub fn load_from(path: &Path) -> (Catalog, Vec<CustomMoveProblem>) {
    let builtin = Catalog::builtin();
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => builtin.with_custom(&text, &name),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (builtin.clone(), Vec::new()),
        Err(e) => {
            let problem = CustomMoveProblem {
                file: name,
                index: 0,
                id: None,
                field: String::new(),
                problem: format!("cannot be read: {e}"),
            };
            (builtin.clone(), vec![problem])
        }
    }
}

/// Where the picture a custom move names is (a plain file name beside the moves file, as the
/// catalog's rules require).
pub fn picture(paths: &Paths, name: &str) -> PathBuf {
    paths.config_dir.join(name)
}

/// The largest picture shown, in bytes.
pub const PICTURE_BYTES: u64 = 512 * 1024;

/// What the window shows of the moves: ours and the person's own, the pictures of theirs, and
/// what was left out of their file.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Library {
    #[serde(rename = "move")]
    pub moves: Vec<Move>,
    /// Each custom move's picture as a `data:` URL (shown in an `<img>`, where a picture's
    /// scripts never run).
    pub pictures: BTreeMap<MoveId, String>,
    pub problems: Vec<CustomMoveProblem>,
}

/// The library for the window. A picture that is missing, too large or of another kind is
/// reported, and its move shown without it.
pub fn library(paths: &Paths) -> Library {
    let (catalog, problems) = load(paths);
    with_pictures(paths, Library { moves: catalog.moves, pictures: BTreeMap::new(), problems })
}

/// `library` with the pictures of its custom moves read from the config folder. A picture that
/// is missing, too large or not a plain file is reported, and its move shown without it.
pub fn with_pictures(paths: &Paths, library: Library) -> Library {
    let Library { moves, mut pictures, mut problems } = library;
    for m in moves.iter().filter(|m| m.custom) {
        let Some(name) = &m.picture else { continue };
        let path = picture(paths, name);
        let mime = if name.ends_with(".svg") { "image/svg+xml" } else { "image/png" };
        match read_picture(&path) {
            Ok(bytes) => {
                let data = base64::engine::general_purpose::STANDARD.encode(bytes);
                pictures.insert(m.id.clone(), format!("data:{mime};base64,{data}"));
            }
            Err(e) => problems.push(CustomMoveProblem {
                file: file(paths).display().to_string(),
                // Only for a picture that failed is the moves file read again, for the place.
                index: place_in(&std::fs::read_to_string(file(paths)).unwrap_or_default(), &m.id),
                id: Some(m.id.clone()),
                field: "picture".into(),
                problem: format!("{} cannot be shown: {e}", path.display()),
            }),
        }
    }
    Library { moves, pictures, problems }
}

/// A picture's bytes: a plain file (not a pipe or a device a link leads to), at most
/// [`PICTURE_BYTES`].
fn read_picture(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other("it is not a plain file"));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(PICTURE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > PICTURE_BYTES {
        return Err(std::io::Error::other(format!("larger than {} KiB", PICTURE_BYTES / 1024)));
    }
    Ok(bytes)
}

/// The 1-based place of the move `id` among the `[[move]]` tables of `source` (0 when it
/// cannot be told).
fn place_in(source: &str, id: &str) -> usize {
    let table: toml::Table = toml::from_str(source).unwrap_or_default();
    let entries = table.get("move").and_then(toml::Value::as_array);
    let place = entries.and_then(|entries| {
        entries.iter().position(|e| e.get("id").and_then(toml::Value::as_str) == Some(id))
    });
    place.map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_file_is_our_moves_and_no_complaint() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let (catalog, problems) = load(&paths);
        assert_eq!(catalog, *Catalog::builtin());
        assert!(problems.is_empty());
    }

    #[test]
    fn an_unreadable_file_is_reported_and_ours_stay() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        // A folder where the file should be cannot be read as text.
        std::fs::create_dir_all(file(&paths)).unwrap();
        let (catalog, problems) = load(&paths);
        assert_eq!(catalog, *Catalog::builtin());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].problem.starts_with("cannot be read"), "{:?}", problems[0]);
    }

    #[test]
    fn the_library_carries_a_picture_and_reports_a_missing_one() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        std::fs::create_dir_all(&paths.config_dir).unwrap();
        let one = |id: &str, picture: &str| {
            format!(
                "[[move]]\nid = \"{id}\"\nname = \"Mine\"\nsummary = \"Mine.\"\nkind = \"stretch\"\n\
                 muscles = [\"chest\"]\nposition = \"either\"\nmicro = false\npicture = \"{picture}\"\n\
                 cues = [\"a\", \"b\", \"c\"]\n[[move.levels]]\ndose = {{ hold = {{ hold_seconds = 20, reps = 1 }} }}\n"
            )
        };
        // The first move is left out (an id of ours): the missing picture is still named at
        // its own place in the file, the third.
        let text =
            one("chin-tuck", "x.svg") + &one("drawn", "drawn.svg") + &one("not-drawn", "gone.png");
        std::fs::write(file(&paths), text).unwrap();
        std::fs::write(picture(&paths, "drawn.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
            .unwrap();
        let library_now = library(&paths);
        assert_eq!(library_now.moves.len(), Catalog::builtin().moves.len() + 2);
        assert!(library_now.pictures["drawn"].starts_with("data:image/svg+xml;base64,"));
        assert!(!library_now.pictures.contains_key("not-drawn"));
        let found: Vec<(usize, &str)> =
            library_now.problems.iter().map(|p| (p.index, p.field.as_str())).collect();
        assert_eq!(found, [(1, "id"), (3, "picture")]);
        // A picture that is not a plain file (here a folder; a pipe would block) is refused.
        std::fs::create_dir(picture(&paths, "gone.png")).unwrap();
        let library = super::library(&paths);
        assert!(library.problems[1].problem.contains("not a plain file"), "{:?}", library.problems);
    }
}
