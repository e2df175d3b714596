//! GNOME's idle monitor as far as Unslouch sees it (`org.gnome.Mutter.IdleMonitor`
//! `GetIdletime`, and user-active watches: `AddUserActiveWatch`, `RemoveWatch`, `WatchFired`),
//! on the test's bus, with the faults a real one can show: an honest answer, an answer of the
//! wrong type, an absurd one (`u64::MAX`), or none at all (a hung gnome-shell).

use std::sync::{Arc, Mutex};

/// How the stand-in answers `GetIdletime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Milliseconds since the last input, as the real one does.
    Idle(u64),
    /// The time since this instant, as the real one does for an input then.
    InputAt(std::time::Instant),
    /// A string instead of a `t`.
    WrongType,
    /// Never answers.
    Hang,
}

#[derive(Debug)]
struct Monitor {
    behaviour: Arc<Mutex<Behaviour>>,
    watches: Arc<Mutex<Watches>>,
}

/// The user-active watches set and not fired yet, as Mutter keeps them: each fires once, and
/// its signal goes to the client that set it only.
#[derive(Debug, Default)]
struct Watches {
    last_id: u32,
    active: Vec<(u32, zbus::names::OwnedUniqueName)>,
    /// How many were ever added.
    added: usize,
}

#[zbus::interface(name = "org.gnome.Mutter.IdleMonitor")]
impl Monitor {
    async fn get_idletime(&self) -> u64 {
        let behaviour = *self.behaviour.lock().unwrap();
        match behaviour {
            Behaviour::Idle(ms) => ms,
            Behaviour::InputAt(at) => at.elapsed().as_millis() as u64,
            Behaviour::WrongType | Behaviour::Hang => std::future::pending().await,
        }
    }

    fn add_user_active_watch(&self, #[zbus(header)] header: zbus::message::Header<'_>) -> u32 {
        let mut watches = self.watches.lock().unwrap();
        watches.last_id += 1;
        let id = watches.last_id;
        let owner = header.sender().expect("a sender on a bus").to_owned().into();
        watches.active.push((id, owner));
        watches.added += 1;
        id
    }

    fn remove_watch(&self, id: u32) {
        self.watches.lock().unwrap().active.retain(|(w, _)| *w != id);
    }

    #[zbus(signal)]
    async fn watch_fired(
        emitter: &zbus::object_server::SignalEmitter<'_>,
        id: u32,
    ) -> zbus::Result<()>;
}

/// The same method answering a string: a reply of the wrong type.
#[derive(Debug)]
struct WrongTypeMonitor;

#[zbus::interface(name = "org.gnome.Mutter.IdleMonitor")]
impl WrongTypeMonitor {
    fn get_idletime(&self) -> String {
        "not a number".into()
    }
}

/// The running stand-in.
#[derive(Debug)]
pub struct Mutter {
    conn: zbus::Connection,
    behaviour: Arc<Mutex<Behaviour>>,
    watches: Arc<Mutex<Watches>>,
}

const PATH: &str = "/org/gnome/Mutter/IdleMonitor/Core";

impl Mutter {
    /// Serve the idle monitor on the bus at `address`. (`WrongType` is fixed at start: the
    /// reply's type is part of the method.)
    pub async fn start(address: &str, behaviour: Behaviour) -> Mutter {
        let shared = Arc::new(Mutex::new(behaviour));
        let watches = Arc::new(Mutex::new(Watches::default()));
        let builder = zbus::connection::Builder::address(address)
            .unwrap()
            .name("org.gnome.Mutter.IdleMonitor")
            .unwrap();
        let builder = match behaviour {
            Behaviour::WrongType => builder.serve_at(PATH, WrongTypeMonitor).unwrap(),
            _ => builder
                .serve_at(PATH, Monitor { behaviour: shared.clone(), watches: watches.clone() })
                .unwrap(),
        };
        let conn = builder.build().await.expect("the idle monitor stand-in connects");
        Mutter { conn, behaviour: shared, watches }
    }

    /// The person touches the keys: the idle time counts from now, and every user-active watch
    /// fires (and is gone).
    pub async fn input(&self) {
        *self.behaviour.lock().unwrap() = Behaviour::InputAt(std::time::Instant::now());
        let fired = std::mem::take(&mut self.watches.lock().unwrap().active);
        for (id, owner) in fired {
            let emitter = zbus::object_server::SignalEmitter::new(&self.conn, PATH)
                .unwrap()
                .set_destination(zbus::names::BusName::Unique(owner.into()));
            Monitor::watch_fired(&emitter, id).await.unwrap();
        }
    }

    /// User-active watches set and not fired or removed, and how many were ever set.
    pub fn watches(&self) -> (usize, usize) {
        let watches = self.watches.lock().unwrap();
        (watches.active.len(), watches.added)
    }

    /// Answer differently from now on.
    pub fn behave(&self, behaviour: Behaviour) {
        *self.behaviour.lock().unwrap() = behaviour;
    }
}
