//! logind as far as Unslouch sees it, on a bus of the test's: the manager answers
//! `GetSessionByPID` with one session, and the test makes it send `PrepareForSleep` and the
//! session's `Lock` and `Unlock`, as the real one does around a suspend or a screen lock.

use zbus::zvariant::ObjectPath;

/// The session every process is said to belong to.
pub const SESSION: &str = "/org/freedesktop/login1/session/_31";
const MANAGER_PATH: &str = "/org/freedesktop/login1";
const MANAGER: &str = "org.freedesktop.login1.Manager";
const SESSION_INTERFACE: &str = "org.freedesktop.login1.Session";

#[derive(Debug)]
struct Manager;

#[zbus::interface(name = "org.freedesktop.login1.Manager")]
impl Manager {
    #[zbus(name = "GetSessionByPID")]
    fn get_session_by_pid(&self, _pid: u32) -> ObjectPath<'static> {
        ObjectPath::from_static_str_unchecked(SESSION)
    }
}

/// The running stand-in.
#[derive(Debug)]
pub struct Logind {
    conn: zbus::Connection,
}

impl Logind {
    /// Serve `org.freedesktop.login1` on the bus at `address`.
    pub async fn start(address: &str) -> Logind {
        let conn = zbus::connection::Builder::address(address)
            .unwrap()
            .name("org.freedesktop.login1")
            .unwrap()
            .serve_at(MANAGER_PATH, Manager)
            .unwrap()
            .build()
            .await
            .expect("the logind stand-in connects");
        Logind { conn }
    }

    /// `PrepareForSleep(true)` before a suspend, `(false)` after the wake.
    pub async fn prepare_for_sleep(&self, start: bool) {
        self.conn
            .emit_signal(None::<()>, MANAGER_PATH, MANAGER, "PrepareForSleep", &start)
            .await
            .unwrap();
    }

    /// The session at `path` is locked (`Lock`) or unlocked (`Unlock`).
    pub async fn session_signal(&self, path: &str, member: &str) {
        self.conn.emit_signal(None::<()>, path, SESSION_INTERFACE, member, &()).await.unwrap();
    }
}
