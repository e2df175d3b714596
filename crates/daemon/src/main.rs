//! `unslouch`: the resident process and its command line.
//!
//! Started with no arguments it runs all day: it keeps the desk-time books, sits in the tray and
//! reminds the person when a break is due. It links no GTK and no WebKit; the window is a
//! separate program (`unslouch-window`) started only while a person looks at it.
//!
//! ## Layout
//! - `main.rs`: the command line.
//! - `tray.rs`: the tray icon and its menu (ksni, pure D-Bus, on Linux).
//! - `icons.rs`: the tray icons, compiled in and decoded to the pixmaps the tray protocol wants.

mod icons;
#[cfg(target_os = "linux")]
mod tray;

use anyhow::Context;
use clap::Parser;
use tokio::sync::mpsc;

/// Posture breaks for your upper back: counts your desk time and reminds you to take a
/// one-minute break.
#[derive(Debug, Parser)]
#[command(name = "unslouch", version, about)]
struct Cli {}

/// What the tray (and later the control socket) asks the resident process to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
}

fn main() -> anyhow::Result<()> {
    let _cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run())
}

/// Run until asked to quit (the tray's Quit item, SIGINT or SIGTERM).
async fn run() -> anyhow::Result<()> {
    let (commands, mut incoming) = mpsc::unbounded_channel::<Command>();
    #[cfg(target_os = "linux")]
    let tray = tray::start(commands.clone()).await;
    #[cfg(not(target_os = "linux"))]
    drop(commands);

    let mut terminate = signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        command = incoming.recv() => match command {
            Some(Command::Quit) | None => tracing::info!("quitting"),
        },
        _ = tokio::signal::ctrl_c() => tracing::info!("interrupted"),
        _ = terminate.recv() => tracing::info!("terminated"),
    }
    #[cfg(target_os = "linux")]
    if let Some(tray) = tray {
        tray.shutdown().await;
    }
    Ok(())
}

#[cfg(unix)]
fn signal(kind: tokio::signal::unix::SignalKind) -> anyhow::Result<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(kind).context("cannot listen for signals")
}
