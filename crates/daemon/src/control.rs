//! The control socket: one daemon per user session, and the door the command line and the
//! window come in through.
//!
//! `<runtime>/unslouch/` must be ours: a directory (not a link) owned by this user, mode 0700;
//! it holds a lock file and `control.sock` (0600). The daemon that holds the lock owns the
//! socket; a socket left by a crashed daemon (no lock holder) is removed and bound again. Each
//! connection speaks the line protocol of `unslouch-ipc`: a request gets one reply; after
//! `subscribe`, snapshots and view requests are pushed as they happen.
//!
//! Nothing a client does can hurt the daemon: connections are capped, a connection that says
//! nothing (or half a request) is closed, a subscriber that stops reading is dropped, a line
//! longer than [`MAX_REQUEST`] or not UTF-8 gets an error, and an `accept` that fails (out of file
//! descriptors) backs off instead of spinning.

use std::fs::{self, File};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::unix::OwnedWriteHalf;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{Semaphore, broadcast, oneshot, watch};
use tokio_util::codec::{FramedRead, LinesCodec, LinesCodecError};
use unslouch_core::Snapshot;
use unslouch_ipc::{IpcError, Reply, Request, Update, View, decode, encode};

use crate::sink::Sink;

/// A request from a client, with where its reply goes.
#[derive(Debug)]
pub struct Call {
    pub request: Request,
    pub reply: oneshot::Sender<Reply>,
}

/// What the socket hands its clients, from the driver.
#[derive(Debug)]
pub struct Channels {
    pub snapshots: watch::Receiver<Snapshot>,
    pub updates: broadcast::Sender<Update>,
    /// The view last sent to an open window, and when (replayed to a window that subscribes
    /// soon after).
    pub shown: watch::Receiver<Option<(View, std::time::Instant)>>,
}

/// Connections served at once; one more is closed as soon as it is accepted.
pub const MAX_CONNECTIONS: usize = 128;
/// A connection must send its first request this soon (the CLI and the window write at once).
const FIRST_REQUEST: Duration = Duration::from_secs(5);
/// A connection that is not subscribed is closed after this long without a request.
const IDLE: Duration = Duration::from_secs(60);
/// A reply or update that cannot be written this soon: the peer is not reading.
const WRITE: Duration = Duration::from_secs(5);
/// The longest request taken (the largest real one, the settings, is a few KiB); the replies
/// may be up to `unslouch_ipc::MAX_LINE`.
const MAX_REQUEST: usize = 64 * 1024;
/// A view sent to the open window this recently is sent again to a window that subscribes: it
/// was starting up, and missed it.
const SHOWN_RECENTLY: Duration = Duration::from_secs(10);
/// A connection's read buffer is given back after a line longer than this.
const KEEP_BUFFER: usize = 8 * 1024;

/// Whether this process is the one daemon.
#[derive(Debug)]
pub enum Instance {
    /// We hold the lock and the socket.
    Primary(Control),
    /// Another daemon is running.
    Secondary,
}

/// The bound socket, and the lock that makes it ours.
#[derive(Debug)]
pub struct Control {
    listener: UnixListener,
    socket: PathBuf,
    _lock: File,
}

/// Take the daemon's place, or find that another has it.
pub fn claim(runtime_dir: &Path, socket: &Path) -> io::Result<Instance> {
    fs::DirBuilder::new().recursive(true).mode(0o700).create(runtime_dir)?;
    check_private_dir(runtime_dir)?;
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(runtime_dir.join("daemon.lock"))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Ok(Instance::Secondary),
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    // We hold the lock: any socket file here was left by a daemon that died.
    if socket.exists() {
        tracing::info!("replacing the stale control socket {}", socket.display());
        fs::remove_file(socket)?;
    }
    let listener = UnixListener::bind(socket)?;
    fs::set_permissions(socket, fs::Permissions::from_mode(0o600))?;
    Ok(Instance::Primary(Control { listener, socket: socket.to_path_buf(), _lock: lock }))
}

/// Make sure `dir` is a directory of ours that nobody else can enter: not a symbolic link (which
/// could point anywhere), owned by this user, mode 0700 (tightened if it is looser).
pub fn check_private_dir(dir: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(dir)?;
    let refuse = |why: String| Err(io::Error::new(io::ErrorKind::PermissionDenied, why));
    if meta.file_type().is_symlink() {
        return refuse(format!("{} is a symbolic link, not a directory of its own", dir.display()));
    }
    if !meta.is_dir() {
        return refuse(format!("{} is not a directory", dir.display()));
    }
    let me = rustix::process::getuid().as_raw();
    if meta.uid() != me {
        return refuse(format!(
            "{} belongs to user {}, not to this user ({me})",
            dir.display(),
            meta.uid()
        ));
    }
    if meta.mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

impl Control {
    /// Accept connections until the process ends.
    pub async fn serve(self, calls: Sink<Call>, channels: Channels) {
        let Channels { snapshots, updates, shown } = channels;
        let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let mut backoff = Duration::ZERO;
        loop {
            match self.listener.accept().await {
                Ok((stream, _)) => {
                    backoff = Duration::ZERO;
                    let Ok(slot) = slots.clone().try_acquire_owned() else {
                        tracing::debug!("control socket: {MAX_CONNECTIONS} connections already");
                        continue; // dropping the stream closes it
                    };
                    let (calls, snapshots, updates, shown) =
                        (calls.clone(), snapshots.clone(), updates.subscribe(), shown.clone());
                    tokio::spawn(async move {
                        if let Err(e) = connection(stream, calls, snapshots, updates, shown).await {
                            tracing::debug!("control connection ended: {e}");
                        }
                        drop(slot);
                    });
                }
                Err(e) => {
                    // Out of file descriptors, most likely: try again later, never in a loop.
                    backoff =
                        (backoff * 2).clamp(Duration::from_millis(50), Duration::from_secs(2));
                    tracing::warn!("control socket: {e}; accepting again in {backoff:?}");
                    tokio::time::sleep(backoff).await;
                }
            }
        }
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }
}

/// Remove the socket file at shutdown.
pub fn remove_socket(socket: &Path) {
    let _ = fs::remove_file(socket);
}

/// Write one line, or fail when the peer does not take it in time.
async fn send(write: &mut OwnedWriteHalf, line: String) -> io::Result<()> {
    match tokio::time::timeout(WRITE, write.write_all(line.as_bytes())).await {
        Ok(result) => result,
        Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, "the peer is not reading")),
    }
}

async fn connection(
    stream: UnixStream,
    calls: Sink<Call>,
    mut snapshots: watch::Receiver<Snapshot>,
    mut updates: broadcast::Receiver<Update>,
    shown: watch::Receiver<Option<(View, std::time::Instant)>>,
) -> io::Result<()> {
    let (read, mut write) = stream.into_split();
    // Reading a line is cancel-safe here: a request that arrives in pieces while an update is
    // being pushed stays in the codec's buffer.
    let mut lines = FramedRead::new(read, LinesCodec::new_with_max_length(MAX_REQUEST));
    let mut subscribed = false;
    let mut quiet = FIRST_REQUEST;
    loop {
        let deadline = tokio::time::sleep(quiet);
        tokio::select! {
            () = deadline, if !subscribed => return Ok(()),
            line = lines.next() => {
                let line = match line {
                    None => return Ok(()),
                    Some(Ok(line)) => line,
                    Some(Err(LinesCodecError::MaxLineLengthExceeded)) => {
                        let error = IpcError::bad_request("the request is too long");
                        return send(&mut write, encode(&Reply::Error { error })).await;
                    }
                    Some(Err(LinesCodecError::Io(e))) if e.kind() == io::ErrorKind::InvalidData => {
                        let error = IpcError::bad_request("the request is not UTF-8");
                        return send(&mut write, encode(&Reply::Error { error })).await;
                    }
                    Some(Err(LinesCodecError::Io(e))) => return Err(e),
                };
                if lines.read_buffer().capacity() > KEEP_BUFFER {
                    // Give back the memory a long line took.
                    let rest = std::mem::take(lines.read_buffer_mut());
                    lines.read_buffer_mut().extend_from_slice(&rest);
                }
                quiet = IDLE;
                let reply = match decode::<Request>(&line) {
                    Err(error) => Reply::Error { error },
                    Ok(Request::Subscribe) => {
                        tracing::debug!("a client subscribed");
                        subscribed = true;
                        snapshots.mark_changed();
                        send(&mut write, encode(&Reply::Done)).await?;
                        let recent = *shown.borrow();
                        if let Some((view, at)) = recent
                            && at.elapsed() < SHOWN_RECENTLY
                        {
                            send(&mut write, encode(&Update::Show { view })).await?;
                        }
                        continue;
                    }
                    Ok(request) => {
                        let (reply, rx) = oneshot::channel();
                        if !calls.send(Call { request, reply }) {
                            return Ok(());
                        }
                        rx.await.unwrap_or(Reply::Error { error: IpcError::internal("Unslouch is stopping") })
                    }
                };
                send(&mut write, encode(&reply)).await?;
            }
            changed = snapshots.changed(), if subscribed => {
                if changed.is_err() {
                    return Ok(());
                }
                let snapshot = Box::new(snapshots.borrow_and_update().clone());
                send(&mut write, encode(&Update::Snapshot { snapshot })).await?;
            }
            update = updates.recv(), if subscribed => match update {
                Ok(update) => send(&mut write, encode(&update)).await?,
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            },
        }
    }
}
