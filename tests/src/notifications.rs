//! A notification server speaking the freedesktop protocol on the test's bus. It records every
//! `Notify` and `CloseNotification`, and a test can click an action (`ActionInvoked`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use zbus::object_server::SignalEmitter;
use zbus::zvariant::OwnedValue;

/// One `Notify` call.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub id: u32,
    pub app_name: String,
    pub replaces_id: u32,
    pub summary: String,
    pub body: String,
    /// Pairs of (key, label).
    pub actions: Vec<(String, String)>,
    pub at: std::time::Instant,
}

#[derive(Debug, Default)]
struct Log {
    shown: Vec<Shown>,
    closed: Vec<u32>,
    next_id: u32,
}

#[derive(Debug)]
struct Server {
    log: Arc<Mutex<Log>>,
    /// Click the default action of every notification before even answering `Notify` (the
    /// fastest person there could be).
    click_at_once: bool,
    /// The name it gives in `GetServerInformation` (the desktop it stands for).
    name: String,
    /// Plasma's Do Not Disturb (the `Inhibited` property).
    inhibited: bool,
}

impl Server {
    fn record(
        &self,
        app_name: String,
        replaces_id: u32,
        summary: String,
        body: String,
        actions: Vec<String>,
    ) -> u32 {
        let mut log = self.log.lock().unwrap();
        let id = if replaces_id != 0 {
            replaces_id
        } else {
            log.next_id += 1;
            log.next_id
        };
        let actions = actions
            .chunks(2)
            .map(|p| (p[0].clone(), p.get(1).cloned().unwrap_or_default()))
            .collect();
        log.shown.push(Shown {
            id,
            app_name,
            replaces_id,
            summary,
            body,
            actions,
            at: std::time::Instant::now(),
        });
        id
    }
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        app_name: String,
        replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> u32 {
        let id = self.record(app_name, replaces_id, summary, body, actions);
        if self.click_at_once {
            let _ = Server::action_invoked(&emitter, id, "default").await;
        }
        id
    }
    async fn close_notification(
        &self,
        id: u32,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) {
        self.log.lock().unwrap().closed.push(id);
        let _ = Server::notification_closed(&emitter, id, 3).await;
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into(), "persistence".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (self.name.clone(), "unslouch".into(), "1".into(), "1.2".into())
    }

    /// As Plasma's server has it: whether notifications are held back (Do Not Disturb).
    #[zbus(property)]
    fn inhibited(&self) -> bool {
        self.inhibited
    }

    #[zbus(signal)]
    async fn action_invoked(
        emitter: &SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn notification_closed(
        emitter: &SignalEmitter<'_>,
        id: u32,
        reason: u32,
    ) -> zbus::Result<()>;
}

/// The running server.
#[derive(Debug)]
pub struct Notifications {
    conn: zbus::Connection,
    log: Arc<Mutex<Log>>,
}

const PATH: &str = "/org/freedesktop/Notifications";

impl Notifications {
    /// Serve `org.freedesktop.Notifications` on the bus at `address`.
    pub async fn start(address: &str) -> Notifications {
        Notifications::serve(address, false, "unslouch-e2e").await
    }

    /// A server that clicks every reminder's default action before it even answers `Notify`.
    pub async fn clicking_at_once(address: &str) -> Notifications {
        Notifications::serve(address, true, "unslouch-e2e").await
    }

    /// A server that gives `name` as its own (`"Plasma"`, `"gnome-shell"`...): the desktop it
    /// stands for, as far as the daemon can tell.
    pub async fn named(address: &str, name: &str) -> Notifications {
        Notifications::serve(address, false, name).await
    }

    /// Set `Inhibited` and say so (`PropertiesChanged`), as Plasma does when Do Not Disturb
    /// is switched.
    pub async fn set_inhibited(&self, on: bool) {
        let server = self.conn.object_server().interface::<_, Server>(PATH).await.unwrap();
        server.get_mut().await.inhibited = on;
        server.get().await.inhibited_changed(server.signal_emitter()).await.unwrap();
    }

    async fn serve(address: &str, click_at_once: bool, name: &str) -> Notifications {
        let log = Arc::new(Mutex::new(Log::default()));
        let server =
            Server { log: log.clone(), click_at_once, name: name.into(), inhibited: false };
        let conn = zbus::connection::Builder::address(address)
            .unwrap()
            .name("org.freedesktop.Notifications")
            .unwrap()
            .serve_at(PATH, server)
            .unwrap()
            .build()
            .await
            .expect("the notification server connects");
        Notifications { conn, log }
    }

    /// Every notification shown so far.
    pub fn shown(&self) -> Vec<Shown> {
        self.log.lock().unwrap().shown.clone()
    }

    /// Ids closed by their sender.
    pub fn closed(&self) -> Vec<u32> {
        self.log.lock().unwrap().closed.clone()
    }

    /// Click `action` on notification `id`, as the person would; the server then closes it.
    pub async fn click(&self, id: u32, action: &str) {
        let emitter = SignalEmitter::new(&self.conn, PATH).unwrap();
        Server::action_invoked(&emitter, id, action).await.unwrap();
        Server::notification_closed(&emitter, id, 2).await.unwrap();
    }
}
