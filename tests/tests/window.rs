//! The window end to end, in its real webview: `unslouch-window` driven through WebDriver
//! (`tauri-driver` + WebKitWebDriver) on Xvfb, against a daemon built with the test clock.
//! Screenshots of every view, light and dark, go to `screenshots/` in the target folder
//! (`scripts/screenshots.sh` refreshes the README's, in `docs/screenshots/`).

use std::process::Command;
use std::time::Duration;

use fantoccini::Locator;
use fantoccini::key::Key;
use jiff::{SignedDuration, Timestamp};
use unslouch_core::history::{Event, EventKind, Feel, Outcome, Trigger};
use unslouch_core::routines::Catalog;
use unslouch_e2e::app::Home;
use unslouch_e2e::webdriver::{Driver, Window};
use unslouch_e2e::{Daemon, Desktop, binaries, wait_for};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// A desktop, a person's folders, a daemon whose clock runs `scale` times fast, and a WebDriver
/// server with the daemon's environment (plus `extra`).
struct Setup {
    driver: Driver,
    daemon: Daemon,
    home: Home,
    desktop: Desktop,
    _turn: std::sync::MutexGuard<'static, ()>,
}

/// One WebKit window at a time: several at once on two cores starve each other's start-up.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn setup(scale: u32, extra: &[(&str, &str)], before: impl FnOnce(&Home)) -> Setup {
    let turn = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // At 200%, a screen with the room a HiDPI laptop has (the window fits its screen's work
    // area, and 1024×768 at 200% leaves 384 pixels of height).
    let hidpi = extra.iter().any(|(k, v)| *k == "GDK_SCALE" && *v == "2");
    let desktop = if hidpi { Desktop::start_sized("1920x1200") } else { Desktop::start() };
    let home = Home::new();
    before(&home);
    let daemon = Daemon::start(&desktop, &home, scale);
    let driver = Driver::start(&daemon, extra);
    Setup { driver, daemon, home, desktop, _turn: turn }
}

const DARK: (&str, &str) = ("GTK_THEME", "Adwaita:dark");

/// An element that a view shows once its data has arrived.
fn loaded(view: &str) -> &'static str {
    match view {
        "settings" => "input[name='interval_minutes']",
        "history" => "[data-testid='history-chart'] [data-date]",
        "exercises" => "[data-move]",
        _ => "main h2",
    }
}

/// Press the button whose text is `label`.
async fn press(w: &Window, label: &str) {
    let xpath = format!("//button[normalize-space()='{label}']");
    let button = w
        .client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("no button {label:?}: {e}"));
    // Into the middle of the view first: WebKitWebDriver clicks at the element's centre, which
    // for a button at the very bottom edge may be under the window's border.
    let arg = serde_json::to_value(&button).unwrap();
    w.client.execute("arguments[0].scrollIntoView({block: 'center'})", vec![arg]).await.unwrap();
    button.click().await.unwrap();
}

/// Replace the value of the input `name` the way a person does: select, type, leave the field.
async fn type_into(w: &Window, name: &str, text: &str) {
    let input = w.find(&format!("input[name='{name}']")).await;
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
    input.send_keys(&char::from(Key::Tab).to_string()).await.unwrap();
}

/// Whether the page is drawn for a dark desktop (what `prefers-color-scheme` says).
async fn prefers_dark(w: &Window) -> bool {
    let script = "return matchMedia('(prefers-color-scheme: dark)').matches";
    w.client.execute(script, vec![]).await.unwrap().as_bool().expect("a boolean")
}

/// How far the page scrolls sideways, in CSS pixels (0: it fits the window's width).
async fn sideways(w: &Window) -> i64 {
    let script = "const e = document.scrollingElement; return e.scrollWidth - e.clientWidth";
    w.client.execute(script, vec![]).await.unwrap().as_i64().expect("a number")
}

fn settings_text(home: &Home) -> Option<String> {
    std::fs::read_to_string(home.settings_file()).ok()
}

#[test]
fn changing_the_interval_reaches_the_file_and_the_scheduler_at_once() {
    let s = setup(1, &[], |_| {});
    runtime().block_on(async {
        let w = s.driver.open("settings").await;
        type_into(&w, "interval_minutes", "25").await;
        let saved = wait_for(Duration::from_secs(5), || {
            settings_text(&s.home).filter(|t| t.contains("interval_minutes = 25"))
        });
        assert!(
            saved.is_some(),
            "settings.toml holds the new interval: {:?}",
            settings_text(&s.home)
        );
        let next = s.daemon.status()["next_break_in_seconds"].as_u64().unwrap();
        assert!((24 * 60..=25 * 60).contains(&next), "the next break moved to ~25 min: {next} s");
        w.close().await;
    });
}

#[test]
fn an_invalid_value_is_explained_next_to_its_field_and_changes_nothing() {
    let s = setup(1, &[], |home| home.write_settings("interval_minutes = 30\n"));
    let before = settings_text(&s.home).unwrap();
    runtime().block_on(async {
        let w = s.driver.open("settings").await;
        type_into(&w, "interval_minutes", "500").await;
        let error = w.find("#error-interval_minutes").await;
        let message = w
            .until(Duration::from_secs(5), || async {
                error.text().await.ok().filter(|t| !t.is_empty())
            })
            .await
            .expect("the daemon's message appears next to the field");
        assert!(message.contains("between 5 and 240"), "{message}");
        assert!(!message.contains("interval_minutes"), "a label, not the file's name: {message}");
        let input = w.find("input[name='interval_minutes']").await;
        assert_eq!(input.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
        let described = input.attr("aria-describedby").await.unwrap().unwrap_or_default();
        assert!(described.split(' ').any(|id| id == "error-interval_minutes"), "{described}");
        assert_eq!(
            input.prop("value").await.unwrap().as_deref(),
            Some("500"),
            "the typed value stays"
        );
        w.screenshot("settings-invalid").await;
        w.close().await;
    });
    assert_eq!(settings_text(&s.home).unwrap(), before, "settings.toml is unchanged");
    let next = s.daemon.status()["next_break_in_seconds"].as_u64().unwrap();
    assert!(next <= 30 * 60, "the scheduler kept 30 min: {next} s");
}

#[test]
fn a_break_runs_to_the_end_and_its_outcome_and_feedback_are_recorded() {
    // Ten times fast: the one-minute routine takes six seconds.
    let s = setup(10, &[], |_| {});
    runtime().block_on(async {
        let w = s.driver.open("break").await;
        press(&w, "Start a break now").await;
        w.find("[role='timer']").await;
        press(&w, "Just right").await;
        w.client
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::XPath("//*[contains(normalize-space(), 'Thanks')]"))
            .await
            .expect("the feedback is acknowledged");
        w.close().await;
    });
    let recorded =
        wait_for(Duration::from_secs(5), || (s.home.events("feedback") == 1).then_some(()));
    assert!(recorded.is_some(), "the feedback is in the history");
    let conn = rusqlite::Connection::open(s.home.history_db()).unwrap();
    let data = |kind: &str| -> String {
        conn.query_row("SELECT data FROM events WHERE kind = ?1", [kind], |r| r.get(0)).unwrap()
    };
    assert!(data("break_finished").contains("\"completed\""), "{}", data("break_finished"));
    assert!(data("feedback").contains("\"just_right\""), "{}", data("feedback"));
}

/// Fourteen days of breaks, one pattern per day, ending now.
fn seed_history(home: &Home) -> Vec<Event> {
    let now = Timestamp::now();
    let mut events = Vec::new();
    for day in 0..14i64 {
        let at = |h: i64| now - SignedDuration::from_hours(24 * day + h);
        let moves = vec!["chin-tuck".to_string(), "wall-angel".to_string()];
        events.push(Event {
            at: at(3),
            kind: EventKind::Desk { started: at(6), seconds: 3 * 3600 - (day as u32 * 300) },
        });
        for k in 0..(day % 4 + 1) {
            if k % 2 == 0 {
                events.push(Event {
                    at: at(2) + SignedDuration::from_mins(k * 10) - SignedDuration::from_secs(30),
                    kind: EventKind::Reminded { repeat: false, moves: moves.clone() },
                });
            }
            events.push(Event {
                at: at(2) + SignedDuration::from_mins(k * 10),
                kind: EventKind::BreakStarted {
                    trigger: Trigger::Reminder,
                    moves: moves.clone(),
                    session: false,
                },
            });
            events.push(Event {
                at: at(2) + SignedDuration::from_mins(k * 10 + 1),
                kind: EventKind::BreakFinished {
                    outcome: Outcome::Completed,
                    moves: moves.clone(),
                    seconds: 60,
                    session: false,
                    done: vec![],
                },
            });
        }
        if day % 3 == 0 {
            events.push(Event { at: at(1), kind: EventKind::Skipped });
            events.push(Event { at: at(1), kind: EventKind::NaturalBreak { away_seconds: 900 } });
        }
        if day % 5 == 1 {
            events.push(Event { at: at(1), kind: EventKind::Snoozed { count: 1 } });
        }
    }
    events.push(Event {
        at: now - SignedDuration::from_hours(2) + SignedDuration::from_mins(2),
        kind: EventKind::Feedback { feel: Feel::JustRight, moves: vec!["chin-tuck".into()] },
    });
    let dir = home.history_db();
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    let mut history = unslouch_store::History::open(&dir, now).unwrap().history;
    history.append_all(&events).unwrap();
    events
}

#[test]
fn the_history_view_draws_its_chart_from_the_history_database() {
    let mut seeded = 0;
    let s = setup(1, &[], |home| seeded = seed_history(home).len());
    runtime().block_on(async {
        let w = s.driver.open("history").await;
        w.find("[data-testid='history-chart']").await;
        let days = w
            .until(Duration::from_secs(5), || async {
                let n = w.all("[data-testid='history-chart'] [data-date]").await.len();
                (n == 14).then_some(n)
            })
            .await;
        assert_eq!(days, Some(14), "one bar group per day of the last 14");
        // Every seeded day has completed breaks, so every group draws something.
        let bars = w.all("[data-testid='history-chart'] [data-date] rect").await;
        assert!(bars.len() >= 14, "bars are drawn: {}", bars.len());
        let rows = w.all("table.recent tbody tr").await;
        assert!(!rows.is_empty(), "the recent breaks table has rows");

        press(&w, "Export CSV").await;
        let line = w.find(".export [role='status']").await;
        let status = w
            .until(Duration::from_secs(5), || async {
                let text = line.text().await.ok()?;
                (!text.is_empty() && !text.ends_with('…')).then_some(text)
            })
            .await;
        let status = match status {
            Some(s) => s,
            None => line.text().await.unwrap_or_default(),
        };
        assert!(status.starts_with("Saved"), "the export says where it went: {status:?}");
        let downloads = s.home.path("Downloads");
        let file = std::fs::read_dir(&downloads)
            .expect("a Downloads folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "csv"))
            .expect("a CSV file in Downloads");
        assert!(status.contains(&file.display().to_string()), "{status}");
        let csv = std::fs::read_to_string(&file).unwrap();
        assert!(
            csv.lines().count() > seeded,
            "every event exported: {} lines",
            csv.lines().count()
        );
        w.close().await;
    });
}

#[test]
fn the_library_lists_every_move_and_starts_one_as_a_break() {
    let s = setup(1, &[], |_| {});
    let catalog = Catalog::builtin();
    runtime().block_on(async {
        let w = s.driver.open("exercises").await;
        w.find("[data-move]").await;
        let mut listed = Vec::new();
        for item in w.all("[data-move]").await {
            listed.push(item.attr("data-move").await.unwrap().unwrap());
        }
        let mut expected: Vec<String> = catalog.moves.iter().map(|m| m.id.clone()).collect();
        listed.sort();
        expected.sort();
        assert_eq!(listed, expected, "every move of the catalog, once");
        let chin = w.find("[data-move='chin-tuck']").await;
        chin.find(Locator::XPath(".//button[contains(normalize-space(), 'Start')]"))
            .await
            .expect("a start button on a desk move")
            .click()
            .await
            .unwrap();
        let started = w
            .until(Duration::from_secs(5), || async {
                let status = s.daemon.status();
                (status["state"] == "in_break").then_some(status)
            })
            .await;
        assert!(started.is_some(), "the move started as a break");
        // The daemon then asks the window to show the break: it follows a moment later.
        let went = w
            .until(Duration::from_secs(5), || async {
                let url = w.client.current_url().await.ok()?;
                (url.fragment() == Some("/break")).then_some(())
            })
            .await;
        let url = w.client.current_url().await.unwrap();
        assert!(went.is_some(), "the window went to the break: {url}");
        w.close().await;
    });
}

#[test]
fn a_second_window_shows_its_view_in_the_open_one_and_exits() {
    let s = setup(1, &[], |_| {});
    runtime().block_on(async {
        let w = s.driver.open("break").await;
        w.find("h1").await;
        let second = Command::new(&binaries().window)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(s.daemon.env().iter().map(|(k, v)| (k, v)))
            .arg("history")
            .status()
            .unwrap();
        assert!(second.success());
        let moved = w
            .until(Duration::from_secs(5), || async {
                let url = w.client.current_url().await.ok()?;
                (url.fragment() == Some("/history")).then_some(())
            })
            .await;
        assert!(moved.is_some(), "the open window went to the history");
        assert_eq!(s.daemon.windows().len(), 1, "still one window");
        w.close().await;
    });
}

/// Every view, light and dark, saved for the README (and looked at by a person).
#[test]
fn screenshots_of_every_view_light_and_dark() {
    for (theme, extra) in [("light", None), ("dark", Some(DARK))] {
        let extra: Vec<(&str, &str)> = extra.into_iter().collect();
        let s = setup(1, &extra, |home| {
            seed_history(home);
            // The default two full sessions a week, named (the harness turns them off unasked):
            // the README shows the views as a person first sees them.
            home.write_settings(
                "equipment = [\"wall\", \"resistance-band\"]\nweekly_sessions = 2\n",
            );
        });
        runtime().block_on(async {
            for view in ["settings", "history", "exercises"] {
                let w = s.driver.open(view).await;
                w.settled(loaded(view)).await;
                assert_eq!(sideways(&w).await, 0, "{view} scrolls sideways at 420 px");
                assert_eq!(prefers_dark(&w).await, theme == "dark", "{view} is drawn {theme}");
                w.screenshot(&format!("{view}-{theme}")).await;
                w.close().await;
            }
            let w = s.driver.open("break").await;
            press(&w, "Start a break now").await;
            // Past "get ready", into the first move.
            w.until(Duration::from_secs(10), || async {
                let phase = w.find(".phase").await.text().await.ok()?;
                (!phase.eq_ignore_ascii_case("get ready")).then_some(())
            })
            .await
            .expect("the first move begins");
            // A second into the move, so that the ring shows time going.
            let started = w.find("[role='timer']").await.text().await.unwrap_or_default();
            w.until(Duration::from_secs(10), || async {
                let now = w.find("[role='timer']").await.text().await.ok()?;
                (now != started).then_some(())
            })
            .await
            .expect("the countdown runs");
            w.settled("[role='timer']").await;
            w.screenshot(&format!("break-{theme}")).await;
            w.close().await;
        });
    }
}

#[test]
fn the_window_stays_on_top_during_a_break_and_only_then() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let desktop = Desktop::start();
    let _wm = desktop.window_manager();
    let home = Home::new();
    // Ten times fast: the one-minute routine takes six seconds.
    let daemon = Daemon::start(&desktop, &home, 10);
    let above = || desktop.window_states("Unslouch").iter().any(|s| s == "_NET_WM_STATE_ABOVE");
    assert!(daemon.cli(&["settings"]).status.success());
    let shown = wait_for(Duration::from_secs(15), || {
        (!desktop.find_windows("Unslouch").is_empty()).then_some(())
    });
    assert!(shown.is_some(), "the window is on the display");
    let subscribed = wait_for(Duration::from_secs(20), || {
        home.log().contains("a client subscribed").then_some(())
    });
    assert!(subscribed.is_some(), "the window follows the daemon\n{}", home.log());
    // Nothing should happen: time for a wrong hint to show, were one set.
    std::thread::sleep(Duration::from_millis(500));
    assert!(!above(), "the settings do not cover other windows");
    assert!(daemon.cli(&["break"]).status.success());
    assert!(
        wait_for(Duration::from_secs(5), || above().then_some(())).is_some(),
        "on top during the break"
    );
    // After it: working, or away (no one touches this display's keyboard).
    let ended = wait_for(Duration::from_secs(20), || {
        (daemon.status()["state"] != "in_break").then_some(())
    });
    assert!(ended.is_some(), "the break ends");
    assert!(
        wait_for(Duration::from_secs(5), || (!above()).then_some(())).is_some(),
        "no longer on top once the break is over"
    );
}

/// A running break at 200% display scale: the move's dose, cue and cautions, and every
/// control inside the window.
#[test]
fn the_running_break_coaches_and_fits_the_window_at_200_percent() {
    let s = setup(1, &[("GDK_SCALE", "2")], |_| {});
    runtime().block_on(async {
        let w = s.driver.open("break").await;
        press(&w, "Start a break now").await;
        w.find("[role='timer']").await;
        // The move's dose in words, its cue of the moment and its cautions are on screen.
        let dose = w.find(".dose").await.text().await.unwrap();
        assert!(
            ["reps", "Hold", "Keep going"].iter().any(|word| dose.contains(word)),
            "no dose: {dose}"
        );
        let cue = w.find(".cue-now").await.text().await.unwrap();
        assert!(cue.len() > 10, "no cue: {cue}");
        let cautions = w.find("ul.cautions").await.text().await.unwrap();
        assert!(cautions.contains("pain means stop"), "{cautions}");
        // The move's own cautions come before that line.
        let items = w.all("ul.cautions li").await.len();
        assert!(items >= 2, "only the general line of caution: {cautions}");
        // Nothing to scroll: the controls are inside the window.
        let fits = w
            .client
            .execute(
                "const end = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'End');
                 const r = end.getBoundingClientRect();
                 return [r.bottom <= window.innerHeight, document.scrollingElement.scrollHeight <= window.innerHeight + 1];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(fits, serde_json::json!([true, true]), "the break view scrolls at 200%");
        w.screenshot("break-200").await;
        w.close().await;
    });
}

/// At 200% display scale (GDK_SCALE=2, a HiDPI screen) every view renders at twice the pixels,
/// with the same layout: nothing scrolls sideways.
#[test]
fn every_view_at_200_percent_scale() {
    let s = setup(1, &[("GDK_SCALE", "2")], |home| {
        seed_history(home);
        // The default sessions, as the README's pictures show them.
        home.write_settings("weekly_sessions = 2\n");
    });
    runtime().block_on(async {
        for view in ["break", "settings", "history", "exercises"] {
            let w = s.driver.open(view).await;
            w.find("main h1").await;
            let ratio = w.client.execute("return window.devicePixelRatio", vec![]).await.unwrap();
            assert_eq!(ratio.as_f64(), Some(2.0), "{view} is drawn at 2 device pixels a pixel");
            assert_eq!(sideways(&w).await, 0, "{view} scrolls sideways at 200%");
            if view == "history" {
                w.settled(loaded(view)).await;
                w.screenshot("history-200").await;
            }
            w.close().await;
        }
    });
}

/// The text content of the first element matching `css`, or `None` when there is none.
/// (WebKitWebDriver gave an empty element text for the break view's session line while it was
/// on screen; the DOM's text content is what the page wrote.)
async fn text_of(w: &Window, css: &str) -> Option<String> {
    let script = "return document.querySelector(arguments[0])?.textContent?.trim() ?? null";
    let text = w.client.execute(script, vec![css.into()]).await.ok()?;
    text.as_str().map(str::to_owned)
}

/// A full session, started from the tray while the library is open: the open window goes to
/// the break, which coaches the session's sections, its sets and the rests between them.
#[test]
fn a_full_session_started_from_the_tray_coaches_sets_and_rests() {
    // Twenty times fast: the five-minute warm-up takes 15 s, a 45 s rest a little over 2 s.
    let s = setup(20, &[], |_| {});
    runtime().block_on(async {
        let w = s.driver.open("exercises").await;
        w.find(loaded("exercises")).await;
        let menu = w
            .until(Duration::from_secs(10), || async {
                unslouch_e2e::tray::TrayMenu::find(&s.desktop.bus, s.daemon.pid()).await
            })
            .await
            .expect("the tray is on the bus");
        menu.click("Start a full session (about 15 min)").await;
        let moved = w
            .until(Duration::from_secs(10), || async {
                let url = w.client.current_url().await.ok()?;
                (url.fragment() == Some("/break")).then_some(())
            })
            .await;
        assert!(moved.is_some(), "the open window went to the break");
        let session = w
            .until(Duration::from_secs(10), || async {
                text_of(&w, "#session-title").await.filter(|t| t.starts_with("Full session"))
            })
            .await;
        if session.is_none() {
            w.screenshot("session-missing").await;
        }
        let session =
            session.unwrap_or_else(|| panic!("the session's line; {}", s.daemon.status()));
        assert!(session.starts_with("Full session · Warm-up"), "{session}");
        w.screenshot("session-warm-up").await;
        // The strength section, a set of several...
        let set = w
            .until(Duration::from_secs(40), || async {
                let head = text_of(&w, "#session-title").await?;
                let set = text_of(&w, "strong.set").await?;
                (head.contains("Strength") && set.starts_with("Set 1 of")).then_some(set)
            })
            .await
            .expect("a strength move in sets");
        w.screenshot("session-strength").await;
        // ...then the rest after its first set, saying what comes next.
        let next = w
            .until(Duration::from_secs(20), || async {
                text_of(&w, "p.dose.rest").await?;
                text_of(&w, "p.next").await.filter(|t| t.starts_with("Next: set 2 of"))
            })
            .await
            .unwrap_or_else(|| panic!("a rest between sets after {set}"));
        w.screenshot("session-rest").await;
        assert!(next.contains(&set["Set 1 ".len()..]), "the same count of sets: {next} / {set}");
        let status = s.daemon.status();
        assert_eq!(status["state"], "in_break");
        press(&w, "End").await;
        w.close().await;
    });
    let conn = rusqlite::Connection::open(s.home.history_db()).unwrap();
    let data: String = conn
        .query_row("SELECT data FROM events WHERE kind = 'break_finished'", [], |r| r.get(0))
        .unwrap();
    assert!(data.contains("\"session\":true") && data.contains("\"ended_early\""), "{data}");
    // What was done of each move reached is kept, sets included.
    assert!(data.contains("\"done\":[") && data.contains("\"sets\":"), "{data}");
}

/// A person's own moves in the library: the good one with its picture and a "Yours" badge, the
/// bad one named with its place and field; excluding theirs is saved like excluding ours.
#[test]
fn a_persons_own_moves_are_in_the_library_and_a_bad_one_is_reported() {
    use unslouch_e2e::app::{MY_MOVES, TOWEL_ROW_SVG};
    let s = setup(1, &[], |home| {
        home.write_config("moves.toml", MY_MOVES);
        home.write_config("towel-row.svg", TOWEL_ROW_SVG);
    });
    // A move added once the daemon runs is not planned until it starts again, so the library,
    // which shows what the daemon plans from, does not list it either.
    let late = MY_MOVES.replace("towel-row", "late-row").replace("broken-move", "broken-two");
    s.home.write_config("moves.toml", &format!("{MY_MOVES}\n{late}"));
    runtime().block_on(async {
        let w = s.driver.open("exercises").await;
        let card = w.find("[data-move='towel-row'][data-custom='true']").await;
        assert!(w.all("[data-move='late-row']").await.is_empty(), "the library is the daemon's");
        let picture = w
            .until(Duration::from_secs(5), || async {
                text_of(&w, "[data-move='towel-row'] img").await?;
                let script = "return document.querySelector(\"[data-move='towel-row'] img\").src";
                w.client.execute(script, vec![]).await.ok()?.as_str().map(str::to_owned)
            })
            .await
            .expect("the move's own picture");
        assert!(picture.starts_with("data:image/svg+xml;base64,"), "{}", &picture[..40]);
        let problems = text_of(&w, "[data-testid='move-problems']").await.expect("the notice");
        assert!(problems.contains("move 2 (broken-move): cues"), "{problems}");
        assert!(!problems.contains("towel-row"), "{problems}");
        assert!(w.all("[data-move='broken-move']").await.is_empty(), "the bad one is left out");
        w.screenshot("exercises-own-moves").await;
        card.find(Locator::XPath(".//button[normalize-space()='Never suggest']"))
            .await
            .expect("an exclude button on their move")
            .click()
            .await
            .unwrap();
        w.close().await;
    });
    let saved = wait_for(Duration::from_secs(5), || {
        settings_text(&s.home).filter(|t| t.contains("towel-row"))
    });
    assert!(saved.is_some(), "their move is excluded in settings.toml");
}
