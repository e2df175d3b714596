//! Driving `unslouch-window`'s real webview through WebDriver: `tauri-driver` (from crates.io)
//! in front of WebKitGTK's `WebKitWebDriver` (Debian package `webkit2gtk-driver`), spoken to
//! with `fantoccini`.
//!
//! `tauri-driver` starts the window itself when a session opens, with the environment
//! `tauri-driver` was given: that is how the window finds the test's display, bus, folders and
//! daemon.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

use crate::app::screenshots;
use crate::{Daemon, binaries, wait_for};

/// A running `tauri-driver`, stopped on drop.
#[derive(Debug)]
pub struct Driver {
    child: Child,
    port: u16,
}

/// Where `tauri-driver` is: on `PATH`, or where `cargo install` puts it.
pub fn tauri_driver() -> PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|d| d.join("tauri-driver")).find(|p| p.is_file())
    });
    on_path
        .or_else(|| {
            let home = std::env::var_os("CARGO_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
            Some(home.join("bin/tauri-driver")).filter(|p| p.is_file())
        })
        .expect("tauri-driver is installed (`cargo install tauri-driver --locked`; scripts/setup.sh does it)")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Driver {
    /// Start `tauri-driver` with `daemon`'s environment (plus `extra`), so the windows it opens
    /// join that daemon.
    pub fn start(daemon: &Daemon, extra: &[(&str, &str)]) -> Driver {
        assert!(
            Path::new("/usr/bin/WebKitWebDriver").exists(),
            "WebKitWebDriver is installed (apt package webkit2gtk-driver)"
        );
        let (port, native) = (free_port(), free_port());
        let child = Command::new(tauri_driver())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(daemon.env().iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(extra.iter().copied())
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tauri-driver starts");
        let up = wait_for(Duration::from_secs(10), || {
            std::net::TcpStream::connect(("127.0.0.1", port)).ok()
        });
        assert!(up.is_some(), "tauri-driver listens on {port}");
        Driver { child, port }
    }

    /// Open `unslouch-window <view>` and a session on it.
    pub async fn open(&self, view: &str) -> Window {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({
                "application": binaries().window.display().to_string(),
                "args": [view],
            }),
        );
        caps.insert("browserName".into(), "wry".into());
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let url = format!("http://127.0.0.1:{}", self.port);
        // On a loaded machine WebKitWebDriver may drop the first request while it starts the
        // browser; a new session is then asked for again (twice at most).
        let mut tries = 0;
        loop {
            tries += 1;
            match ClientBuilder::new(connector.clone())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => return Window { client },
                Err(e) if tries < 3 => {
                    eprintln!("WebDriver session, try {tries}: {e}; trying again");
                    // A pause before trying again, for a machine that is busy.
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("a WebDriver session on unslouch-window: {e}"),
            }
        }
    }
}

impl Drop for Driver {
    /// SIGTERM first: `tauri-driver` then stops `WebKitWebDriver` too (SIGKILL would orphan it).
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        if wait_for(Duration::from_secs(3), || self.child.try_wait().ok().flatten()).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A session on one window.
#[derive(Debug)]
pub struct Window {
    pub client: Client,
}

impl Window {
    /// The first element matching `css`, waiting up to 10 s for it.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Wait until the page is ready for a picture: `css` (an element that appears once the
    /// view has its data) is there, the fonts are loaded, and two frames have been drawn since.
    pub async fn settled(&self, css: &str) {
        self.find(css).await;
        let script = "const done = arguments[arguments.length - 1];
            document.fonts.ready.then(() =>
                requestAnimationFrame(() => requestAnimationFrame(() => done(true))));";
        self.client.execute_async(script, vec![]).await.expect("the page draws its frames");
    }

    /// Every element matching `css` now.
    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap_or_default()
    }

    /// Wait up to `limit` for `check` (polled every 50 ms) to give `Some`.
    pub async fn until<T, F>(&self, limit: Duration, mut check: impl FnMut() -> F) -> Option<T>
    where
        F: Future<Output = Option<T>>,
    {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            if let Some(v) = check().await {
                return Some(v);
            }
            if tokio::time::Instant::now() >= deadline {
                return None;
            }
            // The polling interval.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Save what the webview shows as `<name>.png` in the [`screenshots`] folder.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
    }

    /// End the session (which closes the window).
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
