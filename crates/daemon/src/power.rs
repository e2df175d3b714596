//! Lock, unlock, suspend and resume, from the session's D-Bus services.
//!
//! - logind on the system bus: `PrepareForSleep(true/false)` on the manager, and `Lock` /
//!   `Unlock` on this session's object.
//! - the screensaver on the session bus: `ActiveChanged` of `org.freedesktop.ScreenSaver` and
//!   `org.gnome.ScreenSaver`.
//!
//! Each source is optional; what is missing is logged once. Where no sleep signal comes, the
//! driver still learns how long the machine slept from the boot-time clock after each wake.

use futures_util::StreamExt;
use tokio::sync::mpsc::UnboundedSender;
use unslouch_core::schedule::Input;
use zbus::message::Type;
use zbus::{Connection, MatchRule, MessageStream};

use crate::driver::Msg;

/// Start listening; returns at once. Events arrive as `Msg::Power` and `Msg::Woke`.
pub fn watch(msgs: UnboundedSender<Msg>) {
    let system = msgs.clone();
    tokio::spawn(async move {
        if let Err(e) = logind(system).await {
            tracing::info!("no logind lock and sleep signals: {e}");
        }
    });
    tokio::spawn(async move {
        if let Err(e) = screensaver(msgs).await {
            tracing::info!("no screensaver signals: {e}");
        }
    });
}

fn rule(interface: &'static str, member: &'static str) -> zbus::Result<MatchRule<'static>> {
    Ok(MatchRule::builder().msg_type(Type::Signal).interface(interface)?.member(member)?.build())
}

async fn logind(msgs: UnboundedSender<Msg>) -> zbus::Result<()> {
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
    tracing::info!(
        "listening to logind for sleep{}",
        if session_path.is_some() { ", lock and unlock" } else { "" }
    );
    while let Some(Ok(msg)) = all.next().await {
        let header = msg.header();
        let member = header.member().map(|m| m.to_string()).unwrap_or_default();
        let input = match member.as_str() {
            "PrepareForSleep" => match msg.body().deserialize::<bool>() {
                Ok(true) => Some(Msg::Power(Input::Suspending)),
                // The wake-up itself: the driver measures the sleep on the boot-time clock.
                Ok(false) => Some(Msg::Woke),
                Err(_) => None,
            },
            "Lock" | "Unlock" => {
                let ours = match (&session_path, header.path()) {
                    (Some(ours), Some(path)) => ours.as_str() == path.as_str(),
                    _ => false,
                };
                ours.then(|| {
                    Msg::Power(if member == "Lock" { Input::Locked } else { Input::Unlocked })
                })
            }
            _ => None,
        };
        if let Some(msg) = input
            && msgs.send(msg).is_err()
        {
            break;
        }
    }
    Ok(())
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

async fn screensaver(msgs: UnboundedSender<Msg>) -> zbus::Result<()> {
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
    while let Some(Ok(msg)) = all.next().await {
        if let Ok(active) = msg.body().deserialize::<bool>() {
            let input = if active { Input::Locked } else { Input::Unlocked };
            if msgs.send(Msg::Power(input)).is_err() {
                break;
            }
        }
    }
    Ok(())
}
