//! A small blocking client of the control socket, for the command line and the window.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use crate::{FromDaemon, IpcError, MAX_LINE, Reply, Request, Update, decode, encode};

/// Why talking to the daemon failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No daemon is listening (no socket, or a stale one).
    #[error("Unslouch is not running")]
    NotRunning,
    #[error("cannot talk to Unslouch: {0}")]
    Io(#[from] io::Error),
    #[error("Unslouch sent something unreadable: {0}")]
    Protocol(String),
    /// The socket is served by another user's process: not ours to trust.
    #[error("the control socket belongs to a process of user {uid}, not to this user")]
    Stranger { uid: u32 },
    /// The daemon answered with an error.
    #[error("{0}")]
    Daemon(IpcError),
}

/// A connection to the daemon.
#[derive(Debug)]
pub struct Client {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Client {
    /// Connect to the daemon's socket, and make sure the process at the other end runs as this
    /// user (`SO_PEERCRED`): a socket put in our place by someone else is refused.
    pub fn connect(socket: &Path) -> Result<Client, ClientError> {
        let stream = UnixStream::connect(socket).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused => ClientError::NotRunning,
            _ => ClientError::Io(e),
        })?;
        let peer = rustix::net::sockopt::socket_peercred(&stream).map_err(io::Error::from)?;
        let me = rustix::process::getuid();
        if peer.uid != me {
            return Err(ClientError::Stranger { uid: peer.uid.as_raw() });
        }
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let writer = stream.try_clone()?;
        Ok(Client { reader: BufReader::new(stream), writer })
    }

    /// Send a request and wait for its reply; an error reply becomes `ClientError::Daemon`.
    pub fn request(&mut self, request: &Request) -> Result<Reply, ClientError> {
        self.writer.write_all(encode(request).as_bytes())?;
        loop {
            match self.read()? {
                FromDaemon::Reply(Reply::Error { error }) => {
                    return Err(ClientError::Daemon(error));
                }
                FromDaemon::Reply(reply) => return Ok(reply),
                // Updates may arrive before the reply on a subscribed connection.
                FromDaemon::Update(_) => continue,
            }
        }
    }

    /// Read the next message.
    pub fn read(&mut self) -> Result<FromDaemon, ClientError> {
        let mut line = String::new();
        let n = (&mut self.reader).take(MAX_LINE as u64 + 1).read_line(&mut line)?;
        if n == 0 {
            return Err(ClientError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the daemon closed the connection",
            )));
        }
        decode(&line).map_err(|e| ClientError::Protocol(e.to_string()))
    }

    /// Subscribe, then call `on_update` for every update until the daemon goes away or the
    /// callback returns `false`.
    pub fn subscribe(
        mut self,
        mut on_update: impl FnMut(Update) -> bool,
    ) -> Result<(), ClientError> {
        self.request(&Request::Subscribe)?;
        self.reader.get_ref().set_read_timeout(None)?;
        loop {
            match self.read() {
                Ok(FromDaemon::Update(update)) => {
                    if !on_update(update) {
                        return Ok(());
                    }
                }
                Ok(FromDaemon::Reply(_)) => {}
                Err(ClientError::Io(e)) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    return Ok(());
                }
                Err(e) => return Err(e),
            }
        }
    }
}
