// What a running break says to the person doing it: the phase, the dose in words to act on,
// the set of a move done in sets, which cue to show large right now, and what comes next (the
// next set after a rest, the next move with what it needs); for a full session, its section and
// the time left. Pure: the break view passes in the step, the catalog's move and the time left;
// the daemon owns the timeline.
import { duration } from "./format";
import type { BreakProgress, Dose, Equipment, Kind, Level, Move, Phase, Routine, Side, Step } from "./types";

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

/**
 * The words for one set of a step's dose: the planner's own dose, the catalog for the kind.
 * The sets are not counted here: the daemon's timeline runs them one by one, and the break view
 * says which one is running (`setWords`).
 */
export function stepDose(step: Step, move: Move | undefined): DoseWords {
  return doseWords(step.dose, { kind: move?.kind ?? "posture", perSide: step.per_side, sets: 1 });
}

/** `Set 2 of 3` for the 0-based `set` of a step done in sets; `null` for a step of one set. */
export function setWords(step: Pick<Step, "sets">, set: number): string | null {
  if (step.sets <= 1) return null;
  return `Set ${Math.min(Math.max(0, set), step.sets - 1) + 1} of ${step.sets}`;
}

/** What a rest says in place of the dose: `Rest`, then the dose of the set that follows. */
export function restDose(next: DoseWords): DoseWords {
  return { main: "Rest", details: [`then ${lowerFirst(next.main)}`, ...next.details] };
}

/** The phase in words, for the running break's head: `Get ready`, `Left side`, `Rest`. */
export function phaseWords(phase: Phase, side: Side | null): string {
  switch (phase) {
    case "prepare":
      return "Get ready";
    case "switch_sides":
      return "Switch sides";
    case "rest":
      return "Rest";
    case "work":
      return side === "left" ? "Left side" : side === "right" ? "Right side" : "Go";
    default:
      // A phase this page does not know yet (a daemon newer than the window).
      phase satisfies never;
      return "";
  }
}

/** A full session's section as a move's kind puts it: warm-up, strength (posture too), stretches. */
const SECTIONS: Record<Kind, string> = {
  "warm-up": "Warm-up",
  posture: "Strength",
  strength: "Strength",
  stretch: "Stretches",
};

/** The section of a full session a move belongs to, or `null` for a move the catalog does not know. */
export function sectionOf(move: Move | undefined): string | null {
  return move ? SECTIONS[move.kind] : null;
}

/** `13 min left`: the time left of a routine, in whole minutes rounded up (at least 1). */
export function minutesLeft(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 60_000))} min left`;
}

/** The line over a full session's move: `Full session · Strength · 13 min left`. */
export function sessionLine(move: Move | undefined, totalLeftMs: number): string {
  const section = sectionOf(move);
  return ["Full session", ...(section ? [section] : []), minutesLeft(totalLeftMs)].join(" · ");
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

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

/** Whether the progress is in the last work of a set (the right side of a one-sided move). */
function lastWorkOfSet(progress: BreakProgress, step: Step | undefined): boolean {
  return progress.phase === "work" && (!step?.per_side || progress.side === "right");
}

/**
 * The step to name as "Next": the current one while getting ready for it, the following one
 * during the last `NEXT_NOTICE_MS` of the current move's last work (the right side of a
 * one-sided move, in its last set); otherwise none.
 */
export function upcomingStep(progress: BreakProgress, routine: Routine, leftMs: number): number | null {
  if (progress.phase === "prepare") return progress.step;
  const step = routine.steps[progress.step];
  const lastSet = progress.set >= (step?.sets ?? 1) - 1;
  const next = progress.step + 1;
  return lastWorkOfSet(progress, step) && lastSet && leftMs <= NEXT_NOTICE_MS && next < routine.steps.length ? next : null;
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

/** During a rest: `Next: set 2 of 3 of Band row` (`, left side first` for a one-sided move). */
export function nextSetWords(step: Step, move: Move | undefined, set: number): string {
  const which = setWords(step, set);
  const name = move?.name ?? step.move_id;
  const parts = [which ? `Next: ${lowerFirst(which)} of ${name}` : `Next: ${name}`];
  if (step.per_side) parts.push("left side first");
  return parts.join(", ");
}

/**
 * The running break's "Next" line, or `null` for none: during a rest, the set that follows it;
 * in the last `NEXT_NOTICE_MS` of a set that another follows, the rest (`Next: rest 45 s, then
 * set 2 of 3`); otherwise the next move as `upcomingStep` picks it, with what it needs.
 */
export function nextLine(
  progress: BreakProgress,
  routine: Routine,
  moves: ReadonlyMap<string, Move>,
  leftMs: number,
): string | null {
  const step = routine.steps[progress.step];
  if (step && progress.phase === "rest") return nextSetWords(step, moves.get(step.move_id), progress.set);
  if (step && lastWorkOfSet(progress, step) && progress.set < step.sets - 1 && leftMs <= NEXT_NOTICE_MS) {
    const then = lowerFirst(setWords(step, progress.set + 1) ?? "");
    return step.rest_seconds > 0 ? `Next: rest ${seconds(step.rest_seconds)}, then ${then}` : `Next: ${then}`;
  }
  const at = upcomingStep(progress, routine, leftMs);
  const next = at === null ? undefined : routine.steps[at];
  return next ? nextWords(next, moves.get(next.move_id)) : null;
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
