import { describe, expect, it } from "vitest";
import { catalog, progress } from "../test/fixtures";
import {
  cueIndex,
  doseWords,
  levelChange,
  MIN_CUE_MS,
  minutesLeft,
  nextLine,
  nextSetWords,
  nextWords,
  phaseWords,
  restDose,
  sectionOf,
  sessionLine,
  setWords,
  stepDose,
  upcomingStep,
} from "./coach";
import type { Move, Routine, Step } from "./types";

const moves = new Map(catalog.map((m) => [m.id, m]));
const move = (id: string): Move => moves.get(id)!;

const step = (over: Partial<Step> = {}): Step => ({
  move_id: "chin-tuck",
  level: 0,
  seconds_per_side: 23,
  per_side: false,
  dose: { hold: { hold_seconds: 3, reps: 5 } },
  prepare_seconds: 5,
  sets: 1,
  rest_seconds: 0,
  ...over,
});

// A band row as a full session does it: three sets of 10 reps with 45 s of rest between them.
const bandRow: Move = { ...move("band-pull-apart"), id: "band-row", name: "Band row", kind: "strength", row: true };
const rowStep = step({ move_id: "band-row", dose: { reps: { reps: 10, tempo_seconds: 3 } }, seconds_per_side: 30, sets: 3, rest_seconds: 45 });


describe("doseWords", () => {
  const plain = { kind: "posture", perSide: false, sets: 1 } as const;

  it("says a hold as a time and a count, a single hold without a count", () => {
    expect(doseWords({ hold: { hold_seconds: 15, reps: 2 } }, plain)).toEqual({ main: "Hold 15 s, 2 times", details: [] });
    expect(doseWords({ hold: { hold_seconds: 20, reps: 1 } }, plain).main).toBe("Hold 20 s");
  });

  it("counts reps and asks for the pace only when it is slow enough to matter", () => {
    expect(doseWords({ reps: { reps: 8, tempo_seconds: 4 } }, plain)).toEqual({ main: "8 reps", details: ["slowly, about 4 s each"] });
    expect(doseWords({ reps: { reps: 10, tempo_seconds: 3 } }, plain).details).toEqual(["steady, about 3 s each"]);
    expect(doseWords({ reps: { reps: 12, tempo_seconds: 2 } }, plain)).toEqual({ main: "12 reps", details: [] });
    expect(doseWords({ reps: { reps: 1, tempo_seconds: 2 } }, plain).main).toBe("1 rep");
  });

  it("holds a timed stretch and keeps anything else timed going", () => {
    expect(doseWords({ timed: { seconds: 20 } }, { ...plain, kind: "stretch" }).main).toBe("Hold 20 s");
    expect(doseWords({ timed: { seconds: 20 } }, { ...plain, kind: "warm-up" }).main).toBe("Keep going for 20 s");
    expect(doseWords({ timed: { seconds: 90 } }, { ...plain, kind: "strength" }).main).toBe("Keep going for 1 min 30 s");
  });

  it("adds each side and the sets, when there are several, after the pace", () => {
    const words = doseWords({ reps: { reps: 8, tempo_seconds: 5 } }, { kind: "strength", perSide: true, sets: 3 });
    expect(words.details).toEqual(["slowly, about 5 s each", "each side", "3 sets"]);
  });
});

describe("setWords", () => {
  it("counts the sets from one, for a step done in sets", () => {
    expect(setWords(rowStep, 0)).toBe("Set 1 of 3");
    expect(setWords(rowStep, 1)).toBe("Set 2 of 3");
    expect(setWords(rowStep, 2)).toBe("Set 3 of 3");
  });

  it("says nothing for a step of one set (a micro-break), and stays within the sets", () => {
    expect(setWords(step(), 0)).toBeNull();
    expect(setWords(rowStep, 7)).toBe("Set 3 of 3");
    expect(setWords(rowStep, -1)).toBe("Set 1 of 3");
  });
});

describe("restDose", () => {
  it("says Rest large and the dose of the set to come after it", () => {
    expect(restDose({ main: "10 reps", details: ["steady, about 3 s each"] })).toEqual({
      main: "Rest",
      details: ["then 10 reps", "steady, about 3 s each"],
    });
    expect(restDose({ main: "Hold 15 s", details: ["each side"] }).details).toEqual(["then hold 15 s", "each side"]);
  });
});

describe("phaseWords", () => {
  it("names each phase, the side of a one-sided move's work, and a rest", () => {
    expect(phaseWords("prepare", null)).toBe("Get ready");
    expect(phaseWords("work", null)).toBe("Go");
    expect(phaseWords("work", "left")).toBe("Left side");
    expect(phaseWords("work", "right")).toBe("Right side");
    expect(phaseWords("switch_sides", null)).toBe("Switch sides");
    expect(phaseWords("rest", null)).toBe("Rest");
  });
});

describe("sessionLine", () => {
  it("puts a move in its section by its kind: posture work is strength", () => {
    expect(sectionOf({ ...bandRow, kind: "warm-up" })).toBe("Warm-up");
    expect(sectionOf(bandRow)).toBe("Strength");
    expect(sectionOf({ ...bandRow, kind: "posture" })).toBe("Strength");
    expect(sectionOf({ ...bandRow, kind: "stretch" })).toBe("Stretches");
    expect(sectionOf(undefined)).toBeNull();
  });

  it("counts the time left in whole minutes, rounded up, at least one", () => {
    expect(minutesLeft(12 * 60_000)).toBe("12 min left");
    expect(minutesLeft(12 * 60_000 + 1)).toBe("13 min left");
    expect(minutesLeft(20_000)).toBe("1 min left");
    expect(minutesLeft(0)).toBe("1 min left");
  });

  it("says it is a full session, the section and the time left", () => {
    expect(sessionLine(bandRow, 754_000)).toBe("Full session · Strength · 13 min left");
    expect(sessionLine(undefined, 60_000)).toBe("Full session · 1 min left");
  });
});

describe("stepDose", () => {
  it("words one set: the running view says which set on its own line", () => {
    expect(stepDose(rowStep, bandRow)).toEqual({ main: "10 reps", details: ["steady, about 3 s each"] });
  });

  it("words the planner's dose, not the level's, with the move's kind", () => {
    const stretch: Move = { ...move("upper-trap-stretch"), kind: "stretch" };
    const words = stepDose(step({ move_id: stretch.id, per_side: true, dose: { timed: { seconds: 18 } }, seconds_per_side: 18 }), stretch);
    expect(words).toEqual({ main: "Hold 18 s", details: ["each side"] });
  });

  it("still words a move the catalog does not know", () => {
    expect(stepDose(step({ move_id: "mystery" }), undefined).main).toBe("Hold 3 s, 5 times");
  });
});

describe("cueIndex", () => {
  it("shows the first cue, the one that gets you into position, while getting ready or switching sides", () => {
    expect(cueIndex(5, progress({ phase: "prepare", phase_seconds: 5 }), 2_000)).toBe(0);
    expect(cueIndex(5, progress({ phase: "switch_sides", phase_seconds: 3 }), 1_000)).toBe(0);
  });

  it("goes through the other cues in turn over the work, an equal share each", () => {
    const work = progress({ phase_seconds: 30 });
    // Four cues after the first: 7.5 s each.
    expect(cueIndex(5, work, 30_000)).toBe(1);
    expect(cueIndex(5, work, 23_000)).toBe(1);
    expect(cueIndex(5, work, 22_000)).toBe(2);
    expect(cueIndex(5, work, 10_000)).toBe(3);
    expect(cueIndex(5, work, 7_500)).toBe(4);
    expect(cueIndex(5, work, 1)).toBe(4);
  });

  it("keeps each cue up long enough to read, leaving the last ones to the list on a short phase", () => {
    const short = progress({ phase_seconds: 8 });
    expect(cueIndex(5, short, 8_000 - (MIN_CUE_MS - 1))).toBe(1);
    expect(cueIndex(5, short, 8_000 - MIN_CUE_MS)).toBe(2);
    expect(cueIndex(5, short, 1)).toBe(2);
  });

  it("shows the one cue of a one-cue move throughout, and none when there are none", () => {
    expect(cueIndex(1, progress(), 5_000)).toBe(0);
    expect(cueIndex(0, progress(), 5_000)).toBe(-1);
  });

  it("never goes outside the cues, whatever the time left says", () => {
    expect(cueIndex(3, progress({ phase_seconds: 20 }), 60_000)).toBe(1);
    expect(cueIndex(3, progress({ phase_seconds: 20 }), -5_000)).toBe(2);
  });
});

describe("upcomingStep", () => {
  const routine: Routine = {
    steps: [step(), step({ move_id: "upper-trap-stretch", per_side: true }), step({ move_id: "wall-angel" })],
    session: false,
  };

  it("names the move being got ready for", () => {
    expect(upcomingStep(progress({ step: 1, steps: 3, phase: "prepare" }), routine, 4_000)).toBe(1);
  });

  it("names the next move in the last seconds of the current one", () => {
    const last = progress({ step: 0, steps: 3 });
    expect(upcomingStep(last, routine, 5_000)).toBe(1);
    expect(upcomingStep(last, routine, 5_001)).toBeNull();
  });

  it("waits for the right side of a one-sided move", () => {
    const left = progress({ step: 1, steps: 3, side: "left" });
    expect(upcomingStep(left, routine, 1_000)).toBeNull();
    expect(upcomingStep(progress({ step: 1, steps: 3, phase: "switch_sides" }), routine, 1_000)).toBeNull();
    expect(upcomingStep({ ...left, side: "right" }, routine, 1_000)).toBe(2);
  });

  it("names nothing at the end of the last move", () => {
    expect(upcomingStep(progress({ step: 2, steps: 3 }), routine, 1_000)).toBeNull();
  });

  it("waits for the last set of a move done in sets", () => {
    const session: Routine = { steps: [rowStep, step({ move_id: "wall-angel" })], session: true };
    expect(upcomingStep(progress({ set: 1 }), session, 1_000)).toBeNull();
    expect(upcomingStep(progress({ set: 2 }), session, 1_000)).toBe(1);
  });
});

describe("nextSetWords", () => {
  it("names the set to come and the move", () => {
    expect(nextSetWords(rowStep, bandRow, 1)).toBe("Next: set 2 of 3 of Band row");
  });

  it("says which side starts a one-sided move, and falls back on the id", () => {
    expect(nextSetWords({ ...rowStep, per_side: true }, undefined, 2)).toBe("Next: set 3 of 3 of band-row, left side first");
  });
});

describe("nextLine", () => {
  const session: Routine = { steps: [rowStep, step({ move_id: "wall-angel" })], session: true };
  const moves = new Map<string, Move>([...catalog, bandRow].map((m) => [m.id, m]));

  it("during a rest, names the set it leads into", () => {
    const rest = progress({ phase: "rest", set: 1, phase_seconds: 45, phase_left_ms: 30_000 });
    expect(nextLine(rest, session, moves, 30_000)).toBe("Next: set 2 of 3 of Band row");
  });

  it("names the rest in the last seconds of a set that another follows", () => {
    const work = progress({ set: 0, phase_seconds: 30 });
    expect(nextLine(work, session, moves, 5_001)).toBeNull();
    expect(nextLine(work, session, moves, 5_000)).toBe("Next: rest 45 s, then set 2 of 3");
    const noRest: Routine = { ...session, steps: [{ ...rowStep, rest_seconds: 0 }, session.steps[1]!] };
    expect(nextLine(work, noRest, moves, 5_000)).toBe("Next: set 2 of 3");
  });

  it("names the next move after the last set, with what it needs", () => {
    expect(nextLine(progress({ set: 2, phase_seconds: 30 }), session, moves, 4_000)).toBe("Next: Wall angel, stand by a wall");
    expect(nextLine(progress({ step: 1, phase: "prepare", phase_seconds: 5 }), session, moves, 4_000)).toBe(
      "Next: Wall angel, stand by a wall",
    );
  });
});

describe("nextWords", () => {
  it("names the move, the side to start on and what to have ready", () => {
    expect(nextWords(step({ move_id: "upper-trap-stretch", per_side: true }), move("upper-trap-stretch"))).toBe(
      "Next: Upper trapezius stretch, left side first",
    );
    expect(nextWords(step({ move_id: "wall-angel" }), move("wall-angel"))).toBe("Next: Wall angel, stand by a wall");
    expect(nextWords(step({ move_id: "band-pull-apart" }), move("band-pull-apart"))).toBe(
      "Next: Band pull-apart, have your band ready",
    );
  });

  it("says the band once when it goes through a door anchor, and leaves the chair out", () => {
    const row: Move = { ...move("band-pull-apart"), name: "Band row", equipment: ["resistance-band", "door-anchor", "chair"] };
    expect(nextWords(step({ move_id: "band-row" }), row)).toBe("Next: Band row, loop your band through the door anchor");
  });

  it("falls back on the id for a move the catalog does not know", () => {
    expect(nextWords(step({ move_id: "mystery" }), undefined)).toBe("Next: mystery");
  });
});

describe("levelChange", () => {
  const base = catalog.find((m) => m.id === "chin-tuck")!;
  const chin: Move = {
    ...base,
    levels: [
      { dose: { hold: { hold_seconds: 3, reps: 5 } }, sets: 1, variation: null },
      { dose: { hold: { hold_seconds: 5, reps: 6 } }, sets: 1, variation: null },
      { dose: { hold: { hold_seconds: 5, reps: 6 } }, sets: 2, variation: "Press back into your hands." },
    ],
  };
  it("names the next level's dose and its variation", () => {
    expect(levelChange(chin, 0, "too_easy")).toBe("Chin tuck goes up to level 2 of 3: hold 5 s, 6 times.");
    expect(levelChange(chin, 1, "too_easy")).toBe(
      "Chin tuck goes up to level 3 of 3: hold 5 s, 6 times. Press back into your hands.",
    );
  });
  it("goes back a level when too hard, and says when there is no further to go", () => {
    expect(levelChange(chin, 1, "too_hard")).toBe("Chin tuck goes back to level 1 of 3: hold 3 s, 5 times.");
    expect(levelChange(chin, 0, "too_hard")).toContain("easiest level already");
    expect(levelChange(chin, chin.levels.length - 1, "too_easy")).toContain("hardest level already");
  });
});
