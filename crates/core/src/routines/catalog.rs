//! The exercise catalog: every move Unslouch knows, as data.
//!
//! The moves live in `data/catalog.toml`, compiled into the binary with `include_str!` and parsed
//! once. This module owns the types and their validation; which moves make a routine is the
//! planner's business (`super::planner`).

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The catalog source, compiled in.
const CATALOG_TOML: &str = include_str!("../../data/catalog.toml");

/// A stable identifier of a move, such as `chin-tuck`. Stored in history and settings.
pub type MoveId = String;

/// What a move is for, which decides where it sits in a routine.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Gentle, dynamic mobility that prepares joints and muscles.
    WarmUp,
    /// Short resets of the position of the head, shoulders and spine.
    Posture,
    /// Work against resistance: bands, weights, body weight.
    Strength,
    /// Static or slow stretches that lengthen tight muscles.
    Stretch,
}

/// A muscle or region a move works.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Muscle {
    Neck,
    Trapezius,
    Rhomboids,
    RearDeltoids,
    RotatorCuff,
    Chest,
    Lats,
    SpinalErectors,
    ThoracicSpine,
    Core,
    Glutes,
    Hips,
    Grip,
}

impl Muscle {
    /// Every muscle, in display order.
    pub const ALL: [Muscle; 13] = [
        Muscle::Neck,
        Muscle::Trapezius,
        Muscle::Rhomboids,
        Muscle::RearDeltoids,
        Muscle::RotatorCuff,
        Muscle::Chest,
        Muscle::Lats,
        Muscle::SpinalErectors,
        Muscle::ThoracicSpine,
        Muscle::Core,
        Muscle::Glutes,
        Muscle::Hips,
        Muscle::Grip,
    ];

    /// The broader region used to balance a day's routines.
    pub fn group(self) -> MuscleGroup {
        match self {
            Muscle::Neck => MuscleGroup::Neck,
            Muscle::Trapezius | Muscle::Rhomboids => MuscleGroup::ShoulderBlades,
            Muscle::RearDeltoids | Muscle::RotatorCuff => MuscleGroup::Shoulders,
            Muscle::Chest | Muscle::Lats => MuscleGroup::ChestAndLats,
            Muscle::SpinalErectors | Muscle::ThoracicSpine => MuscleGroup::Spine,
            Muscle::Core | Muscle::Glutes | Muscle::Hips | Muscle::Grip => MuscleGroup::Support,
        }
    }
}

/// Regions the planner balances across a day.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MuscleGroup {
    Neck,
    ShoulderBlades,
    Shoulders,
    ChestAndLats,
    Spine,
    Support,
}

impl MuscleGroup {
    /// The groups a desk micro-break aims to cover over a day.
    pub const DESK: [MuscleGroup; 5] = [
        MuscleGroup::Neck,
        MuscleGroup::ShoulderBlades,
        MuscleGroup::Shoulders,
        MuscleGroup::ChestAndLats,
        MuscleGroup::Spine,
    ];
}

/// Something a move needs besides the person doing it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Equipment {
    Chair,
    Wall,
    Doorway,
    ResistanceBand,
    /// A strap shut in a door that a band is looped through, at chest height: rows and face
    /// pulls pull against it.
    DoorAnchor,
    Dumbbells,
    Barbell,
    Bench,
    Bar,
}

/// Where the body is while doing a move.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    Seated,
    Standing,
    /// Seated or standing, as the person prefers.
    Either,
    /// On the floor: kneeling, on hands and knees, or lying down.
    Floor,
}

/// How much of a move one set is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dose {
    /// Hold a position `hold_seconds`, `reps` times, with a short release between holds.
    Hold { hold_seconds: u32, reps: u32 },
    /// `reps` repetitions, each taking about `tempo_seconds`.
    Reps { reps: u32, tempo_seconds: u32 },
    /// Keep moving or holding for `seconds` (carries, hangs, flowing mobility).
    Timed { seconds: u32 },
}

/// Seconds allowed between two holds of a `Dose::Hold` to release and reset.
pub const HOLD_RELEASE_SECONDS: u32 = 2;

impl Dose {
    /// Seconds one set takes on one side.
    pub fn set_seconds(self) -> u32 {
        match self {
            Dose::Hold { hold_seconds, reps } => {
                reps * hold_seconds + reps.saturating_sub(1) * HOLD_RELEASE_SECONDS
            }
            Dose::Reps { reps, tempo_seconds } => reps * tempo_seconds,
            Dose::Timed { seconds } => seconds,
        }
    }

    /// Seconds one repetition (or one hold with its release) takes: the unit the planner scales by.
    pub fn unit_seconds(self) -> u32 {
        match self {
            Dose::Hold { hold_seconds, .. } => hold_seconds + HOLD_RELEASE_SECONDS,
            Dose::Reps { tempo_seconds, .. } => tempo_seconds,
            Dose::Timed { .. } => 1,
        }
    }

    /// The same dose with its repetitions (or seconds) fitted to `seconds`, at least one.
    pub fn fitted(self, seconds: u32) -> Dose {
        let units = |unit: u32| (seconds + unit / 2) / unit.max(1);
        match self {
            Dose::Hold { hold_seconds, .. } => {
                // n holds and n-1 releases fill n*(hold+release) - release seconds.
                let reps =
                    (seconds + HOLD_RELEASE_SECONDS + (hold_seconds + HOLD_RELEASE_SECONDS) / 2)
                        / (hold_seconds + HOLD_RELEASE_SECONDS);
                Dose::Hold { hold_seconds, reps: reps.max(1) }
            }
            Dose::Reps { tempo_seconds, .. } => {
                Dose::Reps { reps: units(tempo_seconds).max(1), tempo_seconds }
            }
            Dose::Timed { .. } => Dose::Timed { seconds: seconds.max(1) },
        }
    }
}

/// One step of progression for a move. Level 1 is the first entry.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The dose of one set at this level.
    pub dose: Dose,
    /// How many sets (in a full session; a micro-break does one).
    #[serde(default = "one")]
    pub sets: u32,
    /// A harder (or easier) way of doing the move at this level, if it changes.
    #[serde(default)]
    pub variation: Option<String>,
}

fn one() -> u32 {
    1
}

/// One exercise.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// Stable id, kebab-case.
    pub id: MoveId,
    /// Short display name.
    pub name: String,
    /// One sentence: what it does for the person.
    pub summary: String,
    pub kind: Kind,
    /// Muscles worked, the main one first.
    pub muscles: Vec<Muscle>,
    /// Everything needed besides the person; empty means nothing at all.
    #[serde(default)]
    pub equipment: Vec<Equipment>,
    pub position: Position,
    /// Suitable for a one-minute break at the desk.
    pub micro: bool,
    /// A rowing motion (a pull toward the body): a full session holds at least one.
    #[serde(default)]
    pub row: bool,
    /// Done once for the left side and once for the right.
    #[serde(default)]
    pub per_side: bool,
    /// Three to five short instructions, in order.
    pub cues: Vec<String>,
    /// When to take care or not do it at all.
    #[serde(default)]
    pub cautions: Vec<String>,
    /// Progression, easiest first; at least one.
    pub levels: Vec<Level>,
    /// A picture of the move: a `.svg` or `.png` file beside the person's moves file (their own
    /// moves only; ours are drawn in the window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    /// One of the person's own moves (set when their file is loaded, whatever it says).
    #[serde(default)]
    pub custom: bool,
}

impl Move {
    /// The level at `index` (0-based), clamped to the levels that exist.
    pub fn level(&self, index: usize) -> &Level {
        &self.levels[index.min(self.levels.len() - 1)]
    }
}

/// The whole catalog.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(rename = "move")]
    pub moves: Vec<Move>,
}

/// What is wrong with a catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("the catalog does not parse: {0}")]
    Parse(String),
    #[error("move `{id}`: {problem}")]
    Invalid { id: String, problem: String },
}

impl Catalog {
    /// The catalog compiled into this binary. Validated by the tests, so it never fails at run time.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::parse(CATALOG_TOML).expect("the built-in catalog is validated by its tests")
        })
    }

    /// Parse and validate a catalog.
    pub fn parse(source: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog =
            toml::from_str(source).map_err(|e| CatalogError::Parse(e.to_string()))?;
        catalog.validate()?;
        Ok(catalog)
    }

    /// The move with this id.
    pub fn get(&self, id: &str) -> Option<&Move> {
        self.moves.iter().find(|m| m.id == id)
    }

    /// Check every move for sensible values, and that no id is used twice.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let mut seen = HashSet::new();
        for m in &self.moves {
            let bad = |problem: &str| {
                Err(CatalogError::Invalid { id: m.id.clone(), problem: problem.to_owned() })
            };
            if !seen.insert(m.id.as_str()) {
                return bad("the id is used twice");
            }
            if let Err((_, problem)) = m.check() {
                return bad(problem);
            }
        }
        Ok(())
    }

    /// This catalog with the person's own moves added from `source` (the text of their moves
    /// file, named `file` in what is reported). A move that does not parse or fails the
    /// catalog's rules is left out and reported with its place and field; the others still load.
    pub fn with_custom(&self, source: &str, file: &str) -> (Catalog, Vec<CustomMoveProblem>) {
        let mut catalog = self.clone();
        let mut problems = Vec::new();
        let problem =
            |index: usize, id: Option<String>, field: &str, what: String| CustomMoveProblem {
                file: file.to_owned(),
                index,
                id,
                field: field.to_owned(),
                problem: what,
            };
        let table: toml::Table = match toml::from_str(source) {
            Ok(table) => table,
            Err(e) => {
                problems.push(problem(0, None, "", e.message().to_owned()));
                return (catalog, problems);
            }
        };
        for key in table.keys().filter(|k| *k != "move") {
            problems.push(problem(0, None, key, "only [[move]] tables belong in this file".into()));
        }
        let entries = match table.get("move") {
            None => Vec::new(),
            Some(toml::Value::Array(entries)) => entries.clone(),
            Some(_) => {
                problems.push(problem(
                    0,
                    None,
                    "move",
                    "write each move as a [[move]] table".into(),
                ));
                Vec::new()
            }
        };
        for (i, entry) in entries.into_iter().enumerate() {
            let index = i + 1;
            let id = entry.get("id").and_then(|v| v.as_str()).map(str::to_owned);
            let mut m: Move = match entry.try_into() {
                Ok(m) => m,
                Err(e) => {
                    let e: toml::de::Error = e;
                    let field = field_of(e.message());
                    problems.push(problem(index, id, &field, e.message().to_owned()));
                    continue;
                }
            };
            m.custom = true;
            if catalog.get(&m.id).is_some() {
                problems.push(problem(
                    index,
                    id,
                    "id",
                    "a move with this id already exists".into(),
                ));
                continue;
            }
            if let Err((field, what)) = m.check() {
                problems.push(problem(index, id, field, what.to_owned()));
                continue;
            }
            catalog.moves.push(m);
        }
        (catalog, problems)
    }
}

/// The field a parse error names (serde says "missing field `cues`" or "unknown field `x`").
fn field_of(message: &str) -> String {
    message.split('`').nth(1).unwrap_or_default().to_owned()
}

/// A move of the person's own moves file that was left out, and why.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{file}: move {index}{}: {}{problem}", id.as_ref().map(|id| format!(" (`{id}`)")).unwrap_or_default(), if field.is_empty() { String::new() } else { format!("{field}: ") })]
pub struct CustomMoveProblem {
    pub file: String,
    /// 1-based place of the move in the file (0: the file as a whole).
    pub index: usize,
    pub id: Option<String>,
    /// The field at fault, as written in the file (empty when it is the whole move or file).
    pub field: String,
    pub problem: String,
}

impl Move {
    /// Check one move against the catalog's rules: `Err` names the field and what is wrong.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        let m = self;
        let kebab = !m.id.is_empty()
            && m.id.len() <= 40
            && m.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !m.id.starts_with('-')
            && !m.id.ends_with('-');
        if !kebab {
            return Err(("id", "the id must be lowercase kebab-case, at most 40 characters"));
        }
        if m.name.trim().is_empty() || m.name.len() > 40 {
            return Err(("name", "the name must be 1 to 40 characters"));
        }
        if m.summary.trim().is_empty() || m.summary.len() > 160 {
            return Err(("summary", "the summary must be 1 to 160 characters"));
        }
        if m.muscles.is_empty() {
            return Err(("muscles", "it must work at least one muscle"));
        }
        if !(3..=5).contains(&m.cues.len()) {
            return Err(("cues", "it needs 3 to 5 cues"));
        }
        if m.cues.iter().any(|c| c.trim().is_empty() || c.len() > 120) {
            return Err(("cues", "every cue must be 1 to 120 characters"));
        }
        if m.cautions.iter().any(|c| c.trim().is_empty() || c.len() > 200) {
            return Err(("cautions", "every caution must be 1 to 200 characters"));
        }
        if m.levels.is_empty() {
            return Err(("levels", "it needs at least one level"));
        }
        if m.row && m.kind != Kind::Strength {
            return Err(("row", "only a strength move can be a row"));
        }
        for level in &m.levels {
            let ok = match level.dose {
                Dose::Hold { hold_seconds, reps } => {
                    (1..=120).contains(&hold_seconds) && (1..=30).contains(&reps)
                }
                Dose::Reps { reps, tempo_seconds } => {
                    (1..=50).contains(&reps) && (1..=10).contains(&tempo_seconds)
                }
                Dose::Timed { seconds } => (5..=180).contains(&seconds),
            };
            if !ok || !(1..=5).contains(&level.sets) {
                return Err(("levels", "a level has a dose or set count out of range"));
            }
        }
        if let Some(picture) = &m.picture {
            let plain = !picture.is_empty()
                && !picture.contains('/')
                && !picture.starts_with('.')
                && (picture.ends_with(".svg") || picture.ends_with(".png"));
            if !plain {
                return Err((
                    "picture",
                    "the picture must be a .svg or .png file name beside the moves file",
                ));
            }
        }
        if m.micro {
            if m.position == Position::Floor {
                return Err(("micro", "a micro-break move cannot be done on the floor"));
            }
            let desk = [
                Equipment::Chair,
                Equipment::Wall,
                Equipment::Doorway,
                Equipment::ResistanceBand,
                Equipment::DoorAnchor,
            ];
            if m.equipment.iter().any(|e| !desk.contains(e)) {
                return Err((
                    "equipment",
                    "a micro-break move may need only a chair, wall, doorway, band or door anchor",
                ));
            }
            let secs = m.levels[0].dose.set_seconds();
            if !(8..=40).contains(&secs) {
                return Err((
                    "levels",
                    "a micro-break move's first level must take 8 to 40 seconds a side",
                ));
            }
        }
        Ok(())
    }
}
