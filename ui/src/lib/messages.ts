// The daemon's typed answers in words for people: settings problems, refusals, warnings and
// errors. The daemon sends data (which setting, which bounds, what it would not do), never
// sentences for the window; they are written here, once, with the labels the settings view
// shows (lib/labels.ts). Each `switch` covers every variant: a variant added in Rust reaches
// `bindings.ts` and fails `npm run check` here until it has its words.
import { fieldLabel, fieldUnit } from "./labels";
import type { CustomMoveProblem, IpcError, Refusal, SettingsError, Warning } from "./types";

/**
 * The words for a variant the page does not know yet. The `never` parameter makes a missing
 * case a type error; at run time (a daemon newer than the window) it gives `fallback`.
 */
function unknown(_value: never, fallback: string): string {
  return fallback;
}

/** `1 event`, `2 events`. */
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A range as the daemon writes it, `09:00-17:30`, as the page shows it: `09:00–17:30`. */
const range = (r: string) => r.replace("-", "–");

/** `text` ending with a full stop (the daemon's accounts are written to follow a colon). */
function stopped(text: string): string {
  const t = text.trim();
  return t === "" || /[.!?…]$/.test(t) ? t : `${t}.`;
}

/** `text` as a sentence of its own: a capital first, a full stop last. */
function sentence(text: string): string {
  const t = stopped(text);
  return t === "" ? t : t[0]!.toUpperCase() + t.slice(1);
}

/** One settings problem, worded for the place beside its field. */
export function settingsProblemText(p: SettingsError): string {
  switch (p.problem) {
    case "out_of_range": {
      const label = fieldLabel(p.field) ?? "This setting";
      const unit = fieldUnit(p.field);
      return `${label} must be between ${p.min} and ${p.max}${unit ? ` ${unit}` : ""} (you entered ${p.got}).`;
    }
    case "empty_range":
      return `${fieldLabel(p.field) ?? "Work hours"}: the hours ${range(p.range)} end before they start.`;
    case "overlap":
      return `${fieldLabel(p.field) ?? "Work hours"}: the hours ${range(p.first)} and ${range(p.second)} overlap.`;
    case "no_work_hours":
      return "Reminders come only during work hours, but no day has any: add hours to a day, or turn work hours off.";
    case "unknown_move":
      return `“${p.id}” is not a move Unslouch knows, so it cannot be left out.`;
    case "too_few_moves":
      return "Leave out fewer moves: at least two desk moves that need no equipment must stay in the routines.";
    case "too_new":
      return `These settings are version ${p.got}, from a newer Unslouch: this one understands up to version ${p.max}.`;
    case "not_current":
      return `These settings are in an older format (version ${p.got}): this Unslouch reads and writes version ${p.current}.`;
    default:
      return unknown(p, "Unslouch cannot use one of these settings.");
  }
}

/** Why the daemon would not do what was asked. */
export function refusalText(r: Refusal): string {
  switch (r.reason) {
    case "not_due":
      return "No break is due, so there is nothing to snooze or skip.";
    case "snooze_limit":
      return `Snoozed ${count(r.limit, "time", "times")} in a row already: start the break or skip it.`;
    case "not_paused":
      return "Reminders are not paused.";
    case "in_break":
      return "A break is running: end it first.";
    case "no_break":
      return "No break is running.";
    case "in_the_past":
      return "That time has already passed.";
    case "unknown_move":
      return `“${r.id}” is not a move Unslouch knows.`;
    case "hurt":
      return `“${r.id}” is left out because it hurt: bring it back in Exercises first.`;
    case "not_left_out":
      return `“${r.id}” is not left out, so there is nothing to bring back.`;
    case "no_moves":
      return "No desk move fits the current settings: in Settings, leave out fewer moves or say what is at hand.";
    case "too_many_moves":
      return `At most ${r.max} moves at a time.`;
    default:
      return unknown(r, "Unslouch would not do that now.");
  }
}

/**
 * One move of the person's moves file left out, as a line: the file, the move's place and id,
 * the field, and the daemon's reason (`moves.toml, move 2 (neck-glide): cues — it needs 3 to 5
 * cues`); a problem with the file as a whole names the file only (`moves.toml: expected a
 * table`). The file as given: the library passes its base name (`baseName`).
 */
export function customMoveProblemText(p: CustomMoveProblem): string {
  const where = p.index === 0 ? p.file : `${p.file}, move ${p.index}${p.id ? ` (${p.id})` : ""}`;
  const problem = p.problem.trim();
  return p.field ? `${where}: ${p.field} — ${problem}` : `${where}: ${problem}`;
}

/** Something that does not work as it should, as the window tells it. */
export function warningText(w: Warning): string {
  switch (w.kind) {
    case "idle_unavailable":
      return `Idle detection is unavailable (${w.reason}): desk time counts all the time Unslouch runs.`;
    case "no_tray_host":
      return (
        "No tray is available on this desktop, so the Unslouch icon is hidden. On GNOME, the " +
        "AppIndicator extension shows it; launching Unslouch again opens this window."
      );
    case "no_notifications":
      return "Notifications are not available: reminders open this window instead.";
    case "settings_file":
    case "history_file":
      // The store's own account of what was kept where (it names the files).
      return sentence(w.detail);
    case "history_unwritten":
      return `History cannot be written (${w.reason}): ${count(w.events, "event is", "events are")} kept in memory and tried again.`;
    case "history_lost":
      return `History could not be written for too long: ${count(w.events, "event was", "events were")} given up.`;
    case "window_missing":
      return `Unslouch could not open its window on its own: ${stopped(w.reason)}`;
    case "custom_moves":
      return w.problems.length === 0
        ? "Some of your own moves were left out."
        : `Some of your own moves were left out: ${w.problems.map((p) => stopped(customMoveProblemText(p))).join(" ")}`;
    default:
      return unknown(w, "Something in Unslouch does not work as it should.");
  }
}

/** A failed request in one or more sentences. */
export function errorText(e: IpcError): string {
  switch (e.kind) {
    case "refused":
      return refusalText(e.refusal);
    case "invalid_settings":
      return e.problems.length === 0
        ? "These settings cannot be used."
        : e.problems.map(settingsProblemText).join(" ");
    case "bad_request":
      return `Unslouch could not read the request: ${stopped(e.message)}`;
    case "internal":
      return sentence(e.message) || "Something went wrong in Unslouch.";
    default:
      return unknown(e, "Something went wrong in Unslouch.");
  }
}
