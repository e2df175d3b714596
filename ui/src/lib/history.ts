// Pure helpers of the history view: one-sentence summaries of the charts, the words for what
// happened and how it felt, the muscle groups, what was done of each move, and the CSV file's
// name.
import { doseWords } from "./coach";
import { dayLabel, hoursMinutes } from "./format";
import type { BreakRecord, DaySummary, Done, Feel, Move, MoveRecord, MuscleGroup } from "./types";

/** The breaks chart's series, bottom first, with their legend words and colours. */
export const BREAK_SERIES = [
  { key: "completed", label: "Completed", colour: "--series-completed" },
  { key: "natural", label: "Natural", colour: "--series-natural" },
  { key: "ended_early", label: "Ended early", colour: "--series-ended-early" },
  { key: "skipped", label: "Skipped", colour: "--series-skipped" },
  { key: "snoozed", label: "Snoozed", colour: "--series-snoozed" },
] as const;

const period = (n: number) => (n === 1 ? "today" : `over the last ${n} days`);

/** `Breaks over the last 14 days: 12 completed, 3 natural, 1 ended early, 2 skipped, 4 snoozed.` */
export function breaksSummary(days: readonly DaySummary[]): string {
  const total = (k: (typeof BREAK_SERIES)[number]["key"]) => days.reduce((n, d) => n + d[k], 0);
  const parts = BREAK_SERIES.map((s) => `${total(s.key)} ${s.label.toLowerCase()}`);
  return `Breaks ${period(days.length)}: ${parts.join(", ")}.`;
}

/** `Desk time over the last 14 days: 31 h 20 min in all, most on Fri 20 Nov (6 h 5 min).` */
export function deskSummary(days: readonly DaySummary[], locale?: string): string {
  const total = days.reduce((n, d) => n + d.desk_minutes, 0);
  const most = days.reduce<DaySummary | null>((a, d) => (!a || d.desk_minutes > a.desk_minutes ? d : a), null);
  const head = `Desk time ${period(days.length)}: ${hoursMinutes(total)} in all`;
  return most && most.desk_minutes > 0
    ? `${head}, most on ${dayLabel(most.date, locale)} (${hoursMinutes(most.desk_minutes)}).`
    : `${head}.`;
}

/** A desk-time axis label: `0`, `30 min`, `2 h`. */
export function hoursTick(minutes: number): string {
  if (minutes === 0) return "0";
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

export const WHAT: Record<BreakRecord, string> = {
  completed: "Completed",
  ended_early: "Ended early",
  natural: "Natural break",
  skipped: "Skipped",
};

export const FEEL: Record<Feel, string> = {
  too_easy: "Too easy",
  just_right: "Just right",
  too_hard: "Too hard",
  hurt: "It hurt",
};

/** The muscle groups, in the order the view lists them. */
export const MUSCLE_GROUPS: { id: MuscleGroup; label: string }[] = [
  { id: "neck", label: "Neck" },
  { id: "shoulder-blades", label: "Shoulder blades" },
  { id: "shoulders", label: "Shoulders" },
  { id: "chest-and-lats", label: "Chest and lats" },
  { id: "spine", label: "Spine" },
  { id: "support", label: "Core, hips and grip" },
];

/** How many moves the "Per move" list shows until the person asks for all of them. */
export const PER_MOVE_SHOWN = 10;

/** The move records to list: the first `PER_MOVE_SHOWN` (the most recently done), or all. */
export function shownRecords(records: readonly MoveRecord[], all: boolean): MoveRecord[] {
  return all ? [...records] : records.slice(0, PER_MOVE_SHOWN);
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `4 times · 9 sets`, `1 time · 1 set`: the breaks and sessions a move was done in, and its sets. */
export function timesWords(record: Pick<MoveRecord, "times" | "sets">): string {
  return `${count(record.times, "time", "times")} · ${count(record.sets, "set", "sets")}`;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * What was done of a move the last time: `Last: level 2, 3 × 10 reps`, `Last: level 1, hold
 * 20 s each side`, `Last: level 1, hold 5 s, 6 times, 2 sets`. The level is 1-based, as the
 * library says it; the dose is the one done (the catalog's `move` only says its kind and
 * whether it is one-sided; a move it no longer holds reads as two-sided). Reps in several sets
 * read `3 × 10 reps`; a hold or a timed dose, whose words may hold a count already, takes its
 * sets after it.
 */
export function lastWords(done: Pick<Done, "level" | "dose" | "sets">, move: Pick<Move, "kind" | "per_side"> | undefined): string {
  const main = lowerFirst(doseWords(done.dose, { kind: move?.kind ?? "posture", perSide: false, sets: 1 }).main);
  const sided = move?.per_side ? `${main} each side` : main;
  let dose = sided;
  if (done.sets > 1) dose = "reps" in done.dose ? `${done.sets} × ${sided}` : `${sided}, ${done.sets} sets`;
  return `Last: level ${done.level + 1}, ${dose}`;
}

/** `unslouch-history-2026-11-20.csv`, for the local day of `now`. */
export function csvFileName(now: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `unslouch-history-${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}.csv`;
}
