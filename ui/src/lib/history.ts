// Pure helpers of the history view: one-sentence summaries of the charts, the words for what
// happened and how it felt, the muscle groups, and the CSV file's name.
import { dayLabel, hoursMinutes } from "./format";
import type { BreakRecord, DaySummary, Feel, MuscleGroup } from "./types";

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

/** `unslouch-history-2026-11-20.csv`, for the local day of `now`. */
export function csvFileName(now: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `unslouch-history-${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}.csv`;
}
