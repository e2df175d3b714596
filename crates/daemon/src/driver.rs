//! The driver: the one task that owns the scheduler.
//!
//! It waits in `select!` on the scheduler's next deadline (or the next idle probe, or the next
//! change of the tray's status line), on messages (control-socket requests, tray clicks,
//! answers to the reminder, lock and suspend events), and on shutdown signals. It never ticks.
//! Every input goes to `Scheduler::handle`; the effects go to the adapters (notifier, window,
//! history, tray), and the latest snapshot goes out on a `watch` channel.
//!
//! Nothing it awaits can hang it: the notification server is called from tasks of their own
//! (their outcome comes back as a message), idle readings and tray updates are bounded by
//! timeouts, and a history write that fails is kept and tried again rather than lost.

use std::collections::VecDeque;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use unslouch_core::history::{Event, local_day, summarize};
use unslouch_core::schedule::{Effect, Input, PauseFor, Refusal, StateName};
use unslouch_core::{Mono, Now, Scheduler, Settings, Snapshot};
use unslouch_ipc::{ErrorKind, IpcError, Reply, Request, Update, View};
use unslouch_store::{History, SettingsFile, StoreError};

use crate::autostart;
use crate::clock::Clock;
use crate::idle::IdleSource;
use crate::notifier::{Answer, Notifier, Sent};
#[cfg(target_os = "linux")]
use crate::tray::{Tray, TrayAction, TrayView};
use crate::window::{Opened, WindowLauncher};

/// While away, how often to look for the person's return (simulated time).
const PROBE_WHILE_AWAY: Duration = Duration::from_secs(5);

/// Events kept in memory while history cannot be written (weeks of them); past that the oldest
/// are given up, and the warning says how many.
const UNWRITTEN_MAX: usize = 10_000;

/// First and longest wait before trying again something that failed (a history write, finding
/// an idle source).
const RETRY_FIRST: Duration = Duration::from_secs(5);
const RETRY_LONGEST: Duration = Duration::from_secs(600);

/// How long a tray update may take.
const TRAY_TIMEOUT: Duration = Duration::from_secs(1);

/// A retry with back-off: when, and how long the wait after that one.
#[derive(Debug, Clone, Copy)]
struct Retry {
    at: Mono,
    next_wait: Duration,
}

impl Retry {
    /// The first retry after a failure at `now`, or the one after `previous`.
    fn after(now: Mono, previous: Option<Retry>) -> Retry {
        let wait = previous.map_or(RETRY_FIRST, |r| r.next_wait);
        Retry { at: now + wait, next_wait: (wait * 2).min(RETRY_LONGEST) }
    }
}

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
    /// A reminder reached the notification server, or failed to.
    Notified(Box<Sent>),
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
    /// The history database was set aside at start.
    history_set_aside: Option<String>,
    /// Events waiting to be written, and why the last write failed.
    history_unwritten: Option<(usize, String)>,
    /// Events given up because too many were waiting.
    history_lost: usize,
    /// The window program cannot be started.
    window_missing: Option<String>,
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
        if let Some(w) = &self.history_set_aside {
            out.push(w.clone());
        }
        if let Some((n, why)) = &self.history_unwritten {
            out.push(format!(
                "History cannot be written ({why}): {n} event{} kept in memory and tried again.",
                if *n == 1 { "" } else { "s" }
            ));
        }
        if self.history_lost > 0 {
            out.push(format!(
                "History could not be written for too long: {} event{} were given up.",
                self.history_lost,
                if self.history_lost == 1 { "" } else { "s" }
            ));
        }
        if let Some(w) = &self.window_missing {
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
    pub history_warning: Option<String>,
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
    /// The view last sent to an open window: a window still starting up, not yet subscribed,
    /// is sent it when it subscribes.
    shown: watch::Sender<Option<(View, std::time::Instant)>>,
    warnings: Warnings,
    /// Set by a Quit from the tray or the socket: the loop ends after this message.
    quitting: bool,
    /// When to take the next idle reading, if at all: fixed when a reading is taken, so that
    /// requests arriving in between (a status bar polling `status`) never postpone it.
    probe_at: Option<Mono>,
    /// Events not written to history yet, oldest first, and when to try again.
    unwritten: VecDeque<Event>,
    history_retry: Option<Retry>,
    /// When to look for an idle source again, after one that worked failed.
    idle_retry: Option<Retry>,
    /// Deadlines found already due (a bug: the daemon would spin); counted and logged.
    past_deadlines: u64,
}

/// What the driver hands the control socket.
#[derive(Debug)]
pub struct Channels {
    pub snapshots: watch::Receiver<Snapshot>,
    pub updates: broadcast::Sender<Update>,
    /// The view last sent to an open window, and when (see `control`).
    pub shown: watch::Receiver<Option<(View, std::time::Instant)>>,
}

impl Driver {
    /// Build the driver: the scheduler carries on from what history says.
    ///
    /// Returns at once: the desktop's services (idle source, tray) come with [`Driver::attach`],
    /// so that the control socket can be served before they are looked for.
    pub fn new(parts: Parts, msgs: mpsc::UnboundedSender<Msg>) -> (Driver, Channels) {
        let Parts {
            clock,
            settings_file,
            settings,
            settings_warning,
            history,
            history_warning,
            window_lock,
        } = parts;
        let now = clock.now();
        let since = now.timestamp().saturating_sub(jiff::SignedDuration::from_hours(24 * 30)).ok();
        let events = history.events_since(since).unwrap_or_else(|e| {
            tracing::warn!("cannot read the history: {e}");
            Vec::new()
        });
        let seed = now.timestamp().as_nanosecond() as u64;
        let scheduler = Scheduler::restore(&now, settings, &events, seed);
        let warnings = Warnings {
            settings_set_aside: settings_warning.as_deref().map(capitalised),
            history_set_aside: history_warning.as_deref().map(capitalised),
            ..Warnings::default()
        };
        let (snapshots, snapshot_rx) = watch::channel(scheduler.snapshot(&now));
        let (updates, _) = broadcast::channel(16);
        let (shown, shown_rx) = watch::channel(None);
        let driver = Driver {
            clock,
            scheduler,
            settings_file,
            history,
            idle: IdleSource::Unavailable("not looked for yet".into()),
            notifier: Notifier::new(msgs.clone(), None),
            window: WindowLauncher::new(msgs, window_lock),
            #[cfg(target_os = "linux")]
            tray: None,
            snapshots,
            updates: updates.clone(),
            shown,
            warnings,
            quitting: false,
            probe_at: Some(now.mono),
            unwritten: VecDeque::new(),
            history_retry: None,
            idle_retry: None,
            past_deadlines: 0,
        };
        (driver, Channels { snapshots: snapshot_rx, updates, shown: shown_rx })
    }

    /// Take the idle source found and the session bus reminders go out on (already listening
    /// for their answers), and start the tray (bounded in time).
    pub async fn attach(
        &mut self,
        idle: IdleSource,
        bus: Option<zbus::Connection>,
        msgs: mpsc::UnboundedSender<Msg>,
    ) {
        self.notifier = Notifier::new(msgs.clone(), bus);
        if let IdleSource::Unavailable(reason) = &idle {
            self.warnings.idle_unavailable = Some(reason.clone());
        }
        self.idle = idle;
        #[cfg(target_os = "linux")]
        {
            let now = self.clock.now();
            let view = tray_view(&self.scheduler.snapshot(&now), self.idle.is_available());
            self.tray = match tokio::time::timeout(TRAY_TIMEOUT * 3, Tray::start(msgs, view)).await
            {
                Ok(tray) => tray,
                Err(_) => {
                    tracing::warn!("the tray did not start in time: no tray icon");
                    None
                }
            };
        }
        #[cfg(not(target_os = "linux"))]
        drop(msgs);
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        self.scheduler.settings()
    }

    /// Run until asked to quit or signalled.
    pub async fn run(mut self, mut msgs: mpsc::UnboundedReceiver<Msg>) -> anyhow::Result<()> {
        use tokio::signal::unix::{SignalKind, signal};
        // Each listened to once, for the whole run. SIGHUP (the terminal or session went away)
        // closes the books like SIGTERM instead of killing the process with them open.
        let mut terminate = signal(SignalKind::terminate())?;
        let mut hangup = signal(SignalKind::hangup())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
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
                _ = interrupt.recv() => break,
                _ = terminate.recv() => break,
                _ = hangup.recv() => break,
            }
        }
        self.shutdown().await;
        Ok(())
    }

    /// When to wake next if nothing happens: a deadline, an idle probe, or the tray's status
    /// line changing its minute.
    fn next_wake(&mut self, now: &Now) -> Mono {
        let mut wake =
            self.scheduler.next_deadline(now).unwrap_or(now.mono + Duration::from_secs(3600));
        if self.idle.is_available()
            && let Some(probe) = self.probe_at
        {
            wake = wake.min(probe);
        }
        for retry in [self.history_retry, self.idle_retry].into_iter().flatten() {
            wake = wake.min(retry.at);
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
        let wake = wake.min(now.mono + Duration::from_secs(3600));
        if wake <= now.mono {
            // Something asked to be woken for what was already handled: waking at once would
            // repeat forever. Say so, count it, and wait a second instead.
            self.past_deadlines += 1;
            tracing::error!(
                count = self.past_deadlines,
                state = ?self.scheduler.state(),
                "a deadline already due ({:?} ago); waiting a second",
                now.mono - wake
            );
            return now.mono + Duration::from_secs(1);
        }
        wake
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
        let now = self.clock.now();
        if self.history_retry.is_some_and(|r| r.at <= now.mono) {
            self.flush_history();
        }
        if self.idle_retry.is_some_and(|r| r.at <= now.mono) {
            self.find_idle_source().await;
        }
        let was_available = self.idle.is_available();
        // Readings are needed only when an idle spell could have reached the threshold (a
        // shorter one changes nothing), or at a checkpoint: the probe's time. The clock is read
        // again, since finding a source took time and asks for a reading at once.
        let probe_due = self.probe_at.is_some_and(|at| at <= self.clock.now().mono);
        let reading = if probe_due { self.idle.read().await } else { None };
        if was_available && !self.idle.is_available() {
            // It worked and stopped (gnome-shell restarted, the X server went away): desk time
            // counts all the time meanwhile, and the source is looked for again later.
            self.idle_retry = Some(Retry::after(self.clock.now().mono, None));
            self.input(Input::IdleSourceLost).await;
        }
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
        if probe_due || reading.is_some() {
            let now = self.clock.now();
            self.probe_at = self.scheduler.next_idle_probe(&now, PROBE_WHILE_AWAY);
        }
    }

    /// Look for an idle source again; on failure, again later with a longer wait.
    async fn find_idle_source(&mut self) {
        let source = IdleSource::detect().await;
        let now = self.clock.now();
        if source.is_available() {
            tracing::info!("idle detection works again: {}", source.name());
            self.idle = source;
            self.idle_retry = None;
            self.warnings.idle_unavailable = None;
            self.probe_at = Some(now.mono);
        } else {
            self.idle_retry = Some(Retry::after(now.mono, self.idle_retry));
        }
    }

    /// Append an event to history, behind any that are still waiting.
    fn record(&mut self, event: Event) {
        if self.unwritten.len() == UNWRITTEN_MAX {
            let lost = self.unwritten.pop_front();
            self.warnings.history_lost += 1;
            tracing::error!("too many events waiting for history; gave up {lost:?}");
        }
        self.unwritten.push_back(event);
        if self.history_retry.is_none() {
            self.flush_history();
        }
    }

    /// Write the waiting events, oldest first, until one fails.
    fn flush_history(&mut self) {
        while let Some(event) = self.unwritten.front() {
            match self.history.append(event) {
                Ok(()) => {
                    self.unwritten.pop_front();
                }
                Err(e) => {
                    let now = self.clock.now().mono;
                    self.history_retry = Some(Retry::after(now, self.history_retry));
                    if self.warnings.history_unwritten.is_none() {
                        tracing::error!("cannot write to the history: {e}; trying again later");
                    }
                    self.warnings.history_unwritten = Some((self.unwritten.len(), e.to_string()));
                    return;
                }
            }
        }
        if self.warnings.history_unwritten.take().is_some() {
            tracing::info!("history written again");
        }
        self.history_retry = None;
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
                    self.notifier.show(&reminder, s.snooze_minutes, s.sound);
                }
                Effect::Withdraw => self.notifier.withdraw(),
                Effect::OpenBreak => {
                    let _ = self.open(View::Break);
                }
                Effect::Record(event) => self.record(event),
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
            let view = tray_view(&snapshot, self.idle.is_available());
            if tokio::time::timeout(TRAY_TIMEOUT, tray.show(view)).await.is_err() {
                tracing::warn!("the tray did not take an update in {TRAY_TIMEOUT:?}");
            }
        }
        self.snapshots.send_if_modified(|old| {
            let changed = *old != snapshot;
            *old = snapshot;
            changed
        });
    }

    /// Open the window at `view`, or send the open one there.
    fn open(&mut self, view: View) -> Result<(), String> {
        match self.window.open(view) {
            Ok(Opened::Started) => {
                self.warnings.window_missing = None;
                self.shown.send_replace(None);
                Ok(())
            }
            Ok(Opened::AlreadyOpen) => {
                let _ = self.updates.send(Update::Show { view });
                self.shown.send_replace(Some((view, std::time::Instant::now())));
                Ok(())
            }
            Err(e) => {
                tracing::error!("{e}");
                self.warnings.window_missing =
                    Some(format!("The Unslouch window cannot be opened: {e}."));
                Err(e)
            }
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
            Msg::Notified(sent) => match self.notifier.sent(*sent) {
                Ok(None) => self.warnings.no_notifications = None,
                Ok(Some(answer)) => self.answer(answer).await,
                Err(e) => {
                    tracing::warn!(
                        "no notification server answered ({e}); opening the prompt window"
                    );
                    self.warnings.no_notifications = Some(e);
                    let _ = self.open(View::Break);
                }
            },
            Msg::Answer { id, answer } => {
                // An answer to a reminder that was replaced or withdrawn is None here.
                if let Some(answer) = self.notifier.answered(id, answer) {
                    self.answer(answer).await;
                }
            }
            Msg::WindowClosed => {
                self.window.closed();
                self.shown.send_replace(None);
            }
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

    /// The person answered the reminder on screen.
    async fn answer(&mut self, answer: Answer) {
        let input = match answer {
            Answer::Start if let Err(why) = self.window.check() => {
                // Nobody could see the break: leave the reminder due, and say why.
                self.warnings.window_missing =
                    Some(format!("The Unslouch window cannot be opened: {why}."));
                return;
            }
            Answer::Start => Input::StartBreak { moves: None },
            Answer::Snooze => Input::Snooze,
            Answer::Skip => Input::Skip,
        };
        if let Some(refusal) = self.input(input).await {
            tracing::info!("the reminder's answer was refused: {refusal}");
        }
    }

    #[cfg(target_os = "linux")]
    async fn tray_action(&mut self, action: TrayAction) {
        let input = match action {
            TrayAction::StartBreak => Input::StartBreak { moves: None },
            TrayAction::PauseMinutes(minutes) => Input::Pause(PauseFor::Minutes { minutes }),
            TrayAction::PauseUntilTomorrow => Input::Pause(PauseFor::Tomorrow),
            TrayAction::Resume => Input::Resume,
            TrayAction::Settings => return drop(self.open(View::Settings)),
            TrayAction::History => return drop(self.open(View::History)),
            TrayAction::Open => {
                let due = self.snapshots.borrow().status.state == StateName::Due;
                return drop(self.open(if due { View::Break } else { View::Settings }));
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
            Request::StartBreak { .. } if let Err(why) = self.window.check() => {
                // A break nobody can see would be recorded as taken: refuse it.
                self.warnings.window_missing =
                    Some(format!("The Unslouch window cannot be opened: {why}."));
                return Reply::Error { error: IpcError::new(ErrorKind::Internal, why) };
            }
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
            Request::ExportCsv { name } => return self.export(&name),
            Request::Open { view } => {
                return match self.open(view) {
                    Ok(()) => Reply::Done,
                    Err(e) => Reply::Error { error: IpcError::new(ErrorKind::Internal, e) },
                };
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
        match self.settings_file.save(&settings, self.clock.now().timestamp()) {
            Ok(None) => self.warnings.settings_set_aside = None,
            Ok(Some(kept)) => {
                // A hand edit is never lost: it was kept aside, and the person is told where.
                tracing::warn!("{kept}");
                self.warnings.settings_set_aside = Some(capitalised(&kept.to_string()));
            }
            Err(e) => {
                let kind = match e {
                    StoreError::Invalid(_) => ErrorKind::InvalidSettings,
                    StoreError::Io { .. } => ErrorKind::Internal,
                };
                return Reply::Error { error: IpcError::new(kind, e.to_string()) };
            }
        }
        if settings.start_at_login != self.scheduler.settings().start_at_login
            && let Err(e) = autostart::set(settings.start_at_login)
        {
            tracing::warn!("start at login: {e}");
        }
        self.input(Input::Settings(Box::new(settings))).await;
        // A new natural-break threshold moves the next reading.
        let now = self.clock.now();
        self.probe_at = self.scheduler.next_idle_probe(&now, PROBE_WHILE_AWAY);
        // The settings now in force, and what is still missing, for the window to show.
        Reply::Settings {
            settings: Box::new(self.scheduler.settings().clone()),
            warnings: self.warnings.list(),
        }
    }

    /// Write the history as CSV into the Downloads folder under `name`, never over a file that
    /// is there (`name-1.csv`, `name-2.csv`...).
    fn export(&self, name: &str) -> Reply {
        let error = |kind, message: String| Reply::Error { error: IpcError::new(kind, message) };
        // Only a plain file name: nothing that climbs out of the folder.
        let Some(name) = std::path::Path::new(name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
        else {
            return error(ErrorKind::BadRequest, "no file name".into());
        };
        let Some(dir) = unslouch_ipc::paths::downloads_dir() else {
            return error(ErrorKind::Internal, "no home folder".into());
        };
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return error(ErrorKind::Internal, format!("cannot create {}: {e}", dir.display()));
        }
        let (stem, ext) = match name.rsplit_once('.') {
            Some((stem, ext)) => (stem.to_string(), format!(".{ext}")),
            None => (name.clone(), String::new()),
        };
        let free = (0..1000)
            .map(|n| if n == 0 { dir.join(&name) } else { dir.join(format!("{stem}-{n}{ext}")) })
            .find(|candidate| !candidate.exists());
        let Some(path) = free else {
            return error(ErrorKind::Internal, "too many exports with this name already".into());
        };
        match self.history.export_csv_to_file(&path, None) {
            Ok(rows) => Reply::Exported { path: path.display().to_string(), rows },
            Err(e) => error(ErrorKind::Internal, e.to_string()),
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
        // Everything still waiting is tried once more; what cannot be written is named.
        self.flush_history();
        if !self.unwritten.is_empty() {
            tracing::error!(
                "{} events could not be written to history: {:?}",
                self.unwritten.len(),
                self.unwritten
            );
        }
        // Waited for (bounded): the runtime ends with this function, and a reminder left on
        // screen would have buttons nobody answers.
        self.notifier.withdraw_now().await;
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

/// `text` with its first letter in capitals (the store's messages are written to follow a colon).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
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
