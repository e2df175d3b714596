//! `cargo run -p unslouch-xtask -- assets DIR`: what a package installs besides the programs,
//! generated from the programs' own command-line definitions (so they never drift from them):
//!
//! - `DIR/man/unslouch.1`, a page for each of its commands (`unslouch-pause.1`...: the main
//!   page's list of commands points at them) and `DIR/man/unslouch-window.1`;
//! - `DIR/completions/unslouch.bash`, `DIR/completions/_unslouch` (zsh) and
//!   `DIR/completions/unslouch.fish`.
//!
//! The definitions are the programs' own source files, included here: they depend on clap only.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::CommandFactory as _;
use clap_complete::Shell;

#[allow(dead_code)]
#[path = "../../crates/daemon/src/cli.rs"]
mod daemon_cli;

#[allow(dead_code)]
#[path = "../../src-tauri/src/args.rs"]
mod window_args;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["assets", dir] => match assets(Path::new(dir)) {
            Ok(written) => {
                for path in written {
                    println!("{}", path.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo run -p unslouch-xtask -- assets DIR");
            ExitCode::from(2)
        }
    }
}

/// Write the man pages and completions under `dir`; the files written.
fn assets(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let man = dir.join("man");
    let completions = dir.join("completions");
    std::fs::create_dir_all(&man)?;
    std::fs::create_dir_all(&completions)?;
    let mut written = Vec::new();
    for command in [daemon_cli::Cli::command(), window_args::Args::command()] {
        // `help` is clap's own; no page for it, and none listed.
        let mut command = command.disable_help_subcommand(true);
        command.build();
        pages(command, &man, &mut written)?;
    }
    let mut command = daemon_cli::Cli::command();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        written.push(clap_complete::generate_to(shell, &mut command, "unslouch", &completions)?);
    }
    Ok(written)
}

/// Write the page of `command`, then one for each of its commands (named `parent-command`, as
/// the parent's page lists them), into `dir`.
fn pages(command: clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let subcommands: Vec<clap::Command> =
        command.get_subcommands().filter(|c| !c.is_hide_set()).cloned().collect();
    let man = clap_mangen::Man::new(command).manual("Unslouch");
    let path = dir.join(man.get_filename());
    let mut page = Vec::new();
    man.render(&mut page)?;
    std::fs::write(&path, page)?;
    written.push(path);
    for sub in subcommands {
        pages(sub, dir, written)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_man_pages_and_completions_name_every_command() {
        let dir = tempfile::tempdir().unwrap();
        let written = assets(dir.path()).unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        let commands = [
            "break", "session", "pause", "resume", "skip", "settings", "history", "quit",
            "restart", "status",
        ];
        let mut expected = vec!["man/unslouch.1".to_string()];
        expected.extend(commands.iter().map(|c| format!("man/unslouch-{c}.1")));
        expected.extend(
            [
                "man/unslouch-window.1",
                "completions/unslouch.bash",
                "completions/_unslouch",
                "completions/unslouch.fish",
            ]
            .map(String::from),
        );
        assert_eq!(names, expected);
        let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
        // Every page a page points at is written (a list naming pages nobody ships is a dead
        // end for `man`), and clap's `help` is not among them.
        for name in names.iter().filter(|n| n.starts_with("man/")) {
            let page = read(name);
            for (at, _) in page.match_indices("(1)") {
                let start = page[..at]
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '\\'))
                    .map_or(0, |i| i + 1);
                let named = page[start..at].replace("\\-", "-");
                assert!(
                    names.contains(&format!("man/{named}.1")),
                    "{name} points at {named}(1), which is not written"
                );
            }
        }
        assert!(read("man/unslouch-pause.1").contains("tomorrow"), "the pause's lengths");
        assert!(read("man/unslouch-status.1").contains("json"), "status --json");
        let page = read("man/unslouch.1");
        assert!(page.starts_with(".ie \\n(.g .ds Aq"), "roff: {}", &page[..60]);
        assert!(page.contains(".TH unslouch 1"), "{page}");
        for command in ["break", "session", "pause", "resume", "skip", "settings", "history"] {
            assert!(page.contains(command), "{command} in the man page");
        }
        assert!(page.contains("restart"), "restart in the man page");
        assert!(page.contains("Posture breaks for your upper back"));
        let window = read("man/unslouch-window.1");
        assert!(window.contains("exercises"), "the window's views: {window}");
        for file in
            ["completions/unslouch.bash", "completions/_unslouch", "completions/unslouch.fish"]
        {
            assert!(read(file).contains("restart"), "{file}");
        }
        // The pause's lengths, where the shell completes an argument's values.
        for file in ["completions/unslouch.bash", "completions/_unslouch"] {
            assert!(read(file).contains("tomorrow"), "{file}");
        }
        // The bash completion is a script bash reads without complaint.
        let checked = std::process::Command::new("bash")
            .arg("-n")
            .arg(dir.path().join("completions/unslouch.bash"))
            .status()
            .unwrap();
        assert!(checked.success());
    }
}
