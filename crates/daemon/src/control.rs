//! The control socket: one daemon per user session, and the door the command line and the
//! window come in through.
//!
//! `<runtime>/unslouch/` is created 0700 and holds a lock file and `control.sock` (0600). The
//! daemon that holds the lock owns the socket; a socket left by a crashed daemon (no lock
//! holder) is removed and bound again. Each connection speaks the line protocol of
//! `unslouch-ipc`: a request gets one reply; after `subscribe`, snapshots and view requests
//! are pushed as they happen.

use std::fs::{self, File};
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use unslouch_core::Snapshot;
use unslouch_ipc::{ErrorKind, IpcError, MAX_LINE, Reply, Request, Update, decode, encode};

use crate::driver::Msg;

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
    fs::set_permissions(runtime_dir, fs::Permissions::from_mode(0o700))?;
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

impl Control {
    /// Accept connections until the process ends.
    pub async fn serve(
        self,
        msgs: mpsc::UnboundedSender<Msg>,
        snapshots: watch::Receiver<Snapshot>,
        updates: broadcast::Sender<Update>,
    ) {
        loop {
            match self.listener.accept().await {
                Ok((stream, _)) => {
                    let (msgs, snapshots, updates) =
                        (msgs.clone(), snapshots.clone(), updates.subscribe());
                    tokio::spawn(async move {
                        if let Err(e) = connection(stream, msgs, snapshots, updates).await {
                            tracing::debug!("control connection ended: {e}");
                        }
                    });
                }
                Err(e) => tracing::warn!("control socket: {e}"),
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

async fn connection(
    stream: UnixStream,
    msgs: mpsc::UnboundedSender<Msg>,
    mut snapshots: watch::Receiver<Snapshot>,
    mut updates: broadcast::Receiver<Update>,
) -> io::Result<()> {
    let (read, mut write) = stream.into_split();
    // One line at most MAX_LINE bytes: the limit is set again before each line.
    let mut reader = BufReader::new(read).take(MAX_LINE as u64 + 1);
    let mut subscribed = false;
    let mut line = String::new();
    loop {
        tokio::select! {
            n = reader.read_line(&mut line) => {
                if n? == 0 {
                    return Ok(());
                }
                if line.len() > MAX_LINE {
                    let error = IpcError::new(ErrorKind::BadRequest, "the request is too long");
                    write.write_all(encode(&Reply::Error { error }).as_bytes()).await?;
                    return Ok(());
                }
                let reply = match decode::<Request>(&line) {
                    Err(error) => Reply::Error { error },
                    Ok(Request::Subscribe) => {
                        subscribed = true;
                        snapshots.mark_changed();
                        Reply::Done
                    }
                    Ok(request) => {
                        let (tx, rx) = oneshot::channel();
                        if msgs.send(Msg::Request(request, tx)).is_err() {
                            return Ok(());
                        }
                        rx.await.unwrap_or(Reply::Error { error: IpcError::new(ErrorKind::Internal, "Unslouch is stopping") })
                    }
                };
                line.clear();
                reader.set_limit(MAX_LINE as u64 + 1);
                write.write_all(encode(&reply).as_bytes()).await?;
            }
            changed = snapshots.changed(), if subscribed => {
                if changed.is_err() {
                    return Ok(());
                }
                let snapshot = Box::new(snapshots.borrow_and_update().clone());
                write.write_all(encode(&Update::Snapshot { snapshot }).as_bytes()).await?;
            }
            update = updates.recv(), if subscribed => match update {
                Ok(update) => write.write_all(encode(&update).as_bytes()).await?,
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            },
        }
    }
}
