// Pure helpers for what the window writes: countdowns, doses, routine summaries, shares,
// durations and dates. The status line ("Next break in 12 min") is the daemon's: it comes in
// the snapshot, the same words as the tray's.
import type { BreakProgress, Dose, Move, Routine } from "./types";

/** `1:05` for 65 000 ms; whole seconds, rounded up so a countdown reaches 0:00 at the end. */
export function countdown(ms: number): string {
  const secs = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, "0")}`;
}

/** Time left in the current phase `elapsedMs` after the snapshot arrived. */
export function phaseLeft(progress: BreakProgress, elapsedMs: number): number {
  return progress.paused ? progress.phase_left_ms : Math.max(0, progress.phase_left_ms - elapsedMs);
}

/** Time left in the whole routine `elapsedMs` after the snapshot arrived. */
export function routineLeft(progress: BreakProgress, elapsedMs: number): number {
  return progress.paused ? progress.total_left_ms : Math.max(0, progress.total_left_ms - elapsedMs);
}

/** `5 × 3 s hold`, `8 reps`, `20 s`. */
export function describeDose(dose: Dose): string {
  if ("hold" in dose) return `${dose.hold.reps} × ${dose.hold.hold_seconds} s hold`;
  if ("reps" in dose) return `${dose.reps.reps} reps`;
  return `${dose.timed.seconds} s`;
}

/** The moves of a routine by name, with their time. */
export function routineLines(routine: Routine, moves: Map<string, Move>): { name: string; detail: string }[] {
  return routine.steps.map((s) => ({
    name: moves.get(s.move_id)?.name ?? s.move_id,
    detail: s.per_side
      ? `${describeDose(s.dose)} each side`
      : describeDose(s.dose),
  }));
}

/** A share 0–1 as a whole percentage, `—` when there is none. */
export function percent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "—";
  return `${Math.round(Math.min(1, Math.max(0, share)) * 100)}%`;
}

/** A short duration: `45 s`, `1 min 5 s`, `2 min`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest === 0 ? `${m} min` : `${m} min ${rest} s`;
}

/** Desk minutes: `45 min`, `3 h`, `3 h 20 min`. */
export function hoursMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** A local calendar date `YYYY-MM-DD` as a `Date` at local noon (safe across clock changes). */
function civil(date: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12);
}

/** `Fri 20 Nov` for a local date (in the given locale; the default: the system's). */
export function dayLabel(date: string, locale?: string): string {
  return civil(date).toLocaleDateString(locale, { weekday: "short", day: "numeric", month: "short" });
}

/** The day of the month of a local date, for a chart's axis: `20`. */
export function dayOfMonth(date: string): string {
  return String(civil(date).getDate());
}

/** An instant in local time: `Fri 20 Nov, 15:03`. */
export function localDateTime(at: string, locale?: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return d.toLocaleString(locale, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}
