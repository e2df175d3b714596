//! Desktop services a test starts on its own bus (there is no activation on it): dconf's
//! writer (what `gsettings set` talks to on GNOME) and xfconfd (XFCE's settings store).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::app::Home;
use crate::desktop::Desktop;
use crate::wait_for;

/// A running service, stopped when dropped.
#[derive(Debug)]
pub struct Service {
    child: Child,
    env: Vec<(String, String)>,
}

impl Service {
    /// Start `program` on `desktop` with `home`'s folders, and wait until it owns `name` on
    /// the bus.
    pub fn start(desktop: &Desktop, home: &Home, program: &str, name: &str) -> Service {
        let mut env = desktop.env();
        env.extend(home.env());
        let child = Command::new(program)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} runs: {e}"));
        let service = Service { child, env };
        let owned = wait_for(Duration::from_secs(10), || {
            let out = service.run(
                "dbus-send",
                &[
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    &format!("string:{name}"),
                ],
            );
            out.contains("boolean true").then_some(())
        });
        assert!(owned.is_some(), "{program} owns {name}");
        service
    }

    /// dconf's writer, which `gsettings set` and `dconf write` ask to change a key.
    pub fn dconf(desktop: &Desktop, home: &Home) -> Service {
        Service::start(desktop, home, "/usr/libexec/dconf-service", "ca.desrt.dconf")
    }

    /// XFCE's settings store, where xfce4-notifyd keeps its Do Not Disturb.
    pub fn xfconfd(desktop: &Desktop, home: &Home) -> Service {
        let program =
            ["/usr/lib/x86_64-linux-gnu/xfce4/xfconf/xfconfd", "/usr/lib/xfce4/xfconf/xfconfd"]
                .into_iter()
                .find(|p| std::path::Path::new(p).exists())
                .expect("xfconfd is installed (apt package xfconf)");
        Service::start(desktop, home, program, "org.xfce.Xfconf")
    }

    /// Run `program` with this service's environment; its output (stdout and stderr).
    pub fn run(&self, program: &str, args: &[&str]) -> String {
        let out = Command::new(program)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program} runs: {e}"));
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
