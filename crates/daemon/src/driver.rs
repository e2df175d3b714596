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
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt as _;
use tokio::sync::{broadcast, mpsc, watch};
use unslouch_core::desk::Presence;
use unslouch_core::history::{Event, local_day, summarize};
use unslouch_core::hold::{self, HoldReason};
use unslouch_core::routines::{Catalog, CustomMoveProblem};
use unslouch_core::schedule::{Ask, Effect, Input, PauseFor, Refusal, StateName};
use unslouch_core::{Mono, Now, Scheduler, Settings, Snapshot};
use unslouch_ipc::{IpcError, Reply, Request, Update, View, Warning};
use unslouch_store::{History, SettingsFile, StoreError};

use crate::autostart;
use crate::clock::Clock;
use crate::control::{Call, Channels};
use crate::idle::IdleSource;
use crate::notifier::{self, Answer, Notifier};
use crate::power;
use crate::sink::Sink;
use crate::tray::{self, Tray, TrayAction, TrayView};
use crate::window::{Opened, WindowLauncher};
use crate::{dnd, fullscreen, inhibitors, meeting};

/// While away, how often to look for the person's return (simulated time).
const PROBE_WHILE_AWAY: Duration = Duration::from_secs(5);

/// How long a watch's word may come after a reading that saw the same input.
const WATCH_LATE: Duration = Duration::from_millis(200);

/// The same while the idle source watches for the return and tells it as it comes: these
/// readings only guard against a watch that stopped working unnoticed (a restarted service).
const PROBE_WHILE_WATCHED: Duration = Duration::from_secs(60);

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

/// Everything that can wake the driver besides its own deadline: what each adapter reports.
#[derive(Debug)]
pub enum Msg {
    /// A request from the control socket, with where to send the reply.
    Call(Call),
    Tray(tray::Event),
    Notifier(notifier::Event),
    /// A window process ended.
    WindowClosed(crate::window::Closed),
    /// Lock, unlock, suspend and wake, from the session.
    Power(power::Event),
    /// Something that holds reminders back began (`true`) or ended: Do Not Disturb, a
    /// fullscreen window.
    Hold(HoldReason, bool),
    /// Cameras and microphones in use.
    Meeting(meeting::InUse),
}

impl Msg {
    /// Where the control socket sends its requests.
    pub fn calls(queue: &mpsc::UnboundedSender<Msg>) -> Sink<Call> {
        Sink::new(queue.clone(), Msg::Call)
    }

    /// Where the session's lock and sleep events go.
    pub fn power(queue: &mpsc::UnboundedSender<Msg>) -> Sink<power::Event> {
        Sink::new(queue.clone(), Msg::Power)
    }

    /// Where the notifier's answers and reports go.
    pub fn notifier(queue: &mpsc::UnboundedSender<Msg>) -> Sink<notifier::Event> {
        Sink::new(queue.clone(), Msg::Notifier)
    }
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
    /// Moves of the person's own that were left out (read once, at start-up).
    move_problems: Vec<CustomMoveProblem>,
}

impl Warnings {
    fn list(&self) -> Vec<Warning> {
        let mut out = Vec::new();
        if let Some(reason) = &self.idle_unavailable {
            out.push(Warning::IdleUnavailable { reason: reason.clone() });
        }
        if self.no_tray_host {
            out.push(Warning::NoTrayHost);
        }
        // The server's error is in the log; the person gets the gist.
        if self.no_notifications.is_some() {
            out.push(Warning::NoNotifications);
        }
        if let Some(detail) = &self.settings_set_aside {
            out.push(Warning::SettingsFile { detail: detail.clone() });
        }
        if let Some(detail) = &self.history_set_aside {
            out.push(Warning::HistoryFile { detail: detail.clone() });
        }
        if let Some((events, reason)) = &self.history_unwritten {
            out.push(Warning::HistoryUnwritten { events: *events, reason: reason.clone() });
        }
        if self.history_lost > 0 {
            out.push(Warning::HistoryLost { events: self.history_lost });
        }
        if let Some(reason) = &self.window_missing {
            out.push(Warning::WindowMissing { reason: reason.clone() });
        }
        if !self.move_problems.is_empty() {
            out.push(Warning::CustomMoves { problems: self.move_problems.clone() });
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
    /// Our moves and the person's own.
    pub catalog: Arc<Catalog>,
    /// The person's moves that were left out, and why.
    pub move_problems: Vec<CustomMoveProblem>,
}

/// The driver.
#[derive(Debug)]
pub struct Driver {
    /// Asked to start again from the program as installed now.
    restarting: bool,
    /// The cameras and microphones in use, and whether that makes a meeting as the settings
    /// say (last told to the scheduler).
    devices: meeting::InUse,
    in_meeting: bool,
    clock: Clock,
    scheduler: Scheduler,
    settings_file: SettingsFile,
    history: History,
    idle: IdleSource,
    notifier: Notifier,
    window: WindowLauncher,
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
    /// Whether the idle source watches for the person's return (set while they are away).
    watching_return: bool,
    /// A watch was just set: a reading then sees an input that came before it could.
    check_return: bool,
    /// Events not written to history yet, oldest first, and when to try again.
    unwritten: VecDeque<Event>,
    history_retry: Option<Retry>,
    /// When to look for an idle source again, after one that worked failed.
    idle_retry: Option<Retry>,
    /// Deadlines found already due (a bug: the daemon would spin); counted and logged.
    past_deadlines: u64,
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
            catalog,
            move_problems,
        } = parts;
        let now = clock.now();
        let since = now.timestamp().saturating_sub(jiff::SignedDuration::from_hours(24 * 30)).ok();
        let events = history.events_to_restore(since).unwrap_or_else(|e| {
            tracing::warn!("cannot read the history: {e}");
            Vec::new()
        });
        let seed = now.timestamp().as_nanosecond() as u64;
        let scheduler = Scheduler::restore_in(catalog, &now, settings, &events, seed);
        let warnings = Warnings {
            settings_set_aside: settings_warning,
            history_set_aside: history_warning,
            move_problems,
            ..Warnings::default()
        };
        let (snapshots, snapshot_rx) = watch::channel(scheduler.snapshot(&now));
        let (updates, _) = broadcast::channel(16);
        let (shown, shown_rx) = watch::channel(None);
        let driver = Driver {
            restarting: false,
            devices: meeting::InUse::default(),
            in_meeting: false,
            clock,
            scheduler,
            settings_file,
            history,
            idle: IdleSource::Unavailable("not looked for yet".into()),
            notifier: Notifier::new(Msg::notifier(&msgs), None),
            window: WindowLauncher::new(Sink::new(msgs, Msg::WindowClosed), window_lock),
            tray: None,
            snapshots,
            updates: updates.clone(),
            shown,
            warnings,
            quitting: false,
            probe_at: Some(now.mono),
            watching_return: false,
            check_return: false,
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
        if let Some(bus) = bus.clone() {
            // Its own task: a notification server that hangs delays nothing else.
            let events = Sink::new(msgs.clone(), |on| Msg::Hold(HoldReason::Dnd, on));
            tokio::spawn(async move {
                match dnd::follow(bus, events).await {
                    Ok(source) => tracing::info!(?source, "following Do Not Disturb"),
                    // Said once; never guessed.
                    Err(why) => tracing::info!("Do Not Disturb cannot be followed here: {why}"),
                }
            });
        }
        // Fullscreen: on X11, on a thread of its own (connecting to a stuck X server blocks
        // only it); on Wayland, as the GNOME session's inhibitors tell it, in a task of its own.
        if !cfg!(test) {
            let events = Sink::new(msgs.clone(), |on| Msg::Hold(HoldReason::Fullscreen, on));
            if std::env::var_os("WAYLAND_DISPLAY").is_none() {
                tokio::task::spawn_blocking(move || match fullscreen::follow(events) {
                    Ok(()) => tracing::info!("following fullscreen windows"),
                    Err(why) => tracing::info!("fullscreen cannot be followed here: {why}"),
                });
            } else if let Some(bus) = bus.clone() {
                tokio::spawn(async move {
                    match inhibitors::follow(bus, events).await {
                        Ok(()) => tracing::info!("following the GNOME session's inhibitors"),
                        Err(why) => tracing::info!(
                            "fullscreen cannot be followed on this Wayland desktop: {why}"
                        ),
                    }
                });
            }
        }
        // Cameras and microphones, on a thread of its own.
        if !cfg!(test) {
            let events = Sink::new(msgs.clone(), Msg::Meeting);
            match meeting::follow(meeting::Roots::system(), events) {
                Ok(count) => tracing::info!("following {count} cameras and microphones"),
                Err(why) => tracing::info!("cameras and microphones cannot be followed: {why}"),
            }
        }
        self.notifier = Notifier::new(Msg::notifier(&msgs), bus);
        if let IdleSource::Unavailable(reason) = &idle {
            self.warnings.idle_unavailable = Some(reason.clone());
        }
        self.idle = idle;
        let now = self.clock.now();
        let view = tray_view(&self.scheduler.snapshot(&now), self.idle.is_available());
        let events = Sink::new(msgs, Msg::Tray);
        self.tray = match tokio::time::timeout(TRAY_TIMEOUT * 3, Tray::start(events, view)).await {
            Ok(tray) => tray,
            Err(_) => {
                tracing::warn!("the tray did not start in time: no tray icon");
                None
            }
        };
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        self.scheduler.settings()
    }

    /// Run until asked to quit or restart, or signalled; whether to restart.
    pub async fn run(mut self, mut msgs: mpsc::UnboundedReceiver<Msg>) -> anyhow::Result<bool> {
        use tokio::signal::unix::{SignalKind, signal};
        // Each listened to once, for the whole run. SIGHUP (the terminal or session went away)
        // closes the books like SIGTERM instead of killing the process with them open.
        let mut terminate = signal(SignalKind::terminate())?;
        let mut hangup = signal(SignalKind::hangup())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        // A first reading, so the books start from what the session says.
        self.wake().await;
        while !self.quitting {
            if std::mem::take(&mut self.check_return) && self.watching_return {
                self.look_for_return().await;
            }
            let now = self.clock.now();
            let wake = self.next_wake(&now);
            let sleep = tokio::time::sleep_until(self.clock.instant_at(&now, wake));
            tokio::select! {
                // A deadline and a message at the same instant: the deadline first, so that a
                // message that does not go through the scheduler never finds it already due.
                biased;
                () = sleep => self.wake().await,
                fired = self.idle.returned(), if self.watching_return => self.back(fired).await,
                msg = msgs.recv() => match msg {
                    Some(msg) => self.on_msg(msg).await,
                    None => break,
                },
                _ = interrupt.recv() => break,
                _ = terminate.recv() => break,
                _ = hangup.recv() => break,
            }
        }
        let restart = self.restarting;
        self.shutdown().await;
        Ok(restart)
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
        // Readings are needed only when an idle spell could have reached the threshold (a
        // shorter one changes nothing), or at a checkpoint: the probe's time. The clock is read
        // again, since finding a source took time and asks for a reading at once.
        let probe_due = self.probe_at.is_some_and(|at| at <= self.clock.now().mono);
        // A watch that fired just as the guard's reading fell due tells the return better.
        if probe_due
            && self.watching_return
            && let Some(fired) = self.idle.returned().now_or_never()
        {
            self.back(fired).await;
            return;
        }
        let was_watching = self.watching_return;
        let reading = if probe_due { self.read_idle().await } else { None };
        if was_watching
            && let Some(idle) = reading
            && self.shows_return(idle)
        {
            // The reading and the watch saw the same input: the watch's word may be a moment
            // behind the reading's (they travel apart). Wait for it a little.
            let late = tokio::time::timeout(WATCH_LATE, self.idle.returned()).await;
            if let Ok(fired) = late {
                self.back(fired).await;
                return;
            }
        }
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
        if was_watching
            && reading.is_some()
            && matches!(self.scheduler.desk().presence(), Presence::Active { .. })
        {
            // Back, and the watch did not say so (a restarted desktop service forgot it): the
            // reading found it, up to a minute late. Readings every few seconds from now on.
            tracing::warn!("the watch on the return missed it; reading instead");
            self.idle.give_up_watching();
        }
        if probe_due || reading.is_some() {
            let now = self.clock.now();
            self.probe_at = self.scheduler.next_idle_probe(&now, self.while_away());
        }
    }

    /// An idle reading, or `None` when the source failed (it is then dropped, and looked for
    /// again later).
    async fn read_idle(&mut self) -> Option<Duration> {
        let was_available = self.idle.is_available();
        let reading = self.idle.read().await;
        if was_available && !self.idle.is_available() {
            // It worked and stopped (gnome-shell restarted, the X server went away): desk time
            // counts all the time meanwhile, and the source is looked for again later.
            self.watching_return = false;
            self.idle_retry = Some(Retry::after(self.clock.now().mono, None));
            self.input(Input::IdleSourceLost).await;
        }
        tracing::debug!(?reading, "idle reading");
        reading
    }

    /// The watch on the person's return fired (or stopped working): a reading says when the
    /// input came, and the absence ends there.
    async fn back(&mut self, fired: Result<(), String>) {
        self.watching_return = false;
        let input = match fired {
            Ok(()) => self.read_idle().await.map(|idle| {
                tracing::debug!(?idle, "input after an absence");
                Input::Back { idle_for: self.clock.simulated(idle) }
            }),
            Err(e) => {
                // Readings every few seconds from now on.
                tracing::warn!("the return cannot be watched any more: {e}");
                None
            }
        };
        self.input(input.unwrap_or(Input::Tick)).await;
        let now = self.clock.now();
        self.probe_at = self.scheduler.next_idle_probe(&now, self.while_away());
    }

    /// Whether a reading showing `idle` would end the absence by idleness (an input since it
    /// began, as the scheduler tells a return).
    fn shows_return(&self, idle: Duration) -> bool {
        match self.scheduler.desk().presence() {
            Presence::Away(away) if !away.locked && !away.suspended => {
                let now = self.clock.now().mono;
                now.saturating_back(self.clock.simulated(idle))
                    > away.since + Duration::from_secs(1)
            }
            _ => false,
        }
    }

    /// A reading just after a watch was set: an input between the reading that found the
    /// absence and the watch would not fire it.
    async fn look_for_return(&mut self) {
        if let Some(idle) = self.read_idle().await {
            self.input(Input::Back { idle_for: self.clock.simulated(idle) }).await;
        }
    }

    /// Keep a watch on the person's return while they are away by idleness (a lock or a
    /// suspend ends by its own signal), where the idle source can.
    async fn follow_presence(&mut self) {
        let idle_away = matches!(
            self.scheduler.desk().presence(),
            Presence::Away(away) if !away.locked && !away.suspended
        ) && self.idle.is_available();
        if idle_away && !self.watching_return {
            self.watching_return = self.idle.watch_return().await;
            if self.watching_return {
                tracing::debug!("watching for the return");
                self.check_return = true;
            }
        } else if !idle_away && self.watching_return {
            self.idle.unwatch_return().await;
            self.watching_return = false;
        }
    }

    /// How often to look for the person's return while they are away.
    fn while_away(&self) -> Duration {
        if self.watching_return { PROBE_WHILE_WATCHED } else { PROBE_WHILE_AWAY }
    }

    /// Look for an idle source again; on failure, again later with a longer wait.
    async fn find_idle_source(&mut self) {
        let source = IdleSource::detect().await;
        let now = self.clock.now();
        if source.is_available() {
            tracing::info!("idle detection works again: {}", source.name());
            self.idle = source;
            self.watching_return = false;
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

    /// Hand what was observed to the scheduler and carry out what follows.
    async fn input(&mut self, input: Input) {
        let now = self.clock.now();
        // Whether typing can be told depends on the idle source in use now.
        self.scheduler.set_pauses_seen(self.idle.sees_pauses());
        let effects = self.scheduler.observe(&now, input);
        self.apply(&now, effects).await;
        self.follow_presence().await;
        self.probe_sooner(&now);
    }

    /// Take a reading sooner when the scheduler now wants one sooner (a reminder about to show
    /// asks whether the person types); never later than planned.
    fn probe_sooner(&mut self, now: &Now) {
        if let Some(wanted) = self.scheduler.next_idle_probe(now, self.while_away()) {
            self.probe_at = Some(self.probe_at.map_or(wanted, |at| at.min(wanted)));
        }
    }

    /// Hand what the person asked to the scheduler and carry out what follows.
    async fn ask(&mut self, ask: Ask) -> Result<(), Refusal> {
        let now = self.clock.now();
        let (effects, answer) = self.scheduler.ask(&now, ask);
        self.apply(&now, effects).await;
        self.follow_presence().await;
        self.probe_sooner(&now);
        answer
    }

    async fn apply(&mut self, now: &Now, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Notify(reminder) => {
                    let s = self.scheduler.settings();
                    let catalog = self.scheduler.catalog();
                    self.notifier.show(&reminder, catalog, s.snooze_minutes, s.sound);
                }
                Effect::Invite(invitation) => {
                    self.notifier.invite(&invitation, self.scheduler.settings().sound);
                }
                Effect::Withdraw => self.notifier.withdraw(),
                Effect::OpenBreak => {
                    let _ = self.open(View::Break);
                }
                Effect::Record(event) => self.record(event),
            }
        }
        self.publish(now).await;
    }

    /// Send the snapshot to readers and the tray, when it changed.
    async fn publish(&mut self, now: &Now) {
        let snapshot = self.scheduler.snapshot(now);
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
                self.warnings.window_missing = Some(e.clone());
                Err(e)
            }
        }
    }

    async fn on_msg(&mut self, msg: Msg) {
        match msg {
            Msg::Call(Call { request, reply }) => {
                let answer = self.request(request).await;
                let _ = reply.send(answer);
            }
            Msg::Tray(tray::Event::Action(action)) => self.tray_action(action).await,
            Msg::Tray(tray::Event::Host(present)) => {
                if present {
                    tracing::info!("a tray host is available: the tray icon is shown");
                }
                self.warnings.no_tray_host = !present;
            }
            Msg::Notifier(notifier::Event::Sent(sent)) => match self.notifier.sent(*sent) {
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
            Msg::Notifier(notifier::Event::Answered { id, answer }) => {
                // An answer to a reminder that was replaced or withdrawn is None here.
                if let Some(answer) = self.notifier.answered(id, answer) {
                    self.answer(answer).await;
                }
            }
            Msg::WindowClosed(closed) => {
                if self.window.closed(closed) {
                    self.shown.send_replace(None);
                }
            }
            Msg::Meeting(devices) => {
                tracing::info!(?devices, "cameras and microphones in use");
                self.devices = devices;
                self.meeting_changed().await;
            }
            Msg::Hold(reason, on) => {
                tracing::info!(?reason, on, "a reason to hold reminders");
                self.input(Input::Hold { reason, on }).await;
            }
            Msg::Power(event) => {
                tracing::info!(?event, "session event");
                let input = match event {
                    power::Event::Locked => Input::Locked,
                    power::Event::Unlocked => Input::Unlocked,
                    power::Event::Suspending => Input::Suspending,
                    // An announced sleep ends here, with whatever sleep the clocks saw (zero
                    // when a timer already counted it, or when it was too short to see).
                    power::Event::Woke => Input::Resumed { slept: self.measured_sleep() },
                };
                self.input(input).await;
                let now = self.clock.now();
                self.probe_at = self.scheduler.next_idle_probe(&now, self.while_away());
            }
        }
    }

    /// The person answered the reminder on screen.
    async fn answer(&mut self, answer: Answer) {
        let input = match answer {
            Answer::Start if let Err(why) = self.window.check() => {
                // Nobody could see the break: leave the reminder due, and say why.
                self.warnings.window_missing = Some(why);
                return;
            }
            Answer::StartSession if let Err(why) = self.window.check() => {
                self.warnings.window_missing = Some(why);
                return;
            }
            Answer::Start => Ask::StartBreak { moves: None },
            Answer::StartSession => Ask::StartSession,
            Answer::Snooze => Ask::Snooze,
            Answer::Skip => Ask::Skip,
            Answer::NotToday | Answer::Default => {
                tracing::info!("the full session was put off until another day");
                return;
            }
        };
        if let Err(refusal) = self.ask(input).await {
            tracing::info!("the reminder's answer was refused: {refusal}");
        }
    }

    async fn tray_action(&mut self, action: TrayAction) {
        let input = match action {
            TrayAction::StartBreak => Ask::StartBreak { moves: None },
            TrayAction::StartSession => Ask::StartSession,
            TrayAction::PauseMinutes(minutes) => Ask::Pause(PauseFor::Minutes { minutes }),
            TrayAction::PauseUntilTomorrow => Ask::Pause(PauseFor::Tomorrow),
            TrayAction::Resume => Ask::Resume,
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
        if let Err(refusal) = self.ask(input).await {
            tracing::info!("tray: {refusal}");
        }
    }

    /// Answer one control-socket request.
    async fn request(&mut self, request: Request) -> Reply {
        let input = match request {
            Request::StartBreak { .. } | Request::StartSession
                if let Err(why) = self.window.check() =>
            {
                // A break nobody can see would be recorded as taken: refuse it.
                self.warnings.window_missing = Some(why.clone());
                return Reply::Error { error: IpcError::internal(why) };
            }
            Request::StartBreak { moves } => Ask::StartBreak { moves },
            Request::StartSession => Ask::StartSession,
            Request::Snooze => Ask::Snooze,
            Request::Skip => Ask::Skip,
            Request::Pause { pause } => Ask::Pause(pause),
            Request::Resume => Ask::Resume,
            Request::Break { control } => Ask::Break(control),
            Request::Feedback { feel, moves } => Ask::Feedback { feel, moves },
            Request::BringBack { moves } => Ask::BringBack { moves },
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
            Request::Library => {
                let library = unslouch_ipc::moves::Library {
                    moves: self.scheduler.catalog().moves.clone(),
                    pictures: Default::default(),
                    problems: self.warnings.move_problems.clone(),
                };
                return Reply::Library { library: Box::new(library) };
            }
            Request::Open { view } => {
                return match self.open(view) {
                    Ok(()) => Reply::Done,
                    Err(e) => Reply::Error { error: IpcError::internal(e) },
                };
            }
            Request::Quit => {
                self.quitting = true;
                return Reply::Done;
            }
            Request::Hello { protocol, version } => {
                tracing::debug!(protocol, version, "a client said hello");
                return Reply::Hello {
                    protocol: unslouch_ipc::PROTOCOL,
                    version: env!("CARGO_PKG_VERSION").into(),
                    replaced: replaced(),
                };
            }
            Request::Restart => {
                // A break in progress would be lost: not now.
                if self.snapshots.borrow().status.state == StateName::InBreak {
                    let refusal = Refusal::InBreak;
                    return Reply::Error { error: IpcError::Refused { refusal } };
                }
                tracing::info!("restarting from the program as installed now");
                self.quitting = true;
                self.restarting = true;
                return Reply::Done;
            }
            // Subscriptions are kept by the control socket itself.
            Request::Subscribe => return Reply::Done,
        };
        match self.ask(input).await {
            Err(refusal) => Reply::Error { error: IpcError::Refused { refusal } },
            Ok(()) => Reply::Done,
        }
    }

    /// Validate, save, then apply new settings. Invalid settings change nothing.
    async fn set_settings(&mut self, settings: Settings) -> Reply {
        let problems = settings.problems_after(self.scheduler.catalog(), self.scheduler.settings());
        if !problems.is_empty() {
            return Reply::Error { error: IpcError::InvalidSettings { problems } };
        }
        match self.settings_file.save(&settings, self.clock.now().timestamp()) {
            Ok(None) => self.warnings.settings_set_aside = None,
            Ok(Some(kept)) => {
                // A hand edit is never lost: it was kept aside, and the person is told where.
                tracing::warn!("{kept}");
                self.warnings.settings_set_aside = Some(kept.to_string());
            }
            Err(StoreError::Invalid(problems)) => {
                return Reply::Error { error: IpcError::InvalidSettings { problems } };
            }
            Err(e @ StoreError::Io { .. }) => {
                return Reply::Error { error: IpcError::internal(e.to_string()) };
            }
        }
        if settings.start_at_login != self.scheduler.settings().start_at_login
            && let Err(e) = autostart::set(settings.start_at_login, autostart::Why::Changed)
        {
            tracing::warn!("start at login: {e}");
        }
        // Settings are never refused once valid.
        let _ = self.ask(Ask::Settings(Box::new(settings))).await;
        self.meeting_changed().await;
        // A new natural-break threshold moves the next reading.
        let now = self.clock.now();
        self.probe_at = self.scheduler.next_idle_probe(&now, self.while_away());
        // The settings now in force, and what is still missing, for the window to show.
        Reply::Settings {
            settings: Box::new(self.scheduler.settings().clone()),
            warnings: self.warnings.list(),
        }
    }

    /// Tell the scheduler whether the person is in a meeting (the core's rule), when that
    /// changed.
    async fn meeting_changed(&mut self) {
        let devices = self.devices;
        let on = hold::in_meeting(devices.camera, devices.microphone, self.scheduler.settings());
        if on != self.in_meeting {
            self.in_meeting = on;
            self.input(Input::Hold { reason: HoldReason::Meeting, on }).await;
        }
    }

    /// Write the history as CSV into the Downloads folder under `name`, never over a file that
    /// is there (`name-1.csv`, `name-2.csv`...).
    fn export(&self, name: &str) -> Reply {
        let error =
            |error: fn(String) -> IpcError, message: String| Reply::Error { error: error(message) };
        let bad_request: fn(String) -> IpcError = IpcError::bad_request;
        let internal: fn(String) -> IpcError = IpcError::internal;
        // Only a plain file name: nothing that climbs out of the folder.
        let Some(name) = std::path::Path::new(name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
        else {
            return error(bad_request, "no file name".into());
        };
        let Some(dir) = unslouch_ipc::paths::downloads_dir() else {
            return error(internal, "no home folder".into());
        };
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return error(internal, format!("cannot create {}: {e}", dir.display()));
        }
        let (stem, ext) = match name.rsplit_once('.') {
            Some((stem, ext)) => (stem.to_string(), format!(".{ext}")),
            None => (name.clone(), String::new()),
        };
        let free = (0..1000)
            .map(|n| if n == 0 { dir.join(&name) } else { dir.join(format!("{stem}-{n}{ext}")) })
            .find(|candidate| !candidate.exists());
        let Some(path) = free else {
            return error(internal, "too many exports with this name already".into());
        };
        match self.history.export_csv_to_file(&path, None) {
            Ok(rows) => Reply::Exported { path: path.display().to_string(), rows },
            Err(e) => error(internal, e.to_string()),
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
            Err(e) => Reply::Error { error: IpcError::internal(e.to_string()) },
        }
    }

    async fn shutdown(mut self) {
        tracing::info!("shutting down");
        let now = self.clock.now();
        let effects = self.scheduler.observe(&now, Input::Shutdown);
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
        // Restarting, the window stays: it finds the daemon again once it is back.
        if !self.restarting {
            let _ = self.updates.send(Update::Quit);
            self.window.close(Duration::from_secs(2)).await;
        }
        if let Some(tray) = self.tray.take() {
            tray.shutdown().await;
        }
    }
}

/// Whether this program was replaced on disk since it started (the kernel then names it
/// `… (deleted)`): an upgrade while it runs.
fn replaced() -> bool {
    std::fs::read_link("/proc/self/exe").is_ok_and(|p| p.to_string_lossy().ends_with(" (deleted)"))
}

/// The tray's view of a snapshot.
fn tray_view(snapshot: &Snapshot, idle_available: bool) -> TrayView {
    let line = &snapshot.status_line;
    TrayView {
        status: if idle_available {
            line.clone()
        } else {
            format!("{line} · Idle detection unavailable")
        },
        icon: snapshot.tray,
        idle_unavailable: !idle_available,
        paused: snapshot.status.state == StateName::Paused,
    }
}

/// The driver on tokio's paused clock, with the real scheduler, settings file and history
/// (SQLite in a temporary folder), an idle source a test scripts, no session bus (so reminders
/// fall back to the window, whose program is not there) and no tray. Virtual minutes pass in
/// microseconds.
#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tokio::sync::oneshot;
    use tokio::time::Instant;

    use super::*;
    use crate::idle::Script;

    /// A test waits this long in virtual time before it fails (rather than hanging).
    const GIVE_UP: Duration = Duration::from_secs(2 * 3600);

    struct Rig {
        msgs: mpsc::UnboundedSender<Msg>,
        snapshots: watch::Receiver<Snapshot>,
        script: Arc<Mutex<Script>>,
        start: Instant,
        _dir: tempfile::TempDir,
    }

    impl Rig {
        /// A driver started now, the person typing all the time (or the source hung).
        fn start(hang: bool) -> Rig {
            let dir = tempfile::tempdir().unwrap();
            let wall: jiff::Zoned = "2026-11-23T09:00[Europe/Berlin]".parse().unwrap();
            let clock = Clock::virtual_from(wall);
            let now = clock.now().timestamp();
            let parts = Parts {
                clock,
                settings_file: SettingsFile::new(dir.path().join("settings.toml")),
                settings: Settings::default(),
                settings_warning: None,
                history: History::open(&dir.path().join("history.db"), now).unwrap().history,
                history_warning: None,
                window_lock: dir.path().join("window.lock"),
                catalog: Arc::new(Catalog::builtin().clone()),
                move_problems: Vec::new(),
            };
            let (msgs, incoming) = mpsc::unbounded_channel();
            let (mut driver, channels) = Driver::new(parts, msgs.clone());
            let script = Arc::new(Mutex::new(Script { hang, ..Script::default() }));
            driver.idle = IdleSource::Scripted(script.clone());
            tokio::spawn(async move { driver.run(incoming).await.unwrap() });
            Rig { msgs, snapshots: channels.snapshots, script, start: Instant::now(), _dir: dir }
        }

        async fn request(&self, request: Request) -> Reply {
            let (reply, answer) = oneshot::channel();
            assert!(self.msgs.send(Msg::Call(Call { request, reply })).is_ok());
            tokio::time::timeout(GIVE_UP, answer)
                .await
                .expect("a reply within two virtual hours")
                .expect("a reply")
        }

        /// The warnings, once `wanted` says they are all there.
        async fn warnings_until(&self, wanted: impl Fn(&[Warning]) -> bool) -> Vec<Warning> {
            let poll = async {
                loop {
                    let Reply::Settings { warnings, .. } = self.request(Request::GetSettings).await
                    else {
                        panic!("settings")
                    };
                    if wanted(&warnings) {
                        return warnings;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            };
            tokio::time::timeout(GIVE_UP, poll).await.expect("the warnings within two hours")
        }

        /// Virtual time since the start.
        fn elapsed(&self) -> Duration {
            self.start.elapsed()
        }

        /// Wait until the snapshot is in `state`; the virtual time since the start.
        async fn until(&mut self, state: StateName) -> Duration {
            let wait = async {
                loop {
                    if self.snapshots.borrow_and_update().status.state == state {
                        return;
                    }
                    self.snapshots.changed().await.expect("the driver runs");
                }
            };
            tokio::time::timeout(GIVE_UP, wait).await.expect("the state within two hours");
            self.elapsed()
        }

        /// When the idle source was read, from the start.
        fn reads(&self) -> Vec<Duration> {
            let script = self.script.lock().unwrap();
            script.reads.iter().map(|at| *at - self.start).collect()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_reminder_comes_at_forty_minutes_of_virtual_desk_time() {
        let mut rig = Rig::start(false);
        let due = rig.until(StateName::Due).await;
        let interval = Duration::from_secs(40 * 60);
        assert!(due >= interval && due < interval + Duration::from_secs(1), "due after {due:?}");
        // No notification server: the window is the fallback, and its program is missing here.
        let warnings = rig
            .warnings_until(|w| {
                w.contains(&Warning::NoNotifications)
                    && w.iter().any(|w| matches!(w, Warning::WindowMissing { .. }))
            })
            .await;
        assert!(rig.elapsed() < interval + Duration::from_secs(5), "told late: {warnings:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_hung_idle_source_holds_the_loop_no_longer_than_its_timeout() {
        let mut rig = Rig::start(true);
        let Reply::Snapshot { .. } = rig.request(Request::Snapshot).await else { panic!() };
        let answered = rig.elapsed();
        assert!(answered <= crate::idle::READ_TIMEOUT, "answered after {answered:?}");
        rig.warnings_until(|w| w.iter().any(|w| matches!(w, Warning::IdleUnavailable { .. })))
            .await;
        assert!(rig.elapsed() <= Duration::from_secs(1), "told after {:?}", rig.elapsed());
        // Desk time counts all the time now: the reminder still comes on time.
        let due = rig.until(StateName::Due).await;
        assert!(due < Duration::from_secs(40 * 60 + 1), "due after {due:?}");
    }

    /// A rig whose person stops typing at the start, with an idle source that can (or cannot)
    /// watch for the return; the virtual time they are found away.
    async fn left_at_the_start(watchable: bool) -> (Rig, Duration) {
        let mut rig = Rig::start(false);
        {
            let mut script = rig.script.lock().unwrap();
            script.last_input = Some(rig.start);
            script.watchable = watchable;
        }
        let away = rig.until(StateName::Away).await;
        (rig, away)
    }

    fn reads_between(rig: &Rig, from: Duration, to: Duration) -> usize {
        rig.reads().iter().filter(|at| **at > from && **at <= to).count()
    }

    #[tokio::test(start_paused = true)]
    async fn while_a_watch_tells_the_return_the_driver_reads_once_a_minute_and_dates_it_exactly() {
        let (mut rig, away) = left_at_the_start(true).await;
        assert_eq!(rig.script.lock().unwrap().watches, 1);
        tokio::time::sleep(Duration::from_secs(30 * 60 + 17)).await;
        let reads = reads_between(&rig, away, rig.elapsed());
        assert!((29..=31).contains(&reads), "{reads} readings in 30 minutes away");
        rig.script.lock().unwrap().input();
        let input = rig.elapsed();
        let back = rig.until(StateName::Working).await;
        assert_eq!(back, input, "noticed at the input");
        let status = rig.snapshots.borrow().status.clone();
        assert_eq!(status.desk_seconds, 0, "counted from the input: {status:?}");
        // Typing from then on.
        rig.script.lock().unwrap().last_input = None;
        tokio::time::sleep(Duration::from_secs(40 * 60 - 1)).await;
        assert_ne!(rig.snapshots.borrow().status.state, StateName::Due);
        let due = rig.until(StateName::Due).await;
        assert!(due - input < Duration::from_secs(40 * 60 + 1), "due {:?} after", due - input);
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_watch_the_driver_reads_every_five_seconds_while_away() {
        let (rig, away) = left_at_the_start(false).await;
        tokio::time::sleep(Duration::from_secs(10 * 60)).await;
        let reads = reads_between(&rig, away, rig.elapsed());
        assert!((119..=121).contains(&reads), "{reads} readings in 10 minutes away");
    }

    /// Run `test` on a paused clock, and fail if it takes 30 s of real time: a driver that
    /// spins never lets virtual time pass, so the test would otherwise hang, not fail.
    fn on_virtual_time(test: impl Future<Output = ()> + Send + 'static) {
        let (done, finished) = std::sync::mpsc::channel();
        let runner = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .unwrap();
            rt.block_on(test);
            let _ = done.send(());
        });
        match finished.recv_timeout(Duration::from_secs(30)) {
            Ok(()) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                std::panic::resume_unwind(runner.join().expect_err("the test failed"))
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("not done in 30 s of real time: the driver spins")
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_input_just_before_the_watch_is_set_is_seen_by_the_reading_after() {
        let rig = Rig::start(false);
        {
            let mut script = rig.script.lock().unwrap();
            script.last_input = Some(rig.start);
            script.watchable = true;
            script.input_on_arm = true;
        }
        // The absence is found at five minutes, when the threshold is reached; the reading
        // after the watch is set finds the input at once, where the watch (which missed it)
        // would leave it to the guard's reading a minute later.
        tokio::time::sleep(Duration::from_secs(5 * 60 + 30)).await;
        assert_eq!(rig.script.lock().unwrap().watches, 1, "away, and watched, at five minutes");
        assert_eq!(rig.snapshots.borrow().status.state, StateName::Working);
    }

    #[test]
    fn a_watch_that_misses_the_return_is_given_up_for_readings() {
        on_virtual_time(a_watch_that_misses());
    }

    async fn a_watch_that_misses() {
        let (mut rig, away) = left_at_the_start(true).await;
        rig.script.lock().unwrap().deaf = true;
        tokio::time::sleep(Duration::from_secs(90)).await;
        rig.script.lock().unwrap().input();
        let input = rig.elapsed();
        let back = rig.until(StateName::Working).await;
        assert!(back - input <= Duration::from_secs(60), "back {:?} after", back - input);
        // Away again: no watch this time, a reading every 5 s.
        rig.script.lock().unwrap().last_input = Some(Instant::now());
        let away_again = rig.until(StateName::Away).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
        let reads = reads_between(&rig, away_again, rig.elapsed());
        assert!((11..=13).contains(&reads), "{reads} readings in a minute away");
        assert_eq!(rig.script.lock().unwrap().watches, 1, "set once, after {away:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_watch_heard_just_after_the_guards_reading_is_kept() {
        let (mut rig, away) = left_at_the_start(true).await;
        // The guard reads a minute after the absence was found; the input comes just before,
        // and the watch's word 50 ms after the reading.
        let guard = away + Duration::from_secs(60);
        tokio::time::sleep(guard - Duration::from_millis(50) - rig.elapsed()).await;
        rig.script.lock().unwrap().last_input = Some(Instant::now());
        tokio::time::sleep(Duration::from_millis(100)).await;
        rig.script.lock().unwrap().fire_with(Ok(()));
        rig.until(StateName::Working).await;
        // Away again: the watch is still trusted.
        rig.script.lock().unwrap().last_input = Some(Instant::now());
        rig.until(StateName::Away).await;
        assert_eq!(rig.script.lock().unwrap().watches, 2, "watched again");
    }

    #[test]
    fn a_watch_that_breaks_gives_way_to_readings_without_spinning() {
        on_virtual_time(a_watch_that_breaks());
    }

    async fn a_watch_that_breaks() {
        let (mut rig, away) = left_at_the_start(true).await;
        rig.script.lock().unwrap().fire_with(Err("the X connection failed".into()));
        tokio::time::sleep(Duration::from_secs(10 * 60)).await;
        let reads = reads_between(&rig, away, rig.elapsed());
        assert!((119..=122).contains(&reads), "{reads} readings in 10 minutes away");
        assert_eq!(
            rig.snapshots.borrow().status.state,
            StateName::Away,
            "a broken watch is no return"
        );
        // The readings still find the return.
        rig.script.lock().unwrap().input();
        let input = rig.elapsed();
        let back = rig.until(StateName::Working).await;
        assert!(back - input <= Duration::from_secs(5), "back {:?} after", back - input);
    }

    #[tokio::test(start_paused = true)]
    async fn a_storm_of_requests_does_not_postpone_the_idle_readings() {
        let span = Duration::from_secs(12 * 60);
        let quiet = Rig::start(false);
        tokio::time::sleep(span).await;
        let expected = quiet.reads();
        assert!(expected.len() >= 3, "readings in 12 quiet minutes: {expected:?}");

        let storm = Rig::start(false);
        while storm.elapsed() < span {
            let Reply::Snapshot { .. } = storm.request(Request::Snapshot).await else { panic!() };
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert_eq!(storm.reads(), expected, "readings moved by requests every 250 ms");
    }
}
