//! The user's settings: one struct, one source of defaults, validation and migration.
//!
//! Loading and saving the file is the store's job (`unslouch-store`); this module only says what
//! the settings are, what values are allowed, and how an older file is brought up to date. Every
//! duration carries its unit in its name. Unknown keys are ignored so that a newer file can be
//! read by an older build.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::routines::{Catalog, Equipment, MoveId};

/// The settings file format this build writes.
pub const CURRENT_VERSION: u32 = 2;

/// The range a number setting must fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The setting, as named in the file.
    pub field: &'static str,
    pub min: u32,
    pub max: u32,
}

impl Limit {
    const fn new(field: &'static str, min: u32, max: u32) -> Limit {
        Limit { field, min, max }
    }
}

pub const INTERVAL_MINUTES: Limit = Limit::new("interval_minutes", 5, 240);
pub const ROUTINE_SECONDS: Limit = Limit::new("routine_seconds", 30, 180);
pub const SNOOZE_MINUTES: Limit = Limit::new("snooze_minutes", 1, 60);
pub const SNOOZE_LIMIT: Limit = Limit::new("snooze_limit", 0, 10);
pub const REMIND_AGAIN_MINUTES: Limit = Limit::new("remind_again_minutes", 1, 60);
pub const NATURAL_BREAK_MINUTES: Limit = Limit::new("natural_break_minutes", 1, 60);
pub const DAY_STARTS_AT_HOUR: Limit = Limit::new("day_starts_at_hour", 0, 23);
pub const WEEKLY_SESSIONS: Limit = Limit::new("weekly_sessions", 0, 5);
pub const MEETING_CAP_MINUTES: Limit = Limit::new("meeting_cap_minutes", 0, 480);
pub const FULLSCREEN_CAP_MINUTES: Limit = Limit::new("fullscreen_cap_minutes", 0, 480);
pub const DND_CAP_MINUTES: Limit = Limit::new("dnd_cap_minutes", 0, 480);
pub const HOLD_GRACE_SECONDS: Limit = Limit::new("hold_grace_seconds", 0, 900);
pub const TYPING_PAUSE_SECONDS: Limit = Limit::new("typing_pause_seconds", 2, 30);
pub const TYPING_CAP_SECONDS: Limit = Limit::new("typing_cap_seconds", 10, 600);

/// Every number setting's range (the window's fields are drawn from these).
pub const LIMITS: [Limit; 14] = [
    INTERVAL_MINUTES,
    ROUTINE_SECONDS,
    SNOOZE_MINUTES,
    SNOOZE_LIMIT,
    REMIND_AGAIN_MINUTES,
    NATURAL_BREAK_MINUTES,
    DAY_STARTS_AT_HOUR,
    WEEKLY_SESSIONS,
    MEETING_CAP_MINUTES,
    FULLSCREEN_CAP_MINUTES,
    DND_CAP_MINUTES,
    HOLD_GRACE_SECONDS,
    TYPING_PAUSE_SECONDS,
    TYPING_CAP_SECONDS,
];

/// Everything a person can set.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Format version of the file; see [`migrate`].
    pub version: u32,
    /// Desk time between two reminders.
    pub interval_minutes: u32,
    /// About how long a routine lasts, preparation included (within `routines::tolerance`).
    pub routine_seconds: u32,
    /// How long a snooze postpones a reminder.
    pub snooze_minutes: u32,
    /// Snoozes allowed in a row before the reminder offers only start or skip.
    pub snooze_limit: u32,
    /// Desk time after an unanswered reminder before it is shown once more.
    pub remind_again_minutes: u32,
    /// Idle or away time that counts as a break taken.
    pub natural_break_minutes: u32,
    /// Local hour at which a new day starts for the daily totals (04 like Workrave: a late night
    /// still belongs to the day before).
    pub day_starts_at_hour: u8,
    /// When reminders may come.
    pub work_hours: WorkHours,
    /// What is at hand besides the desk and chair.
    pub equipment: BTreeSet<Equipment>,
    /// Whether routines may include standing moves.
    pub can_stand: bool,
    /// Moves never to suggest.
    pub excluded_moves: BTreeSet<MoveId>,
    /// Play a sound with the reminder, and a short tone at each switch of side or move during a
    /// break.
    pub sound: bool,
    /// Start Unslouch when the person logs in.
    pub start_at_login: bool,
    /// Show the minutes to the next break beside the tray icon, where the panel allows.
    pub tray_minutes: bool,
    /// Full sessions (warm-up, strength, stretches) aimed for each week; 0 for none.
    pub weekly_sessions: u32,
    /// The days a full session is suggested on, while the week's aim is not met.
    pub session_days: BTreeSet<Day>,
    /// From when on those days (local time, `"17:00"`); the suggestion comes once a day, when
    /// the person is at the desk and no reminder is out.
    pub session_time: ClockTime,
    /// Hold a due reminder while a camera or microphone is in use.
    pub hold_for_meetings: bool,
    /// Take a camera in use for a meeting.
    pub meeting_camera: bool,
    /// Take a microphone in use for a meeting.
    pub meeting_microphone: bool,
    /// Hold a due reminder while the active window is fullscreen (a film, a game, slides).
    pub hold_for_fullscreen: bool,
    /// Hold a due reminder while the desktop's Do Not Disturb is on.
    pub hold_for_dnd: bool,
    /// The longest a meeting holds a reminder; 0: as long as it lasts.
    pub meeting_cap_minutes: u32,
    /// The longest fullscreen holds a reminder; 0: as long as it lasts.
    pub fullscreen_cap_minutes: u32,
    /// The longest Do Not Disturb holds a reminder; 0: as long as it lasts.
    pub dnd_cap_minutes: u32,
    /// After the last hold ends, how long before the reminder comes.
    pub hold_grace_seconds: u32,
    /// When a reminder is about to show while the person is typing, wait for a pause.
    pub hold_while_typing: bool,
    /// The pause in typing (seconds without input) a reminder waits for.
    pub typing_pause_seconds: u32,
    /// The longest a reminder waits for that pause.
    pub typing_cap_seconds: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            version: CURRENT_VERSION,
            interval_minutes: 40,
            routine_seconds: 60,
            snooze_minutes: 10,
            snooze_limit: 3,
            remind_again_minutes: 5,
            natural_break_minutes: 5,
            day_starts_at_hour: 4,
            work_hours: WorkHours::default(),
            equipment: BTreeSet::new(),
            can_stand: true,
            excluded_moves: BTreeSet::new(),
            sound: true,
            start_at_login: true,
            tray_minutes: false,
            weekly_sessions: 2,
            session_days: [Day::Tuesday, Day::Friday].into(),
            session_time: ClockTime(Time::constant(17, 0, 0, 0)),
            hold_for_meetings: true,
            meeting_camera: true,
            meeting_microphone: true,
            hold_for_fullscreen: true,
            hold_for_dnd: true,
            meeting_cap_minutes: 0,
            fullscreen_cap_minutes: 120,
            dnd_cap_minutes: 0,
            hold_grace_seconds: 120,
            hold_while_typing: true,
            typing_pause_seconds: 5,
            typing_cap_seconds: 120,
        }
    }
}

/// Per-weekday working time. When off, reminders may come at any hour.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkHours {
    pub enabled: bool,
    pub monday: Vec<TimeRange>,
    pub tuesday: Vec<TimeRange>,
    pub wednesday: Vec<TimeRange>,
    pub thursday: Vec<TimeRange>,
    pub friday: Vec<TimeRange>,
    pub saturday: Vec<TimeRange>,
    pub sunday: Vec<TimeRange>,
}

impl Default for WorkHours {
    fn default() -> WorkHours {
        let day = || vec![TimeRange::new(Time::constant(9, 0, 0, 0), Time::constant(17, 30, 0, 0))];
        WorkHours {
            enabled: false,
            monday: day(),
            tuesday: day(),
            wednesday: day(),
            thursday: day(),
            friday: day(),
            saturday: Vec::new(),
            sunday: Vec::new(),
        }
    }
}

impl WorkHours {
    /// The ranges of one weekday.
    pub fn day(&self, weekday: Weekday) -> &[TimeRange] {
        match weekday {
            Weekday::Monday => &self.monday,
            Weekday::Tuesday => &self.tuesday,
            Weekday::Wednesday => &self.wednesday,
            Weekday::Thursday => &self.thursday,
            Weekday::Friday => &self.friday,
            Weekday::Saturday => &self.saturday,
            Weekday::Sunday => &self.sunday,
        }
    }

    /// Whether reminders may come at `wall`: in one of its day's ranges, or at any time when
    /// work hours are off.
    pub fn allow(&self, wall: &Zoned) -> bool {
        !self.enabled || self.day(wall.weekday()).iter().any(|r| r.contains(wall.time()))
    }

    /// The next instant after `wall` at which work hours begin or end, within the coming 8
    /// days; `None` when work hours are off.
    pub fn next_boundary(&self, wall: &Zoned) -> Option<Timestamp> {
        if !self.enabled {
            return None;
        }
        let tz = wall.time_zone();
        for offset in 0..8 {
            let date = wall.date().checked_add(Span::new().days(offset)).ok()?;
            let next = self
                .day(date.weekday())
                .iter()
                .flat_map(|r| [r.start, r.end])
                .filter_map(|t| date.to_datetime(t).to_zoned(tz.clone()).ok())
                .map(|z| z.timestamp())
                .filter(|ts| *ts > wall.timestamp())
                .min();
            if next.is_some() {
                return next;
            }
        }
        None
    }

    /// The first start of work hours at or after `from` (the start of a day), looking 8 days
    /// ahead; `from` itself when work hours are off or have no start in that time.
    pub fn first_start_from(&self, from: Timestamp, tz: &TimeZone) -> Timestamp {
        if !self.enabled {
            return from;
        }
        let first_day = from.to_zoned(tz.clone()).date();
        for offset in 0..8 {
            let Ok(date) = first_day.checked_add(Span::new().days(offset)) else { break };
            if let Some(first) = self.day(date.weekday()).iter().map(|r| r.start).min()
                && let Ok(z) = date.to_datetime(first).to_zoned(tz.clone())
                && z.timestamp() >= from
            {
                return z.timestamp();
            }
        }
        from
    }

    fn days(&self) -> [(&'static str, &[TimeRange]); 7] {
        [
            ("monday", &self.monday),
            ("tuesday", &self.tuesday),
            ("wednesday", &self.wednesday),
            ("thursday", &self.thursday),
            ("friday", &self.friday),
            ("saturday", &self.saturday),
            ("sunday", &self.sunday),
        ]
    }
}

/// A day of the week, as written in the file.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Day {
    pub fn weekday(self) -> Weekday {
        match self {
            Day::Monday => Weekday::Monday,
            Day::Tuesday => Weekday::Tuesday,
            Day::Wednesday => Weekday::Wednesday,
            Day::Thursday => Weekday::Thursday,
            Day::Friday => Weekday::Friday,
            Day::Saturday => Weekday::Saturday,
            Day::Sunday => Weekday::Sunday,
        }
    }
}

/// A time of day, written `"17:00"`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub Time);

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.strftime("%H:%M"))
    }
}

impl FromStr for ClockTime {
    type Err = String;
    fn from_str(s: &str) -> Result<ClockTime, String> {
        let bad = || format!("`{s}` is not a time of day like 17:00");
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        let (h, m): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        Time::new(h, m, 0, 0).map(ClockTime).map_err(|_| bad())
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ClockTime, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A span of local time within one day, written `"09:00-12:30"`. The end is exclusive.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeRange {
    pub start: Time,
    pub end: Time,
}

impl TimeRange {
    pub const fn new(start: Time, end: Time) -> TimeRange {
        TimeRange { start, end }
    }

    /// Whether `t` falls in the range.
    pub fn contains(&self, t: Time) -> bool {
        self.start <= t && t < self.end
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start.strftime("%H:%M"), self.end.strftime("%H:%M"))
    }
}

impl FromStr for TimeRange {
    type Err = String;
    fn from_str(s: &str) -> Result<TimeRange, String> {
        let bad = || format!("`{s}` is not a time range like 09:00-12:30");
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        let parse = |t: &str| {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
            if h == 24 && m == 0 {
                return Some(Time::MAX);
            }
            Time::new(h, m, 0, 0).ok()
        };
        Ok(TimeRange::new(parse(a).ok_or_else(bad)?, parse(b).ok_or_else(bad)?))
    }
}

impl Serialize for TimeRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.end == Time::MAX {
            s.collect_str(&format_args!("{}-24:00", self.start.strftime("%H:%M")))
        } else {
            s.collect_str(self)
        }
    }
}

impl<'de> Deserialize<'de> for TimeRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TimeRange, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a setting is not accepted. Each names the field (as written in the file) and the reason.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum SettingsError {
    #[error("{field} must be between {min} and {max}, not {got}")]
    OutOfRange { field: String, min: u32, max: u32, got: i64 },
    #[error("{field}: the range {range} ends before it starts")]
    EmptyRange { field: String, range: String },
    #[error("{field}: the ranges {first} and {second} overlap")]
    Overlap { field: String, first: String, second: String },
    #[error("work_hours: reminders are on for work hours only, but no day has any hours")]
    NoWorkHours,
    #[error("excluded_moves: there is no move called `{id}`")]
    UnknownMove { id: String },
    #[error("excluded_moves: at least two desk moves must stay available")]
    TooFewMoves,
    #[error("version: this file is version {got}, newer than this Unslouch understands ({max})")]
    TooNew { got: u32, max: u32 },
    #[error(
        "version: settings of version {got} are from an older format; this Unslouch reads and writes version {current}"
    )]
    NotCurrent { got: u32, current: u32 },
}

impl SettingsError {
    /// The setting the error is about, as named in the file.
    pub fn field(&self) -> &str {
        match self {
            SettingsError::OutOfRange { field, .. } => field,
            SettingsError::EmptyRange { field, .. } | SettingsError::Overlap { field, .. } => field,
            SettingsError::NoWorkHours => "work_hours",
            SettingsError::UnknownMove { .. } | SettingsError::TooFewMoves => "excluded_moves",
            SettingsError::TooNew { .. } | SettingsError::NotCurrent { .. } => "version",
        }
    }
}

impl Settings {
    /// Every problem with these settings; empty when they are valid (moves named against the
    /// built-in catalog).
    pub fn problems(&self) -> Vec<SettingsError> {
        self.problems_in(Catalog::builtin())
    }

    /// Every problem with these settings, moves named against `catalog` (ours and the person's
    /// own).
    pub fn problems_in(&self, catalog: &Catalog) -> Vec<SettingsError> {
        self.problems_after(catalog, &Settings { excluded_moves: BTreeSet::new(), ..self.clone() })
    }

    /// Every problem with a change from `before` to these settings. An excluded move that is
    /// not in `catalog` is a problem only when the change adds it: one already excluded may be
    /// a move of the person's own whose file is broken or gone, and excluding it does no harm,
    /// so it never makes the settings unusable.
    pub fn problems_after(&self, catalog: &Catalog, before: &Settings) -> Vec<SettingsError> {
        let mut out = Vec::new();
        let numbers = [
            (INTERVAL_MINUTES, self.interval_minutes),
            (ROUTINE_SECONDS, self.routine_seconds),
            (SNOOZE_MINUTES, self.snooze_minutes),
            (SNOOZE_LIMIT, self.snooze_limit),
            (REMIND_AGAIN_MINUTES, self.remind_again_minutes),
            (WEEKLY_SESSIONS, self.weekly_sessions),
            (MEETING_CAP_MINUTES, self.meeting_cap_minutes),
            (FULLSCREEN_CAP_MINUTES, self.fullscreen_cap_minutes),
            (DND_CAP_MINUTES, self.dnd_cap_minutes),
            (HOLD_GRACE_SECONDS, self.hold_grace_seconds),
            (TYPING_PAUSE_SECONDS, self.typing_pause_seconds),
            (TYPING_CAP_SECONDS, self.typing_cap_seconds),
            (NATURAL_BREAK_MINUTES, self.natural_break_minutes),
            (DAY_STARTS_AT_HOUR, self.day_starts_at_hour.into()),
        ];
        for (Limit { field, min, max }, got) in numbers {
            if !(min..=max).contains(&got) {
                out.push(SettingsError::OutOfRange {
                    field: field.into(),
                    min,
                    max,
                    got: got.into(),
                });
            }
        }
        // Settings in memory are always of the current format (a file is migrated as it is
        // read); anything else arriving here would be written under the wrong version.
        if self.version > CURRENT_VERSION {
            out.push(SettingsError::TooNew { got: self.version, max: CURRENT_VERSION });
        } else if self.version != CURRENT_VERSION {
            out.push(SettingsError::NotCurrent { got: self.version, current: CURRENT_VERSION });
        }

        let mut any_hours = false;
        for (day, ranges) in self.work_hours.days() {
            let field = format!("work_hours.{day}");
            let mut sorted: Vec<TimeRange> = ranges.to_vec();
            sorted.sort();
            for r in &sorted {
                if r.end <= r.start {
                    out.push(SettingsError::EmptyRange {
                        field: field.clone(),
                        range: r.to_string(),
                    });
                }
            }
            for pair in sorted.windows(2) {
                if pair[1].start < pair[0].end {
                    out.push(SettingsError::Overlap {
                        field: field.clone(),
                        first: pair[0].to_string(),
                        second: pair[1].to_string(),
                    });
                }
            }
            any_hours |= !ranges.is_empty();
        }
        if self.work_hours.enabled && !any_hours {
            out.push(SettingsError::NoWorkHours);
        }

        for id in &self.excluded_moves {
            if catalog.get(id).is_none() && !before.excluded_moves.contains(id) {
                out.push(SettingsError::UnknownMove { id: id.clone() });
            }
        }
        let micro_left = catalog
            .moves
            .iter()
            .filter(|m| m.micro && m.equipment.is_empty() && !self.excluded_moves.contains(&m.id))
            .count();
        if micro_left < 2 {
            out.push(SettingsError::TooFewMoves);
        }
        out
    }

    /// `Ok` when valid, else every problem found.
    pub fn validate(&self) -> Result<(), Vec<SettingsError>> {
        self.validate_in(Catalog::builtin())
    }

    /// `Ok` when valid against `catalog`, else every problem found.
    pub fn validate_in(&self, catalog: &Catalog) -> Result<(), Vec<SettingsError>> {
        let problems = self.problems_in(catalog);
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }
}

/// Why a settings document cannot be brought up to date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MigrateError {
    #[error("version must be a whole number from 1, not {0}")]
    BadVersion(String),
    #[error("this file is version {got}, newer than this Unslouch understands ({max})")]
    TooNew { got: u32, max: u32 },
}

/// One migration step: rewrites a document of version `n` (its index + 1) into version `n + 1`.
type Step = fn(&mut toml::Table);

/// The steps, in order. Only ever appended to; each has a fixture file under `tests/fixtures`.
const STEPS: &[Step] = &[band_rows_need_an_anchor];

/// Version 1 to 2: band rows and face pulls now need a door anchor, which version 1 took for
/// granted with a band; a person who had the band keeps those moves.
fn band_rows_need_an_anchor(doc: &mut toml::Table) {
    let Some(toml::Value::Array(equipment)) = doc.get_mut("equipment") else { return };
    let has = |name: &str| equipment.iter().any(|v| v.as_str() == Some(name));
    if has("resistance-band") && !has("door-anchor") {
        equipment.push(toml::Value::String("door-anchor".into()));
    }
}

/// Bring a parsed settings document of any known version up to [`CURRENT_VERSION`].
///
/// A document without `version` is version 1 (the first format).
pub fn migrate(mut doc: toml::Table) -> Result<toml::Table, MigrateError> {
    let version = match doc.get("version") {
        None => 1,
        Some(toml::Value::Integer(v)) if *v >= 1 => {
            u32::try_from(*v).map_err(|_| MigrateError::BadVersion(v.to_string()))?
        }
        Some(other) => return Err(MigrateError::BadVersion(other.to_string())),
    };
    let latest = STEPS.len() as u32 + 1;
    debug_assert_eq!(latest, CURRENT_VERSION);
    if version > latest {
        return Err(MigrateError::TooNew { got: version, max: latest });
    }
    for step in &STEPS[(version as usize - 1)..] {
        step(&mut doc);
    }
    doc.insert("version".into(), toml::Value::Integer(latest.into()));
    Ok(doc)
}
