//! Reminders as desktop notifications (the freedesktop protocol over D-Bus, spoken with zbus).
//!
//! App name `Unslouch`; the summary starts with "Posture break"; the body names the routine's
//! moves and its length. Actions: `default` (a click on the body) and `start` start the break,
//! `snooze` snoozes (offered only while allowed), `skip` skips. A repeated reminder replaces the
//! one shown before instead of stacking, and a reminder is withdrawn when its break starts or is
//! skipped from elsewhere.
//!
//! The driver never waits on the notification server: a reminder is sent by a task of its own,
//! bounded by [`TIMEOUT`], which reports back as [`Event::Sent`] (a server that is alive but
//! stuck delays nothing else). Answers are heard on the same connection the reminders are sent
//! from (servers such as dunst send `ActionInvoked` to the sender only), subscribed once at
//! start by [`listen`], before any reminder is sent, so that a click that comes at once is not
//! lost; an answer that arrives before the id it belongs to is known is kept until it is. That
//! is why this speaks the protocol itself: `notify-rust` opens a connection per reminder and
//! listens only after `Notify` returns.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use futures_util::StreamExt;
use unslouch_core::routines::Catalog;
use unslouch_core::schedule::{Invitation, Reminder};
use zbus::zvariant::Value;

use crate::sink::Sink;

/// What the notifier reports.
#[derive(Debug)]
pub enum Event {
    /// The person answered the reminder with this id.
    Answered { id: u32, answer: Answer },
    /// A reminder reached the notification server, or failed to.
    Sent(Box<Sent>),
}

/// What the person did with the reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Start,
    Snooze,
    Skip,
    /// Start the full session an invitation suggested.
    StartSession,
    /// Not today (to an invitation).
    NotToday,
    /// A click on the notification itself: what it means depends on what it was.
    Default,
}

impl Answer {
    fn from_action(action: &str) -> Option<Answer> {
        match action {
            "default" => Some(Answer::Default),
            "start" => Some(Answer::Start),
            "snooze" => Some(Answer::Snooze),
            "skip" => Some(Answer::Skip),
            "start_session" => Some(Answer::StartSession),
            "not_today" => Some(Answer::NotToday),
            _ => None,
        }
    }
}

/// What a notification on screen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Shown {
    #[default]
    Reminder,
    Invitation,
}

impl Shown {
    /// What an answer to this kind of notification means: a click on it resolves to its first
    /// action; an action that belongs to the other kind (an answer to a notification since
    /// replaced under the same id) means nothing.
    fn resolve(self, answer: Answer) -> Option<Answer> {
        match (answer, self) {
            (Answer::Default, Shown::Reminder) => Some(Answer::Start),
            (Answer::Default, Shown::Invitation) => Some(Answer::StartSession),
            (Answer::Start | Answer::Snooze | Answer::Skip, Shown::Reminder) => Some(answer),
            (Answer::StartSession | Answer::NotToday, Shown::Invitation) => Some(answer),
            _ => None,
        }
    }
}

/// How long the notification server has to answer a call.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// Answers kept while their reminder's id is not known yet.
const EARLY_ANSWERS: usize = 8;

const SERVER: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// A reminder that was sent, as the server reported back: its id.
#[derive(Debug)]
pub struct Sent {
    /// Which `show` it answers: only the latest counts.
    pub generation: u64,
    pub result: Result<u32, String>,
}

/// Shows and withdraws the reminder.
#[derive(Debug)]
pub struct Notifier {
    events: Sink<Event>,
    /// The session bus connection reminders are sent and answered on (none: no bus).
    bus: Option<zbus::Connection>,
    /// The id of the reminder on screen.
    shown: Option<u32>,
    /// Counts `show`s; the one whose reminder is wanted on screen, if any.
    generation: u64,
    wanted: Option<u64>,
    /// Answers to ids not known yet (the server may signal before its reply reaches us).
    early: VecDeque<(u32, Answer)>,
    /// What the latest notification is.
    kind: Shown,
}

/// The summary and body of a reminder.
pub fn text(reminder: &Reminder, catalog: &Catalog, snooze_minutes: u32) -> (String, String) {
    let names: Vec<String> = reminder
        .routine
        .steps
        .iter()
        .map(|s| {
            catalog.get(&s.move_id).map_or_else(|| s.move_id.clone(), |m| m.name.to_lowercase())
        })
        .collect();
    let seconds = reminder.routine.total_seconds();
    let length = length_words(seconds);
    let summary = if reminder.repeat {
        format!("Posture break: still due ({length})")
    } else {
        format!("Posture break: {length}")
    };
    let moves = match names.as_slice() {
        [] => "Stand up, roll your shoulders and look away from the screen".to_string(),
        [one] => capitalise(one),
        [rest @ .., last] => format!("{} and {last}", capitalise(&rest.join(", "))),
    };
    let mut body = format!("{moves}: {length}.");
    if !reminder.can_snooze {
        body.push_str(&format!(" Snoozed {} times: start it or skip it.", reminder.snoozes));
    } else if reminder.snoozes == 0 {
        body.push_str(&format!(" Snooze puts it off {snooze_minutes} minutes."));
    }
    (summary, body)
}

/// A routine's length as a person plans around it: "40 s" under 45 seconds, else whole minutes,
/// "about 1 min" (routines run within a tolerance of their target, so the seconds would be
/// falsely precise).
fn length_words(seconds: u32) -> String {
    if seconds < 45 { format!("{seconds} s") } else { format!("about {} min", (seconds + 30) / 60) }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl Notifier {
    /// Reminders sent on `bus`, the connection [`listen`] subscribed on.
    pub fn new(events: Sink<Event>, bus: Option<zbus::Connection>) -> Notifier {
        Notifier {
            events,
            bus,
            shown: None,
            generation: 0,
            wanted: None,
            early: VecDeque::new(),
            kind: Shown::Reminder,
        }
    }

    /// Send the reminder, replacing the one on screen; returns at once. The outcome arrives as
    /// [`Event::Sent`], for [`Notifier::sent`]. A failure there means no notification server
    /// answered in time: the driver opens the prompt window instead.
    pub fn show(
        &mut self,
        reminder: &Reminder,
        catalog: &Catalog,
        snooze_minutes: u32,
        sound: bool,
    ) {
        let (summary, body) = text(reminder, catalog, snooze_minutes);
        let mut actions = vec!["default", "Start the break", "start", "Start"];
        let snooze = format!("Snooze {snooze_minutes} min");
        if reminder.can_snooze {
            actions.extend(["snooze", snooze.as_str()]);
        }
        actions.extend(["skip", "Skip"]);
        self.send(Shown::Reminder, summary, body, &actions, sound);
    }

    /// Suggest the week's full session, replacing any notification of ours on screen. It is
    /// only a suggestion: with no notification server, nothing else shows it.
    pub fn invite(&mut self, invitation: &Invitation, sound: bool) {
        let summary = format!("Time for a full session? About {} min", invitation.minutes);
        let body = format!(
            "A warm-up, strength moves in sets and stretches: {} of {} done this week.",
            invitation.done, invitation.aim
        );
        let actions = [
            "default",
            "Start the session",
            "start_session",
            "Start the session",
            "not_today",
            "Not today",
        ];
        self.send(Shown::Invitation, summary, body, &actions, sound);
    }

    fn send(&mut self, kind: Shown, summary: String, body: String, actions: &[&str], sound: bool) {
        let actions: Vec<String> = actions.iter().copied().map(String::from).collect();
        self.kind = kind;
        let mut hints: HashMap<&str, Value<'static>> = HashMap::from([
            ("desktop-entry", Value::from("unslouch")),
            ("category", Value::from("x-unslouch.reminder")),
            ("resident", Value::from(true)),
        ]);
        if sound {
            hints.insert("sound-name", Value::from("message-new-instant"));
        } else {
            hints.insert("suppress-sound", Value::from(true));
        }
        let replaces = self.shown.unwrap_or(0);
        self.generation += 1;
        self.wanted = Some(self.generation);
        let generation = self.generation;
        let events = self.events.clone();
        let bus = self.bus.clone();
        tokio::spawn(async move {
            let result = match bus {
                None => Err("no session bus".to_string()),
                Some(bus) => {
                    // Expire timeout 0: it stays until answered.
                    let args =
                        ("Unslouch", replaces, "unslouch", summary, body, actions, hints, 0i32);
                    let call = bus.call_method(Some(SERVER), PATH, Some(SERVER), "Notify", &args);
                    match tokio::time::timeout(TIMEOUT, call).await {
                        Ok(Ok(reply)) => {
                            reply.body().deserialize::<u32>().map_err(|e| e.to_string())
                        }
                        Ok(Err(e)) => Err(e.to_string()),
                        Err(_) => {
                            Err(format!("the notification server did not answer in {TIMEOUT:?}"))
                        }
                    }
                }
            };
            let _ = events.send(Event::Sent(Box::new(Sent { generation, result })));
        });
    }

    /// A reminder was sent. `Ok(Some(answer))` when the person already answered it, `Err` when
    /// the server failed (and the reminder is still wanted), `Ok(None)` otherwise.
    pub fn sent(&mut self, sent: Sent) -> Result<Option<Answer>, String> {
        let current = self.wanted == Some(sent.generation);
        match sent.result {
            Ok(id) if current => {
                self.shown = Some(id);
                let early = self.early.iter().position(|(i, _)| *i == id);
                let answer = early
                    .and_then(|i| self.early.remove(i))
                    .and_then(|(_, a)| self.kind.resolve(a));
                self.early.clear();
                if answer.is_some() {
                    self.forget();
                }
                Ok(answer)
            }
            // Withdrawn or replaced while it was on its way: take it away.
            Ok(id) => {
                if self.shown != Some(id) {
                    self.close(id);
                }
                Ok(None)
            }
            Err(e) if current && self.kind == Shown::Invitation => {
                self.wanted = None;
                tracing::info!("the full-session suggestion could not be shown: {e}");
                Ok(None)
            }
            Err(e) if current => {
                self.wanted = None;
                Err(e)
            }
            Err(_) => Ok(None),
        }
    }

    /// An answer heard on the bus: `Some` when it answers the reminder on screen.
    pub fn answered(&mut self, id: u32, answer: Answer) -> Option<Answer> {
        if self.shown == Some(id) {
            // An answer meant for what this one replaced leaves it on screen.
            let answer = self.kind.resolve(answer)?;
            self.forget();
            return Some(answer);
        }
        if self.wanted.is_some() {
            // Perhaps the reminder on its way: keep it until its id is known.
            if self.early.len() == EARLY_ANSWERS {
                self.early.pop_front();
            }
            self.early.push_back((id, answer));
        }
        None
    }

    /// Take the reminder away, if one is shown or on its way; returns at once.
    pub fn withdraw(&mut self) {
        self.wanted = None;
        self.early.clear();
        if let Some(id) = self.shown.take() {
            self.close(id);
        }
    }

    /// Take the reminder away and wait (at most [`TIMEOUT`]) for the server to do it: at
    /// shutdown, when no task would outlive the process.
    pub async fn withdraw_now(&mut self) {
        self.wanted = None;
        self.early.clear();
        if let (Some(id), Some(bus)) = (self.shown.take(), self.bus.clone()) {
            let args = (id,);
            let call =
                bus.call_method(Some(SERVER), PATH, Some(SERVER), "CloseNotification", &args);
            let _ = tokio::time::timeout(TIMEOUT, call).await;
        }
    }

    /// Forget the reminder without closing it (the person answered it, so the server closed it).
    pub fn forget(&mut self) {
        self.shown = None;
        self.wanted = None;
    }

    /// Close a notification from a task of its own, bounded by [`TIMEOUT`].
    fn close(&self, id: u32) {
        let Some(bus) = self.bus.clone() else { return };
        tokio::spawn(async move {
            let args = (id,);
            let call =
                bus.call_method(Some(SERVER), PATH, Some(SERVER), "CloseNotification", &args);
            match tokio::time::timeout(TIMEOUT, call).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::debug!("closing the reminder: {e}"),
                Err(_) => tracing::warn!("the notification server did not close the reminder"),
            }
        });
    }
}

/// Connect to the session bus and subscribe to the answers to reminders (`ActionInvoked`),
/// then hear them from a task of its own for as long as the bus is there, handing them to the
/// driver as [`Event::Answered`]. Returns the connection to send reminders on, once subscribed:
/// call it before any reminder can be sent.
pub async fn listen(events: Sink<Event>) -> zbus::Result<zbus::Connection> {
    let bus = zbus::Connection::session().await?;
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(SERVER)?
        .member("ActionInvoked")?
        .build();
    let mut stream = zbus::MessageStream::for_match_rule(rule, &bus, Some(64)).await?;
    tokio::spawn(async move {
        while let Some(msg) = stream.next().await {
            let Ok(msg) = msg else { continue };
            let Ok((id, key)) = msg.body().deserialize::<(u32, String)>() else { continue };
            if let Some(answer) = Answer::from_action(&key)
                && !events.send(Event::Answered { id, answer })
            {
                return;
            }
        }
        tracing::warn!("the reminders' answers are no longer heard: the session bus went away");
    });
    Ok(bus)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notifier() -> Notifier {
        let (queue, _rx) = tokio::sync::mpsc::unbounded_channel::<Event>();
        Notifier::new(Sink::new(queue, |e| e), None)
    }

    #[test]
    fn an_answer_meant_for_a_replaced_suggestion_leaves_the_reminder_alone() {
        // A reminder replaced the suggestion of a session under the same id, 7.
        let mut n = notifier();
        n.shown = Some(7);
        n.kind = Shown::Reminder;
        assert_eq!(n.answered(7, Answer::NotToday), None);
        assert_eq!(n.answered(7, Answer::StartSession), None);
        assert_eq!(n.shown, Some(7), "the reminder is still on screen, still answerable");
        assert_eq!(n.answered(7, Answer::Default), Some(Answer::Start));
        assert_eq!(n.shown, None);
        // And the other way round.
        n.shown = Some(8);
        n.kind = Shown::Invitation;
        assert_eq!(n.answered(8, Answer::Snooze), None);
        assert_eq!(n.answered(8, Answer::Default), Some(Answer::StartSession));
    }

    #[test]
    fn a_length_is_said_in_whole_minutes_from_45_seconds() {
        assert_eq!(length_words(31), "31 s");
        assert_eq!(length_words(45), "about 1 min");
        assert_eq!(length_words(79), "about 1 min");
        assert_eq!(length_words(90), "about 2 min");
        assert_eq!(length_words(151), "about 3 min");
    }
}
