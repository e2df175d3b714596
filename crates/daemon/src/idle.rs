//! How long since the last keyboard or mouse input, from whichever source this desktop has.
//!
//! Chosen at start-up: GNOME's Mutter IdleMonitor over D-Bus (which also works on GNOME
//! Wayland), then, on other Wayland compositors, `ext-idle-notify-v1` (event-driven, see
//! `wayland_idle.rs`), then X11's XScreenSaver extension (pure Rust through `x11rb`). When none works the
//! daemon says so (tray, status, window) and desk time falls back to wall-clock time: the person
//! is never silently taken as always active.
//!
//! Nothing here can hang the driver: a reading is bounded by [`READ_TIMEOUT`] (the X11 reply,
//! which blocks, is taken on a thread of its own), and a source that fails, or answers nonsense,
//! is dropped; the driver tries to find one again later, with back-off.

use std::sync::Arc;
use std::time::Duration;

use x11rb::connection::Connection;
use x11rb::protocol::screensaver::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;

/// A source of idle readings.
#[derive(Debug)]
pub enum IdleSource {
    X11 {
        conn: Arc<RustConnection>,
        root: u32,
    },
    Mutter {
        bus: zbus::Connection,
    },
    /// A Wayland compositor with `ext-idle-notify-v1` or `org_kde_kwin_idle`.
    Wayland(crate::wayland_idle::WaylandIdle),
    /// Readings a test hands out: the last input's time, or no answer at all.
    #[cfg(test)]
    Scripted(Arc<std::sync::Mutex<Script>>),
    /// No source works; the reason, for the person.
    Unavailable(String),
}

impl IdleSource {
    /// Find a working source.
    pub async fn detect() -> IdleSource {
        // The driver's tests script their source; the desktop they run on must not take over.
        if cfg!(test) {
            return IdleSource::Unavailable("not looked for in tests".into());
        }
        let mut reasons = Vec::new();
        let on_wayland = std::env::var_os("WAYLAND_DISPLAY").is_some();
        match bounded(mutter()).await {
            Ok(source) => return source,
            Err(e) => reasons.push(e),
        }
        if on_wayland {
            let connect = || crate::wayland_idle::WaylandIdle::connect(WAYLAND_NOTIFY_AFTER);
            match blocking(connect).await {
                Ok(watch) => return IdleSource::Wayland(watch),
                Err(e) => reasons.push(e),
            }
        }
        if std::env::var_os("DISPLAY").is_some() {
            match blocking(x11).await {
                // Under Wayland, X11 only sees input to X11 windows: not a source to trust.
                Ok(source) if !on_wayland => return source,
                Ok(_) => reasons.push("X11 under Wayland sees only X11 windows".into()),
                Err(e) => reasons.push(e),
            }
        } else {
            reasons.push("no X display".into());
        }
        IdleSource::Unavailable(reasons.join("; "))
    }

    /// The name shown in logs and status.
    pub fn name(&self) -> &'static str {
        match self {
            IdleSource::X11 { .. } => "X11 screensaver extension",
            IdleSource::Mutter { .. } => "GNOME Mutter idle monitor",
            IdleSource::Wayland(watch) => watch.protocol().name(),
            #[cfg(test)]
            IdleSource::Scripted(_) => "scripted",
            IdleSource::Unavailable(_) => "none",
        }
    }

    /// Whether its readings see pauses of a few seconds (and so tell typing). Wayland's
    /// `ext-idle-notify-v1` only tells idle spells as long as the timeout asked for.
    pub fn sees_pauses(&self) -> bool {
        match self {
            IdleSource::X11 { .. } | IdleSource::Mutter { .. } => true,
            // The scripted person types without a pause all day; typing is tested on a real
            // X server (the end-to-end tests) and in the core's timelines.
            #[cfg(test)]
            IdleSource::Scripted(_) => false,
            IdleSource::Wayland(_) | IdleSource::Unavailable(_) => false,
        }
    }

    pub fn is_available(&self) -> bool {
        !matches!(self, IdleSource::Unavailable(_))
    }

    /// Time since the last input, or `None` when the source failed (it is then dropped).
    pub async fn read(&mut self) -> Option<Duration> {
        let reading = match self {
            IdleSource::X11 { conn, root } => {
                let (conn, root) = (conn.clone(), *root);
                blocking(move || x11_idle(&conn, root)).await
            }
            IdleSource::Mutter { bus } => bounded(mutter_idle(bus)).await,
            IdleSource::Wayland(watch) => watch.idle(),
            #[cfg(test)]
            IdleSource::Scripted(script) => {
                let (last_input, hang) = {
                    let mut s = script.lock().expect("script");
                    s.reads.push(tokio::time::Instant::now());
                    (s.last_input, s.hang)
                };
                if hang {
                    bounded(std::future::pending()).await
                } else {
                    let now = tokio::time::Instant::now();
                    Ok(last_input.map_or(Duration::ZERO, |at| now.saturating_duration_since(at)))
                }
            }
            IdleSource::Unavailable(_) => return None,
        };
        match reading {
            Ok(d) => Some(d),
            Err(e) => {
                tracing::warn!("idle detection stopped working ({}): {e}", self.name());
                *self = IdleSource::Unavailable(e);
                None
            }
        }
    }
}

/// What a scripted source answers, and when it was asked.
#[cfg(test)]
#[derive(Debug)]
pub struct Script {
    /// The last input; `None`: the person types all the time.
    pub last_input: Option<tokio::time::Instant>,
    /// Never answer (a hung service).
    pub hang: bool,
    pub reads: Vec<tokio::time::Instant>,
}

/// How long a source has to answer.
pub const READ_TIMEOUT: Duration = Duration::from_millis(500);

/// After how long without input the Wayland compositor tells us: the shortest natural-break
/// threshold a person can set (a shorter idle spell is desk time anyway).
const WAYLAND_NOTIFY_AFTER: Duration = Duration::from_secs(60);

/// Wait at most [`READ_TIMEOUT`] for `work`.
async fn bounded<T>(work: impl Future<Output = Result<T, String>>) -> Result<T, String> {
    tokio::time::timeout(READ_TIMEOUT, work)
        .await
        .unwrap_or_else(|_| Err(format!("no answer in {READ_TIMEOUT:?}")))
}

/// Run blocking `work` on a thread of its own and wait at most [`READ_TIMEOUT`] for it (a stuck
/// X server leaves a thread waiting, not the driver).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    bounded(async { tokio::task::spawn_blocking(work).await.map_err(|e| e.to_string())? }).await
}

fn x11() -> Result<IdleSource, String> {
    let (conn, screen) =
        x11rb::connect(None).map_err(|e| format!("cannot open the X display: {e}"))?;
    let root = conn.setup().roots.get(screen).ok_or("the X display has no screen")?.root;
    x11_idle(&conn, root)?;
    Ok(IdleSource::X11 { conn: Arc::new(conn), root })
}

fn x11_idle(conn: &RustConnection, root: u32) -> Result<Duration, String> {
    let info = conn
        .screensaver_query_info(root)
        .map_err(|e| e.to_string())?
        .reply()
        .map_err(|e| format!("the X server has no screensaver extension: {e}"))?;
    Ok(Duration::from_millis(info.ms_since_user_input.into()))
}

const MUTTER: &str = "org.gnome.Mutter.IdleMonitor";
const MUTTER_PATH: &str = "/org/gnome/Mutter/IdleMonitor/Core";

async fn mutter() -> Result<IdleSource, String> {
    let bus = zbus::Connection::session().await.map_err(|e| format!("no session bus: {e}"))?;
    mutter_idle(&bus).await.map_err(|_| "no GNOME idle monitor on the session bus".to_string())?;
    Ok(IdleSource::Mutter { bus })
}

async fn mutter_idle(bus: &zbus::Connection) -> Result<Duration, String> {
    let reply = bus
        .call_method(Some(MUTTER), MUTTER_PATH, Some(MUTTER), "GetIdletime", &())
        .await
        .map_err(|e| e.to_string())?;
    let ms: u64 = reply.body().deserialize().map_err(|e| e.to_string())?;
    Ok(Duration::from_millis(ms))
}
