//! A Wayland compositor of our own for the daemon to talk to: it speaks the real wire protocol
//! (`wayland-server`) and offers a seat and `ext-idle-notify-v1`, nothing else. A test says
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
use wayland_server::backend::{ClientData, ClientId, DisconnectReason};
use wayland_server::protocol::wl_seat::{self, WlSeat};
use wayland_server::{
    Client, DataInit, Dispatch, Display, DisplayHandle, GlobalDispatch, ListeningSocket, New,
    Resource as _,
};

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
    timeouts: Arc<Mutex<Vec<u32>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Compositor {
    /// Listen on the socket at `path` (give it to a client as `WAYLAND_DISPLAY`).
    pub fn start(path: &Path) -> Compositor {
        let socket = ListeningSocket::bind_absolute(path.to_path_buf())
            .expect("the Wayland socket can be bound");
        let (commands, incoming) = channel();
        let timeouts = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (timeouts, stop) = (timeouts.clone(), stop.clone());
            std::thread::spawn(move || serve(socket, incoming, timeouts, stop))
        };
        Compositor { commands, timeouts, stop, thread: Some(thread) }
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
        self.timeouts.lock().unwrap().clone()
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
    incoming: Receiver<Command>,
    timeouts: Arc<Mutex<Vec<u32>>>,
    stop: Arc<AtomicBool>,
) {
    let mut display: Display<State> = Display::new().expect("a Wayland display");
    let handle = display.handle();
    handle.create_global::<State, WlSeat, ()>(7, ());
    handle.create_global::<State, ExtIdleNotifierV1, ()>(1, ());
    let mut state = State { notifications: Vec::new(), timeouts };
    while !stop.load(Ordering::Relaxed) {
        while let Ok(Some(stream)) = socket.accept() {
            let _ = display.handle().insert_client(stream, Arc::new(Connected));
        }
        let _ = display.dispatch_clients(&mut state);
        while let Ok(command) = incoming.try_recv() {
            state.notifications.retain(|n| n.is_alive());
            for n in &state.notifications {
                match command {
                    Command::Idle => n.idled(),
                    Command::Resume => n.resumed(),
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
    notifications: Vec<ExtIdleNotificationV1>,
    timeouts: Arc<Mutex<Vec<u32>>>,
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
        if let ext_idle_notifier_v1::Request::GetIdleNotification { id, timeout, .. } = request {
            state.notifications.push(data_init.init(id, ()));
            state.timeouts.lock().unwrap().push(timeout);
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
