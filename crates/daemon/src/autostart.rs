//! Start at login, through `auto-launch` (what Tauri's autostart plugin wraps): on Linux an XDG
//! autostart desktop entry that runs this executable.
//!
//! The setting is the source of truth: at every start the entry is written (or removed) to
//! match it, so an entry pointing at an old install path is repaired by the next start.

use auto_launch::{AutoLaunch, AutoLaunchBuilder};

fn launcher() -> Result<AutoLaunch, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let exe = exe.to_str().ok_or("this program's path is not UTF-8")?.to_owned();
    let mut builder = AutoLaunchBuilder::new();
    builder.set_app_name("unslouch").set_app_path(&exe);
    #[cfg(target_os = "linux")]
    builder.set_linux_launch_mode(auto_launch::LinuxLaunchMode::XdgAutostart);
    builder.build().map_err(|e| e.to_string())
}

/// Turn start at login on or off.
pub fn set(on: bool) -> Result<(), String> {
    let launcher = launcher()?;
    let result = if on { launcher.enable() } else { launcher.disable() };
    result.map_err(|e| format!("cannot turn start at login {}: {e}", if on { "on" } else { "off" }))
}
