//! A film or a presentation on GNOME under Wayland, where no protocol tells another client's
//! fullscreen state: what plays video asks the GNOME session not to go idle (an inhibitor with
//! the idle flag), and that is taken for it. Inhibitors that are not a picture on the screen are
//! left out: audio only (a music player, a browser's "audio-playing"), and those with no idle
//! flag (a download that only keeps the machine from suspending).
//!
//! Followed through `org.gnome.SessionManager`'s `InhibitorAdded` and `InhibitorRemoved`
//! signals; the list is read again on each (no polling). Every call is bounded in time.
//!
//! It only observes: whether this holds a reminder is the core's rule (as fullscreen).

use futures_util::StreamExt;

use crate::notifier::TIMEOUT;
use crate::sink::Sink;

const SESSION: &str = "org.gnome.SessionManager";
const SESSION_PATH: &str = "/org/gnome/SessionManager";
const INHIBITOR: &str = "org.gnome.SessionManager.Inhibitor";

/// The inhibitor flag for "do not go idle" (`GSM_INHIBITOR_FLAG_IDLE`).
const IDLE: u32 = 8;

/// Apps that keep the session awake for sound only.
const AUDIO_PLAYERS: [&str; 10] = [
    "org.gnome.Rhythmbox3",
    "rhythmbox",
    "org.gnome.Music",
    "org.gnome.Lollypop",
    "spotify",
    "com.spotify.Client",
    "audacious",
    "org.strawberrymusicplayer.strawberry",
    "io.bassi.Amberol",
    "org.gnome.Podcasts",
];

/// One inhibitor as the session describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inhibitor {
    pub app_id: String,
    pub reason: String,
    pub flags: u32,
}

impl Inhibitor {
    /// Whether it stands for a picture the person watches: it inhibits idleness and is not
    /// sound only.
    pub fn is_watched(&self) -> bool {
        let reason = self.reason.to_lowercase();
        let audio_only = reason.contains("audio") && !reason.contains("video");
        let player = AUDIO_PLAYERS.iter().any(|p| self.app_id.eq_ignore_ascii_case(p));
        self.flags & IDLE != 0 && !audio_only && !player
    }
}

/// Follow the GNOME session's inhibitors on `bus`, sending whether something watched inhibits
/// idleness now and at every change, from a task of its own. Returns why it cannot.
pub async fn follow(bus: zbus::Connection, events: Sink<bool>) -> Result<(), String> {
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(SESSION)
        .and_then(|b| b.path(SESSION_PATH))
        .map(|b| b.build())
        .map_err(|e| e.to_string())?;
    let mut stream = zbus::MessageStream::for_match_rule(rule, &bus, Some(16))
        .await
        .map_err(|e| e.to_string())?;
    let mut last = watching(&bus).await?;
    events.send(last);
    tokio::spawn(async move {
        while let Some(Ok(msg)) = stream.next().await {
            let member = msg.header().member().map(|m| m.as_str().to_owned());
            if !matches!(member.as_deref(), Some("InhibitorAdded" | "InhibitorRemoved")) {
                continue;
            }
            let now = match watching(&bus).await {
                Ok(now) => now,
                Err(e) => {
                    tracing::warn!("cannot read the session's inhibitors: {e}");
                    continue;
                }
            };
            if now != last {
                last = now;
                if !events.send(now) {
                    break;
                }
            }
        }
    });
    Ok(())
}

/// Whether one of the session's inhibitors now is something watched.
async fn watching(bus: &zbus::Connection) -> Result<bool, String> {
    let reply = call(bus, SESSION_PATH, SESSION, "GetInhibitors").await?;
    let paths: Vec<zbus::zvariant::OwnedObjectPath> =
        reply.body().deserialize().map_err(|e| e.to_string())?;
    for path in paths {
        // One that went between the list and the question is no longer there.
        let Ok(inhibitor) = describe(bus, path.as_str()).await else { continue };
        if inhibitor.is_watched() {
            tracing::debug!(?inhibitor, "watched: held as fullscreen");
            return Ok(true);
        }
    }
    Ok(false)
}

async fn describe(bus: &zbus::Connection, path: &str) -> Result<Inhibitor, String> {
    let text = |m: zbus::Message| m.body().deserialize::<String>().map_err(|e| e.to_string());
    let app_id = text(call(bus, path, INHIBITOR, "GetAppId").await?)?;
    let reason = text(call(bus, path, INHIBITOR, "GetReason").await?)?;
    let flags = call(bus, path, INHIBITOR, "GetFlags").await?;
    let flags = flags.body().deserialize::<u32>().map_err(|e| e.to_string())?;
    Ok(Inhibitor { app_id, reason, flags })
}

async fn call(
    bus: &zbus::Connection,
    path: &str,
    interface: &str,
    method: &str,
) -> Result<zbus::Message, String> {
    let call = bus.call_method(Some(SESSION), path, Some(interface), method, &());
    match tokio::time::timeout(TIMEOUT, call).await {
        Ok(Ok(reply)) => Ok(reply),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("{SESSION} did not answer in {TIMEOUT:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inhibitor(app_id: &str, reason: &str, flags: u32) -> Inhibitor {
        Inhibitor { app_id: app_id.into(), reason: reason.into(), flags }
    }

    #[test]
    fn a_video_that_keeps_the_session_awake_is_watched_and_sound_alone_is_not() {
        assert!(inhibitor("firefox", "video-playing", 8).is_watched());
        assert!(inhibitor("org.gnome.Totem", "Playing a video", 12).is_watched());
        assert!(inhibitor("libreoffice-impress", "Presentation", 8).is_watched());
        assert!(!inhibitor("firefox", "audio-playing", 8).is_watched(), "a browser's sound");
        assert!(!inhibitor("org.gnome.Rhythmbox3", "Playing", 8).is_watched(), "a music player");
        assert!(!inhibitor("org.gnome.Nautilus", "Copying files", 4).is_watched(), "no idle flag");
    }
}
