//! # unslouch-ipc
//!
//! The typed protocol between Unslouch's programs: the command line and the window send
//! [`Request`]s to the daemon over its control socket, and get [`Reply`]s; a subscriber also
//! gets [`Update`]s pushed (every new snapshot, and requests to show a view).
//!
//! ## Framing
//! One JSON document per line (UTF-8, `\n`-terminated): compact JSON has no raw newlines, so a
//! line is a message. Easy to read in a log and to speak from a shell with `socat`.
//! A line longer than [`MAX_LINE`] is refused, so a confused peer cannot exhaust memory.
//!
//! ## Layout
//! - this file: the messages.
//! - [`client`]: a small blocking client over a Unix socket (command line, window).
//! - [`paths`]: where every file lives, the control socket among them.
//! - [`window_lock`]: the lock that keeps the window to one.

use serde::{Deserialize, Serialize};
use unslouch_core::history::{Feel, Summary};
use unslouch_core::routines::MoveId;
use unslouch_core::schedule::{BreakControl, PauseFor, Refusal};
use unslouch_core::settings::SettingsError;
use unslouch_core::{Settings, Snapshot};

pub mod client;
pub mod drawing;
pub mod moves;
pub mod paths;
pub mod window_lock;

pub use paths::Paths;

/// The longest line either side accepts, in bytes.
pub const MAX_LINE: usize = 1 << 20;

/// The protocol's version: raised when a message changes in a way an older peer would misread.
/// A daemon that does not know `hello` speaks version 0.
pub const PROTOCOL: u32 = 1;

/// A view of the window, and its route (`#/<view>`).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    Break,
    Settings,
    History,
    Exercises,
}

impl View {
    /// Every view, in menu order.
    pub const ALL: [View; 4] = [View::Break, View::Settings, View::History, View::Exercises];

    /// The view named `name` (as in its route).
    pub fn from_name(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            View::Break => "break",
            View::Settings => "settings",
            View::History => "history",
            View::Exercises => "exercises",
        }
    }
}

/// What a client asks of the daemon.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case")]
pub enum Request {
    /// The current snapshot.
    Snapshot,
    /// Start a break now (the planned routine, or one of just these moves).
    StartBreak {
        moves: Option<Vec<MoveId>>,
    },
    /// Start a full session now: warm-up, strength in sets, stretches.
    StartSession,
    Snooze,
    Skip,
    Pause {
        pause: PauseFor,
    },
    Resume,
    /// Pause, continue, skip a move in or end the running break.
    Break {
        control: BreakControl,
    },
    /// How the last routine felt.
    Feedback {
        feel: Feel,
        moves: Vec<MoveId>,
    },
    /// Take back into routines moves left out because they hurt.
    BringBack {
        moves: Vec<MoveId>,
    },
    /// The moves the daemon plans from (ours and the person's own, as read when it started) and
    /// what was left out of the person's moves file. Pictures are not sent: they can outgrow a
    /// reply, and the window reads them itself.
    Library,
    /// The settings in force.
    GetSettings,
    /// Replace the settings (validated by the daemon; nothing changes if they are invalid).
    /// Answered with the settings now in force and the warnings.
    SetSettings {
        settings: Box<Settings>,
    },
    /// Put every setting back to its default (answered like `SetSettings`).
    ResetSettings,
    /// The history sums for the last `days` days.
    History {
        days: u16,
    },
    /// Write the whole history as CSV into the person's Downloads folder, under `name` (or
    /// `name-1.csv`... when taken). The daemon writes the file itself: a reply carrying years of
    /// history would outgrow what a client reads in one line.
    ExportCsv {
        name: String,
    },
    /// Open the window at a view (or bring the open one there).
    Open {
        view: View,
    },
    /// Keep this connection open and push every new snapshot and view request.
    Subscribe,
    /// Stop the daemon (and close the window).
    Quit,
    /// Say who is asking; answered with who answers (`Reply::Hello`).
    Hello {
        protocol: u32,
        version: String,
    },
    /// Start the daemon again from its program as installed now (after an upgrade): it closes
    /// the books, runs the new program in its own place (the same process) and carries on from
    /// its history. Refused during a break.
    Restart,
}

/// The daemon's answer to one request.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Reply {
    Done,
    Snapshot {
        snapshot: Box<Snapshot>,
    },
    Settings {
        settings: Box<Settings>,
        warnings: Vec<Warning>,
    },
    History {
        summary: Box<Summary>,
    },
    Library {
        library: Box<moves::Library>,
    },
    /// The export was written here, with this many rows.
    Exported {
        path: String,
        rows: u64,
    },
    /// The daemon's protocol and version, and whether its program was replaced on disk since
    /// it started (an upgrade while it runs).
    Hello {
        protocol: u32,
        version: String,
        replaced: bool,
    },
    Error {
        error: IpcError,
    },
}

/// An error as the other side sees it: typed, for each side to put in its own words.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IpcError {
    /// The request made sense but the state does not allow it (nothing to snooze...).
    Refused { refusal: Refusal },
    /// Settings that fail validation: every problem, each naming its field.
    InvalidSettings { problems: Vec<SettingsError> },
    /// The request could not be read.
    BadRequest { message: String },
    /// Something failed inside the daemon (a file could not be written...).
    Internal { message: String },
}

impl IpcError {
    pub fn bad_request(message: impl Into<String>) -> IpcError {
        IpcError::BadRequest { message: message.into() }
    }

    pub fn internal(message: impl Into<String>) -> IpcError {
        IpcError::Internal { message: message.into() }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IpcError::Refused { refusal } => write!(f, "{refusal}"),
            IpcError::InvalidSettings { problems } if problems.is_empty() => {
                write!(f, "these settings cannot be used")
            }
            IpcError::InvalidSettings { problems } => {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                write!(f, "{}", lines.join("; "))
            }
            IpcError::BadRequest { message } | IpcError::Internal { message } => {
                write!(f, "{message}")
            }
        }
    }
}

impl std::error::Error for IpcError {}

/// Something the person should know is not working as it should, for the window and `status`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// No idle source: desk time counts all the time the daemon runs.
    IdleUnavailable { reason: String },
    /// No tray host on this desktop: the icon is hidden.
    NoTrayHost,
    /// No notification server: reminders open the window instead.
    NoNotifications,
    /// The settings file could not be used, or was changed by hand meanwhile; the store's
    /// account of what was kept where.
    SettingsFile { detail: String },
    /// The history database could not be used and was set aside (the store's account).
    HistoryFile { detail: String },
    /// History cannot be written: this many events wait in memory.
    HistoryUnwritten { events: usize, reason: String },
    /// Events given up because too many were waiting.
    HistoryLost { events: usize },
    /// The window program cannot be started.
    WindowMissing { reason: String },
    /// Moves of the person's own moves file were left out: each says where and why.
    CustomMoves { problems: Vec<unslouch_core::routines::CustomMoveProblem> },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        match self {
            Warning::IdleUnavailable { reason } => write!(
                f,
                "Idle detection unavailable ({reason}): desk time counts all the time Unslouch runs."
            ),
            Warning::NoTrayHost => write!(
                f,
                "No tray is available on this desktop, so the Unslouch icon is hidden. On GNOME, the \
                 AppIndicator extension shows it; launching Unslouch again opens this window."
            ),
            Warning::NoNotifications => {
                write!(f, "Notifications are not available: reminders open this window instead.")
            }
            Warning::SettingsFile { detail } | Warning::HistoryFile { detail } => {
                write!(f, "{}", capitalised(detail))
            }
            Warning::HistoryUnwritten { events, reason } => write!(
                f,
                "History cannot be written ({reason}): {events} event{} kept in memory and tried again.",
                s(*events)
            ),
            Warning::HistoryLost { events } => write!(
                f,
                "History could not be written for too long: {events} event{} {} given up.",
                s(*events),
                if *events == 1 { "was" } else { "were" }
            ),
            Warning::WindowMissing { reason } => {
                write!(f, "The Unslouch window cannot be opened: {reason}.")
            }
            Warning::CustomMoves { problems } => {
                write!(f, "Some of your own moves were left out:")?;
                for p in problems {
                    write!(f, " {p}.")?;
                }
                Ok(())
            }
        }
    }
}

/// `text` with its first letter in capitals (the store's accounts are written to follow a colon).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Pushed to subscribers.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "update", rename_all = "snake_case")]
pub enum Update {
    Snapshot {
        snapshot: Box<Snapshot>,
    },
    /// The window should show this view (and come to the front).
    Show {
        view: View,
    },
    /// The daemon is stopping: the window should close.
    Quit,
}

/// Anything the daemon sends.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FromDaemon {
    Reply(Reply),
    Update(Update),
}

/// Encode a message as one line.
pub fn encode<T: Serialize>(message: &T) -> String {
    let mut line = serde_json::to_string(message).expect("protocol types always serialise");
    line.push('\n');
    line
}

/// Decode one line.
pub fn decode<'a, T: Deserialize<'a>>(line: &'a str) -> Result<T, IpcError> {
    serde_json::from_str(line.trim_end())
        .map_err(|e| IpcError::bad_request(format!("cannot read the message: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_one_line_of_tagged_json() {
        let line = encode(&Request::Pause { pause: PauseFor::Minutes { minutes: 30 } });
        assert_eq!(
            line,
            "{\"request\":\"pause\",\"pause\":{\"for\":\"minutes\",\"minutes\":30}}\n"
        );
        assert_eq!(
            decode::<Request>(&line).unwrap(),
            Request::Pause { pause: PauseFor::Minutes { minutes: 30 } }
        );
        let line = encode(&Request::Open { view: View::History });
        assert_eq!(line, "{\"request\":\"open\",\"view\":\"history\"}\n");
    }

    #[test]
    fn a_bad_line_is_a_typed_error_not_a_panic() {
        let err = decode::<Request>("{\"request\":\"fly\"}").unwrap_err();
        let IpcError::BadRequest { message } = err else { panic!("{err:?}") };
        assert!(message.contains("fly"), "{message}");
        assert!(matches!(decode::<Request>("not json"), Err(IpcError::BadRequest { .. })));
    }

    #[test]
    fn settings_problems_and_refusals_cross_as_types() {
        let error = IpcError::InvalidSettings {
            problems: vec![
                SettingsError::OutOfRange {
                    field: "interval_minutes".into(),
                    min: 5,
                    max: 240,
                    got: 500,
                },
                SettingsError::NoWorkHours,
            ],
        };
        let line = encode(&Reply::Error { error: error.clone() });
        assert!(line.contains("\"kind\":\"invalid_settings\""), "{line}");
        assert_eq!(decode::<Reply>(&line).unwrap(), Reply::Error { error });
        let refused = IpcError::Refused { refusal: Refusal::SnoozeLimit { limit: 3 } };
        let line = encode(&Reply::Error { error: refused.clone() });
        assert_eq!(decode::<Reply>(&line).unwrap(), Reply::Error { error: refused.clone() });
        assert_eq!(
            refused.to_string(),
            "snoozed 3 times in a row already: start the break or skip it"
        );
        let warning = Warning::HistoryUnwritten { events: 2, reason: "disk full".into() };
        let line = encode(&Reply::Settings { settings: Box::default(), warnings: vec![warning] });
        assert!(
            matches!(decode::<Reply>(&line).unwrap(), Reply::Settings { warnings, .. } if warnings.len() == 1)
        );
    }

    #[test]
    fn replies_and_updates_are_told_apart() {
        let reply = encode(&Reply::Error { error: IpcError::Refused { refusal: Refusal::NotDue } });
        assert!(matches!(
            decode::<FromDaemon>(&reply).unwrap(),
            FromDaemon::Reply(Reply::Error { .. })
        ));
        let update = encode(&Update::Show { view: View::Break });
        assert_eq!(
            decode::<FromDaemon>(&update).unwrap(),
            FromDaemon::Update(Update::Show { view: View::Break })
        );
    }
}
