//! The tray icon and its menu, through `ksni` (StatusNotifierItem over D-Bus; no GTK).
//!
//! The menu is the contract's: a disabled status line, `Start a break now`, three pauses,
//! `Resume`, `Settings…`, `History…`, `Quit Unslouch`. Each entry is mapped here, once, to a
//! typed [`TrayAction`] sent to the driver; the tray decides nothing itself. When no tray host
//! is on the bus (stock GNOME without the AppIndicator extension) the tray still starts, waits
//! for a host, and the driver is told so it can say it in the window.
//!
//! [`Tray`] is the one facade: where there is no StatusNotifierItem (not Linux) it starts as
//! nothing, and the driver needs no platform switches of its own.

#[cfg(target_os = "linux")]
use ksni::TrayMethods;
use unslouch_core::schedule::TrayIcon;

#[cfg(target_os = "linux")]
use crate::icons::{self, Pixmap};
use crate::sink::Sink;

/// What the tray reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A menu entry or the icon was chosen.
    Action(TrayAction),
    /// A tray host appeared (`true`) or is missing (`false`).
    Host(bool),
}

/// What a tray entry asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    StartBreak,
    /// A full session (warm-up, strength, stretches).
    StartSession,
    PauseMinutes(u32),
    PauseUntilTomorrow,
    Resume,
    Settings,
    History,
    Quit,
    /// A click on the icon itself.
    Open,
}

/// What the tray shows.
#[derive(Debug, Clone, PartialEq)]
pub struct TrayView {
    pub status: String,
    pub icon: TrayIcon,
    pub idle_unavailable: bool,
    pub paused: bool,
}

/// The tray's state.
#[cfg(target_os = "linux")]
#[derive(Debug)]
struct UnslouchTray {
    events: Sink<Event>,
    view: TrayView,
}

#[cfg(target_os = "linux")]
impl UnslouchTray {
    fn send(&self, action: TrayAction) {
        self.events.send(Event::Action(action));
    }

    fn pixmap(&self) -> Pixmap {
        if self.view.idle_unavailable && self.view.icon == TrayIcon::Counting {
            return icons::UNAVAILABLE;
        }
        match self.view.icon {
            TrayIcon::Counting => icons::COUNTING,
            TrayIcon::Due => icons::DUE,
            TrayIcon::Paused => icons::PAUSED,
        }
    }
}

#[cfg(target_os = "linux")]
impl ksni::Tray for UnslouchTray {
    fn id(&self) -> String {
        "unslouch".into()
    }

    fn title(&self) -> String {
        "Unslouch".into()
    }

    fn category(&self) -> ksni::Category {
        ksni::Category::ApplicationStatus
    }

    fn status(&self) -> ksni::Status {
        match self.view.icon {
            TrayIcon::Due => ksni::Status::NeedsAttention,
            TrayIcon::Counting | TrayIcon::Paused => ksni::Status::Active,
        }
    }

    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        let p = self.pixmap();
        vec![ksni::Icon { width: p.width, height: p.height, data: p.argb.to_vec() }]
    }

    fn attention_icon_pixmap(&self) -> Vec<ksni::Icon> {
        let p = icons::DUE;
        vec![ksni::Icon { width: p.width, height: p.height, data: p.argb.to_vec() }]
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip {
            title: "Unslouch".into(),
            description: self.view.status.clone(),
            ..Default::default()
        }
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        self.send(TrayAction::Open);
    }

    fn menu(&self) -> Vec<ksni::MenuItem<Self>> {
        use ksni::menu::StandardItem;
        let item = |label: &str, action: TrayAction, enabled: bool| -> ksni::MenuItem<Self> {
            StandardItem {
                label: label.into(),
                enabled,
                activate: Box::new(move |tray: &mut Self| tray.send(action)),
                ..Default::default()
            }
            .into()
        };
        let paused = self.view.paused;
        vec![
            StandardItem { label: self.view.status.clone(), enabled: false, ..Default::default() }
                .into(),
            ksni::MenuItem::Separator,
            item("Start a break now", TrayAction::StartBreak, true),
            item("Start a full session (about 15 min)", TrayAction::StartSession, true),
            item("Pause for 30 minutes", TrayAction::PauseMinutes(30), true),
            item("Pause for 1 hour", TrayAction::PauseMinutes(60), true),
            item("Pause until tomorrow", TrayAction::PauseUntilTomorrow, true),
            item("Resume", TrayAction::Resume, paused),
            ksni::MenuItem::Separator,
            item("Settings…", TrayAction::Settings, true),
            item("History…", TrayAction::History, true),
            ksni::MenuItem::Separator,
            item("Quit Unslouch", TrayAction::Quit, true),
        ]
    }

    fn watcher_online(&self) {
        self.events.send(Event::Host(true));
    }

    fn watcher_offline(&self, reason: ksni::OfflineReason) -> bool {
        tracing::info!(?reason, "no tray host on the session bus; waiting for one to appear");
        self.events.send(Event::Host(false));
        true
    }
}

/// A running tray.
pub struct Tray {
    #[cfg(target_os = "linux")]
    handle: ksni::Handle<UnslouchTray>,
    shown: TrayView,
}

impl std::fmt::Debug for Tray {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tray").field("shown", &self.shown).finish_non_exhaustive()
    }
}

#[cfg(not(target_os = "linux"))]
impl Tray {
    /// No tray on this platform.
    pub async fn start(_events: Sink<Event>, _view: TrayView) -> Option<Tray> {
        None
    }

    pub async fn show(&mut self, view: TrayView) {
        self.shown = view;
    }

    pub async fn shutdown(self) {}
}

#[cfg(target_os = "linux")]
impl Tray {
    /// Start the tray. `None` (after a warning) when there is no session bus at all.
    pub async fn start(events: Sink<Event>, view: TrayView) -> Option<Tray> {
        let tray = UnslouchTray { events, view: view.clone() };
        match tray.assume_sni_available(true).spawn().await {
            Ok(handle) => Some(Tray { handle, shown: view }),
            Err(e) => {
                tracing::warn!("no tray icon: {e}");
                None
            }
        }
    }

    /// Show `view`, if it differs from what is shown.
    pub async fn show(&mut self, view: TrayView) {
        if view != self.shown {
            self.shown = view.clone();
            self.handle.update(move |tray| tray.view = view).await;
        }
    }

    pub async fn shutdown(self) {
        self.handle.shutdown().await;
    }
}
