//! The driver: the one task that owns the scheduler.
//!
//! It waits in `select!` on the scheduler's next deadline (or the next idle probe, or the next
//! change of the tray's status line), on messages (control-socket requests, tray clicks,
//! answers to the reminder, lock and suspend events), and on shutdown signals. It never ticks.
//! Every input goes to `Scheduler::handle`; the effects go to the adapters (notifier, window,
//! history, tray), and the latest snapshot goes out on a `watch` channel.

use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use unslouch_core::history::{EventKind, local_day, summarize};
use unslouch_core::routines::Memory;
use unslouch_core::schedule::{Effect, Input, PauseFor, Refusal, StateName};
use unslouch_core::{Mono, Now, Scheduler, Settings, Snapshot};
use unslouch_ipc::{ErrorKind, IpcError, Reply, Request, Update, View};
use unslouch_store::{History, SettingsFile, StoreError};

use crate::autostart;
use crate::clock::Clock;
use crate::idle::IdleSource;
use crate::notifier::{Answer, Notifier};
#[cfg(target_os = "linux")]
use crate::tray::{Tray, TrayAction, TrayView};
use crate::window::{Opened, WindowLauncher};

/// While away, how often to look for the person's return (simulated time).
const PROBE_WHILE_AWAY: Duration = Duration::from_secs(5);

/// Everything that can wake the driver besides its own deadline.
#[derive(Debug)]
pub enum Msg {
    /// A request from the control socket, with where to send the reply.
    Request(Request, oneshot::Sender<Reply>),
    /// A tray menu entry.
    #[cfg(target_os = "linux")]
    Tray(TrayAction),
    /// A tray host appeared (`true`) or is missing (`false`).
    TrayHost(bool),
    /// The person answered the reminder with this id.
    Answer { id: u32, answer: Answer },
    /// The window process ended.
    WindowClosed,
    /// Lock, unlock or suspend, from the session.
    Power(Input),
    /// The machine woke from an announced sleep.
    Woke,
}

/// Problems the person should be told about, by the window and `status`.
#[derive(Debug, Default, Clone)]
struct Warnings {
    settings_set_aside: Option<String>,
    idle_unavailable: Option<String>,
    no_tray_host: bool,
    no_notifications: Option<String>,
}

impl Warnings {
    fn list(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(w) = &self.idle_unavailable {
            out.push(format!(
                "Idle detection unavailable ({w}): desk time counts all the time Unslouch runs."
            ));
        }
        if self.no_tray_host {
            out.push(
                "No tray is available on this desktop, so the Unslouch icon is hidden. On GNOME, the \
                 AppIndicator extension shows it; launching Unslouch again opens this window."
                    .into(),
            );
        }
        // The server's error is in the log; the person gets the gist.
        if self.no_notifications.is_some() {
            out.push("Notifications are not available: reminders open this window instead.".into());
        }
        if let Some(w) = &self.settings_set_aside {
            out.push(w.clone());
        }
        out
    }
}

/// What the driver needs at start.
#[derive(Debug)]
pub struct Parts {
    pub clock: Clock,
    pub settings_file: SettingsFile,
    pub settings: Settings,
    pub settings_warning: Option<String>,
    pub history: History,
    pub idle: IdleSource,
    /// Held by the open window (see `unslouch_ipc::window_lock`).
    pub window_lock: std::path::PathBuf,
}

/// The driver.
#[derive(Debug)]
pub struct Driver {
    clock: Clock,
    scheduler: Scheduler,
    settings_file: SettingsFile,
    history: History,
    idle: IdleSource,
    notifier: Notifier,
    window: WindowLauncher,
    #[cfg(target_os = "linux")]
    tray: Option<Tray>,
    snapshots: watch::Sender<Snapshot>,
    updates: broadcast::Sender<Update>,
    warnings: Warnings,
    /// Set by a Quit from the tray or the socket: the loop ends after this message.
    quitting: bool,
    /// When to take the next idle reading: fixed when a reading is taken, so that requests
    /// arriving in between (a status bar polling `status`) never postpone it.
    probe_at: Mono,
}

/// What the driver hands the control socket.
#[derive(Debug)]
pub struct Channels {
    pub snapshots: watch::Receiver<Snapshot>,
    pub updates: broadcast::Sender<Update>,
}

impl Driver {
    /// Build the driver: restore the planner's memory and today's breaks from history.
    pub async fn new(parts: Parts, msgs: mpsc::UnboundedSender<Msg>) -> (Driver, Channels) {
        let Parts { clock, settings_file, settings, settings_warning, history, idle, window_lock } =
            parts;
        let now = clock.now();
        let since = now.timestamp().saturating_sub(jiff::SignedDuration::from_hours(24 * 30)).ok();
        let events = history.events_since(since).unwrap_or_else(|e| {
            tracing::warn!("cannot read the history: {e}");
            Vec::new()
        });
        let mut memory = Memory::default();
        for e in &events {
            memory.observe(e.at, &e.kind);
        }
        let tz = now.wall.time_zone().clone();
        let today = local_day(now.timestamp(), &tz, settings.day_starts_at_hour);
        let breaks_today = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::BreakFinished { .. }))
            .filter(|e| local_day(e.at, &tz, settings.day_starts_at_hour) == today)
            .count() as u32;
        let seed = now.timestamp().as_nanosecond() as u64;
        let mut scheduler = Scheduler::new(&now, settings, memory, seed);
        scheduler.set_breaks_today(breaks_today);

        let warnings = Warnings {
            settings_set_aside: settings_warning,
            idle_unavailable: match &idle {
                IdleSource::Unavailable(reason) => Some(reason.clone()),
                _ => None,
            },
            ..Warnings::default()
        };
        let (snapshots, snapshot_rx) = watch::channel(scheduler.snapshot(&now));
        let (updates, _) = broadcast::channel(16);
        #[cfg(target_os = "linux")]
        let tray =
            Tray::start(msgs.clone(), tray_view(&scheduler.snapshot(&now), idle.is_available()))
                .await;
        let driver = Driver {
            clock,
            scheduler,
            settings_file,
            history,
            idle,
            notifier: Notifier::new(msgs.clone()),
            window: WindowLauncher::new(msgs, window_lock),
            #[cfg(target_os = "linux")]
            tray,
            snapshots,
            updates: updates.clone(),
            warnings,
            quitting: false,
            probe_at: now.mono,
        };
        (driver, Channels { snapshots: snapshot_rx, updates })
    }

    /// Run until asked to quit or signalled.
    pub async fn run(mut self, mut msgs: mpsc::UnboundedReceiver<Msg>) -> anyhow::Result<()> {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        // A first reading, so the books start from what the session says.
        self.wake().await;
        while !self.quitting {
            let now = self.clock.now();
            let wake = self.next_wake(&now);
            let sleep = tokio::time::sleep_until(self.clock.instant_at(&now, wake));
            tokio::select! {
                () = sleep => self.wake().await,
                msg = msgs.recv() => match msg {
                    Some(msg) => self.on_msg(msg).await,
                    None => break,
                },
                _ = tokio::signal::ctrl_c() => break,
                _ = terminate.recv() => break,
            }
        }
        self.shutdown().await;
        Ok(())
    }

    /// When to wake next if nothing happens: a deadline, an idle probe, or the tray's status
    /// line changing its minute.
    fn next_wake(&self, now: &Now) -> Mono {
        let mut wake =
            self.scheduler.next_deadline(now).unwrap_or(now.mono + Duration::from_secs(3600));
        if self.idle.is_available() {
            wake = wake.min(self.probe_at);
        }
        #[cfg(target_os = "linux")]
        if self.tray.is_some()
            && let Some(left) =
                self.snapshots.borrow().status.next_break_in_seconds.filter(|s| *s > 0)
        {
            // The line shows whole minutes, rounded up: it changes when `left` crosses one.
            let to_change = match left % 60 {
                0 => 60,
                r => r,
            };
            wake = wake.min(now.mono + Duration::from_secs(to_change));
        }
        // At most an hour: a wall-clock deadline is re-read after a clock change within that.
        wake.min(now.mono + Duration::from_secs(3600)).max(now.mono + Duration::from_millis(1))
    }

    /// How long the machine slept since the last look, by the boot-time clock; under 2 s is
    /// the clocks' jitter, not sleep.
    fn measured_sleep(&mut self) -> Duration {
        let slept = self.clock.slept_since_last_check();
        if slept > Duration::from_secs(2) { slept } else { Duration::ZERO }
    }

    /// A timer fired: learn about sleep and idleness, then let the scheduler catch up.
    async fn wake(&mut self) {
        let slept = self.measured_sleep();
        if !slept.is_zero() {
            tracing::info!("the machine slept {slept:?}");
            self.input(Input::Resumed { slept }).await;
        }
        let reading = self.idle.read().await;
        tracing::debug!(?reading, "idle reading");
        if reading.is_none()
            && self.warnings.idle_unavailable.is_none()
            && let IdleSource::Unavailable(reason) = &self.idle
        {
            self.warnings.idle_unavailable = Some(reason.clone());
        }
        let input = match reading {
            Some(idle) => Input::Idle { idle_for: self.clock.simulated(idle) },
            None => Input::Tick,
        };
        self.input(input).await;
        let now = self.clock.now();
        self.probe_at = self.scheduler.next_idle_probe(&now, PROBE_WHILE_AWAY);
    }

    /// Hand one input to the scheduler and carry out what follows. Returns the refusal, if any.
    async fn input(&mut self, input: Input) -> Option<Refusal> {
        let now = self.clock.now();
        let effects = self.scheduler.handle(&now, input);
        self.apply(&now, effects).await
    }

    async fn apply(&mut self, now: &Now, effects: Vec<Effect>) -> Option<Refusal> {
        let mut refusal = None;
        for effect in effects {
            match effect {
                Effect::Notify(reminder) => {
                    let s = self.scheduler.settings();
                    let (minutes, sound) = (s.snooze_minutes, s.sound);
                    match self.notifier.show(&reminder, minutes, sound).await {
                        Ok(()) => self.warnings.no_notifications = None,
                        Err(e) => {
                            tracing::warn!(
                                "no notification server answered ({e}); opening the prompt window"
                            );
                            self.warnings.no_notifications = Some(e);
                            self.open(View::Break);
                        }
                    }
                }
                Effect::Withdraw => self.notifier.withdraw().await,
                Effect::OpenBreak => self.open(View::Break),
                Effect::Record(event) => {
                    if let Err(e) = self.history.append(&event) {
                        tracing::error!("cannot record {:?}: {e}", event.kind);
                    }
                }
                Effect::SetTray(_) | Effect::Publish => {}
                Effect::Refused(r) => refusal = Some(r),
            }
        }
        self.publish(now).await;
        refusal
    }

    /// Send the snapshot to readers and the tray, when it changed.
    async fn publish(&mut self, now: &Now) {
        let snapshot = self.scheduler.snapshot(now);
        #[cfg(target_os = "linux")]
        if let Some(tray) = &mut self.tray {
            tray.show(tray_view(&snapshot, self.idle.is_available())).await;
        }
        self.snapshots.send_if_modified(|old| {
            let changed = *old != snapshot;
            *old = snapshot;
            changed
        });
    }

    /// Open the window at `view`, or send the open one there.
    fn open(&mut self, view: View) {
        match self.window.open(view) {
            Ok(Opened::Started) => {}
            Ok(Opened::AlreadyOpen) => {
                let _ = self.updates.send(Update::Show { view });
            }
            Err(e) => tracing::error!("{e}"),
        }
    }

    async fn on_msg(&mut self, msg: Msg) {
        match msg {
            Msg::Request(request, reply) => {
                let answer = self.request(request).await;
                let _ = reply.send(answer);
            }
            #[cfg(target_os = "linux")]
            Msg::Tray(action) => self.tray_action(action).await,
            Msg::TrayHost(present) => {
                if present {
                    tracing::info!("a tray host is available: the tray icon is shown");
                }
                self.warnings.no_tray_host = !present;
            }
            Msg::Answer { id, answer } => {
                if self.notifier.shown_id() != Some(id) {
                    return; // an answer to a reminder that was replaced or withdrawn
                }
                self.notifier.forget();
                let input = match answer {
                    Answer::Start => Input::StartBreak { moves: None },
                    Answer::Snooze => Input::Snooze,
                    Answer::Skip => Input::Skip,
                };
                if let Some(refusal) = self.input(input).await {
                    tracing::info!("the reminder's answer was refused: {refusal}");
                }
            }
            Msg::WindowClosed => self.window.closed(),
            Msg::Power(input) => {
                tracing::info!(?input, "session event");
                self.input(input).await;
                let now = self.clock.now();
                self.probe_at = self.scheduler.next_idle_probe(&now, PROBE_WHILE_AWAY);
            }
            Msg::Woke => {
                // An announced sleep ends here, with whatever sleep the clocks saw (zero when a
                // timer already counted it, or when it was too short to see).
                let slept = self.measured_sleep();
                tracing::info!(?slept, "the machine woke");
                self.input(Input::Resumed { slept }).await;
                let now = self.clock.now();
                self.probe_at = self.scheduler.next_idle_probe(&now, PROBE_WHILE_AWAY);
            }
        }
    }

    #[cfg(target_os = "linux")]
    async fn tray_action(&mut self, action: TrayAction) {
        let input = match action {
            TrayAction::StartBreak => Input::StartBreak { moves: None },
            TrayAction::PauseMinutes(minutes) => Input::Pause(PauseFor::Minutes { minutes }),
            TrayAction::PauseUntilTomorrow => Input::Pause(PauseFor::Tomorrow),
            TrayAction::Resume => Input::Resume,
            TrayAction::Settings => return self.open(View::Settings),
            TrayAction::History => return self.open(View::History),
            TrayAction::Open => {
                let due = self.snapshots.borrow().status.state == StateName::Due;
                return self.open(if due { View::Break } else { View::Settings });
            }
            TrayAction::Quit => {
                self.quitting = true;
                return;
            }
        };
        if let Some(refusal) = self.input(input).await {
            tracing::info!("tray: {refusal}");
        }
    }

    /// Answer one control-socket request.
    async fn request(&mut self, request: Request) -> Reply {
        let input = match request {
            Request::StartBreak { moves } => Input::StartBreak { moves },
            Request::Snooze => Input::Snooze,
            Request::Skip => Input::Skip,
            Request::Pause { pause } => Input::Pause(pause),
            Request::Resume => Input::Resume,
            Request::Break { control } => Input::Break(control),
            Request::Feedback { feel, moves } => Input::Feedback { feel, moves },
            Request::Snapshot => {
                let now = self.clock.now();
                self.publish(&now).await;
                return Reply::Snapshot { snapshot: Box::new(self.snapshots.borrow().clone()) };
            }
            Request::GetSettings => {
                return Reply::Settings {
                    settings: Box::new(self.scheduler.settings().clone()),
                    warnings: self.warnings.list(),
                };
            }
            Request::SetSettings { settings } => return self.set_settings(*settings).await,
            Request::ResetSettings => return self.set_settings(Settings::default()).await,
            Request::History { days } => return self.history_summary(days),
            Request::ExportCsv => {
                let mut out = Vec::new();
                return match self.history.export_csv(&mut out, None) {
                    Ok(_) => Reply::Csv { text: String::from_utf8_lossy(&out).into_owned() },
                    Err(e) => {
                        Reply::Error { error: IpcError::new(ErrorKind::Internal, e.to_string()) }
                    }
                };
            }
            Request::Open { view } => {
                self.open(view);
                return Reply::Done;
            }
            Request::Quit => {
                self.quitting = true;
                return Reply::Done;
            }
            // Subscriptions are kept by the control socket itself.
            Request::Subscribe => return Reply::Done,
        };
        match self.input(input).await {
            Some(refusal) => {
                Reply::Error { error: IpcError::new(ErrorKind::Refused, refusal.to_string()) }
            }
            None => Reply::Done,
        }
    }

    /// Validate, save, then apply new settings. Invalid settings change nothing.
    async fn set_settings(&mut self, settings: Settings) -> Reply {
        if let Err(problems) = settings.validate() {
            let first = problems.first().map(|p| p.field().to_string());
            let message = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
            return Reply::Error {
                error: IpcError { kind: ErrorKind::InvalidSettings, message, field: first },
            };
        }
        if let Err(e) = self.settings_file.save(&settings) {
            let kind = match e {
                StoreError::Invalid(_) => ErrorKind::InvalidSettings,
                StoreError::Io { .. } => ErrorKind::Internal,
            };
            return Reply::Error { error: IpcError::new(kind, e.to_string()) };
        }
        if settings.start_at_login != self.scheduler.settings().start_at_login
            && let Err(e) = autostart::set(settings.start_at_login)
        {
            tracing::warn!("start at login: {e}");
        }
        self.warnings.settings_set_aside = None;
        self.input(Input::Settings(Box::new(settings))).await;
        // The settings now in force, and what is still missing, for the window to show.
        Reply::Settings {
            settings: Box::new(self.scheduler.settings().clone()),
            warnings: self.warnings.list(),
        }
    }

    fn history_summary(&self, days: u16) -> Reply {
        let days = days.clamp(1, 366);
        let now = self.clock.now();
        let settings = self.scheduler.settings();
        let tz = now.wall.time_zone().clone();
        let today = local_day(now.timestamp(), &tz, settings.day_starts_at_hour);
        let since = now
            .timestamp()
            .saturating_sub(jiff::SignedDuration::from_hours(24 * (i64::from(days) + 1)))
            .ok();
        match self.history.events_since(since) {
            Ok(events) => {
                let summary = summarize(&events, &tz, settings.day_starts_at_hour, today, days);
                Reply::History { summary: Box::new(summary) }
            }
            Err(e) => Reply::Error { error: IpcError::new(ErrorKind::Internal, e.to_string()) },
        }
    }

    async fn shutdown(mut self) {
        tracing::info!("shutting down");
        let now = self.clock.now();
        let effects = self.scheduler.handle(&now, Input::Shutdown);
        self.apply(&now, effects).await;
        self.notifier.withdraw().await;
        let _ = self.updates.send(Update::Quit);
        self.window.close(Duration::from_secs(2)).await;
        #[cfg(target_os = "linux")]
        if let Some(tray) = self.tray.take() {
            tray.shutdown().await;
        }
    }
}

/// The tray's view of a snapshot.
#[cfg(target_os = "linux")]
fn tray_view(snapshot: &Snapshot, idle_available: bool) -> TrayView {
    TrayView {
        status: status_line(snapshot, idle_available),
        icon: snapshot.tray,
        idle_unavailable: !idle_available,
        paused: snapshot.status.state == StateName::Paused,
    }
}

/// The one-line status the tray menu and `unslouch status` show.
pub fn status_line(snapshot: &Snapshot, idle_available: bool) -> String {
    let s = &snapshot.status;
    let minutes = |secs: u64| secs.div_ceil(60);
    let line = match s.state {
        StateName::Working => match s.next_break_in_seconds {
            Some(secs) if snapshot.snoozes > 0 => {
                format!("Snoozed: break in {} min", minutes(secs))
            }
            Some(secs) => format!("Next break in {} min", minutes(secs)),
            None => "Counting desk time".into(),
        },
        StateName::Due => "Break due now".into(),
        StateName::InBreak => "On a break".into(),
        StateName::Paused => match s.paused_until {
            Some(until) => format!("Paused until {}", clock_time(until)),
            None => "Paused".into(),
        },
        StateName::OffHours => "Outside work hours".into(),
        StateName::Away => "Away from the desk".into(),
    };
    if idle_available { line } else { format!("{line} · Idle detection unavailable") }
}

/// `14:30`, or `Tue 09:00` when not today.
fn clock_time(at: Timestamp) -> String {
    let local = at.to_zoned(jiff::tz::TimeZone::system());
    let today = jiff::Zoned::now().date();
    if local.date() == today {
        local.strftime("%H:%M").to_string()
    } else {
        local.strftime("%a %H:%M").to_string()
    }
}
