//! Lock, unlock, suspend and resume, from the session's D-Bus services.
//!
//! - logind on the system bus: `PrepareForSleep(true/false)` on the manager, and `Lock` /
//!   `Unlock` on this session's object.
//! - the screensaver on the session bus: `ActiveChanged` of `org.freedesktop.ScreenSaver` and
//!   `org.gnome.ScreenSaver`.
//!
//! Each source is optional; what is missing is logged once, and so is a listener that ends.
//! Where no sleep signal comes, the driver still learns how long the machine slept from the
//! boot-time clock after each wake.
//!
//! Signals on the system bus can be sent by any local user: logind's are believed only when
//! they come from the process that owns `org.freedesktop.login1` (a fake `PrepareForSleep(true)`
//! would otherwise silence reminders until the next real suspend).

use futures_util::StreamExt;
use zbus::message::Type;
use zbus::{Connection, MatchRule, MessageStream};

use crate::sink::Sink;

/// What the session and the machine say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Locked,
    Unlocked,
    /// The machine is about to sleep.
    Suspending,
    /// The machine woke from an announced sleep.
    Woke,
}

/// Start listening; returns at once. Events arrive as [`Event`]s.
pub fn watch(msgs: Sink<Event>) {
    let system = msgs.clone();
    tokio::spawn(async move {
        match logind(system).await {
            Ok(()) => tracing::warn!("logind's lock and sleep signals are no longer heard"),
            Err(e) => tracing::info!("no logind lock and sleep signals: {e}"),
        }
    });
    tokio::spawn(async move {
        match screensaver(msgs).await {
            Ok(()) => tracing::warn!("the screensaver's signals are no longer heard"),
            Err(e) => tracing::info!("no screensaver signals: {e}"),
        }
    });
}

fn rule(interface: &'static str, member: &'static str) -> zbus::Result<MatchRule<'static>> {
    Ok(MatchRule::builder().msg_type(Type::Signal).interface(interface)?.member(member)?.build())
}

async fn logind(msgs: Sink<Event>) -> zbus::Result<()> {
    let bus = Connection::system().await?;
    let sleep = MessageStream::for_match_rule(
        rule("org.freedesktop.login1.Manager", "PrepareForSleep")?,
        &bus,
        None,
    )
    .await?;
    // Lock and Unlock come from this session's object only.
    let session_path = session_path(&bus).await;
    let lock =
        MessageStream::for_match_rule(rule("org.freedesktop.login1.Session", "Lock")?, &bus, None)
            .await?;
    let unlock = MessageStream::for_match_rule(
        rule("org.freedesktop.login1.Session", "Unlock")?,
        &bus,
        None,
    )
    .await?;
    let mut all = futures_util::stream::select(sleep, futures_util::stream::select(lock, unlock));
    let mut owner = logind_owner(&bus).await;
    tracing::info!(
        "listening to logind for sleep{}",
        if session_path.is_some() { ", lock and unlock" } else { "" }
    );
    while let Some(msg) = all.next().await {
        let Ok(msg) = msg else { continue };
        let header = msg.header();
        let sender = header.sender().map(|s| s.to_string());
        if sender.is_none() || sender != owner {
            // logind may have restarted since we asked: ask once more before refusing.
            owner = logind_owner(&bus).await;
            if sender.is_none() || sender != owner {
                tracing::warn!(
                    ?sender,
                    "ignored a logind signal from a process that is not logind"
                );
                continue;
            }
        }
        let member = header.member().map(|m| m.to_string()).unwrap_or_default();
        let input = match member.as_str() {
            "PrepareForSleep" => match msg.body().deserialize::<bool>() {
                Ok(true) => Some(Event::Suspending),
                // The wake-up itself: the driver measures the sleep on the boot-time clock.
                Ok(false) => Some(Event::Woke),
                Err(_) => None,
            },
            "Lock" | "Unlock" => {
                let ours = match (&session_path, header.path()) {
                    (Some(ours), Some(path)) => ours.as_str() == path.as_str(),
                    _ => false,
                };
                ours.then(|| if member == "Lock" { Event::Locked } else { Event::Unlocked })
            }
            _ => None,
        };
        if let Some(msg) = input
            && !msgs.send(msg)
        {
            break;
        }
    }
    Ok(())
}

/// The unique bus name of the process that owns logind's name, if any.
async fn logind_owner(bus: &Connection) -> Option<String> {
    let dbus = zbus::fdo::DBusProxy::new(bus).await.ok()?;
    let name = zbus::names::BusName::try_from("org.freedesktop.login1").ok()?;
    dbus.get_name_owner(name).await.ok().map(|n| n.to_string())
}

/// This process's logind session object, if logind knows it.
async fn session_path(bus: &Connection) -> Option<zbus::zvariant::OwnedObjectPath> {
    let reply = bus
        .call_method(
            Some("org.freedesktop.login1"),
            "/org/freedesktop/login1",
            Some("org.freedesktop.login1.Manager"),
            "GetSessionByPID",
            &(std::process::id()),
        )
        .await
        .ok()?;
    reply.body().deserialize().ok()
}

async fn screensaver(msgs: Sink<Event>) -> zbus::Result<()> {
    let bus = Connection::session().await?;
    let freedesktop = MessageStream::for_match_rule(
        rule("org.freedesktop.ScreenSaver", "ActiveChanged")?,
        &bus,
        None,
    )
    .await?;
    let gnome =
        MessageStream::for_match_rule(rule("org.gnome.ScreenSaver", "ActiveChanged")?, &bus, None)
            .await?;
    let mut all = futures_util::stream::select(freedesktop, gnome);
    tracing::info!("listening to the screensaver for lock and unlock");
    while let Some(msg) = all.next().await {
        let Ok(msg) = msg else { continue };
        if let Ok(active) = msg.body().deserialize::<bool>() {
            let event = if active { Event::Locked } else { Event::Unlocked };
            if !msgs.send(event) {
                break;
            }
        }
    }
    Ok(())
}
