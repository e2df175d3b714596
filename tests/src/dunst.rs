//! dunst, the real notification server, on a test's desktop, and `dunstctl` to drive it.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::app::Home;
use crate::desktop::Desktop;
use crate::wait_for;

/// A running dunst, stopped when dropped.
#[derive(Debug)]
pub struct Dunst {
    child: Child,
    env: Vec<(String, String)>,
}

impl Dunst {
    /// Start dunst on `desktop` with the configuration `rc` (written into `home`), and wait
    /// until it answers `dunstctl`.
    pub fn start(desktop: &Desktop, home: &Home, rc: &str) -> Dunst {
        let path = home.path("dunstrc");
        std::fs::write(&path, rc).unwrap();
        let child = Command::new("dunst")
            .arg("-config")
            .arg(&path)
            .envs(desktop.env())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dunst runs (apt package dunst)");
        let dunst = Dunst { child, env: desktop.env() };
        let served = wait_for(Duration::from_secs(10), || {
            (dunst.ctl(&["is-paused"]) == "false").then_some(())
        });
        assert!(served.is_some(), "dunst serves notifications");
        dunst
    }

    /// `dunstctl <args>`, its output trimmed.
    pub fn ctl(&self, args: &[&str]) -> String {
        let out = Command::new("dunstctl").args(args).envs(self.env.clone()).output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Dunst {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-CONT", &self.child.id().to_string()]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
