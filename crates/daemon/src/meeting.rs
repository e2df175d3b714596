//! Whether a camera or a microphone is in use: what a call looks like from the outside.
//!
//! - A camera is a `/dev/video*` node that is not virtual (v4l2loopback and the like live under
//!   `/sys/devices/virtual`): in use while a process other than the sound and video servers
//!   (PipeWire, WirePlumber, which open cameras to list them) holds it open.
//! - A microphone is an ALSA capture node, `/dev/snd/pcmC*D*c`: in use while anything holds it
//!   open. PipeWire and PulseAudio hold it exactly while a capture stream runs (they close it a
//!   few seconds after the last stream ends), so the sound server holding it counts.
//!
//! Event-driven: inotify tells when one of these nodes is opened or closed (and when one
//! appears or goes), and only then are the processes' open files looked at (`/proc/*/fd`), by
//! a thread of its own blocked on the inotify descriptor: nothing runs while nothing happens.
//! Not seen: a microphone with no ALSA node (a Bluetooth headset's goes through the sound
//! server only), and a camera opened by another user.
//!
//! It only observes: whether a meeting holds a reminder is the core's rule.

use std::collections::HashMap;
use std::mem::MaybeUninit;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use rustix::fs::inotify::{self, CreateFlags, ReadFlags, WatchFlags};

use crate::sink::Sink;

/// What is in use now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InUse {
    pub camera: bool,
    pub microphone: bool,
}

/// Where devices, their sysfs entries and processes are looked for: `/dev`, `/sys` and
/// `/proc` on a real system.
#[derive(Debug, Clone)]
pub struct Roots {
    pub dev: PathBuf,
    pub sys: PathBuf,
    pub proc: PathBuf,
}

impl Roots {
    /// The system's, or (in end-to-end test builds) devices under `UNSLOUCH_DEVICE_ROOT`'s
    /// `dev` and `sys` (the processes are still the real ones).
    pub fn system() -> Roots {
        let base = if cfg!(feature = "test-clock") {
            std::env::var_os("UNSLOUCH_DEVICE_ROOT").map(PathBuf::from)
        } else {
            None
        };
        let base = base.unwrap_or_else(|| PathBuf::from("/"));
        Roots { dev: base.join("dev"), sys: base.join("sys"), proc: PathBuf::from("/proc") }
    }
}

/// A device that tells a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Camera,
    Microphone,
}

/// Programs that open cameras without anybody being seen: they list them for others. (As
/// `/proc/PID/comm` gives them: at most 15 bytes.)
const CAMERA_LISTERS: [&str; 3] = ["pipewire", "wireplumber", "pipewire-media-"];

/// The cameras and microphones under `roots` now.
fn devices(roots: &Roots) -> Vec<(PathBuf, Kind)> {
    let mut found = Vec::new();
    let names = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries.flatten().filter_map(|e| e.file_name().to_str().map(String::from)).collect()
            })
            .unwrap_or_default()
    };
    for name in names(&roots.dev) {
        if is_video_node(&name) && !is_virtual(roots, &name) {
            found.push((roots.dev.join(&name), Kind::Camera));
        }
    }
    for name in names(&roots.dev.join("snd")) {
        if is_capture_node(&name) {
            found.push((roots.dev.join("snd").join(&name), Kind::Microphone));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// `video0`, `video12`.
fn is_video_node(name: &str) -> bool {
    name.strip_prefix("video")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `pcmC0D0c`: an ALSA PCM capture node.
fn is_capture_node(name: &str) -> bool {
    name.starts_with("pcmC") && name.ends_with('c')
}

/// Whether the video node `name` is a virtual device (v4l2loopback, OBS's virtual camera),
/// which is no camera: its sysfs entry lives under `devices/virtual`.
fn is_virtual(roots: &Roots, name: &str) -> bool {
    let entry = roots.sys.join("class/video4linux").join(name);
    std::fs::read_link(&entry)
        .or_else(|_| std::fs::canonicalize(&entry))
        .is_ok_and(|target| target.components().any(|c| c.as_os_str() == "virtual"))
}

/// What the processes that can be seen hold open among `devices`.
fn in_use(roots: &Roots, devices: &[(PathBuf, Kind)]) -> InUse {
    let mut now = InUse::default();
    if devices.is_empty() {
        return now;
    }
    let kinds: HashMap<&Path, Kind> = devices.iter().map(|(p, k)| (p.as_path(), *k)).collect();
    let own = std::process::id().to_string();
    let Ok(processes) = std::fs::read_dir(&roots.proc) else { return now };
    for process in processes.flatten() {
        let pid = process.file_name();
        let Some(pid) = pid.to_str().filter(|p| p.bytes().all(|b| b.is_ascii_digit())) else {
            continue;
        };
        if pid == own {
            continue;
        }
        // Other users' processes cannot be read: skipped.
        let Ok(fds) = std::fs::read_dir(process.path().join("fd")) else { continue };
        let mut comm: Option<String> = None;
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else { continue };
            match kinds.get(target.as_path()) {
                Some(Kind::Microphone) => now.microphone = true,
                Some(Kind::Camera) => {
                    let name = comm.get_or_insert_with(|| {
                        std::fs::read_to_string(process.path().join("comm"))
                            .map(|c| c.trim().to_string())
                            .unwrap_or_default()
                    });
                    if !CAMERA_LISTERS.contains(&name.as_str()) {
                        now.camera = true;
                    }
                }
                None => {}
            }
            if now.camera && now.microphone {
                return now;
            }
        }
    }
    now
}

/// The inotify descriptor and what it watches.
struct Watcher {
    fd: OwnedFd,
    roots: Roots,
    devices: Vec<(PathBuf, Kind)>,
}

impl Watcher {
    fn new(roots: Roots) -> Result<Watcher, String> {
        let fd = inotify::init(CreateFlags::CLOEXEC).map_err(|e| format!("no inotify: {e}"))?;
        inotify::add_watch(&fd, &roots.dev, APPEAR)
            .map_err(|e| format!("{}: {e}", roots.dev.display()))?;
        let mut watcher = Watcher { fd, roots, devices: Vec::new() };
        watcher.rewatch();
        Ok(watcher)
    }

    /// Watch every camera and microphone there is now for opening and closing (one that
    /// cannot be watched cannot be opened by this user either: skipped; it is tried again when
    /// its permissions change, as they do just after a device is plugged in).
    fn rewatch(&mut self) {
        // The sound folder may come after the daemon (a first sound card plugged in); watching
        // it again is harmless (inotify keeps one watch per file).
        let snd = self.roots.dev.join("snd");
        if snd.is_dir()
            && let Err(e) = inotify::add_watch(&self.fd, &snd, APPEAR)
        {
            tracing::debug!("cannot watch {}: {e}", snd.display());
        }
        self.devices = devices(&self.roots);
        let flags = WatchFlags::OPEN | WatchFlags::CLOSE_WRITE | WatchFlags::CLOSE_NOWRITE;
        self.devices.retain(|(path, _)| match inotify::add_watch(&self.fd, path, flags) {
            Ok(_) => true,
            Err(e) => {
                tracing::debug!("cannot watch {}: {e}", path.display());
                false
            }
        });
    }

    /// Wait for the next batch of events; whether devices came or went, and whether one was
    /// opened.
    fn wait(&self, buf: &mut [MaybeUninit<u8>]) -> Result<Batch, String> {
        let mut reader = inotify::Reader::new(&self.fd, buf);
        let mut batch = Batch::default();
        loop {
            let event = match reader.next() {
                Ok(event) => event,
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.to_string()),
            };
            match event.file_name() {
                // In a watched folder: only devices of ours (and the sound folder) matter.
                Some(name) => {
                    let name = name.to_str().unwrap_or("");
                    if is_video_node(name) || is_capture_node(name) || name == "snd" {
                        batch.appeared = true;
                        batch.touched = true;
                    }
                }
                // On a device itself: opened or closed.
                None => {
                    batch.touched = true;
                    batch.opened |= event.events().contains(ReadFlags::OPEN);
                }
            }
            if reader.is_buffer_empty() {
                return Ok(batch);
            }
        }
    }
}

/// What a batch of inotify events told.
#[derive(Debug, Default)]
struct Batch {
    /// A device came or went, or its permissions changed.
    appeared: bool,
    /// A device was opened.
    opened: bool,
    /// Anything about our devices at all.
    touched: bool,
}

/// What a folder of devices is watched for: devices that come, go, or change permissions.
const APPEAR: WatchFlags = WatchFlags::CREATE
    .union(WatchFlags::DELETE)
    .union(WatchFlags::ATTRIB)
    .union(WatchFlags::MOVED_TO);

/// How long after an event the open files are looked at: the opener's descriptor is in place
/// only once its `open` returns, after inotify has told (and a burst of opens and closes, as a
/// program probes a device, is looked at once).
const SETTLE: std::time::Duration = std::time::Duration::from_millis(100);

/// After an open that did not show, one more look this much later (a slow opener).
const LOOK_AGAIN: std::time::Duration = std::time::Duration::from_secs(1);

/// Start following cameras and microphones under `roots`, sending what is in use now and
/// every change, from a thread of its own. Returns how many devices are watched, or why
/// nothing can be.
pub fn follow(roots: Roots, events: Sink<InUse>) -> Result<usize, String> {
    let mut watcher = Watcher::new(roots)?;
    let count = watcher.devices.len();
    std::thread::Builder::new()
        .name("meeting".into())
        .spawn(move || {
            let mut last = in_use(&watcher.roots, &watcher.devices);
            if !events.send(last) {
                return;
            }
            let mut buf = vec![MaybeUninit::<u8>::uninit(); 4096];
            loop {
                let batch = match watcher.wait(&mut buf) {
                    Ok(batch) => batch,
                    Err(why) => {
                        tracing::info!("cameras and microphones no longer followed: {why}");
                        return;
                    }
                };
                if !batch.touched {
                    continue;
                }
                std::thread::sleep(SETTLE);
                if batch.appeared {
                    watcher.rewatch();
                }
                let mut now = in_use(&watcher.roots, &watcher.devices);
                let all = InUse { camera: true, microphone: true };
                if batch.opened && now == last && now != all {
                    std::thread::sleep(LOOK_AGAIN);
                    now = in_use(&watcher.roots, &watcher.devices);
                }
                if now != last {
                    last = now;
                    if !events.send(now) {
                        return;
                    }
                }
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A device tree under a temporary folder: `dev/` nodes (plain files) and their `sys/`
    /// entries, real or virtual.
    fn tree() -> (tempfile::TempDir, Roots) {
        let dir = tempfile::tempdir().unwrap();
        let roots = Roots {
            dev: dir.path().join("dev"),
            sys: dir.path().join("sys"),
            proc: PathBuf::from("/proc"),
        };
        std::fs::create_dir_all(roots.dev.join("snd")).unwrap();
        std::fs::create_dir_all(roots.sys.join("class/video4linux")).unwrap();
        let usb = roots.sys.join("devices/pci0000:00/usb1/1-1/video4linux/video0");
        let virt = roots.sys.join("devices/virtual/video4linux/video1");
        for (node, target) in [("video0", usb), ("video1", virt)] {
            std::fs::create_dir_all(&target).unwrap();
            std::fs::write(roots.dev.join(node), "").unwrap();
            let link = roots.sys.join("class/video4linux").join(node);
            std::os::unix::fs::symlink(&target, link).unwrap();
        }
        for node in ["pcmC0D0c", "pcmC0D0p", "controlC0"] {
            std::fs::write(roots.dev.join("snd").join(node), "").unwrap();
        }
        std::fs::write(roots.dev.join("video-not"), "").unwrap();
        (dir, roots)
    }

    /// Whether `check` holds within 5 s.
    fn eventually(mut check: impl FnMut() -> bool) -> bool {
        let end = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::time::Instant::now() < end {
            if check() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        false
    }

    #[test]
    fn cameras_are_the_video_nodes_that_are_not_virtual_and_microphones_the_capture_nodes() {
        let (_dir, roots) = tree();
        let found: Vec<(String, Kind)> = devices(&roots)
            .into_iter()
            .map(|(p, k)| (p.file_name().unwrap().to_string_lossy().into_owned(), k))
            .collect();
        assert_eq!(
            found,
            [("pcmC0D0c".to_string(), Kind::Microphone), ("video0".to_string(), Kind::Camera)]
        );
    }

    #[test]
    fn a_device_is_in_use_while_another_process_holds_it_open() {
        let (_dir, roots) = tree();
        let found = devices(&roots);
        assert_eq!(in_use(&roots, &found), InUse::default());
        let hold = |path: &Path| {
            std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("exec 3<'{}'; exec sleep 30", path.display()))
                .spawn()
                .unwrap()
        };
        let mut camera = hold(&roots.dev.join("video0"));
        let mut loopback = hold(&roots.dev.join("video1"));
        let seen = eventually(|| in_use(&roots, &found).camera);
        assert!(seen, "the camera held by another process is in use");
        assert!(!in_use(&roots, &found).microphone);
        camera.kill().unwrap();
        camera.wait().unwrap();
        assert_eq!(in_use(&roots, &found), InUse::default(), "a virtual camera is no camera");
        let mut mic = hold(&roots.dev.join("snd/pcmC0D0c"));
        let seen = eventually(|| in_use(&roots, &found).microphone);
        assert!(seen, "the microphone held open is in use");
        for child in [&mut loopback, &mut mic] {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    #[test]
    fn opening_and_closing_a_device_is_told_without_polling() {
        let (_dir, roots) = tree();
        let (queue, mut got) = tokio::sync::mpsc::unbounded_channel();
        let count = follow(roots.clone(), Sink::new(queue, |u| u)).unwrap();
        assert_eq!(count, 2);
        let next = |got: &mut tokio::sync::mpsc::UnboundedReceiver<InUse>| {
            let end = std::time::Instant::now() + std::time::Duration::from_secs(5);
            loop {
                if let Ok(v) = got.try_recv() {
                    return Some(v);
                }
                if std::time::Instant::now() > end {
                    return None;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        };
        assert_eq!(next(&mut got), Some(InUse::default()), "the state at once");
        let mut camera = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("exec 3<'{}'; exec sleep 30", roots.dev.join("video0").display()))
            .spawn()
            .unwrap();
        assert_eq!(next(&mut got), Some(InUse { camera: true, microphone: false }));
        camera.kill().unwrap();
        camera.wait().unwrap();
        assert_eq!(next(&mut got), Some(InUse::default()), "closed when the process ends");
        // A camera plugged in later is watched too.
        let usb = roots.sys.join("devices/pci0000:00/usb2/2-1/video4linux/video2");
        std::fs::create_dir_all(&usb).unwrap();
        std::os::unix::fs::symlink(&usb, roots.sys.join("class/video4linux/video2")).unwrap();
        std::fs::write(roots.dev.join("video2"), "").unwrap();
        // Opened until that is seen: the watcher takes the new device in after a moment.
        let mut seen = None;
        for _ in 0..10 {
            let mut second = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("exec 3<'{}'; exec sleep 30", roots.dev.join("video2").display()))
                .spawn()
                .unwrap();
            let got_now = next(&mut got);
            if got_now.is_some() {
                seen = Some((got_now, second));
                break;
            }
            second.kill().unwrap();
            second.wait().unwrap();
        }
        let (state, mut second) = seen.expect("the new camera is followed");
        assert_eq!(state, Some(InUse { camera: true, microphone: false }));
        second.kill().unwrap();
        second.wait().unwrap();
        assert_eq!(next(&mut got), Some(InUse::default()));
    }
}
