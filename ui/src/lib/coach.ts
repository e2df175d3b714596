// What a running break says to the person doing it: the dose in words to act on, which cue
// to show large right now, and the move that comes next with what it needs. Pure: the break
// view passes in the step, the catalog's move and the time left; the daemon owns the timeline.
import { duration } from "./format";
import type { BreakProgress, Dose, Equipment, Kind, Level, Move, Routine, Step } from "./types";

/** A dose in two parts: `main` large ("8 reps"), `details` smaller ("each side", "2 sets"). */
export type DoseWords = { main: string; details: string[] };

/** From this tempo (seconds a rep) up, the dose asks for the pace; from `SLOW_TEMPO`, slowly. */
const TEMPO_WORTH_SAYING = 3;
const SLOW_TEMPO = 4;

const seconds = (s: number) => duration(s);

/**
 * The dose as a person acts on it: `Hold 15 s, 2 times`, `8 reps` with `slowly, about 4 s
 * each`, `Keep going for 20 s`; then `each side` and the sets, when there are several.
 */
export function doseWords(dose: Dose, { kind, perSide, sets }: { kind: Kind; perSide: boolean; sets: number }): DoseWords {
  const details: string[] = [];
  let main: string;
  if ("hold" in dose) {
    const { hold_seconds, reps } = dose.hold;
    main = reps > 1 ? `Hold ${seconds(hold_seconds)}, ${reps} times` : `Hold ${seconds(hold_seconds)}`;
  } else if ("reps" in dose) {
    const { reps, tempo_seconds } = dose.reps;
    main = reps === 1 ? "1 rep" : `${reps} reps`;
    if (tempo_seconds >= SLOW_TEMPO) details.push(`slowly, about ${seconds(tempo_seconds)} each`);
    else if (tempo_seconds >= TEMPO_WORTH_SAYING) details.push(`steady, about ${seconds(tempo_seconds)} each`);
  } else {
    // A timed stretch is held; anything else timed (circles, carries) keeps moving.
    main = kind === "stretch" ? `Hold ${seconds(dose.timed.seconds)}` : `Keep going for ${seconds(dose.timed.seconds)}`;
  }
  if (perSide) details.push("each side");
  if (sets > 1) details.push(`${sets} sets`);
  return { main, details };
}

/** The level a step is at (the last one when the catalog has fewer, as the daemon does). */
export function levelOf(move: Move | undefined, step: Step): Level | undefined {
  if (!move || move.levels.length === 0) return undefined;
  return move.levels[Math.min(step.level, move.levels.length - 1)];
}

/** Seconds one set of a dose takes at the least (no release between holds counted). */
function setSecondsAtLeast(dose: Dose): number {
  if ("hold" in dose) return dose.hold.hold_seconds * dose.hold.reps;
  if ("reps" in dose) return dose.reps.tempo_seconds * dose.reps.reps;
  return dose.timed.seconds;
}

/**
 * The sets a step does. The catalog's `sets` are for a full session; a desk break does one set
 * whose dose fills the step's time. So the level's sets count only when the step's time holds
 * all of them; otherwise one (and the page does not mention sets).
 */
export function stepSets(step: Step, level: Level | undefined): number {
  const sets = level?.sets ?? 1;
  if (sets <= 1) return 1;
  return step.seconds_per_side >= sets * Math.max(1, setSecondsAtLeast(step.dose)) ? sets : 1;
}

/** The words for a step's dose: the planner's own dose, the catalog for the kind and sets. */
export function stepDose(step: Step, move: Move | undefined): DoseWords {
  return doseWords(step.dose, {
    kind: move?.kind ?? "posture",
    perSide: step.per_side,
    sets: stepSets(step, levelOf(move, step)),
  });
}

/** The shortest time a cue stays large, so that it can be read before it changes. */
export const MIN_CUE_MS = 4_000;

/**
 * Which cue to show large now (an index into the move's cues, -1 when it has none).
 *
 * The cues are written in order: the first gets a person into position, the others say how
 * to move and what to keep in mind on every rep. So getting ready (and switching sides) shows
 * the first; the work phase goes through the others in turn, each for an equal share of the
 * phase, but at least `MIN_CUE_MS` so it can be read (on a short phase the last ones stay in
 * the list only). A one-cue move shows its cue throughout.
 */
export function cueIndex(cues: number, progress: Pick<BreakProgress, "phase" | "phase_seconds">, leftMs: number): number {
  if (cues <= 0) return -1;
  if (cues === 1 || progress.phase !== "work") return 0;
  const turns = cues - 1;
  const phaseMs = progress.phase_seconds * 1000;
  const elapsed = Math.min(phaseMs, Math.max(0, phaseMs - leftMs));
  const dwell = Math.max(phaseMs / turns, MIN_CUE_MS);
  return 1 + Math.min(turns - 1, Math.floor(elapsed / dwell));
}

/** How long before a move ends the next one is named. */
export const NEXT_NOTICE_MS = 5_000;

/**
 * The step to name as "Next": the current one while getting ready for it, the following one
 * during the last `NEXT_NOTICE_MS` of the current move's last work (the right side of a
 * one-sided move); otherwise none.
 */
export function upcomingStep(progress: BreakProgress, routine: Routine, leftMs: number): number | null {
  if (progress.phase === "prepare") return progress.step;
  const step = routine.steps[progress.step];
  const lastWork = progress.phase === "work" && (!step?.per_side || progress.side === "right");
  const next = progress.step + 1;
  return lastWork && leftMs <= NEXT_NOTICE_MS && next < routine.steps.length ? next : null;
}

/** What to have ready for each piece of equipment; the chair is always at the desk. */
const READY: Record<Equipment, string | null> = {
  chair: null,
  wall: "stand by a wall",
  doorway: "find a doorway",
  "resistance-band": "have your band ready",
  "door-anchor": "loop your band through the door anchor",
  dumbbells: "have your dumbbells ready",
  barbell: "have your barbell ready",
  bench: "find a bench",
  bar: "find a pull-up bar",
};

/** `Next: Levator scapulae stretch, left side first`, `Next: Band row, have your band ready`. */
export function nextWords(step: Step, move: Move | undefined): string {
  const parts = [`Next: ${move?.name ?? step.move_id}`];
  // The daemon's timeline always works the left side first.
  if (step.per_side) parts.push("left side first");
  const equipment = move?.equipment ?? [];
  // A band that goes through a door anchor is said once, with the anchor.
  const anchored = equipment.includes("door-anchor");
  for (const e of equipment) {
    const ready = anchored && e === "resistance-band" ? null : (READY[e] ?? null);
    if (ready) parts.push(ready);
  }
  return parts.join(", ");
}

/** What "too easy" or "too hard" changes for a move done at `level` (0-based): its next level's
 * dose and variation, or that it is already at the end of its progression. A desk break does
 * one set, so sets are left out. */
export function levelChange(move: Move, level: number, feel: "too_easy" | "too_hard"): string {
  const last = move.levels.length - 1;
  const at = Math.min(level, last);
  const to = feel === "too_easy" ? at + 1 : at - 1;
  if (to > last) return `${move.name} is at its hardest level already: keep it slow and controlled.`;
  if (to < 0) return `${move.name} is at its easiest level already: do what you can without pain.`;
  const next = move.levels[to];
  const words = doseWords(next.dose, { kind: move.kind, perSide: move.per_side, sets: 1 });
  const dose = [words.main, ...words.details].join(", ");
  const way = feel === "too_easy" ? "up" : "back";
  const variation = next.variation ? ` ${next.variation}` : "";
  return `${move.name} goes ${way} to level ${to + 1} of ${last + 1}: ${dose.charAt(0).toLowerCase()}${dose.slice(1)}.${variation}`;
}
