//! Idle time on Wayland compositors that implement `ext-idle-notify-v1` (Sway, Hyprland, niri,
//! KDE Plasma, labwc, ...), or, on older ones (sway before 1.8, as in Debian 12; older KWin),
//! KDE's `org_kde_kwin_idle`. Where `ext-idle-notify-v1` is at version 2, the notification asked
//! for counts input only (`get_input_idle_notification`): a film that inhibits idleness is not
//! the person at the keys. The compositor tells us when no input has come for a set time
//! (`idled`) and when input comes again (`resumed`). Event-driven: nothing is asked between
//! events. A thread of its own waits on the Wayland socket (blocked in `poll`, no wake-ups) and
//! keeps the last state; a reading is then "idle since the last input", which was `threshold`
//! before `idled`.
//!
//! Idle spells shorter than the threshold read as zero, which is what the core makes of them
//! anyway: a spell shorter than the natural-break threshold is desk time, and the threshold
//! asked for here is the shortest one a person can set.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use wayland_client::globals::{GlobalListContents, registry_queue_init};
use wayland_client::protocol::{wl_registry, wl_seat::WlSeat};
use wayland_client::{Connection, Dispatch, Proxy as _, QueueHandle};
use wayland_protocols::ext::idle_notify::v1::client::ext_idle_notification_v1::{
    self, ExtIdleNotificationV1,
};
use wayland_protocols::ext::idle_notify::v1::client::ext_idle_notifier_v1::ExtIdleNotifierV1;
use wayland_protocols_plasma::idle::client::org_kde_kwin_idle::OrgKdeKwinIdle;
use wayland_protocols_plasma::idle::client::org_kde_kwin_idle_timeout::{
    self, OrgKdeKwinIdleTimeout,
};

/// What the Wayland thread last learnt.
#[derive(Debug, Default)]
struct Shared {
    /// The instant of the last input, while idle.
    idle_since: Option<Instant>,
    /// Why the connection ended, if it did.
    lost: Option<String>,
}

/// A live subscription to the compositor's idle notifications.
#[derive(Debug)]
pub struct WaylandIdle {
    shared: Arc<Mutex<Shared>>,
    protocol: Protocol,
    /// A `resumed` for each return, from the thread (closed when it ends).
    resumed: mpsc::UnboundedReceiver<()>,
    /// Whether a return is watched for.
    watching: bool,
    /// The watch missed a return: not tried again.
    broken: bool,
}

/// Which protocol a compositor tells idleness by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `ext-idle-notify-v1` version 2, input only.
    ExtInput,
    /// `ext-idle-notify-v1` version 1 (idle inhibitors count as input).
    Ext,
    /// KDE's `org_kde_kwin_idle`.
    Kde,
}

impl Protocol {
    pub fn name(self) -> &'static str {
        match self {
            Protocol::ExtInput => "Wayland ext-idle-notify-v1 (input)",
            Protocol::Ext => "Wayland ext-idle-notify-v1",
            Protocol::Kde => "Wayland org_kde_kwin_idle",
        }
    }
}

/// The Wayland objects kept alive while the thread listens.
#[derive(Debug)]
#[allow(dead_code)]
enum Objects {
    Ext(ExtIdleNotifierV1, ExtIdleNotificationV1),
    Kde(OrgKdeKwinIdle, OrgKdeKwinIdleTimeout),
}

impl WaylandIdle {
    /// Connect to the compositor named by `WAYLAND_DISPLAY` and ask to be told after
    /// `threshold` without input.
    pub fn connect(threshold: Duration) -> Result<WaylandIdle, String> {
        let conn = Connection::connect_to_env()
            .map_err(|e| format!("cannot reach the Wayland compositor: {e}"))?;
        let (globals, mut queue) = registry_queue_init::<State>(&conn)
            .map_err(|e| format!("the Wayland compositor did not list its globals: {e}"))?;
        let qh = queue.handle();
        let seat: WlSeat = globals
            .bind(&qh, 1..=1, ())
            .map_err(|_| "the Wayland compositor offers no seat".to_string())?;
        let millis = u32::try_from(threshold.as_millis()).unwrap_or(u32::MAX).max(1);
        let (protocol, objects) = match globals.bind::<ExtIdleNotifierV1, _, _>(&qh, 1..=2, ()) {
            // Version 2 tells input only: a video that inhibits idleness is not the person.
            Ok(notifier) if notifier.version() >= 2 => {
                let n = notifier.get_input_idle_notification(millis, &seat, &qh, ());
                (Protocol::ExtInput, Objects::Ext(notifier, n))
            }
            Ok(notifier) => {
                let n = notifier.get_idle_notification(millis, &seat, &qh, ());
                (Protocol::Ext, Objects::Ext(notifier, n))
            }
            // Older compositors (sway before 1.8, older KWin) have KDE's protocol instead.
            Err(_) => match globals.bind::<OrgKdeKwinIdle, _, _>(&qh, 1..=1, ()) {
                Ok(idle) => {
                    let timeout = idle.get_idle_timeout(&seat, millis, &qh, ());
                    (Protocol::Kde, Objects::Kde(idle, timeout))
                }
                Err(_) => {
                    return Err("the Wayland compositor offers neither ext-idle-notify-v1 nor \
                        org_kde_kwin_idle"
                        .into());
                }
            },
        };
        let shared = Arc::new(Mutex::new(Shared::default()));
        let (resumes, resumed) = mpsc::unbounded_channel();
        let mut state = State { shared: shared.clone(), threshold, resumes };
        queue
            .roundtrip(&mut state)
            .map_err(|e| format!("the Wayland compositor did not answer: {e}"))?;
        std::thread::Builder::new()
            .name("wayland-idle".into())
            .spawn(move || {
                // Keep the objects alive for as long as the thread listens.
                let _objects = (seat, objects);
                let reason = loop {
                    if let Err(e) = queue.blocking_dispatch(&mut state) {
                        break e.to_string();
                    }
                };
                lock(&state.shared).lost = Some(format!("the Wayland connection ended: {reason}"));
            })
            .map_err(|e| format!("cannot start the Wayland thread: {e}"))?;
        Ok(WaylandIdle { shared, protocol, resumed, watching: false, broken: false })
    }

    /// The protocol the compositor tells idleness by.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// Time since the last input (zero while input comes within the threshold).
    pub fn idle(&self) -> Result<Duration, String> {
        let shared = lock(&self.shared);
        if let Some(lost) = &shared.lost {
            return Err(lost.clone());
        }
        Ok(shared.idle_since.map_or(Duration::ZERO, |since| since.elapsed()))
    }

    /// Watch for the next `resumed` (earlier ones, from returns nobody watched, are dropped;
    /// one that came since the absence was found is seen by the reading taken after arming).
    pub fn watch_return(&mut self) -> Result<(), String> {
        if self.broken {
            return Err("it missed a return before".into());
        }
        loop {
            match self.resumed.try_recv() {
                Ok(()) => {}
                Err(mpsc::error::TryRecvError::Empty) => break,
                Err(mpsc::error::TryRecvError::Disconnected) => {
                    return Err("the Wayland connection ended".into());
                }
            }
        }
        self.watching = true;
        Ok(())
    }

    /// Whether the watch was given up.
    pub fn given_up(&self) -> bool {
        self.broken
    }

    /// Watch no more.
    pub fn give_up(&mut self) {
        self.watching = false;
        self.broken = true;
    }

    pub fn unwatch_return(&mut self) {
        self.watching = false;
    }

    /// The next `resumed` while watching; never resolves otherwise. Cancel-safe.
    pub async fn returned(&mut self) -> Result<(), String> {
        if !self.watching {
            return std::future::pending().await;
        }
        let outcome = match self.resumed.recv().await {
            Some(()) => Ok(()),
            None => Err("the Wayland connection ended".into()),
        };
        self.watching = false;
        outcome
    }
}

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The Wayland thread's state.
#[derive(Debug)]
struct State {
    shared: Arc<Mutex<Shared>>,
    threshold: Duration,
    resumes: mpsc::UnboundedSender<()>,
}

impl Dispatch<wl_registry::WlRegistry, GlobalListContents> for State {
    fn event(
        _: &mut State,
        _: &wl_registry::WlRegistry,
        _: wl_registry::Event,
        _: &GlobalListContents,
        _: &Connection,
        _: &QueueHandle<State>,
    ) {
    }
}

impl Dispatch<WlSeat, ()> for State {
    fn event(
        _: &mut State,
        _: &WlSeat,
        _: <WlSeat as wayland_client::Proxy>::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<State>,
    ) {
    }
}

impl Dispatch<ExtIdleNotifierV1, ()> for State {
    fn event(
        _: &mut State,
        _: &ExtIdleNotifierV1,
        _: <ExtIdleNotifierV1 as wayland_client::Proxy>::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<State>,
    ) {
    }
}

impl Dispatch<ExtIdleNotificationV1, ()> for State {
    fn event(
        state: &mut State,
        _: &ExtIdleNotificationV1,
        event: ext_idle_notification_v1::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<State>,
    ) {
        match event {
            ext_idle_notification_v1::Event::Idled => state.idled(),
            ext_idle_notification_v1::Event::Resumed => state.resumed(),
            _ => {}
        }
    }
}

impl Dispatch<OrgKdeKwinIdle, ()> for State {
    fn event(
        _: &mut State,
        _: &OrgKdeKwinIdle,
        _: <OrgKdeKwinIdle as wayland_client::Proxy>::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<State>,
    ) {
    }
}

impl Dispatch<OrgKdeKwinIdleTimeout, ()> for State {
    fn event(
        state: &mut State,
        _: &OrgKdeKwinIdleTimeout,
        event: org_kde_kwin_idle_timeout::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<State>,
    ) {
        match event {
            org_kde_kwin_idle_timeout::Event::Idle => state.idled(),
            org_kde_kwin_idle_timeout::Event::Resumed => state.resumed(),
            _ => {}
        }
    }
}

impl State {
    /// No input for the threshold: the last input was that long ago.
    fn idled(&self) {
        let now = Instant::now();
        lock(&self.shared).idle_since = Some(now.checked_sub(self.threshold).unwrap_or(now));
        tracing::debug!("the compositor says: idle");
    }

    fn resumed(&self) {
        lock(&self.shared).idle_since = None;
        let _ = self.resumes.send(());
        tracing::debug!("the compositor says: active again");
    }
}
