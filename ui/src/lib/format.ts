// Pure helpers for what the window writes: countdowns, doses, routine summaries, the status line.
import type { BreakProgress, Dose, Move, Routine, Snapshot } from "./types";

/** `1:05` for 65 000 ms; whole seconds, rounded up so a countdown reaches 0:00 at the end. */
export function countdown(ms: number): string {
  const secs = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, "0")}`;
}

/** Time left in the current phase `elapsedMs` after the snapshot arrived. */
export function phaseLeft(progress: BreakProgress, elapsedMs: number): number {
  return progress.paused ? progress.phase_left_ms : Math.max(0, progress.phase_left_ms - elapsedMs);
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

/** Whole minutes, rounded up: "12 min". */
const minutes = (secs: number): string => `${Math.max(1, Math.ceil(secs / 60))} min`;

/** One line about what comes next. */
export function statusLine(s: Snapshot): string {
  switch (s.state) {
    case "working":
      if (s.next_break_in_seconds === null) return "Counting desk time";
      return s.snoozes > 0
        ? `Snoozed: break in ${minutes(s.next_break_in_seconds)}`
        : `Next break in ${minutes(s.next_break_in_seconds)}`;
    case "due":
      return "Break due now";
    case "in_break":
      return "On a break";
    case "paused":
      return s.paused_until
        ? `Paused until ${new Date(s.paused_until).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`
        : "Paused";
    case "off_hours":
      return "Outside work hours";
    case "away":
      return "Away from the desk";
  }
}
