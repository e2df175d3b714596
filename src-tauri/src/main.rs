//! `unslouch-window`: the Unslouch window (break, settings, history, exercises).
//!
//! Started by the daemon when a person wants to look at something, it shows one window titled
//! "Unslouch" at the view named on the command line, and exits, with all its WebKit processes,
//! when the window closes. It is a client of the daemon: it owns no state and writes no file.

// Keep a console window from opening on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use clap::{Parser, ValueEnum};
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// The views the window can show; each is a route of the front end (`#/<view>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum View {
    Break,
    Settings,
    History,
    Exercises,
}

impl View {
    fn route(self) -> &'static str {
        match self {
            View::Break => "break",
            View::Settings => "settings",
            View::History => "history",
            View::Exercises => "exercises",
        }
    }
}

/// The Unslouch window: a guided posture break, settings, history and the exercise library.
#[derive(Debug, Parser)]
#[command(name = "unslouch-window", version, about)]
struct Args {
    /// The view to open.
    #[arg(value_enum, default_value_t = View::Break)]
    view: View,
}

fn main() {
    // Parsing happens before any GTK or WebKit start-up, so `--help`, `--version` and bad
    // arguments cost nothing and need no display.
    let args = Args::parse();
    let route = args.view.route();
    let result = tauri::Builder::default()
        .setup(move |app| {
            WebviewWindowBuilder::new(
                app,
                "main",
                WebviewUrl::App(format!("index.html#/{route}").into()),
            )
            .title("Unslouch")
            .inner_size(420.0, 600.0)
            .min_inner_size(360.0, 480.0)
            .build()?;
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("unslouch-window: {e}");
        std::process::exit(1);
    }
}
