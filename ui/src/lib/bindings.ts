// Generated from the Rust types by unslouch-bindings (ts-rs). Do not edit: change the
// Rust type, then run `UNSLOUCH_BLESS=1 cargo test -p unslouch-bindings`.

export type Settings = { 
/**
 * Format version of the file; see [`migrate`].
 */
version: number, 
/**
 * Desk time between two reminders.
 */
interval_minutes: number, 
/**
 * About how long a routine lasts, preparation included (within `routines::tolerance`).
 */
routine_seconds: number, 
/**
 * How long a snooze postpones a reminder.
 */
snooze_minutes: number, 
/**
 * Snoozes allowed in a row before the reminder offers only start or skip.
 */
snooze_limit: number, 
/**
 * Desk time after an unanswered reminder before it is shown once more.
 */
remind_again_minutes: number, 
/**
 * Idle or away time that counts as a break taken.
 */
natural_break_minutes: number, 
/**
 * Local hour at which a new day starts for the daily totals (04 like Workrave: a late night
 * still belongs to the day before).
 */
day_starts_at_hour: number, 
/**
 * When reminders may come.
 */
work_hours: WorkHours, 
/**
 * What is at hand besides the desk and chair.
 */
equipment: Array<Equipment>, 
/**
 * Whether routines may include standing moves.
 */
can_stand: boolean, 
/**
 * Moves never to suggest.
 */
excluded_moves: Array<string>, 
/**
 * Play a sound with the reminder, and a short tone at each switch of side or move during a
 * break.
 */
sound: boolean, 
/**
 * Start Unslouch when the person logs in.
 */
start_at_login: boolean, 
/**
 * Show the minutes to the next break beside the tray icon, where the panel allows.
 */
tray_minutes: boolean, 
/**
 * Full sessions (warm-up, strength, stretches) aimed for each week; 0 for none.
 */
weekly_sessions: number, 
/**
 * The days a full session is suggested on, while the week's aim is not met.
 */
session_days: Array<Day>, 
/**
 * From when on those days (local time, `"17:00"`); the suggestion comes once a day, when
 * the person is at the desk and no reminder is out.
 */
session_time: ClockTime, 
/**
 * Hold a due reminder while a camera or microphone is in use.
 */
hold_for_meetings: boolean, 
/**
 * Take a camera in use for a meeting.
 */
meeting_camera: boolean, 
/**
 * Take a microphone in use for a meeting.
 */
meeting_microphone: boolean, 
/**
 * Hold a due reminder while the active window is fullscreen (a film, a game, slides).
 */
hold_for_fullscreen: boolean, 
/**
 * Hold a due reminder while the desktop's Do Not Disturb is on.
 */
hold_for_dnd: boolean, 
/**
 * The longest a meeting holds a reminder; 0: as long as it lasts.
 */
meeting_cap_minutes: number, 
/**
 * The longest fullscreen holds a reminder; 0: as long as it lasts.
 */
fullscreen_cap_minutes: number, 
/**
 * The longest Do Not Disturb holds a reminder; 0: as long as it lasts.
 */
dnd_cap_minutes: number, 
/**
 * After the last hold ends, how long before the reminder comes.
 */
hold_grace_seconds: number, 
/**
 * When a reminder is about to show while the person is typing, wait for a pause.
 */
hold_while_typing: boolean, 
/**
 * The pause in typing (seconds without input) a reminder waits for.
 */
typing_pause_seconds: number, 
/**
 * The longest a reminder waits for that pause.
 */
typing_cap_seconds: number, };

export type WorkHours = { enabled: boolean, monday: Array<TimeRange>, tuesday: Array<TimeRange>, wednesday: Array<TimeRange>, thursday: Array<TimeRange>, friday: Array<TimeRange>, saturday: Array<TimeRange>, sunday: Array<TimeRange>, };

export type TimeRange = string;

export type Day = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";

export type HoldReason = "meeting" | "fullscreen" | "dnd" | "typing";

export type ClockTime = string;

export type Equipment = "chair" | "wall" | "doorway" | "resistance-band" | "door-anchor" | "dumbbells" | "barbell" | "bench" | "bar";

export type Catalog = { move: Array<Move>, };

export type Move = { 
/**
 * Stable id, kebab-case.
 */
id: string, 
/**
 * Short display name.
 */
name: string, 
/**
 * One sentence: what it does for the person.
 */
summary: string, kind: Kind, 
/**
 * Muscles worked, the main one first.
 */
muscles: Array<Muscle>, 
/**
 * Everything needed besides the person; empty means nothing at all.
 */
equipment: Array<Equipment>, position: Position, 
/**
 * Suitable for a one-minute break at the desk.
 */
micro: boolean, 
/**
 * A rowing motion (a pull toward the body): a full session holds at least one.
 */
row: boolean, 
/**
 * Done once for the left side and once for the right.
 */
per_side: boolean, 
/**
 * Three to five short instructions, in order.
 */
cues: Array<string>, 
/**
 * When to take care or not do it at all.
 */
cautions: Array<string>, 
/**
 * Progression, easiest first; at least one.
 */
levels: Array<Level>, 
/**
 * A picture of the move: a `.svg` or `.png` file beside the person's moves file (their own
 * moves only; ours are drawn in the window).
 */
picture?: string | null, 
/**
 * One of the person's own moves (set when their file is loaded, whatever it says).
 */
custom: boolean, };

export type Kind = "warm-up" | "posture" | "strength" | "stretch";

export type Muscle = "neck" | "trapezius" | "rhomboids" | "rear-deltoids" | "rotator-cuff" | "chest" | "lats" | "spinal-erectors" | "thoracic-spine" | "core" | "glutes" | "hips" | "grip";

export type MuscleGroup = "neck" | "shoulder-blades" | "shoulders" | "chest-and-lats" | "spine" | "support";

export type Position = "seated" | "standing" | "either" | "floor";

export type Level = { 
/**
 * The dose of one set at this level.
 */
dose: Dose, 
/**
 * How many sets (in a full session; a micro-break does one).
 */
sets: number, 
/**
 * A harder (or easier) way of doing the move at this level, if it changes.
 */
variation: string | null, };

export type CustomMoveProblem = { file: string, 
/**
 * 1-based place of the move in the file (0: the file as a whole).
 */
index: number, id: string | null, 
/**
 * The field at fault, as written in the file (empty when it is the whole move or file).
 */
field: string, problem: string, };

export type Dose = { "hold": { hold_seconds: number, reps: number, } } | { "reps": { reps: number, tempo_seconds: number, } } | { "timed": { seconds: number, } };

export type Snapshot = { 
/**
 * One line on what comes next: "Next break in 12 min", "Paused until 14:30".
 */
status_line: string, 
/**
 * Desk time today.
 */
desk_today_seconds: number, tray: TrayIcon, 
/**
 * Snoozes in a row so far, and whether another is allowed.
 */
snoozes: number, can_snooze: boolean, 
/**
 * The routine of the due reminder or of the running break.
 */
routine: Routine | null, break_progress: BreakProgress | null, last_break: FinishedBreak | null, 
/**
 * Moves left out of routines because they hurt, until the person brings them back.
 */
left_out: Array<string>, 
/**
 * Each move's level where it is past the first (0-based), as "too easy" and "too hard"
 * moved it: the library shows the dose the person is at.
 */
levels: { [key in string]: number }, state: StateName, desk_seconds: number, next_break_in_seconds: number | null, paused_until: string | null, breaks_today: number, 
/**
 * Full sessions completed this week (from Monday).
 */
sessions_this_week: number, 
/**
 * What a due reminder is waiting for (it is not shown meanwhile); empty when nothing holds
 * one.
 */
held_by: Array<HoldReason>, };

export type StateName = "working" | "due" | "in_break" | "paused" | "off_hours" | "away";

export type TrayIcon = "counting" | "due" | "paused";

export type Routine = { steps: Array<Step>, 
/**
 * A full session (warm-up, strength in sets, stretches) rather than a micro-break.
 */
session: boolean, };

export type Step = { move_id: string, 
/**
 * 0-based level in the move's progression.
 */
level: number, 
/**
 * Seconds of work on one side (the whole move when it is not one-sided).
 */
seconds_per_side: number, 
/**
 * Done once on each side.
 */
per_side: boolean, 
/**
 * The dose of the move's level: what one side's `seconds_per_side` hold.
 */
dose: Dose, 
/**
 * Seconds to read the move and get into position before it starts (longer for a move that
 * needs setting up).
 */
prepare_seconds: number, 
/**
 * Rounds of the dose: one in a micro-break, the level's sets in a full session.
 */
sets: number, 
/**
 * Seconds of rest between two sets.
 */
rest_seconds: number, };

export type Side = "left" | "right";

export type BreakProgress = { 
/**
 * Index of the current move.
 */
step: number, 
/**
 * Number of moves.
 */
steps: number, phase: Phase, 
/**
 * The side being worked, for one-sided moves.
 */
side: Side | null, 
/**
 * The current set of the move, 0-based (the move's step says how many there are).
 */
set: number, 
/**
 * Length of the current phase.
 */
phase_seconds: number, 
/**
 * Time left in the current phase, in milliseconds.
 */
phase_left_ms: number, 
/**
 * Time left in the whole routine, in milliseconds.
 */
total_left_ms: number, paused: boolean, };

export type Phase = "prepare" | "work" | "switch_sides" | "rest";

export type FinishedBreak = { outcome: Outcome, moves: Array<string>, 
/**
 * The level each of `moves` was done at (0-based, in the same order), so that the window
 * can say what a "too easy" or "too hard" changes.
 */
levels: Array<number>, at: string, };

export type Outcome = "completed" | "ended_early";

export type PauseFor = { "for": "minutes", minutes: number, } | { "for": "until", until: string, } | { "for": "tomorrow" };

export type BreakControl = "pause" | "continue" | "skip_move" | "end";

export type Summary = { 
/**
 * Oldest first, ending with today; every day present, even empty ones.
 */
days: Array<DaySummary>, 
/**
 * Desk days in a row, up to today, with at least one completed break. A day with no desk
 * time at all (a weekend) neither breaks nor extends it; today counts once it has a break.
 */
current_streak: number, best_streak: number, 
/**
 * Share of reminders answered with a break (taken, from that reminder) in the period, 0–1.
 */
acted_on: number | null, 
/**
 * How many completed moves worked each region in the last 7 days.
 */
muscles_week: { [key in MuscleGroup]?: number }, 
/**
 * The latest breaks of the period (taken, natural or skipped), newest first, at most
 * [`RECENT_BREAKS`].
 */
recent: Array<RecentBreak>, 
/**
 * What the person did of each move in the period, the most recently done first.
 */
moves: Array<MoveRecord>, };

export type DaySummary = { date: string, 
/**
 * Breaks whose routine ran to its end.
 */
completed: number, 
/**
 * Breaks ended before the end of the routine.
 */
ended_early: number, 
/**
 * Idle, locked or asleep long enough to count.
 */
natural: number, skipped: number, snoozed: number, 
/**
 * Reminders shown (repeats not counted).
 */
reminded: number, desk_minutes: number, 
/**
 * The longest desk time between two real breaks (taken or natural) that ended this day.
 */
longest_stretch_minutes: number, };

export type RecentBreak = { 
/**
 * When it ended (or was skipped).
 */
at: string, what: BreakRecord, 
/**
 * The moves reached (none for natural or skipped breaks).
 */
moves: Array<string>, 
/**
 * How long it lasted: the routine, or the time away for a natural break.
 */
seconds: number, 
/**
 * What the person said about it afterwards.
 */
feel: Feel | null, };

export type MoveRecord = { move_id: string, 
/**
 * Breaks and sessions it was done in.
 */
times: number, 
/**
 * Sets done in all, over the period.
 */
sets: number, 
/**
 * The latest time: its level, dose and sets.
 */
last: Done, last_at: string, };

export type Done = { move_id: string, 
/**
 * 0-based level.
 */
level: number, dose: Dose, 
/**
 * Sets begun.
 */
sets: number, };

export type BreakRecord = "completed" | "ended_early" | "natural" | "skipped";

export type Feel = "too_easy" | "just_right" | "too_hard" | "hurt";

export type Trigger = "reminder" | "manual";

export type Request = { "request": "snapshot" } | { "request": "start_break", moves: Array<string> | null, } | { "request": "start_session" } | { "request": "snooze" } | { "request": "skip" } | { "request": "pause", pause: PauseFor, } | { "request": "resume" } | { "request": "break", control: BreakControl, } | { "request": "feedback", feel: Feel, moves: Array<string>, } | { "request": "bring_back", moves: Array<string>, } | { "request": "library" } | { "request": "get_settings" } | { "request": "set_settings", settings: Settings, } | { "request": "reset_settings" } | { "request": "history", days: number, } | { "request": "export_csv", name: string, } | { "request": "open", view: View, } | { "request": "subscribe" } | { "request": "quit" } | { "request": "hello", protocol: number, version: string, } | { "request": "restart" };

export type Reply = { "reply": "done" } | { "reply": "snapshot", snapshot: Snapshot, } | { "reply": "settings", settings: Settings, warnings: Array<Warning>, } | { "reply": "history", summary: Summary, } | { "reply": "library", library: Library, } | { "reply": "exported", path: string, rows: number, } | { "reply": "hello", protocol: number, version: string, replaced: boolean, } | { "reply": "error", error: IpcError, };

export type Update = { "update": "snapshot", snapshot: Snapshot, } | { "update": "show", view: View, } | { "update": "quit" };

export type View = "break" | "settings" | "history" | "exercises";

export type IpcError = { "kind": "refused", refusal: Refusal, } | { "kind": "invalid_settings", problems: Array<SettingsError>, } | { "kind": "bad_request", message: string, } | { "kind": "internal", message: string, };

export type Refusal = { "reason": "not_due" } | { "reason": "snooze_limit", limit: number, } | { "reason": "not_paused" } | { "reason": "in_break" } | { "reason": "no_break" } | { "reason": "in_the_past" } | { "reason": "unknown_move", id: string, } | { "reason": "hurt", id: string, } | { "reason": "not_left_out", id: string, } | { "reason": "no_moves" } | { "reason": "too_many_moves", max: number, };

export type SettingsError = { "problem": "out_of_range", field: string, min: number, max: number, got: number, } | { "problem": "empty_range", field: string, range: string, } | { "problem": "overlap", field: string, first: string, second: string, } | { "problem": "no_work_hours" } | { "problem": "unknown_move", id: string, } | { "problem": "too_few_moves" } | { "problem": "too_new", got: number, max: number, } | { "problem": "not_current", got: number, current: number, };

export type Warning = { "kind": "idle_unavailable", reason: string, } | { "kind": "no_tray_host" } | { "kind": "no_notifications" } | { "kind": "settings_file", detail: string, } | { "kind": "history_file", detail: string, } | { "kind": "history_unwritten", events: number, reason: string, } | { "kind": "history_lost", events: number, } | { "kind": "window_missing", reason: string, } | { "kind": "custom_moves", problems: Array<CustomMoveProblem>, };

export type Library = { move: Array<Move>, 
/**
 * Each custom move's picture as a `data:` URL (shown in an `<img>`, where a picture's
 * scripts never run).
 */
pictures: { [key in string]: string }, problems: Array<CustomMoveProblem>, };

/** The range of each number setting (checked by `Settings::problems`). */
export const LIMITS = {
  interval_minutes: { min: 5, max: 240 },
  routine_seconds: { min: 30, max: 180 },
  snooze_minutes: { min: 1, max: 60 },
  snooze_limit: { min: 0, max: 10 },
  remind_again_minutes: { min: 1, max: 60 },
  natural_break_minutes: { min: 1, max: 60 },
  day_starts_at_hour: { min: 0, max: 23 },
  weekly_sessions: { min: 0, max: 5 },
  meeting_cap_minutes: { min: 0, max: 480 },
  fullscreen_cap_minutes: { min: 0, max: 480 },
  dnd_cap_minutes: { min: 0, max: 480 },
  hold_grace_seconds: { min: 0, max: 900 },
  typing_pause_seconds: { min: 2, max: 30 },
  typing_cap_seconds: { min: 10, max: 600 },
} as const;

/** The window's views, each the route `#/<view>`. */
export const VIEWS = ["break", "settings", "history", "exercises"] as const;

/** Minutes after a break ends during which the window asks how it felt. */
export const FEEDBACK_MINUTES = 10;

/** The most moves one request may name. */
export const MAX_MOVES = 12;

/** Seconds of rest between two sets of a move done in sets. */
export const REST_SECONDS = 45;
