//! Do Not Disturb, as the desktop says it: read once, then followed by its signals (no polling).
//!
//! Which desktop is asked the notification server's name (`GetServerInformation`):
//! - dunst: `org.dunstproject.cmd0` `paused`, on the notification server's own object, with
//!   `PropertiesChanged` (dunst 1.6 and later emit it when the pause is set);
//! - KDE Plasma: `org.freedesktop.Notifications` `Inhibited`, with `PropertiesChanged` (Plasma
//!   sets it for its Do Not Disturb, and while the screen is shared or mirrored);
//! - XFCE: xfconf's `xfce4-notifyd` `/do-not-disturb`, with `PropertyChanged` and
//!   `PropertyRemoved` (a property never set is off);
//! - GNOME (`gnome-shell`): `org.gnome.desktop.notifications` `show-banners` off. No D-Bus
//!   service exposes it (the settings portal leaves that schema out): it is read with
//!   `gsettings get` (a short process, which takes dconf's profiles, locks and the schema's
//!   default as GNOME does) at start and each time dconf's writer says the key, or a folder
//!   above it, changed (`ca.desrt.dconf.Writer` `Notify`);
//! - anything else: not known, said once in the log, never guessed.
//!
//! It only observes: whether Do Not Disturb holds a reminder is the core's rule.

use futures_util::StreamExt;
use zbus::zvariant::OwnedValue;

use crate::notifier::TIMEOUT;
use crate::sink::Sink;

const SERVER: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
const PROPERTIES: &str = "org.freedesktop.DBus.Properties";
const DUNST: &str = "org.dunstproject.cmd0";
const XFCONF: &str = "org.xfce.Xfconf";
const XFCONF_PATH: &str = "/org/xfce/Xfconf";
const XFCE_CHANNEL: &str = "xfce4-notifyd";
const XFCE_PROPERTY: &str = "/do-not-disturb";
const DCONF_WRITER: &str = "ca.desrt.dconf.Writer";
const DCONF_USER: &str = "/ca/desrt/dconf/Writer/user";
const BANNERS_KEY: &str = "/org/gnome/desktop/notifications/show-banners";

/// Where Do Not Disturb is read on this desktop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Dunst,
    Plasma,
    Xfce,
    Gnome,
}

impl Source {
    /// The source for a notification server of this name (`GetServerInformation`'s first field).
    pub fn for_server(name: &str) -> Option<Source> {
        match name {
            "dunst" => Some(Source::Dunst),
            "Plasma" => Some(Source::Plasma),
            "Xfce Notify Daemon" => Some(Source::Xfce),
            "gnome-shell" => Some(Source::Gnome),
            _ => None,
        }
    }
}

/// Find how this desktop says Do Not Disturb, send its state now, and follow it from a task of
/// its own, sending `true` when it turns on and `false` when off. Returns the source followed,
/// or why there is none (every call bounded by [`TIMEOUT`]).
pub async fn follow(bus: zbus::Connection, events: Sink<bool>) -> Result<Source, String> {
    let info = call(&bus, SERVER, PATH, SERVER, "GetServerInformation", &()).await?;
    let (name, ..): (String, String, String, String) =
        info.body().deserialize().map_err(|e| e.to_string())?;
    let source = Source::for_server(&name)
        .ok_or_else(|| format!("the notification server `{name}` has no Do Not Disturb we know"))?;
    // Subscribed before the first read: a change in between is not lost.
    let rule = match source {
        Source::Dunst | Source::Plasma => zbus::MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .interface(PROPERTIES)
            .and_then(|b| b.member("PropertiesChanged"))
            .and_then(|b| b.path(PATH))
            .map(|b| b.build()),
        Source::Xfce => zbus::MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .interface(XFCONF)
            .and_then(|b| b.path(XFCONF_PATH))
            .map(|b| b.build()),
        // (The changed key's prefix is a string, not a path: checked here, not by the bus.)
        Source::Gnome => zbus::MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .interface(DCONF_WRITER)
            .and_then(|b| b.member("Notify"))
            .and_then(|b| b.path(DCONF_USER))
            .map(|b| b.build()),
    }
    .map_err(|e| e.to_string())?;
    let mut stream = zbus::MessageStream::for_match_rule(rule, &bus, Some(16))
        .await
        .map_err(|e| e.to_string())?;
    let now = read(&bus, source).await?;
    events.send(now);
    tokio::spawn(async move {
        let mut last = now;
        while let Some(Ok(msg)) = stream.next().await {
            let on = match source {
                Source::Gnome if touches_banners(&msg) => match gnome_dnd().await {
                    Ok(on) => on,
                    Err(e) => {
                        tracing::warn!("cannot read GNOME's Do Not Disturb: {e}");
                        continue;
                    }
                },
                _ => match changed(source, &msg) {
                    Some(on) => on,
                    None => continue,
                },
            };
            if on != last {
                last = on;
                if !events.send(on) {
                    break;
                }
            }
        }
    });
    Ok(source)
}

/// Do Not Disturb now.
async fn read(bus: &zbus::Connection, source: Source) -> Result<bool, String> {
    match source {
        Source::Dunst | Source::Plasma => {
            let (interface, property) = match source {
                Source::Dunst => (DUNST, "paused"),
                _ => (SERVER, "Inhibited"),
            };
            let reply = call(bus, SERVER, PATH, PROPERTIES, "Get", &(interface, property)).await?;
            let value: OwnedValue = reply.body().deserialize().map_err(|e| e.to_string())?;
            bool::try_from(value).map_err(|e| e.to_string())
        }
        Source::Gnome => gnome_dnd().await,
        Source::Xfce => {
            let args = (XFCE_CHANNEL, XFCE_PROPERTY);
            match call(bus, XFCONF, XFCONF_PATH, XFCONF, "GetProperty", &args).await {
                Ok(reply) => {
                    let value: OwnedValue =
                        reply.body().deserialize().map_err(|e| e.to_string())?;
                    Ok(as_bool(value).unwrap_or(false))
                }
                // Never set: off, as xfce4-notifyd takes it.
                Err(_) => Ok(false),
            }
        }
    }
}

/// GNOME's Do Not Disturb: banners switched off, as `gsettings get` reads it (the person's
/// value, or a system one, or the schema's default, as GNOME itself takes them). A process
/// for each change of the key, not a reader of dconf's files of our own.
async fn gnome_dnd() -> Result<bool, String> {
    let read = tokio::process::Command::new("gsettings")
        .args(["get", "org.gnome.desktop.notifications", "show-banners"])
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = match tokio::time::timeout(TIMEOUT, read).await {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => return Err(format!("gsettings: {e}")),
        Err(_) => return Err(format!("gsettings did not answer in {TIMEOUT:?}")),
    };
    match String::from_utf8_lossy(&out.stdout).trim() {
        "true" => Ok(false),
        "false" => Ok(true),
        _ => Err(format!("gsettings: {}", String::from_utf8_lossy(&out.stderr).trim())),
    }
}

/// Whether a dconf `Notify(prefix, changes, tag)` may have changed the banners key: the key
/// itself, or a folder above it (with the changes under it).
fn touches_banners(msg: &zbus::Message) -> bool {
    let Ok((prefix, changes, _)) = msg.body().deserialize::<(String, Vec<String>, String)>() else {
        return false;
    };
    if prefix == BANNERS_KEY {
        return true;
    }
    let Some(rest) = BANNERS_KEY.strip_prefix(prefix.as_str()) else { return false };
    prefix.ends_with('/')
        && changes.iter().any(|c| {
            c.is_empty() || c == rest || (c.ends_with('/') && rest.starts_with(c.as_str()))
        })
}

/// What a signal says of Do Not Disturb, if it says anything.
fn changed(source: Source, msg: &zbus::Message) -> Option<bool> {
    let header = msg.header();
    let member = header.member()?.as_str().to_owned();
    match source {
        Source::Dunst | Source::Plasma => {
            type Changed = (String, std::collections::HashMap<String, OwnedValue>, Vec<String>);
            let (interface, values, _): Changed = msg.body().deserialize().ok()?;
            let (want, property) = match source {
                Source::Dunst => (DUNST, "paused"),
                _ => (SERVER, "Inhibited"),
            };
            if interface != want {
                return None;
            }
            values.get(property).and_then(|v| v.try_clone().ok()).and_then(as_bool)
        }
        Source::Gnome => None,
        Source::Xfce => match member.as_str() {
            "PropertyChanged" => {
                let (channel, property, value): (String, String, OwnedValue) =
                    msg.body().deserialize().ok()?;
                (channel == XFCE_CHANNEL && property == XFCE_PROPERTY).then_some(())?;
                as_bool(value)
            }
            "PropertyRemoved" => {
                let (channel, property): (String, String) = msg.body().deserialize().ok()?;
                (channel == XFCE_CHANNEL && property == XFCE_PROPERTY).then_some(false)
            }
            _ => None,
        },
    }
}

/// A boolean, unwrapped from as many variants as it came in.
fn as_bool(value: OwnedValue) -> Option<bool> {
    let mut value: zbus::zvariant::Value<'static> = value.into();
    loop {
        match value {
            zbus::zvariant::Value::Bool(b) => return Some(b),
            zbus::zvariant::Value::Value(inner) => value = *inner,
            _ => return None,
        }
    }
}

async fn call<B>(
    bus: &zbus::Connection,
    destination: &str,
    path: &str,
    interface: &str,
    method: &str,
    body: &B,
) -> Result<zbus::Message, String>
where
    B: zbus::export::serde::Serialize + zbus::zvariant::DynamicType,
{
    let call = bus.call_method(Some(destination), path, Some(interface), method, body);
    match tokio::time::timeout(TIMEOUT, call).await {
        Ok(Ok(reply)) => Ok(reply),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("{destination} did not answer in {TIMEOUT:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_names_say_where_to_look() {
        assert_eq!(Source::for_server("dunst"), Some(Source::Dunst));
        assert_eq!(Source::for_server("Plasma"), Some(Source::Plasma));
        assert_eq!(Source::for_server("Xfce Notify Daemon"), Some(Source::Xfce));
        assert_eq!(Source::for_server("gnome-shell"), Some(Source::Gnome));
        assert_eq!(Source::for_server("notify-osd"), None);
    }

    #[test]
    fn a_dconf_change_touches_the_banners_key_only_when_it_names_it_or_a_folder_above_it() {
        let notify = |prefix: &str, changes: &[&str]| {
            let changes: Vec<String> = changes.iter().map(|c| c.to_string()).collect();
            zbus::Message::signal(DCONF_USER, DCONF_WRITER, "Notify")
                .unwrap()
                .build(&(prefix, changes, ":1.2:user:0"))
                .unwrap()
        };
        let dir = "/org/gnome/desktop/notifications/";
        assert!(touches_banners(&notify(BANNERS_KEY, &[""])), "the key itself");
        assert!(touches_banners(&notify(dir, &["show-banners", "show-in-lock-screen"])));
        assert!(touches_banners(&notify(dir, &[""])), "the folder reset");
        assert!(touches_banners(&notify("/org/gnome/desktop/", &["notifications/"])));
        assert!(!touches_banners(&notify(dir, &["show"])), "a key named like its start");
        assert!(!touches_banners(&notify(dir, &["application-children"])));
        assert!(!touches_banners(&notify("/org/gnome/desktop/interface/", &[""])));
        assert!(!touches_banners(&notify("/org/gnome/desktop/notifications", &[""])));
    }

    #[test]
    fn a_boolean_comes_out_of_nested_variants() {
        let nested = zbus::zvariant::Value::Value(Box::new(zbus::zvariant::Value::Bool(true)));
        assert_eq!(as_bool(OwnedValue::try_from(nested).unwrap()), Some(true));
        assert_eq!(as_bool(OwnedValue::from(false)), Some(false));
        assert_eq!(as_bool(OwnedValue::from(3u32)), None);
    }
}
