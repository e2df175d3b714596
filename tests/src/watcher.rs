//! A StatusNotifierWatcher on the test's bus, as a panel runs one: tray items register with it
//! (`RegisterStatusNotifierItem`) and it says a host is there to show them, which is what makes
//! most tray libraries choose a StatusNotifierItem over the old XEmbed tray. It records every
//! item registered, by the bus name it is reachable at.

use std::sync::{Arc, Mutex};

use zbus::message::Header;
use zbus::object_server::SignalEmitter;

const PATH: &str = "/StatusNotifierWatcher";

#[derive(Debug)]
struct Server {
    items: Arc<Mutex<Vec<String>>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Server {
    /// `service` is a bus name (ksni, Qt) or an object path (libappindicator): the item is the
    /// sender's, at that path, in the second case.
    async fn register_status_notifier_item(
        &self,
        service: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        let item = if service.starts_with('/') { format!("{sender}{service}") } else { service };
        self.items.lock().unwrap().push(item.clone());
        let _ = Server::status_notifier_item_registered(&emitter, &item).await;
    }

    async fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    async fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().unwrap().clone()
    }

    #[zbus(property)]
    async fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    async fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_host_registered(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;
}

/// The watcher, serving while this lives.
#[derive(Debug)]
pub struct TrayWatcher {
    _conn: zbus::Connection,
    items: Arc<Mutex<Vec<String>>>,
}

impl TrayWatcher {
    /// Take `org.kde.StatusNotifierWatcher` on the bus at `address`.
    pub async fn start(address: &str) -> TrayWatcher {
        let items = Arc::new(Mutex::new(Vec::new()));
        let conn = zbus::connection::Builder::address(address)
            .unwrap()
            .name("org.kde.StatusNotifierWatcher")
            .unwrap()
            .serve_at(PATH, Server { items: items.clone() })
            .unwrap()
            .build()
            .await
            .expect("the watcher connects");
        TrayWatcher { _conn: conn, items }
    }

    /// The items registered so far, in order.
    pub fn items(&self) -> Vec<String> {
        self.items.lock().unwrap().clone()
    }
}
