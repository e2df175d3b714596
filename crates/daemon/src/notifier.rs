//! Reminders as desktop notifications (`notify-rust`, the freedesktop protocol over D-Bus).
//!
//! App name `Unslouch`; the summary starts with "Posture break"; the body names the routine's
//! moves and its length. Actions: `default` (a click on the body) and `start` start the break,
//! `snooze` snoozes (offered only while allowed), `skip` skips. A repeated reminder replaces the
//! one shown before instead of stacking, and a reminder is withdrawn when its break starts or is
//! skipped from elsewhere. The answer goes back to the driver as a [`Msg`].

use notify_rust::{Hint, Notification, NotificationHandle, Timeout};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;
use unslouch_core::routines::Catalog;
use unslouch_core::schedule::Reminder;

use crate::driver::Msg;

/// What the person did with the reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Start,
    Snooze,
    Skip,
}

impl Answer {
    fn from_action(action: &str) -> Option<Answer> {
        match action {
            "default" | "start" => Some(Answer::Start),
            "snooze" => Some(Answer::Snooze),
            "skip" => Some(Answer::Skip),
            _ => None,
        }
    }
}

/// The reminder on screen.
#[derive(Debug)]
struct Shown {
    handle: std::sync::Arc<NotificationHandle>,
    waiter: JoinHandle<()>,
}

/// Shows and withdraws the reminder.
#[derive(Debug)]
pub struct Notifier {
    msgs: UnboundedSender<Msg>,
    shown: Option<Shown>,
}

/// The summary and body of a reminder.
pub fn text(reminder: &Reminder, snooze_minutes: u32) -> (String, String) {
    let catalog = Catalog::builtin();
    let names: Vec<String> = reminder
        .routine
        .steps
        .iter()
        .map(|s| {
            catalog.get(&s.move_id).map_or_else(|| s.move_id.clone(), |m| m.name.to_lowercase())
        })
        .collect();
    let seconds = reminder.routine.total_seconds();
    let length = if seconds.is_multiple_of(60) && seconds > 0 {
        format!("{} min", seconds / 60)
    } else {
        format!("{seconds} s")
    };
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

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl Notifier {
    pub fn new(msgs: UnboundedSender<Msg>) -> Notifier {
        Notifier { msgs, shown: None }
    }

    /// Show the reminder, replacing the one on screen. An error means no notification server
    /// answered: the caller opens the prompt window instead.
    pub async fn show(
        &mut self,
        reminder: &Reminder,
        snooze_minutes: u32,
        sound: bool,
    ) -> Result<(), String> {
        let (summary, body) = text(reminder, snooze_minutes);
        let mut n = Notification::new();
        n.appname("Unslouch")
            .summary(&summary)
            .body(&body)
            .icon("unslouch")
            .hint(Hint::DesktopEntry("unslouch".into()))
            .hint(Hint::Category("x-unslouch.reminder".into()))
            .hint(Hint::Resident(true))
            .timeout(Timeout::Never)
            .action("default", "Start the break")
            .action("start", "Start");
        if reminder.can_snooze {
            n.action("snooze", &format!("Snooze {snooze_minutes} min"));
        }
        n.action("skip", "Skip");
        if sound {
            n.hint(Hint::SoundName("message-new-instant".into()));
        } else {
            n.hint(Hint::SuppressSound(true));
        }
        if let Some(shown) = &self.shown {
            n.id(shown.handle.id());
        }
        let handle = n.show_async().await.map_err(|e| e.to_string())?;
        let handle = std::sync::Arc::new(handle);
        if let Some(old) = self.shown.take() {
            old.waiter.abort();
        }
        let msgs = self.msgs.clone();
        let waiting = handle.clone();
        let id = handle.id();
        let waiter = tokio::spawn(async move {
            let mut answer = None;
            waiting
                .wait_for_action_async(|response| {
                    if let notify_rust::NotificationResponse::Action(a) = response {
                        answer = Answer::from_action(a);
                    } else if let notify_rust::NotificationResponse::Default = response {
                        answer = Some(Answer::Start);
                    }
                })
                .await;
            if let Some(answer) = answer {
                let _ = msgs.send(Msg::Answer { id, answer });
            }
        });
        self.shown = Some(Shown { handle, waiter });
        Ok(())
    }

    /// The id of the reminder on screen.
    pub fn shown_id(&self) -> Option<u32> {
        self.shown.as_ref().map(|s| s.handle.id())
    }

    /// Take the reminder away, if one is shown.
    pub async fn withdraw(&mut self) {
        if let Some(shown) = self.shown.take() {
            shown.waiter.abort();
            shown.handle.close_async().await;
        }
    }

    /// Forget the reminder without closing it (the person answered it, so the server closed it).
    pub fn forget(&mut self) {
        if let Some(shown) = self.shown.take() {
            shown.waiter.abort();
        }
    }
}
