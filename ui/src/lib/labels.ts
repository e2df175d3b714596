// What the page calls each setting: the labels the settings view shows beside its fields, and
// the same words in the messages about them (lib/messages.ts), so the two always agree. A
// setting's name in the file (`interval_minutes`, `work_hours.monday`) is for the daemon and
// the file; people never see it.
import type { HoldCheck, HoldFlag, NumberField, Weekday } from "./settingsForm";

/**
 * Each number setting: its label (a noun phrase, as a message starts with it), the unit a
 * message counts it in (none for a plain count or an hour), and the hint beside the input.
 */
export const NUMBER_LABELS: Record<NumberField, { label: string; unit: string; hint: string }> = {
  interval_minutes: { label: "Break interval", unit: "minutes", hint: "minutes at the desk" },
  routine_seconds: { label: "Routine length", unit: "seconds", hint: "seconds" },
  snooze_minutes: { label: "Snooze length", unit: "minutes", hint: "minutes" },
  snooze_limit: { label: "Snoozes in a row", unit: "", hint: "at most" },
  remind_again_minutes: {
    label: "Delay before an unanswered reminder repeats",
    unit: "minutes",
    hint: "minutes at the desk",
  },
  natural_break_minutes: { label: "Time away that counts as a break", unit: "minutes", hint: "minutes" },
  day_starts_at_hour: { label: "Start of the day", unit: "", hint: "o’clock (for the daily totals)" },
  weekly_sessions: { label: "Full sessions a week", unit: "", hint: "0 for no aim" },
  meeting_cap_minutes: {
    label: "Longest hold during a call",
    unit: "minutes",
    hint: "minutes; 0 for as long as it lasts",
  },
  fullscreen_cap_minutes: {
    label: "Longest hold for a fullscreen window",
    unit: "minutes",
    hint: "minutes; 0 for as long as it lasts",
  },
  dnd_cap_minutes: {
    label: "Longest hold during Do Not Disturb",
    unit: "minutes",
    hint: "minutes; 0 for as long as it lasts",
  },
  hold_grace_seconds: { label: "Delay after a hold ends", unit: "seconds", hint: "seconds before the reminder comes" },
  typing_pause_seconds: {
    label: "Pause in typing to wait for",
    unit: "seconds",
    hint: "seconds without typing or using the mouse",
  },
  typing_cap_seconds: {
    label: "Longest wait for a pause in typing",
    unit: "seconds",
    hint: "seconds; then the reminder comes anyway",
  },
};

/**
 * The switches that let a reason hold a due reminder back. Like the other on/off settings they
 * are never the subject of a message (the daemon has no range to check), so they are not
 * labels of [`fieldLabel`].
 */
export const HOLD_LABELS: Record<HoldFlag, string> = {
  hold_for_meetings: "Hold reminders during a call (camera or microphone in use)",
  hold_for_fullscreen: "Hold reminders while a window is fullscreen",
  hold_for_dnd: "Hold reminders during Do Not Disturb",
  // Not a hold like the others: it waits for a moment (a pause) rather than for one to pass.
  hold_while_typing: "Wait for a pause in my typing before a reminder comes",
};

/**
 * The on/off settings under a hold's switch (see `HOLDS`), and what each group of them is
 * called: for a meeting, what is taken for one. Like the switches, never in a message.
 */
export const HOLD_CHECK_LABELS: Record<HoldCheck, string> = {
  meeting_camera: "A camera in use",
  meeting_microphone: "A microphone in use",
};
export const HOLD_CHECKS_LEGENDS: Partial<Record<HoldFlag, string>> = {
  hold_for_meetings: "Counts as a call",
};

export const DAY_NAMES: Record<Weekday, string> = {
  monday: "Monday",
  tuesday: "Tuesday",
  wednesday: "Wednesday",
  thursday: "Thursday",
  friday: "Friday",
  saturday: "Saturday",
  sunday: "Sunday",
};

/** A day in a row of seven (the session days): shown short, named in full to a screen reader. */
export const DAY_SHORT: Record<Weekday, string> = {
  monday: "Mon",
  tuesday: "Tue",
  wednesday: "Wed",
  thursday: "Thu",
  friday: "Fri",
  saturday: "Sat",
  sunday: "Sun",
};

/** The settings that are a group of the view rather than one input. */
export const GROUP_LABELS = {
  work_hours: "Work hours",
  equipment: "At hand besides the desk and chair",
  excluded_moves: "Moves to leave out",
  session_days: "Session days",
} as const;

/** The settings that are one time of day. */
export const TIME_LABELS = {
  session_time: "Session time",
} as const;

/** Whether `key` is one of the table's own keys (not `constructor` or `__proto__`). */
const has = <K extends string>(table: Record<K, unknown>, key: string): key is K =>
  Object.prototype.hasOwnProperty.call(table, key);

/**
 * The label of a setting the daemon names (`interval_minutes`, `work_hours`,
 * `work_hours.monday`, `work_hours.monday.0`: Monday), or `null` for one the page does not show.
 */
export function fieldLabel(field: string): string | null {
  if (has(NUMBER_LABELS, field)) return NUMBER_LABELS[field].label;
  if (has(GROUP_LABELS, field)) return GROUP_LABELS[field];
  if (has(TIME_LABELS, field)) return TIME_LABELS[field];
  const day = /^work_hours\.([a-z]+)(?:\.\d+)?$/.exec(field)?.[1];
  return day !== undefined && has(DAY_NAMES, day) ? DAY_NAMES[day] : null;
}

/** The unit a message counts a number setting in (`minutes`), or `""`. */
export function fieldUnit(field: string): string {
  return has(NUMBER_LABELS, field) ? NUMBER_LABELS[field].unit : "";
}
