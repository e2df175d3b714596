// Pure helpers of the settings view: what a number or time field may hold before it is sent,
// where the daemon's problems with the settings are shown, and the ids the page (and its
// end-to-end test) finds errors by. The daemon stays the judge of ranges; this only refuses what
// it could not even read.
import { settingsProblemText } from "./messages";
import { LIMITS, type Day, type HoldReason, type Settings, type SettingsError } from "./types";

/** A number setting (the ranges are the daemon's, in `LIMITS`). */
export type NumberField = keyof typeof LIMITS;

/** The number settings, in the order the view lists them. */
export const NUMBER_FIELDS = Object.keys(LIMITS) as NumberField[];

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The largest value the daemon can read for a field (`u8` for the hour, else `u32`). */
const READABLE_MAX: Record<NumberField, number> = {
  interval_minutes: 4_294_967_295,
  routine_seconds: 4_294_967_295,
  snooze_minutes: 4_294_967_295,
  snooze_limit: 4_294_967_295,
  remind_again_minutes: 4_294_967_295,
  natural_break_minutes: 4_294_967_295,
  day_starts_at_hour: 255,
  weekly_sessions: 4_294_967_295,
  meeting_cap_minutes: 4_294_967_295,
  fullscreen_cap_minutes: 4_294_967_295,
  dnd_cap_minutes: 4_294_967_295,
  hold_grace_seconds: 4_294_967_295,
  typing_pause_seconds: 4_294_967_295,
  typing_cap_seconds: 4_294_967_295,
};

/**
 * A group of the view with number settings: the reminders, the routines (what the breaks and
 * sessions hold), the holds (a due reminder held back at a bad moment), or `hold_caps`: each
 * under its own switch in the holds group (a hold's cap, or typing's pause and its cap; see
 * [`HOLDS`]).
 */
export type NumberGroup = "reminders" | "routines" | "holds" | "hold_caps";

/**
 * The group of the view each number setting is shown in. A setting added in Rust is a type
 * error here until it has one.
 */
export const NUMBER_GROUP: Record<NumberField, NumberGroup> = {
  interval_minutes: "reminders",
  routine_seconds: "reminders",
  snooze_minutes: "reminders",
  snooze_limit: "reminders",
  remind_again_minutes: "reminders",
  natural_break_minutes: "reminders",
  day_starts_at_hour: "reminders",
  weekly_sessions: "routines",
  meeting_cap_minutes: "hold_caps",
  fullscreen_cap_minutes: "hold_caps",
  dnd_cap_minutes: "hold_caps",
  hold_grace_seconds: "holds",
  typing_pause_seconds: "hold_caps",
  typing_cap_seconds: "hold_caps",
};

/** The number settings of one group of the view, in `NUMBER_FIELDS` order. */
export const numberFieldsOf = (group: NumberGroup): NumberField[] =>
  NUMBER_FIELDS.filter((f) => NUMBER_GROUP[f] === group);

/** A switch that lets a reason hold a due reminder back. */
export type HoldFlag = "hold_for_meetings" | "hold_for_fullscreen" | "hold_for_dnd" | "hold_while_typing";

/** An on/off setting that refines a hold's switch (what a meeting is told by). */
export type HoldCheck = "meeting_camera" | "meeting_microphone";

/**
 * Each reason that can hold a due reminder back: its switch; the on/off settings shown under
 * it (for a meeting, what is taken for one: a camera in use, a microphone in use); the number
 * settings shown under those (a hold's cap on how long it may hold one; for typing, the pause
 * it waits for and the longest it waits), all only editable while the switch is on, keeping
 * their values; and whether the delay after a hold ends (`hold_grace_seconds`) follows it.
 * Typing is looked at last, as a reminder is about to show, and the pause is the moment: no
 * delay follows it, so the view lists it after that delay. A reason added in Rust is a type
 * error here until it has all four.
 */
export const HOLDS: Record<HoldReason, { flag: HoldFlag; checks: HoldCheck[]; fields: NumberField[]; grace: boolean }> = {
  meeting: {
    flag: "hold_for_meetings",
    checks: ["meeting_camera", "meeting_microphone"],
    fields: ["meeting_cap_minutes"],
    grace: true,
  },
  fullscreen: { flag: "hold_for_fullscreen", checks: [], fields: ["fullscreen_cap_minutes"], grace: true },
  dnd: { flag: "hold_for_dnd", checks: [], fields: ["dnd_cap_minutes"], grace: true },
  typing: { flag: "hold_while_typing", checks: [], fields: ["typing_pause_seconds", "typing_cap_seconds"], grace: false },
};

/** The reasons, in the order the view lists their switches. */
export const HOLD_REASONS = Object.keys(HOLDS) as HoldReason[];

/**
 * The reasons whose switches come before the delay after a hold ends (it follows them), or
 * after it (it does not), each in `HOLD_REASONS` order.
 */
export const holdReasonsWith = (grace: boolean): HoldReason[] => HOLD_REASONS.filter((r) => HOLDS[r].grace === grace);

/** A whole number the daemon can read from the text of `field`'s input, or a local message. */
export function parseNumber(field: NumberField, text: string): { value: number } | { error: string } {
  const t = text.trim();
  if (t === "") return { error: "Enter a number." };
  if (!/^\d+$/.test(t)) return { error: "Enter a whole number, like 40." };
  const value = Number(t);
  if (value > READABLE_MAX[field]) {
    const { min, max } = LIMITS[field];
    return { error: `Enter a number from ${min} to ${max}.` };
  }
  return { value };
}

/** Whether `t` is a time of day the daemon reads: `H:MM` or `HH:MM`, 00:00 to 23:59, or 24:00. */
export function isTime(t: string): boolean {
  const m = /^(\d{1,2}):(\d{2})$/.exec(t.trim());
  if (!m) return false;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return (h <= 23 && min <= 59) || (h === 24 && min === 0);
}

/** `"09:00-17:30"` as its two ends (either may be malformed; see [`isTime`]). */
export function splitRange(range: string): { start: string; end: string } {
  const i = range.indexOf("-");
  return i === -1 ? { start: range, end: "" } : { start: range.slice(0, i), end: range.slice(i + 1) };
}

/** The two ends written as the daemon reads a range. */
export function joinRange(start: string, end: string): string {
  return `${start.trim()}-${end.trim()}`;
}

/** A local message for a malformed time, or `null` when it can be sent. */
export function timeError(t: string): string | null {
  if (t.trim() === "") return "Enter a time, like 09:00.";
  return isTime(t) ? null : `“${t.trim()}” is not a time like 09:00 (24:00 for midnight).`;
}

/** Whether `t` is a time of day as the daemon reads `session_time`: `H:MM` or `HH:MM`, 00:00 to 23:59. */
export function isClockTime(t: string): boolean {
  const m = /^(\d{1,2}):(\d{2})$/.exec(t.trim());
  return m !== null && Number(m[1]) <= 23 && Number(m[2]) <= 59;
}

/** A local message for a session time the daemon could not read, or `null` when it can be sent. */
export function clockTimeError(t: string): string | null {
  if (t.trim() === "") return "Enter a time, like 17:00.";
  return isClockTime(t) ? null : `“${t.trim()}” is not a time like 17:00.`;
}

/** The session days with `day` ticked or not, in the order of the week. */
export function withDay(days: readonly Day[], day: Day, on: boolean): Day[] {
  return WEEKDAYS.filter((d) => (d === day ? on : days.includes(d)));
}

/** The id of the element that shows the error of `field`: `error-work_hours-monday`. */
export function errorId(field: string): string {
  return `error-${field.replace(/\./g, "-")}`;
}

/** Every place a daemon error can be shown, by the settings field it is about. */
export const ERROR_FIELDS: readonly string[] = [
  ...NUMBER_FIELDS,
  "work_hours",
  ...WEEKDAYS.map((d) => `work_hours.${d}`),
  "equipment",
  "excluded_moves",
  "session_days",
  "session_time",
];

/**
 * Where to show an error the daemon named `field` for: the field itself when the view has it
 * (`interval_minutes`, `work_hours.monday`: that day's group), its day when it names one range
 * of a day (`work_hours.monday.0`), else the top of the view (`general`).
 */
export function errorTarget(field: string | undefined | null): string {
  if (!field) return "general";
  if (ERROR_FIELDS.includes(field)) return field;
  const day = /^work_hours\.([a-z]+)\b/.exec(field)?.[1];
  if (day && (WEEKDAYS as readonly string[]).includes(day)) return `work_hours.${day}`;
  const top = field.split(".")[0];
  return ERROR_FIELDS.includes(top) ? top : "general";
}

/** The setting a problem is about, as the daemon names it (as `SettingsError::field` in Rust). */
export function problemField(p: SettingsError): string {
  switch (p.problem) {
    case "out_of_range":
    case "empty_range":
    case "overlap":
      return p.field;
    case "no_work_hours":
      return "work_hours";
    case "unknown_move":
    case "too_few_moves":
      return "excluded_moves";
    case "too_new":
    case "not_current":
      return "version";
    default:
      // A problem this page does not know yet: shown at the top.
      p satisfies never;
      return "general";
  }
}

/**
 * The daemon's problems with the settings, in words, by where they are shown (see
 * [`errorTarget`]): each beside its own field, several at one place one after the other.
 */
export function problemsByTarget(problems: readonly SettingsError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) {
    const target = errorTarget(problemField(p));
    const text = settingsProblemText(p);
    out[target] = out[target] ? `${out[target]} ${text}` : text;
  }
  return out;
}

/** A deep copy of settings, safe to edit. */
export function cloneSettings(s: Settings): Settings {
  return JSON.parse(JSON.stringify(s)) as Settings;
}

/** `list` with `item` in or out, kept sorted (the daemon keeps these as sets). */
export function toggled<T extends string>(list: readonly T[], item: T, on: boolean): T[] {
  const set = new Set(list);
  if (on) set.add(item);
  else set.delete(item);
  return [...set].sort();
}

/** A range to add after `ranges` of a day: the usual day when it has none, else the two
 * hours after its last range (ending at midnight at the latest). */
export function nextRange(ranges: readonly { start: string; end: string }[]): { start: string; end: string } {
  const last = ranges[ranges.length - 1];
  if (!last) return { start: "09:00", end: "17:30" };
  const m = /^(\d{1,2}):(\d{2})$/.exec(last.end.trim());
  if (!m) return { start: "", end: "" };
  const from = Math.min(24 * 60, Number(m[1]) * 60 + Number(m[2]));
  const to = Math.min(24 * 60, from + 120);
  const hhmm = (t: number) => `${String(Math.floor(t / 60)).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
  return { start: hhmm(from), end: hhmm(to) };
}
