//! GNOME's idle monitor as far as Unslouch sees it (`org.gnome.Mutter.IdleMonitor`
//! `GetIdletime`), on the test's bus, with the faults a real one can show: an honest answer, an
//! answer of the wrong type, an absurd one (`u64::MAX`), or none at all (a hung gnome-shell).

use std::sync::{Arc, Mutex};

/// How the stand-in answers `GetIdletime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Milliseconds since the last input, as the real one does.
    Idle(u64),
    /// A string instead of a `t`.
    WrongType,
    /// Never answers.
    Hang,
}

#[derive(Debug)]
struct Monitor {
    behaviour: Arc<Mutex<Behaviour>>,
}

#[zbus::interface(name = "org.gnome.Mutter.IdleMonitor")]
impl Monitor {
    async fn get_idletime(&self) -> u64 {
        let behaviour = *self.behaviour.lock().unwrap();
        match behaviour {
            Behaviour::Idle(ms) => ms,
            Behaviour::WrongType | Behaviour::Hang => std::future::pending().await,
        }
    }
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
    _conn: zbus::Connection,
    behaviour: Arc<Mutex<Behaviour>>,
}

impl Mutter {
    /// Serve the idle monitor on the bus at `address`. (`WrongType` is fixed at start: the
    /// reply's type is part of the method.)
    pub async fn start(address: &str, behaviour: Behaviour) -> Mutter {
        let shared = Arc::new(Mutex::new(behaviour));
        let builder = zbus::connection::Builder::address(address)
            .unwrap()
            .name("org.gnome.Mutter.IdleMonitor")
            .unwrap();
        const PATH: &str = "/org/gnome/Mutter/IdleMonitor/Core";
        let builder = match behaviour {
            Behaviour::WrongType => builder.serve_at(PATH, WrongTypeMonitor).unwrap(),
            _ => builder.serve_at(PATH, Monitor { behaviour: shared.clone() }).unwrap(),
        };
        let conn = builder.build().await.expect("the idle monitor stand-in connects");
        Mutter { _conn: conn, behaviour: shared }
    }

    /// Answer differently from now on.
    pub fn behave(&self, behaviour: Behaviour) {
        *self.behaviour.lock().unwrap() = behaviour;
    }
}
