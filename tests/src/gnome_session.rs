//! The GNOME session's inhibitors as far as Unslouch sees them (`org.gnome.SessionManager`
//! `GetInhibitors`, `InhibitorAdded`, `InhibitorRemoved`, and each inhibitor's app id, reason
//! and flags), on the test's bus: a stand-in for gnome-session, which cannot run here.

use std::sync::{Arc, Mutex};

use zbus::object_server::SignalEmitter;
use zbus::zvariant::{ObjectPath, OwnedObjectPath};

const PATH: &str = "/org/gnome/SessionManager";

#[derive(Debug)]
struct Manager {
    inhibitors: Arc<Mutex<Vec<OwnedObjectPath>>>,
}

#[zbus::interface(name = "org.gnome.SessionManager")]
impl Manager {
    fn get_inhibitors(&self) -> Vec<OwnedObjectPath> {
        self.inhibitors.lock().unwrap().clone()
    }

    #[zbus(signal)]
    async fn inhibitor_added(emitter: &SignalEmitter<'_>, id: ObjectPath<'_>) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn inhibitor_removed(emitter: &SignalEmitter<'_>, id: ObjectPath<'_>)
    -> zbus::Result<()>;
}

#[derive(Debug)]
struct Inhibitor {
    app_id: String,
    reason: String,
    flags: u32,
}

#[zbus::interface(name = "org.gnome.SessionManager.Inhibitor")]
impl Inhibitor {
    fn get_app_id(&self) -> String {
        self.app_id.clone()
    }
    fn get_reason(&self) -> String {
        self.reason.clone()
    }
    fn get_flags(&self) -> u32 {
        self.flags
    }
}

/// The running stand-in.
#[derive(Debug)]
pub struct GnomeSession {
    conn: zbus::Connection,
    inhibitors: Arc<Mutex<Vec<OwnedObjectPath>>>,
    next: Mutex<u32>,
}

impl GnomeSession {
    /// Serve the session manager on the bus at `address`, with no inhibitor.
    pub async fn start(address: &str) -> GnomeSession {
        let inhibitors = Arc::new(Mutex::new(Vec::new()));
        let conn = zbus::connection::Builder::address(address)
            .unwrap()
            .name("org.gnome.SessionManager")
            .unwrap()
            .serve_at(PATH, Manager { inhibitors: inhibitors.clone() })
            .unwrap()
            .build()
            .await
            .expect("the session manager connects");
        GnomeSession { conn, inhibitors, next: Mutex::new(0) }
    }

    /// An app asks the session not to do what `flags` say (8: go idle), as `reason`; its path.
    pub async fn inhibit(&self, app_id: &str, reason: &str, flags: u32) -> OwnedObjectPath {
        let n = {
            let mut next = self.next.lock().unwrap();
            *next += 1;
            *next
        };
        let path = OwnedObjectPath::try_from(format!("{PATH}/Inhibitor{n}")).unwrap();
        let inhibitor = Inhibitor { app_id: app_id.into(), reason: reason.into(), flags };
        self.conn.object_server().at(&path, inhibitor).await.unwrap();
        self.inhibitors.lock().unwrap().push(path.clone());
        let emitter = SignalEmitter::new(&self.conn, PATH).unwrap();
        Manager::inhibitor_added(&emitter, path.as_ref()).await.unwrap();
        path
    }

    /// The inhibitor at `path` ends.
    pub async fn uninhibit(&self, path: &OwnedObjectPath) {
        self.inhibitors.lock().unwrap().retain(|p| p != path);
        self.conn.object_server().remove::<Inhibitor, _>(path).await.unwrap();
        let emitter = SignalEmitter::new(&self.conn, PATH).unwrap();
        Manager::inhibitor_removed(&emitter, path.as_ref()).await.unwrap();
    }
}
