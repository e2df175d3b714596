//! How long since the last keyboard or mouse input, from whichever source this desktop has.
//!
//! Chosen at start-up: GNOME's Mutter IdleMonitor over D-Bus (which also works on GNOME
//! Wayland), then, on other Wayland compositors, `ext-idle-notify-v1` (event-driven, see
//! `wayland_idle.rs`), then X11's XScreenSaver extension (pure Rust through `x11rb`). When none works the
//! daemon says so (tray, status, window) and desk time falls back to wall-clock time: the person
//! is never silently taken as always active.
//!
//! While the person is away (idle past the threshold), a source that can keeps a watch on their
//! return and tells the first input as it comes: an XSync alarm on the X server's `IDLETIME`
//! counter, GNOME's `AddUserActiveWatch`, or the compositor's `resumed`. The return is then dated by that input, not by the
//! reading before it, and the daemon sleeps through the absence instead of reading every few
//! seconds.
//!
//! Nothing here can hang the driver: a reading is bounded by [`READ_TIMEOUT`] (the X11 reply,
//! which blocks, is taken on a thread of its own), and a source that fails, or answers nonsense,
//! is dropped; the driver tries to find one again later, with back-off.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use x11rb::connection::{Connection, RequestConnection as _};
use x11rb::protocol::Event;
use x11rb::protocol::screensaver::ConnectionExt as _;
use x11rb::protocol::sync::{self, ConnectionExt as _};
use x11rb::rust_connection::RustConnection;

/// A source of idle readings.
#[derive(Debug)]
pub enum IdleSource {
    X11 {
        conn: Arc<RustConnection>,
        root: u32,
        /// The watch on the return, where the server has the SYNC extension's `IDLETIME`.
        returns: Option<XReturns>,
    },
    Mutter {
        bus: zbus::Connection,
        /// The watch on the return (`AddUserActiveWatch`).
        returns: MutterReturns,
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
            IdleSource::X11 { conn, root, .. } => {
                let (conn, root) = (conn.clone(), *root);
                blocking(move || x11_idle(&conn, root)).await
            }
            IdleSource::Mutter { bus, .. } => bounded(mutter_idle(bus)).await,
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

impl IdleSource {
    /// Start watching for the next input, which ends the watch; whether this source can. Only
    /// while the person is away: a watch fires on any input. A watch that cannot be set is not
    /// tried again with this source (readings every few seconds instead).
    pub async fn watch_return(&mut self) -> bool {
        let armed = match self {
            IdleSource::X11 { conn, returns: Some(returns), .. } if !returns.broken => {
                returns.arm(conn).await
            }
            IdleSource::Mutter { bus, returns } if !returns.broken => {
                bounded(returns.arm(bus)).await
            }
            IdleSource::Wayland(watch) if !watch.given_up() => watch.watch_return(),
            #[cfg(test)]
            IdleSource::Scripted(script) => {
                let mut script = script.lock().expect("script");
                if std::mem::take(&mut script.input_on_arm) {
                    script.last_input = Some(tokio::time::Instant::now());
                }
                script.watching = script.watchable;
                script.watches += usize::from(script.watchable);
                return script.watchable;
            }
            _ => return false,
        };
        match armed {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!("cannot watch for the return ({e}); reading instead");
                self.give_up_watching();
                false
            }
        }
    }

    /// Stop watching (the person came back another way: unlocked, woke the machine).
    pub async fn unwatch_return(&mut self) {
        match self {
            IdleSource::X11 { conn, returns: Some(returns), .. } => returns.disarm(conn),
            IdleSource::Mutter { bus, returns } => {
                if let Some(id) = returns.watch.take() {
                    let remove = async {
                        bus.call_method(Some(MUTTER), MUTTER_PATH, Some(MUTTER), "RemoveWatch", &id)
                            .await
                            .map(drop)
                            .map_err(|e| e.to_string())
                    };
                    if let Err(e) = bounded(remove).await {
                        tracing::debug!("the return's watch was not removed: {e}");
                    }
                }
            }
            IdleSource::Wayland(watch) => watch.unwatch_return(),
            #[cfg(test)]
            IdleSource::Scripted(script) => script.lock().expect("script").watching = false,
            _ => {}
        }
    }

    /// Watch no more with this source (it failed, or missed a return): readings every few
    /// seconds find the return instead. Nothing awaited, so that it is never left half done.
    /// (A GNOME watch is not removed: the monitor forgot it or cannot be reached.)
    pub fn give_up_watching(&mut self) {
        match self {
            IdleSource::X11 { conn, returns: Some(returns), .. } => {
                returns.disarm(conn);
                returns.broken = true;
            }
            IdleSource::Mutter { returns, .. } => {
                returns.watch = None;
                returns.broken = true;
            }
            IdleSource::Wayland(watch) => watch.give_up(),
            #[cfg(test)]
            IdleSource::Scripted(script) => {
                let mut script = script.lock().expect("script");
                script.watching = false;
                script.watchable = false;
            }
            _ => {}
        }
    }

    /// The watched-for input came: `Ok`. `Err` when the watch stopped working (this source
    /// is then watched no more). Never resolves while nothing is watched. Cancel-safe.
    pub async fn returned(&mut self) -> Result<(), String> {
        let outcome = match self {
            IdleSource::X11 { conn, returns: Some(r), .. } if r.alarm.is_some() => {
                r.fired(conn).await
            }
            IdleSource::Mutter { returns, .. } if returns.watch.is_some() => returns.fired().await,
            IdleSource::Wayland(watch) => watch.returned().await,
            #[cfg(test)]
            IdleSource::Scripted(script) => {
                let fire = script.lock().expect("script").fire.clone();
                loop {
                    fire.notified().await;
                    let mut script = script.lock().expect("script");
                    if let Some(outcome) = script.outcome.take() {
                        script.watching = false;
                        break outcome;
                    }
                }
            }
            _ => std::future::pending().await,
        };
        if outcome.is_err() {
            self.give_up_watching();
        }
        outcome
    }
}

/// The X server telling of the first input after an absence: an alarm on its `IDLETIME`
/// counter (milliseconds since the last input) that fires when the counter falls back below
/// 1 ms, that is at the next input. Its events are read on a thread of its own, blocked on the
/// socket between them; the socket is shut when the source goes, which ends the thread.
#[derive(Debug)]
pub struct XReturns {
    conn: Arc<RustConnection>,
    idletime: sync::Counter,
    /// The alarm set, until it fires or is taken down.
    alarm: Option<sync::Alarm>,
    /// The alarms that fired, from the event thread (a few at most: the rest are dropped, and
    /// only the one set counts); an error when it stopped.
    fired: mpsc::Receiver<Result<sync::Alarm, String>>,
    /// An alarm could not be set, or its events stopped: not tried again.
    broken: bool,
}

impl XReturns {
    /// Find `IDLETIME` on `conn` and start reading its events.
    fn start(conn: &Arc<RustConnection>) -> Result<XReturns, String> {
        if conn.extension_information(sync::X11_EXTENSION_NAME).ok().flatten().is_none() {
            return Err("the X server has no SYNC extension".into());
        }
        conn.sync_initialize(3, 1)
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| e.to_string())?;
        let counters = conn
            .sync_list_system_counters()
            .map_err(|e| e.to_string())?
            .reply()
            .map_err(|e| e.to_string())?;
        let idletime = counters
            .counters
            .iter()
            .find(|c| c.name == b"IDLETIME")
            .ok_or("the X server has no IDLETIME counter")?
            .counter;
        let (tx, fired) = mpsc::channel(8);
        let events = conn.clone();
        std::thread::Builder::new()
            .name("x11-idle-events".into())
            .spawn(move || {
                let end = loop {
                    match events.wait_for_event() {
                        Ok(Event::SyncAlarmNotify(e)) => {
                            if let Err(mpsc::error::TrySendError::Closed(_)) =
                                tx.try_send(Ok(e.alarm))
                            {
                                return;
                            }
                        }
                        Ok(_) => {}
                        Err(e) => break format!("the X connection failed: {e}"),
                    }
                };
                let _ = tx.try_send(Err(end));
            })
            .map_err(|e| format!("cannot start the X event thread: {e}"))?;
        Ok(XReturns { conn: conn.clone(), idletime, alarm: None, fired, broken: false })
    }

    /// Set an alarm for the next input. Events of alarms taken down before are dropped first.
    async fn arm(&mut self, conn: &Arc<RustConnection>) -> Result<(), String> {
        loop {
            match self.fired.try_recv() {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => return Err(e),
                Err(mpsc::error::TryRecvError::Empty) => break,
                Err(mpsc::error::TryRecvError::Disconnected) => {
                    return Err("the X event thread ended".into());
                }
            }
        }
        let alarm = conn.generate_id().map_err(|e| e.to_string())?;
        let (c, counter) = (conn.clone(), self.idletime);
        match blocking(move || x11_alarm(&c, counter, alarm)).await {
            Ok(()) => {
                self.alarm = Some(alarm);
                Ok(())
            }
            Err(e) => {
                // Late, it may still be set: take it down.
                destroy_alarm(conn, alarm);
                Err(e)
            }
        }
    }

    /// Wait for the alarm set to fire; it is then taken down.
    async fn fired(&mut self, conn: &Arc<RustConnection>) -> Result<(), String> {
        loop {
            match self.fired.recv().await {
                Some(Ok(alarm)) if Some(alarm) == self.alarm => {
                    self.disarm(conn);
                    return Ok(());
                }
                // One taken down before its event came.
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e),
                None => return Err("the X event thread ended".into()),
            }
        }
    }

    /// Take the alarm down, if one is set (it would fire at every input until then). No answer
    /// is awaited, and the request is written on a thread of the blocking pool, not here: an
    /// event it still sends is told apart by its id.
    fn disarm(&mut self, conn: &Arc<RustConnection>) {
        if let Some(alarm) = self.alarm.take() {
            destroy_alarm(conn, alarm);
        }
    }
}

impl Drop for XReturns {
    fn drop(&mut self) {
        // Wakes the event thread with an error, so it ends and lets the connection go.
        let _ = rustix::net::shutdown(self.conn.stream(), rustix::net::Shutdown::Both);
    }
}

/// GNOME's idle monitor telling of the first input after an absence: a user-active watch,
/// which fires once (`WatchFired` with its id) and is then gone.
#[derive(Debug, Default)]
pub struct MutterReturns {
    /// `WatchFired` signals, from the first watch on (boxed: a stream is large, and most
    /// desktops have no GNOME).
    fired: Option<Box<zbus::MessageStream>>,
    /// The watch set, until it fires or is removed.
    watch: Option<u32>,
    /// The signals stopped coming (the bus connection ended): readings only from then on.
    broken: bool,
}

impl MutterReturns {
    async fn arm(&mut self, bus: &zbus::Connection) -> Result<(), String> {
        if self.fired.is_none() {
            let rule = zbus::MatchRule::builder()
                .msg_type(zbus::message::Type::Signal)
                .sender(MUTTER)
                .and_then(|r| r.path(MUTTER_PATH))
                .and_then(|r| r.interface(MUTTER))
                .and_then(|r| r.member("WatchFired"))
                .map_err(|e| e.to_string())?
                .build();
            let stream = zbus::MessageStream::for_match_rule(rule, bus, Some(16))
                .await
                .map_err(|e| e.to_string())?;
            self.fired = Some(Box::new(stream));
        }
        let reply = bus
            .call_method(Some(MUTTER), MUTTER_PATH, Some(MUTTER), "AddUserActiveWatch", &())
            .await
            .map_err(|e| e.to_string())?;
        self.watch = Some(reply.body().deserialize().map_err(|e| e.to_string())?);
        Ok(())
    }

    /// Wait for the watch set to fire (one that fires is gone: nothing to remove).
    async fn fired(&mut self) -> Result<(), String> {
        use futures_util::StreamExt as _;
        let Some(stream) = &mut self.fired else { return std::future::pending().await };
        loop {
            match stream.next().await {
                Some(Ok(msg)) => {
                    // Only the watch set counts (one removed before its signal came does not).
                    if msg.body().deserialize::<u32>().ok() == self.watch {
                        self.watch = None;
                        return Ok(());
                    }
                }
                Some(Err(e)) => return Err(e.to_string()),
                None => return Err("the session bus connection ended".into()),
            }
        }
    }
}

/// Ask the X server to take `alarm` down, writing the request off the runtime's threads.
fn destroy_alarm(conn: &Arc<RustConnection>, alarm: sync::Alarm) {
    let conn = conn.clone();
    tokio::task::spawn_blocking(move || {
        let _ = conn.sync_destroy_alarm(alarm);
        let _ = conn.flush();
    });
}

/// Set `alarm` to fire at the next input.
fn x11_alarm(
    conn: &RustConnection,
    idletime: sync::Counter,
    alarm: sync::Alarm,
) -> Result<(), String> {
    let aux = sync::CreateAlarmAux::new()
        .counter(idletime)
        .value_type(sync::VALUETYPE::ABSOLUTE)
        .value(sync::Int64 { hi: 0, lo: 1 })
        .test_type(sync::TESTTYPE::NEGATIVE_TRANSITION)
        .delta(sync::Int64 { hi: 0, lo: 0 })
        .events(1);
    conn.sync_create_alarm(alarm, &aux)
        .map_err(|e| e.to_string())?
        .check()
        .map_err(|e| format!("the X server refused the alarm: {e}"))?;
    Ok(())
}

/// What a scripted source answers, and when it was asked.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct Script {
    /// The last input; `None`: the person types all the time.
    pub last_input: Option<tokio::time::Instant>,
    /// Never answer (a hung service).
    pub hang: bool,
    pub reads: Vec<tokio::time::Instant>,
    /// Whether it can watch for the return, and whether it does.
    pub watchable: bool,
    pub watching: bool,
    /// How many watches were set.
    pub watches: usize,
    /// What the watch says when [`Script::fire`] wakes it: input came, or it broke.
    pub outcome: Option<Result<(), String>>,
    pub fire: Arc<tokio::sync::Notify>,
    /// The person touches the keys just before a watch is set (which then does not fire).
    pub input_on_arm: bool,
    /// The watch never fires (a desktop service that forgot it).
    pub deaf: bool,
}

#[cfg(test)]
impl Script {
    /// The person touches the keys now; the watch, if set, tells it.
    pub fn input(&mut self) {
        self.last_input = Some(tokio::time::Instant::now());
        if !self.deaf {
            self.fire_with(Ok(()));
        }
    }

    /// Wake the watch with `outcome`.
    pub fn fire_with(&mut self, outcome: Result<(), String>) {
        if self.watching {
            self.outcome = Some(outcome);
            self.fire.notify_one();
        }
    }
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
    let conn = Arc::new(conn);
    let returns = XReturns::start(&conn)
        .inspect_err(|e| tracing::info!("the return cannot be watched on X11: {e}"))
        .ok();
    Ok(IdleSource::X11 { conn, root, returns })
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
    Ok(IdleSource::Mutter { bus, returns: MutterReturns::default() })
}

async fn mutter_idle(bus: &zbus::Connection) -> Result<Duration, String> {
    let reply = bus
        .call_method(Some(MUTTER), MUTTER_PATH, Some(MUTTER), "GetIdletime", &())
        .await
        .map_err(|e| e.to_string())?;
    let ms: u64 = reply.body().deserialize().map_err(|e| e.to_string())?;
    Ok(Duration::from_millis(ms))
}
