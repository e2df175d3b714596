//! A Wayland compositor of our own for the daemon to talk to: it speaks the real wire protocol
//! (`wayland-server`) and offers a seat and one idle protocol, nothing else: `ext-idle-notify-v1`
//! at version 1 or 2, or KDE's `org_kde_kwin_idle` (what older compositors such as sway 1.7
//! offer). A test says
//! when the person goes idle and comes back; the compositor sends `idled` and `resumed` to every
//! idle notification a client asked for, and records the timeouts asked.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wayland_protocols::ext::idle_notify::v1::server::ext_idle_notification_v1::{
    self, ExtIdleNotificationV1,
};
use wayland_protocols::ext::idle_notify::v1::server::ext_idle_notifier_v1::{
    self, ExtIdleNotifierV1,
};
use wayland_protocols_plasma::idle::server::org_kde_kwin_idle::{self, OrgKdeKwinIdle};
use wayland_protocols_plasma::idle::server::org_kde_kwin_idle_timeout::{
    self, OrgKdeKwinIdleTimeout,
};
use wayland_server::backend::{ClientData, ClientId, DisconnectReason};
use wayland_server::protocol::wl_seat::{self, WlSeat};
use wayland_server::{
    Client, DataInit, Dispatch, Display, DisplayHandle, GlobalDispatch, ListeningSocket, New,
    Resource as _,
};

/// The idle protocol a compositor offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// `ext-idle-notify-v1` at this version.
    Ext(u32),
    /// KDE's `org_kde_kwin_idle`.
    Kde,
}

/// An idle notification a client asked for: how, and after how long (ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// `get_idle_notification` (idle inhibitors count).
    Idle(u32),
    /// `get_input_idle_notification` (input only).
    InputIdle(u32),
    /// `org_kde_kwin_idle.get_idle_timeout`.
    Kde(u32),
}

/// What a test tells the compositor.
#[derive(Debug, Clone, Copy)]
enum Command {
    Idle,
    Resume,
}

/// The running compositor, stopped on drop.
#[derive(Debug)]
pub struct Compositor {
    commands: Sender<Command>,
    asked: Arc<Mutex<Vec<Asked>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Compositor {
    /// Listen on the socket at `path` (give it to a client as `WAYLAND_DISPLAY`).
    pub fn start(path: &Path) -> Compositor {
        Compositor::offering(path, Offer::Ext(1))
    }

    /// A compositor that offers `offer` as its idle protocol.
    pub fn offering(path: &Path, offer: Offer) -> Compositor {
        let socket = ListeningSocket::bind_absolute(path.to_path_buf())
            .expect("the Wayland socket can be bound");
        let (commands, incoming) = channel();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (asked, stop) = (asked.clone(), stop.clone());
            std::thread::spawn(move || serve(socket, offer, incoming, asked, stop))
        };
        Compositor { commands, asked, stop, thread: Some(thread) }
    }

    /// The idle notifications clients asked for.
    pub fn asked(&self) -> Vec<Asked> {
        self.asked.lock().unwrap().clone()
    }

    /// The person stopped using keyboard and mouse (as long ago as each client's timeout).
    pub fn idle(&self) {
        self.commands.send(Command::Idle).unwrap();
    }

    /// The person is back.
    pub fn resume(&self) {
        self.commands.send(Command::Resume).unwrap();
    }

    /// The timeouts (ms) of the idle notifications clients asked for.
    pub fn timeouts(&self) -> Vec<u32> {
        let asked = self.asked.lock().unwrap();
        asked
            .iter()
            .map(|a| match a {
                Asked::Idle(ms) | Asked::InputIdle(ms) | Asked::Kde(ms) => *ms,
            })
            .collect()
    }
}

impl Drop for Compositor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    socket: ListeningSocket,
    offer: Offer,
    incoming: Receiver<Command>,
    asked: Arc<Mutex<Vec<Asked>>>,
    stop: Arc<AtomicBool>,
) {
    let mut display: Display<State> = Display::new().expect("a Wayland display");
    let handle = display.handle();
    handle.create_global::<State, WlSeat, ()>(7, ());
    match offer {
        Offer::Ext(version) => {
            handle.create_global::<State, ExtIdleNotifierV1, ()>(version, ());
        }
        Offer::Kde => {
            handle.create_global::<State, OrgKdeKwinIdle, ()>(1, ());
        }
    }
    let mut state = State { notifications: Vec::new(), asked };
    while !stop.load(Ordering::Relaxed) {
        while let Ok(Some(stream)) = socket.accept() {
            let _ = display.handle().insert_client(stream, Arc::new(Connected));
        }
        let _ = display.dispatch_clients(&mut state);
        while let Ok(command) = incoming.try_recv() {
            state.notifications.retain(Notification::is_alive);
            for n in &state.notifications {
                match (command, n) {
                    (Command::Idle, Notification::Ext(n)) => n.idled(),
                    (Command::Resume, Notification::Ext(n)) => n.resumed(),
                    (Command::Idle, Notification::Kde(n)) => n.idle(),
                    (Command::Resume, Notification::Kde(n)) => n.resumed(),
                }
            }
        }
        let _ = display.flush_clients();
        // The stand-in's own loop: it polls its socket and its commands at this pace.
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[derive(Debug)]
struct State {
    notifications: Vec<Notification>,
    asked: Arc<Mutex<Vec<Asked>>>,
}

/// A client's idle notification, in either protocol.
#[derive(Debug)]
enum Notification {
    Ext(ExtIdleNotificationV1),
    Kde(OrgKdeKwinIdleTimeout),
}

impl Notification {
    fn is_alive(&self) -> bool {
        match self {
            Notification::Ext(n) => n.is_alive(),
            Notification::Kde(n) => n.is_alive(),
        }
    }
}

#[derive(Debug)]
struct Connected;

impl ClientData for Connected {
    fn initialized(&self, _: ClientId) {}
    fn disconnected(&self, _: ClientId, _: DisconnectReason) {}
}

impl GlobalDispatch<WlSeat, ()> for State {
    fn bind(
        _: &mut State,
        _: &DisplayHandle,
        _: &Client,
        resource: New<WlSeat>,
        _: &(),
        data_init: &mut DataInit<'_, State>,
    ) {
        let seat = data_init.init(resource, ());
        seat.capabilities(wl_seat::Capability::Keyboard | wl_seat::Capability::Pointer);
    }
}

impl Dispatch<WlSeat, ()> for State {
    fn request(
        _: &mut State,
        _: &Client,
        _: &WlSeat,
        _: wl_seat::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, State>,
    ) {
    }
}

impl GlobalDispatch<ExtIdleNotifierV1, ()> for State {
    fn bind(
        _: &mut State,
        _: &DisplayHandle,
        _: &Client,
        resource: New<ExtIdleNotifierV1>,
        _: &(),
        data_init: &mut DataInit<'_, State>,
    ) {
        data_init.init(resource, ());
    }
}

impl Dispatch<ExtIdleNotifierV1, ()> for State {
    fn request(
        state: &mut State,
        _: &Client,
        _: &ExtIdleNotifierV1,
        request: ext_idle_notifier_v1::Request,
        _: &(),
        _: &DisplayHandle,
        data_init: &mut DataInit<'_, State>,
    ) {
        match request {
            ext_idle_notifier_v1::Request::GetIdleNotification { id, timeout, .. } => {
                state.notifications.push(Notification::Ext(data_init.init(id, ())));
                state.asked.lock().unwrap().push(Asked::Idle(timeout));
            }
            ext_idle_notifier_v1::Request::GetInputIdleNotification { id, timeout, .. } => {
                state.notifications.push(Notification::Ext(data_init.init(id, ())));
                state.asked.lock().unwrap().push(Asked::InputIdle(timeout));
            }
            _ => {}
        }
    }
}

impl Dispatch<ExtIdleNotificationV1, ()> for State {
    fn request(
        _: &mut State,
        _: &Client,
        _: &ExtIdleNotificationV1,
        _: ext_idle_notification_v1::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, State>,
    ) {
    }
}

impl GlobalDispatch<OrgKdeKwinIdle, ()> for State {
    fn bind(
        _: &mut State,
        _: &DisplayHandle,
        _: &Client,
        resource: New<OrgKdeKwinIdle>,
        _: &(),
        data_init: &mut DataInit<'_, State>,
    ) {
        data_init.init(resource, ());
    }
}

impl Dispatch<OrgKdeKwinIdle, ()> for State {
    fn request(
        state: &mut State,
        _: &Client,
        _: &OrgKdeKwinIdle,
        request: org_kde_kwin_idle::Request,
        _: &(),
        _: &DisplayHandle,
        data_init: &mut DataInit<'_, State>,
    ) {
        if let org_kde_kwin_idle::Request::GetIdleTimeout { id, timeout, .. } = request {
            state.notifications.push(Notification::Kde(data_init.init(id, ())));
            state.asked.lock().unwrap().push(Asked::Kde(timeout));
        }
    }
}

impl Dispatch<OrgKdeKwinIdleTimeout, ()> for State {
    fn request(
        _: &mut State,
        _: &Client,
        _: &OrgKdeKwinIdleTimeout,
        _: org_kde_kwin_idle_timeout::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, State>,
    ) {
    }
}
