//! Start at login: an XDG autostart entry of our own, `$XDG_CONFIG_HOME/autostart/<app id>.desktop`.
//!
//! - The program is the one installed: this executable's path, without the ` (deleted)` the
//!   kernel adds once a package upgrade replaced the file under the running process.
//! - `Exec` quotes the path as the Desktop Entry Specification says (a path with a space, a
//!   quote or a `$` stays one argument); `TryExec` makes the entry harmless once the program
//!   is uninstalled.
//! - The entry is written atomically (a temporary file renamed over it), and only when its
//!   content would change.
//! - At each start the setting is applied, but an entry the person switched off in their
//!   desktop's startup settings (`Hidden=true` from KDE, XFCE, LXQt; `X-GNOME-Autostart-enabled`
//!   or `X-MATE-Autostart-enabled` `=false` from GNOME, Cinnamon, MATE) is left
//!   alone; turning the setting on in Unslouch's own settings writes it anew. Turning it off
//!   removes it.
//! - The entry the `auto-launch` crate wrote in earlier versions (`unslouch.desktop`) is removed.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The reverse-DNS id the desktop entry is named by (as in the app menu).
pub const APP_ID: &str = "app.unslouch.Unslouch";

/// The entry earlier versions wrote, through `auto-launch`.
const OLD_ENTRY: &str = "unslouch.desktop";

/// The autostart folder: `$XDG_CONFIG_HOME/autostart` (an absolute one), else
/// `~/.config/autostart`.
pub fn folder() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some(config.join("autostart"))
}

/// Why the setting is being applied: at start (the desktop's own switch wins), or because the
/// person changed it in Unslouch (theirs does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Start,
    Changed,
}

/// What applying the setting did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Written(PathBuf),
    Unchanged,
    /// Switched off in the desktop's startup settings: left as it is.
    LeftOff,
    Removed,
}

/// Apply the setting `on` for this executable.
pub fn set(on: bool, why: Why) -> Result<Done, String> {
    let folder = folder().ok_or("no HOME and no XDG_CONFIG_HOME")?;
    let program = if on { Some(program()?) } else { None };
    apply(&folder, program.as_deref(), why)
}

/// The program to start: this executable, as installed.
fn program() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    Ok(installed(&exe))
}

/// `exe` without the ` (deleted)` the kernel adds once the file was replaced (a package
/// upgrade): the new program is at the old path.
pub fn installed(exe: &Path) -> PathBuf {
    let text = exe.to_string_lossy();
    match text.strip_suffix(" (deleted)") {
        Some(path) if Path::new(path).is_file() => PathBuf::from(path),
        _ => exe.to_path_buf(),
    }
}

/// Apply the setting in `folder`: an entry starting `program`, or none (`None`).
pub fn apply(folder: &Path, program: Option<&Path>, why: Why) -> Result<Done, String> {
    let path = folder.join(format!("{APP_ID}.desktop"));
    // What auto-launch wrote in earlier versions goes, whatever the setting.
    let old = folder.join(OLD_ENTRY);
    if std::fs::read_to_string(&old).is_ok_and(|t| t.contains("Comment=unslouch startup script")) {
        std::fs::remove_file(&old).map_err(|e| format!("{}: {e}", old.display()))?;
    }
    let Some(program) = program else {
        return match std::fs::remove_file(&path) {
            Ok(()) => Ok(Done::Removed),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Done::Unchanged),
            Err(e) => Err(format!("{}: {e}", path.display())),
        };
    };
    let existing = std::fs::read_to_string(&path).ok();
    if why == Why::Start && existing.as_deref().is_some_and(switched_off) {
        return Ok(Done::LeftOff);
    }
    let text = entry(program)?;
    if existing.as_deref() == Some(text.as_str()) {
        return Ok(Done::Unchanged);
    }
    write_atomically(&path, &text)?;
    Ok(Done::Written(path))
}

/// Whether an entry was switched off in the desktop's startup settings.
fn switched_off(text: &str) -> bool {
    let mut in_main = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_main = line == "[Desktop Entry]";
            continue;
        }
        if !in_main {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        match (key.trim(), value.trim()) {
            ("Hidden", "true")
            | ("X-GNOME-Autostart-enabled", "false")
            | ("X-MATE-Autostart-enabled", "false") => return true,
            _ => {}
        }
    }
    false
}

/// The autostart entry for `program`.
pub fn entry(program: &Path) -> Result<String, String> {
    let path = program.to_str().ok_or("this program's path is not UTF-8")?;
    if path.contains(['\n', '\r']) {
        return Err("this program's path has a line break".into());
    }
    Ok(format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=Unslouch\n\
         Comment=Short guided breaks for your neck and upper back\n\
         Exec={exec}\n\
         TryExec={try_exec}\n\
         Icon={APP_ID}\n\
         Terminal=false\n\
         StartupNotify=false\n\
         X-GNOME-Autostart-enabled=true\n",
        exec = exec_argument(path),
        try_exec = string_value(path),
    ))
}

/// `path` as one argument of an `Exec` key: in double quotes, `"`, `` ` ``, `$` and `\` escaped
/// with a backslash, then the whole escaped as a string value (a backslash doubled again), and
/// `%` doubled (field codes).
pub fn exec_argument(path: &str) -> String {
    let mut quoted = String::from("\"");
    for c in path.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    string_value(&quoted).replace('%', "%%")
}

/// `text` as a desktop entry string value: a backslash doubled.
fn string_value(text: &str) -> String {
    text.replace('\\', "\\\\")
}

/// Write `text` to `path` through a temporary file in the same folder renamed over it: a crash
/// leaves the old entry or the new one, never half of one.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let folder = path.parent().ok_or("no folder")?;
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut file = tempfile::NamedTempFile::new_in(folder)
        .map_err(|e| format!("{}: {e}", folder.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.persist(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_one_quoted_argument_whatever_it_holds() {
        assert_eq!(exec_argument("/usr/bin/unslouch"), "\"/usr/bin/unslouch\"");
        assert_eq!(exec_argument("/opt/my apps/unslouch"), "\"/opt/my apps/unslouch\"");
        // `$` and `"` escaped by one backslash, which the string rule then doubles.
        assert_eq!(exec_argument("/a$b\"c/u"), "\"/a\\\\$b\\\\\"c/u\"");
        // A backslash: four in the file.
        assert_eq!(exec_argument("/a\\b"), "\"/a\\\\\\\\b\"");
        assert_eq!(exec_argument("/100%/u"), "\"/100%%/u\"");
    }

    #[test]
    fn the_entry_starts_the_installed_program_and_is_harmless_once_it_is_gone() {
        let text = entry(Path::new("/opt/my apps/unslouch")).unwrap();
        assert!(text.contains("\nExec=\"/opt/my apps/unslouch\"\n"), "{text}");
        assert!(text.contains("\nTryExec=/opt/my apps/unslouch\n"), "{text}");
        assert!(text.contains("\nName=Unslouch\n"));
        assert!(text.contains("\nX-GNOME-Autostart-enabled=true\n"));
        assert!(text.ends_with('\n'));
        assert!(entry(Path::new("/a\nb")).is_err());
    }

    #[test]
    fn after_an_upgrade_the_entry_names_the_new_program_not_the_deleted_one() {
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("unslouch");
        std::fs::write(&program, "").unwrap();
        let seen = PathBuf::from(format!("{} (deleted)", program.display()));
        assert_eq!(installed(&seen), program);
        // Uninstalled for good: nothing to point at but what the kernel says.
        let gone = PathBuf::from("/nowhere/unslouch (deleted)");
        assert_eq!(installed(&gone), gone);
    }

    #[test]
    fn the_desktops_own_switch_wins_at_start_and_the_persons_change_wins_over_it() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("autostart");
        let program = Path::new("/usr/bin/unslouch");
        let Done::Written(path) = apply(&folder, Some(program), Why::Start).unwrap() else {
            panic!()
        };
        assert_eq!(apply(&folder, Some(program), Why::Start).unwrap(), Done::Unchanged);
        // Switched off in the desktop's startup settings (GNOME Tweaks, XFCE's session
        // settings): left alone at every start.
        for off in
            ["Hidden=true", "X-GNOME-Autostart-enabled=false", "X-MATE-Autostart-enabled=false"]
        {
            let text = std::fs::read_to_string(&path).unwrap();
            let edited = text.replace("X-GNOME-Autostart-enabled=true", off);
            std::fs::write(&path, &edited).unwrap();
            assert_eq!(apply(&folder, Some(program), Why::Start).unwrap(), Done::LeftOff);
            assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
        }
        // Turned on again in Unslouch: written anew.
        assert!(matches!(apply(&folder, Some(program), Why::Changed).unwrap(), Done::Written(_)));
        assert!(!switched_off(&std::fs::read_to_string(&path).unwrap()));
        assert_eq!(apply(&folder, None, Why::Changed).unwrap(), Done::Removed);
        assert!(!path.exists());
        assert_eq!(apply(&folder, None, Why::Start).unwrap(), Done::Unchanged);
    }

    #[test]
    fn the_entry_of_earlier_versions_is_removed_and_anything_else_there_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(OLD_ENTRY);
        let theirs = "[Desktop Entry]\nName=unslouch\nComment=unslouch startup script\n\
                      Exec=/usr/bin/unslouch ";
        std::fs::write(&old, theirs).unwrap();
        apply(dir.path(), Some(Path::new("/usr/bin/unslouch")), Why::Start).unwrap();
        assert!(!old.exists(), "auto-launch's entry removed");
        // A person's own file of that name is theirs.
        std::fs::write(&old, "[Desktop Entry]\nName=my own\n").unwrap();
        apply(dir.path(), None, Why::Start).unwrap();
        assert!(old.exists());
    }
}
