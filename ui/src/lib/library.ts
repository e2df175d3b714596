// What the exercise library shows of each move beyond its catalog words: the person's own moves
// (their picture, also shown by the running break; whether they are shown; what was left out of
// their file), the level a move is at with its dose and what comes next, how a move started on
// its own comes, and leaving a move out of the suggestions. Pure: the library view passes in the
// catalog, the snapshot's levels and the settings; the daemon plans.
import { doseWords } from "./coach";
import { duration } from "./format";
import { GENERIC } from "./illustrations";
import { customMoveProblemText } from "./messages";
import { toggled } from "./settingsForm";
import { REST_SECONDS } from "./types";
import type { CustomMoveProblem, Level, Move, Settings, Warning } from "./types";

/** The last part of a path, `/home/me/.config/unslouch/moves.toml` → `moves.toml`. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1) || path;
}

/** The library's lines for the moves left out of the person's file, each naming the file by its base name. */
export function problemLines(problems: readonly CustomMoveProblem[]): string[] {
  return problems.map((p) => customMoveProblemText({ ...p, file: baseName(p.file) }));
}

/**
 * The daemon's warnings to show beside the library: without its `custom_moves`, when the library
 * lists what was left out of the file itself (one account is enough).
 */
export function warningsBesideLibrary(warnings: readonly Warning[], problems: readonly CustomMoveProblem[]): Warning[] {
  return problems.length > 0 ? warnings.filter((w) => w.kind !== "custom_moves") : [...warnings];
}

/** A picture as the daemon sends it: a base64 `data:` URL of an SVG or a PNG, nothing else. */
const PICTURE_URL = /^data:image\/(?:svg\+xml|png);base64,[A-Za-z0-9+/]+={0,2}$/;

/** A move's picture: the person's own (`src`, a `data:` URL) or one of our drawings by id (`drawn`). */
export type Picture = { src: string } | { drawn: string };

/**
 * What a move's card (and the running break) shows as its picture: the person's own picture
 * (`src`, for an `<img>`, where an SVG's scripts never run), else one of our drawings by id
 * (`drawn`; an own move without a usable picture gets the neutral stand-in, never a drawing of
 * ours).
 */
export function pictureOf(move: Move, pictures: Readonly<Record<string, string>>): Picture {
  if (!move.custom) return { drawn: move.id };
  const url = pictures[move.id];
  return url !== undefined && PICTURE_URL.test(url) ? { src: url } : { drawn: GENERIC };
}

/** Whether the catalog holds any of the person's own moves. */
export const hasOwnMoves = (moves: readonly Move[]): boolean => moves.some((m) => m.custom);

/** The moves to list: all of them, or ours only when the person hides their own. */
export function shownMoves(moves: readonly Move[], showOwn: boolean): Move[] {
  return showOwn ? [...moves] : moves.filter((m) => !m.custom);
}

/** Where the window keeps whether the library shows the person's own moves (per user). */
export const SHOW_OWN_KEY = "unslouch.show-own-moves";

/** Whether the library shows the person's own moves: yes unless they said otherwise. */
export function readShowOwn(storage: Pick<Storage, "getItem"> | null): boolean {
  try {
    return storage?.getItem(SHOW_OWN_KEY) !== "0";
  } catch {
    return true;
  }
}

/** Remember the choice; not kept (storage refused), the library shows them again next time. */
export function rememberShowOwn(storage: Pick<Storage, "setItem"> | null, on: boolean): void {
  try {
    storage?.setItem(SHOW_OWN_KEY, on ? "1" : "0");
  } catch {
    // Harmless: the default is to show them.
  }
}

/** The page's storage, or `null` where there is none or it may not be used. */
export function pageStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** Settings with `id` left out of the suggestions (`on`) or suggested again. */
export function withExcluded(settings: Settings, id: string, on: boolean): Settings {
  return { ...settings, excluded_moves: toggled(settings.excluded_moves, id, on) };
}

/** A move's place in its progression, in words for its card. */
export type Progression = {
  /** `Level 2 of 4`; `null` for a move with one level. */
  level: string | null;
  /** The level's dose: `10 reps, each side, 3 sets` (the sets of a full session, when several). */
  dose: string;
  /** How the move is done at this level, when the level says. */
  variation: string | null;
  /** `Next: 12 reps, 3 sets — Hold the squeeze…`, or `Top level`; `null` for a move with one level. */
  next: string | null;
};

/** A level's dose in words, sets included when there are several. */
function levelDose(move: Move, level: Level): string {
  const words = doseWords(level.dose, { kind: move.kind, perSide: move.per_side, sets: level.sets });
  return [words.main, ...words.details].join(", ");
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The index of the level a move is at (0-based; past the last, the last, as the daemon plans it). */
const levelIndex = (move: Move, level: number) => Math.min(Math.max(0, Math.floor(level)), move.levels.length - 1);

/**
 * Where a move stands at `level` (0-based, the snapshot's `levels`; past the last, the last, as
 * the daemon plans it): the level, its dose and variation, and the next level's dose and
 * variation or that it is the top one.
 */
export function progression(move: Move, level: number): Progression {
  const last = move.levels.length - 1;
  if (last < 0) return { level: null, dose: "", variation: null, next: null };
  const at = levelIndex(move, level);
  const here = move.levels[at]!;
  const following = move.levels[at + 1];
  let next: string | null = null;
  if (last > 0) {
    next = following
      ? `Next: ${lowerFirst(levelDose(move, following))}${following.variation ? ` — ${following.variation}` : ""}`
      : "Top level";
  }
  return {
    level: last > 0 ? `Level ${at + 1} of ${last + 1}` : null,
    dose: levelDose(move, here),
    variation: here.variation ?? null,
    next,
  };
}

/**
 * What starting a move on its own brings, under its Start button: for a workout move at a
 * level of several sets, `3 sets of 10 reps, 45 s rest between` (`2 sets: hold 5 s, 6 times,
 * each side, …` for a hold or a timed dose), as the daemon plans it; `null` for a desk move or
 * a level of one set (done once, as its dose says).
 */
export function startLine(move: Move, level: number): string | null {
  if (move.micro || move.levels.length === 0) return null;
  const here = move.levels[levelIndex(move, level)]!;
  if (here.sets <= 1) return null;
  const { main } = doseWords(here.dose, { kind: move.kind, perSide: false, sets: 1 });
  const sets = "reps" in here.dose ? `${here.sets} sets of ${main}` : `${here.sets} sets: ${lowerFirst(main)}`;
  return [sets, ...(move.per_side ? ["each side"] : []), `${duration(REST_SECONDS)} rest between`].join(", ");
}
