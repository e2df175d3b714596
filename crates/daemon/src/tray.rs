//! The tray icon and its menu, through `ksni` (StatusNotifierItem over D-Bus; no GTK).
//!
//! Menu entries send a [`Command`] to the resident process; the tray decides nothing itself.
//! When no tray host is on the bus (stock GNOME without the AppIndicator extension), the tray
//! still starts and waits for one to appear, and Unslouch keeps running.

use ksni::TrayMethods;
use tokio::sync::mpsc::UnboundedSender;

use crate::Command;
use crate::icons::{self, Pixmap};

/// The tray's state.
#[derive(Debug)]
pub struct UnslouchTray {
    commands: UnboundedSender<Command>,
    /// The disabled first line of the menu.
    status: String,
    icon: Pixmap,
}

impl ksni::Tray for UnslouchTray {
    const MENU_ON_ACTIVATE: bool = true;

    fn id(&self) -> String {
        "unslouch".into()
    }

    fn title(&self) -> String {
        "Unslouch".into()
    }

    fn category(&self) -> ksni::Category {
        ksni::Category::ApplicationStatus
    }

    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        vec![ksni::Icon {
            width: self.icon.width,
            height: self.icon.height,
            data: self.icon.argb.clone(),
        }]
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip {
            title: "Unslouch".into(),
            description: self.status.clone(),
            ..Default::default()
        }
    }

    fn menu(&self) -> Vec<ksni::MenuItem<Self>> {
        use ksni::menu::StandardItem;
        vec![
            StandardItem { label: self.status.clone(), enabled: false, ..Default::default() }
                .into(),
            ksni::MenuItem::Separator,
            StandardItem {
                label: "Quit Unslouch".into(),
                icon_name: "application-exit".into(),
                activate: Box::new(|tray: &mut Self| {
                    let _ = tray.commands.send(Command::Quit);
                }),
                ..Default::default()
            }
            .into(),
        ]
    }

    fn watcher_online(&self) {
        tracing::info!("a tray host is available: the tray icon is shown");
    }

    fn watcher_offline(&self, reason: ksni::OfflineReason) -> bool {
        tracing::warn!(?reason, "no tray host on the session bus; waiting for one to appear");
        true
    }
}

/// Start the tray. `None` (after a warning) when there is no session bus at all.
pub async fn start(commands: UnboundedSender<Command>) -> Option<ksni::Handle<UnslouchTray>> {
    let icon = match icons::decode(icons::COUNTING) {
        Ok(icon) => icon,
        Err(e) => {
            tracing::error!("the tray icon does not decode: {e}");
            return None;
        }
    };
    let tray = UnslouchTray { commands, status: "Counting desk time".into(), icon };
    match tray.assume_sni_available(true).spawn().await {
        Ok(handle) => Some(handle),
        Err(e) => {
            tracing::warn!("no tray: {e}");
            None
        }
    }
}
