//! How punctual reminders are through a day with everything a real one holds: the release
//! daemon with the test clock (60× fast) on a throw-away desktop, worked through a scripted day
//! of desk time, a meeting away from the desk, lunch, a short and a long screen lock, a
//! suspend, a snooze, a break taken, and a clock change (the time zone is a POSIX rule whose
//! daylight-saving start falls in the morning). A benchmark: it reports, it never fails on a
//! number.
//!
//!     scripts/benchmark.sh --timing      (or: cargo bench -p unslouch-e2e --bench timing
//!                                         -- [--out FILE])
//!
//! Two figures per reminder:
//! - **Error**: when it reached the notification server, less when it was due by the desk time
//!   the daemon itself reported at the start of the stretch that led to it (the first readings
//!   of `next_break_in_seconds` once the person is back at work after the last event: an
//!   answer, an absence, a lock, a wake). The readings come over the control socket every
//!   100 ms (6 s of desk time) while the person works; each is a whole second rounded to the
//!   nearest, so each puts the due moment within half a second (and half its round trip) of
//!   what it says: the first ten together date it to where they all agree. A daemon that slept
//!   late or woke early, or whose count moved on the way (the clock change falls inside a
//!   stretch), is off by that much; "moved" dates it again from the stretch's last readings.
//! - **Count**: that due moment less the one the script's own events give, by the rules of
//!   the design: after a skip or an absence of the natural-break length or more (a meeting,
//!   lunch, a long lock, a suspend) the count starts again when the person is back; a shorter
//!   lock is time away that does not reset it, so the reminder comes that much later; a snooze
//!   brings it back after the snooze. A daemon that counted an absence wrong is off here.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use unslouch_core::schedule::StateName;
use unslouch_e2e::desktop::SystemBus;
use unslouch_e2e::logind::Logind;
use unslouch_e2e::notifications::Shown;
use unslouch_e2e::report;
use unslouch_e2e::{Daemon, Desktop, Notifications, binaries, wait_for};
use unslouch_ipc::client::Client;
use unslouch_ipc::{Reply, Request};

/// Simulated seconds per real second.
const SCALE: f64 = 60.0;
/// The settings of the day: a reminder every 30 minutes of desk time, snoozes of 5, and
/// 5 minutes away as a break. Typing does not hold reminders (the script's person never
/// stops moving the pointer while at work).
/// No full sessions are suggested (their invitations would come at 17:00 on some days).
const SETTINGS: &str = "interval_minutes = 30\nsnooze_minutes = 5\nnatural_break_minutes = 5\n\
                        hold_while_typing = false\nweekly_sessions = 0\n";
const INTERVAL: f64 = 30.0 * 60.0;
const SNOOZE: f64 = 5.0 * 60.0;
const NATURAL_BREAK_MINUTES: f64 = 5.0;
/// The local time (standard time) when the day starts, and when clocks go forward an hour.
const DAY_STARTS: (i8, i8) = (8, 50);
const CLOCKS_CHANGE: (i8, i8) = (9, 40);
/// Readings that date a due moment.
const READINGS: usize = 10;

const PART: report::Part = report::Part {
    begin: "<!-- timing:begin (written by scripts/benchmark.sh --timing) -->\n",
    end: "<!-- timing:end -->\n",
};

/// One reading of the daemon's status.
#[derive(Debug, Clone)]
struct Reading {
    /// Simulated seconds since the start, at the middle of the request.
    at: f64,
    working: bool,
    next_break_in: Option<u64>,
    /// The request's round trip (simulated seconds): the daemon read its clock somewhere in it.
    round_trip: f64,
}

/// One reminder and how punctual it was.
#[derive(Debug)]
struct Reminder {
    what: &'static str,
    /// Simulated seconds since the start.
    due: f64,
    arrived: f64,
    error: f64,
    /// How far the due moment moved between the first readings of the stretch and the last.
    moved: f64,
    /// When the script's events say it was due, where they say it exactly.
    expected: Option<f64>,
}

/// The day being worked through.
struct Day {
    desktop: Desktop,
    rt: tokio::runtime::Runtime,
    notifications: Notifications,
    logind: Logind,
    screensaver: zbus::Connection,
    daemon: Daemon,
    client: Client,
    home: unslouch_e2e::app::Home,
    started: Instant,
    wall_start: Timestamp,
    tz: TimeZone,
    readings: Vec<Reading>,
    /// Where the current stretch of work begins in `readings`.
    stretch: usize,
    /// Notifications answered or seen so far.
    seen: usize,
    /// When the script's events say the next reminder is due (simulated seconds).
    expected: Option<f64>,
    last_nudge: Instant,
    last_reading: Instant,
    reminders: Vec<Reminder>,
    _system: SystemBus,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out =
        args.iter().position(|a| a == "--out").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let _ = binaries();
    let mut day = Day::start();
    eprintln!("time zone {}", posix_rule(&day.wall_start));

    // Morning: the first reminder, skipped.
    day.work_until_reminder("the first of the day (skipped)");
    day.answer("skip");
    // Through the clock change, then snoozed.
    day.work_until_reminder("across the clock change (snoozed)");
    day.answer("snooze");
    day.work_until_reminder("the snoozed one, 5 min later (break taken)");
    day.take_the_break();
    // A meeting in another room, longer than a break: the count starts again on return.
    day.work_for(10.0);
    day.away(12.0);
    day.work_until_reminder("after a meeting away (skipped)");
    day.answer("skip");
    // A short lock (fetching a coffee): less than a break, so the count goes on.
    day.work_for(15.0);
    day.lock(3.0);
    day.work_until_reminder("after a short lock (skipped)");
    day.answer("skip");
    // Lunch: 45 minutes without input.
    day.work_for(10.0);
    day.away(45.0);
    day.work_until_reminder("after lunch (skipped)");
    day.answer("skip");
    // The laptop suspended for 20 minutes (a walk to another building).
    day.work_for(8.0);
    day.suspend(20.0);
    day.work_until_reminder("after a suspend (skipped)");
    day.answer("skip");
    // Locked longer than a break.
    day.work_for(5.0);
    day.lock(8.0);
    day.work_until_reminder("after a long lock (ignored)");
    let clock = day.clock_after_the_change();

    let report = day.report(&clock);
    println!("{report}");
    if let Some(out) = out {
        let written = report::write(&out, PART, &report);
        eprintln!("written to {}", written.display());
    }
}

/// A POSIX time zone whose standard time reads `DAY_STARTS` now, and whose clocks go forward
/// an hour at `CLOCKS_CHANGE` today (the rule's own end is the day before: no other change
/// falls in the run).
fn posix_rule(now: &Timestamp) -> String {
    let (h, m) = DAY_STARTS;
    let utc = now.to_zoned(TimeZone::UTC);
    let minutes_utc = i64::from(utc.hour()) * 60 + i64::from(utc.minute());
    // Ahead of UTC by this many minutes, in (-12 h, +12 h].
    let mut ahead = (i64::from(h) * 60 + i64::from(m) - minutes_utc).rem_euclid(1440);
    if ahead > 720 {
        ahead -= 1440;
    }
    let local =
        utc.timestamp().checked_add((ahead * 60).seconds()).unwrap().to_zoned(TimeZone::UTC);
    // Zero-based days of the year, leap days counted (`n`): the rule holds on the 29th of
    // February too.
    let day = local.date().day_of_year() - 1;
    let end = if day > 0 { day - 1 } else { 364 };
    // POSIX counts the offset west of Greenwich: UTC+2 is "-2".
    let west = -ahead;
    let sign = if west < 0 { "-" } else { "+" };
    let (ch, cm) = CLOCKS_CHANGE;
    format!("UST{sign}{}:{:02}UDT,{day}/{ch}:{cm:02},{end}/0", west.abs() / 60, west.abs() % 60)
}

/// When `readings` say the reminder is due, in simulated seconds. Each is a whole second rounded
/// to the nearest, read somewhere in its round trip, so each says the due moment lies within
/// half a second and half its round trip of its reading: the middle of where all agree. Readings that do not agree (the count moved between
/// them) give their median instead.
fn date(readings: &[&Reading]) -> f64 {
    let says: Vec<(f64, f64)> = readings
        .iter()
        .filter_map(|r| r.next_break_in.map(|n| (r.at + n as f64, 0.5 + r.round_trip / 2.0)))
        .collect();
    let lower = says.iter().map(|(d, w)| d - w).fold(f64::MIN, f64::max);
    let upper = says.iter().map(|(d, w)| d + w).fold(f64::MAX, f64::min);
    if lower <= upper {
        return (lower + upper) / 2.0;
    }
    let mut sorted: Vec<f64> = says.iter().map(|(d, _)| *d).collect();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

impl Day {
    fn start() -> Day {
        let desktop = Desktop::start();
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        let notifications = rt.block_on(Notifications::start(&desktop.bus));
        let system = SystemBus::start();
        let logind = rt.block_on(Logind::start(&system.address));
        let screensaver = rt
            .block_on(zbus::connection::Builder::address(desktop.bus.as_str()).unwrap().build())
            .unwrap();
        let home = unslouch_e2e::app::Home::new();
        home.write_settings(SETTINGS);
        let wall_start = Timestamp::now();
        let rule = posix_rule(&wall_start);
        let tz = TimeZone::posix(&rule).expect("a valid POSIX rule");
        let mut env = desktop.env();
        env.push(("DBUS_SYSTEM_BUS_ADDRESS".into(), system.address.clone()));
        env.push(("TZ".into(), rule));
        let started = Instant::now();
        let daemon = Daemon::start_with(env, &home, SCALE as u32);
        let listening = wait_for(Duration::from_secs(10), || {
            let log = home.log();
            (log.contains("listening to logind for sleep, lock and unlock")
                && log.contains("listening to the screensaver"))
            .then_some(())
        });
        assert!(
            listening.is_some(),
            "the daemon listens to logind and the screensaver\n{}",
            home.log()
        );
        let client = Client::connect(&home.socket()).expect("the control socket");
        Day {
            desktop,
            rt,
            notifications,
            logind,
            screensaver,
            daemon,
            client,
            home,
            started,
            wall_start,
            tz,
            readings: Vec::new(),
            stretch: 0,
            seen: 0,
            expected: None,
            last_nudge: Instant::now(),
            last_reading: Instant::now(),
            reminders: Vec::new(),
            _system: system,
        }
    }

    /// Simulated seconds since the start.
    fn sim(&self, at: Instant) -> f64 {
        at.duration_since(self.started).as_secs_f64() * SCALE
    }

    /// Real time for `minutes` of simulated time.
    fn real(minutes: f64) -> Duration {
        Duration::from_secs_f64(minutes * 60.0 / SCALE)
    }

    /// The wall clock (local) at simulated second `sim`.
    fn local(&self, sim: f64) -> String {
        let at = self.wall_start.checked_add(jiff::SignedDuration::from_secs_f64(sim)).unwrap();
        at.to_zoned(self.tz.clone()).strftime("%H:%M:%S %Z").to_string()
    }

    fn read_status(&mut self) {
        let asked = Instant::now();
        let reply = self.client.request(&Request::Snapshot).expect("the daemon answers");
        let answered = Instant::now();
        let Reply::Snapshot { snapshot } = reply else { panic!("a snapshot: {reply:?}") };
        let middle = asked + (answered - asked) / 2;
        self.readings.push(Reading {
            at: self.sim(middle),
            working: snapshot.status.state == StateName::Working,
            next_break_in: snapshot.status.next_break_in_seconds,
            round_trip: (answered - asked).as_secs_f64() * SCALE,
        });
        self.last_reading = answered;
    }

    /// One moment of work: the pointer moves every 30 ms, the status is read every 100 ms.
    fn working_moment(&mut self) {
        if self.last_nudge.elapsed() >= Duration::from_millis(30) {
            self.desktop.nudge();
            self.last_nudge = Instant::now();
        }
        if self.last_reading.elapsed() >= Duration::from_millis(100) {
            self.read_status();
        }
        std::thread::sleep(Duration::from_millis(5));
    }

    /// A new stretch begins: readings before this do not date the next reminder.
    fn mark(&mut self) {
        self.stretch = self.readings.len();
    }

    /// Work (without a reminder coming) for `minutes`.
    fn work_for(&mut self, minutes: f64) {
        let end = Instant::now() + Day::real(minutes);
        while Instant::now() < end {
            self.working_moment();
            assert_eq!(
                self.notifications.shown().len(),
                self.seen,
                "no reminder during this stretch\n{}",
                self.home.log()
            );
        }
    }

    /// Work until the next reminder, and date it.
    fn work_until_reminder(&mut self, what: &'static str) {
        let limit = Instant::now() + Day::real(60.0);
        let shown: Shown = loop {
            if let Some(s) = self.notifications.shown().get(self.seen).cloned() {
                break s;
            }
            assert!(
                Instant::now() < limit,
                "a reminder within an hour: {what}\n{}",
                self.home.log()
            );
            self.working_moment();
        };
        self.seen += 1;
        let arrived = self.sim(shown.at);
        let stretch: Vec<&Reading> = self.readings[self.stretch..]
            .iter()
            .filter(|r| r.working && r.next_break_in.is_some() && r.at < arrived)
            .collect();
        assert!(stretch.len() >= READINGS, "the stretch before `{what}` was read: {stretch:?}");
        let due = date(&stretch[..READINGS]);
        let last = date(&stretch[stretch.len() - READINGS..]);
        let error = arrived - due;
        eprintln!(
            "{what}: due {}, arrived {} ({error:+.2} s; the last readings date it {:+.2} s from the first)",
            self.local(due),
            self.local(arrived),
            last - due
        );
        let expected = self.expected.take();
        self.reminders.push(Reminder { what, due, arrived, error, moved: last - due, expected });
    }

    /// Click `action` on the last reminder; the next stretch begins once the daemon counts.
    fn answer(&mut self, action: &str) {
        let shown = self.notifications.shown()[self.seen - 1].clone();
        let clicked = self.sim(Instant::now());
        self.rt.block_on(self.notifications.click(shown.id, action));
        self.expected = match action {
            "skip" => Some(clicked + INTERVAL),
            "snooze" => Some(clicked + SNOOZE),
            _ => None,
        };
        self.until_working();
    }

    /// Take the break from the reminder: the window opens, the routine runs its minute, the
    /// window is closed.
    fn take_the_break(&mut self) {
        let shown = self.notifications.shown()[self.seen - 1].clone();
        self.rt.block_on(self.notifications.click(shown.id, "start"));
        let started = wait_for(Duration::from_secs(10), || {
            (self.home.events("break_started") == 1).then_some(())
        });
        assert!(started.is_some(), "the break started\n{}", self.home.log());
        let finished = wait_for(Duration::from_secs(20), || {
            (self.home.events("break_finished") == 1).then_some(())
        });
        assert!(finished.is_some(), "the break finished\n{}", self.home.log());
        self.desktop.close_window("Unslouch");
        self.until_working();
    }

    /// Read until the daemon counts desk time again (the person at work meanwhile).
    fn until_working(&mut self) {
        self.mark();
        let limit = Instant::now() + Duration::from_secs(10);
        loop {
            self.working_moment();
            let last = self.readings.last().cloned();
            if last.is_some_and(|r| r.working && r.next_break_in.is_some()) {
                break;
            }
            assert!(Instant::now() < limit, "counting again\n{}", self.home.log());
        }
        self.mark();
    }

    /// When the daemon says, just now, that the reminder is due.
    fn due_now(&self) -> f64 {
        let recent: Vec<&Reading> = self.readings[self.stretch..]
            .iter()
            .filter(|r| r.working && r.next_break_in.is_some())
            .collect();
        assert!(recent.len() >= READINGS, "the stretch was read: {recent:?}");
        date(&recent[recent.len() - READINGS..])
    }

    /// What an absence from `left` to `back` (simulated seconds) does to the count: one of the
    /// natural-break length or more starts it again at the return; a shorter one is time away,
    /// so the reminder comes that much later.
    fn expect_after_absence(&mut self, due_before: f64, left: f64, back: f64) {
        self.expected = Some(if back - left >= NATURAL_BREAK_MINUTES * 60.0 {
            back + INTERVAL
        } else {
            due_before + (back - left)
        });
    }

    /// No input for `minutes` (the last input was the last nudge).
    fn away(&mut self, minutes: f64) {
        let due_before = self.due_now();
        let left = self.sim(self.last_nudge);
        std::thread::sleep(Day::real(minutes));
        // The first input of the return is the next nudge, made at once.
        let back = self.sim(Instant::now());
        self.expect_after_absence(due_before, left, back);
        self.until_working();
    }

    /// The screen locked for `minutes` (the screensaver's `ActiveChanged`).
    fn lock(&mut self, minutes: f64) {
        let due_before = self.due_now();
        let left = self.sim(Instant::now());
        self.screensaver_active(true);
        std::thread::sleep(Day::real(minutes));
        let back = self.sim(Instant::now());
        self.screensaver_active(false);
        self.expect_after_absence(due_before, left, back);
        self.until_working();
    }

    fn screensaver_active(&self, on: bool) {
        self.rt.block_on(unslouch_e2e::desktop::screensaver_active(&self.screensaver, on));
    }

    /// Suspended for `minutes`: logind's `PrepareForSleep` before and after.
    ///
    /// The stand-in cannot stop the machine's clocks, so the daemon's own measure of the sleep
    /// (the boot-time clock against the monotonic one) reads nothing here: what is tested is
    /// the signals, and the time between them counted as away.
    fn suspend(&mut self, minutes: f64) {
        let due_before = self.due_now();
        let left = self.sim(Instant::now());
        self.rt.block_on(self.logind.prepare_for_sleep(true));
        std::thread::sleep(Day::real(minutes));
        let back = self.sim(Instant::now());
        self.rt.block_on(self.logind.prepare_for_sleep(false));
        self.expect_after_absence(due_before, left, back);
        self.until_working();
    }

    /// That the daemon's own clock went forward: a pause of 30 minutes ends at a time it
    /// prints in its local time, read against this run's.
    fn clock_after_the_change(&mut self) -> String {
        let out = self.daemon.cli(&["pause", "30m"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let asked = self.sim(Instant::now());
        let line = String::from_utf8_lossy(&self.daemon.cli(&["status"]).stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        // Within a minute either way of what this run's clock says.
        let said = line.rsplit(' ').next().unwrap_or_default();
        let agrees = said.len() == 5
            && [-60.0, 0.0, 60.0].iter().any(|d| self.local(asked + 1800.0 + d).starts_with(said));
        let expected = self.local(asked + 1800.0);
        format!(
            "“{line}”, {} (this run's clock: about {expected})",
            if agrees { "which agrees" } else { "**which does not agree**" }
        )
    }

    /// Which reminder's stretch the clock change fell in.
    fn clock_change(&self) -> String {
        let Some(change) = self.tz.following(self.wall_start).next() else {
            return "no clock change in the rule".into();
        };
        let sim = change.timestamp().duration_since(self.wall_start).as_secs_f64();
        let mut from = 0.0;
        for r in &self.reminders {
            if (from..r.arrived).contains(&sim) {
                return format!("it fell in the stretch before “{}”", r.what);
            }
            from = r.arrived;
        }
        "**it fell in no stretch measured**".into()
    }

    fn report(&self, clock: &str) -> String {
        let date = jiff::Zoned::now().strftime("%Y-%m-%d %H:%M %Z").to_string();
        let worst = self.reminders.iter().map(|r| r.error.abs()).fold(0.0, f64::max);
        let mut s = String::new();
        s += "## Timing through a day\n\n";
        s += &format!(
            "Measured {date}: the release daemon with the test clock {SCALE:.0}× fast, reminders every 30 min \
             of desk time, snoozes of 5 min, 5 min away as a break; the time zone a POSIX rule \
             (`{}`) whose clocks go forward an hour at {}:{:02} in the morning. The error is when \
             the reminder reached the notification server, less when it was due by the \
             `next_break_in_seconds` the daemon reported at the start of the stretch that led to \
             it (where the first {READINGS} readings once back at work agree, each being a whole \
             second rounded); positive is late. “Moved” is how far the last {READINGS} readings \
             before it put the due moment from the first: a count that changed on the way. \
             “Count” is that due moment less the one the script's events give by the design's \
             rules (after a skip, or an absence of 5 min or more, the count starts again on \
             return; a shorter lock is time away that does not reset it; a snooze brings it back \
             5 min later); “—” where the script cannot say to the second (the first of the day, \
             after a break that ended by itself). Re-run with `scripts/benchmark.sh --timing`.\n\n",
            posix_rule(&self.wall_start),
            CLOCKS_CHANGE.0,
            CLOCKS_CHANGE.1,
        );
        s += "| Reminder | Due (local) | Arrived (local) | Error (s of desk time) | Moved (s) | Count (s) |\n|---|---|---|---:|---:|---:|\n";
        for r in &self.reminders {
            s += &format!(
                "| {} | {} | {} | {:+.2} | {:+.2} | {} |\n",
                r.what,
                self.local(r.due),
                self.local(r.arrived),
                r.error,
                r.moved,
                r.expected.map_or("—".to_string(), |e| format!("{:+.2}", r.due - e))
            );
        }
        s += &format!(
            "\nWorst error: {worst:.2} s (target ≤ 1 s). The clock change: {}. Paused for 30 \
             minutes after it, the daemon said {clock}.\n",
            self.clock_change()
        );
        s
    }
}
