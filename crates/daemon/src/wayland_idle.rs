//! Idle time on Wayland compositors that implement `ext-idle-notify-v1` (Sway, Hyprland, niri,
//! KDE Plasma, labwc, ...): the compositor tells us when no input has come for a set time
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

use wayland_client::globals::{GlobalListContents, registry_queue_init};
use wayland_client::protocol::{wl_registry, wl_seat::WlSeat};
use wayland_client::{Connection, Dispatch, QueueHandle};
use wayland_protocols::ext::idle_notify::v1::client::ext_idle_notification_v1::{
    self, ExtIdleNotificationV1,
};
use wayland_protocols::ext::idle_notify::v1::client::ext_idle_notifier_v1::ExtIdleNotifierV1;

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
        let notifier: ExtIdleNotifierV1 = globals
            .bind(&qh, 1..=1, ())
            .map_err(|_| "the Wayland compositor does not offer ext-idle-notify-v1".to_string())?;
        let millis = u32::try_from(threshold.as_millis()).unwrap_or(u32::MAX);
        let notification = notifier.get_idle_notification(millis, &seat, &qh, ());
        let shared = Arc::new(Mutex::new(Shared::default()));
        let mut state = State { shared: shared.clone(), threshold };
        queue
            .roundtrip(&mut state)
            .map_err(|e| format!("the Wayland compositor did not answer: {e}"))?;
        std::thread::Builder::new()
            .name("wayland-idle".into())
            .spawn(move || {
                // Keep the objects alive for as long as the thread listens.
                let _objects = (seat, notifier, notification);
                let reason = loop {
                    if let Err(e) = queue.blocking_dispatch(&mut state) {
                        break e.to_string();
                    }
                };
                lock(&state.shared).lost = Some(format!("the Wayland connection ended: {reason}"));
            })
            .map_err(|e| format!("cannot start the Wayland thread: {e}"))?;
        Ok(WaylandIdle { shared })
    }

    /// Time since the last input (zero while input comes within the threshold).
    pub fn idle(&self) -> Result<Duration, String> {
        let shared = lock(&self.shared);
        if let Some(lost) = &shared.lost {
            return Err(lost.clone());
        }
        Ok(shared.idle_since.map_or(Duration::ZERO, |since| since.elapsed()))
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
        let mut shared = lock(&state.shared);
        match event {
            ext_idle_notification_v1::Event::Idled => {
                let now = Instant::now();
                shared.idle_since = Some(now.checked_sub(state.threshold).unwrap_or(now));
                tracing::debug!("the compositor says: idle");
            }
            ext_idle_notification_v1::Event::Resumed => {
                shared.idle_since = None;
                tracing::debug!("the compositor says: active again");
            }
            _ => {}
        }
    }
}
