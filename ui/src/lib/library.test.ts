import { describe, expect, it } from "vitest";
import { catalog, defaults, ownMove, SVG_URL } from "../test/fixtures";
import { GENERIC } from "./illustrations";
import {
  SHOW_OWN_KEY,
  baseName,
  hasOwnMoves,
  pictureOf,
  problemLines,
  progression,
  readShowOwn,
  rememberShowOwn,
  shownMoves,
  startLine,
  warningsBesideLibrary,
  withExcluded,
} from "./library";
import type { Move, Warning } from "./types";

/** A storage in memory, as much of `Storage` as the library uses. */
function memory(): Pick<Storage, "getItem" | "setItem"> & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

const squeeze: Move = {
  ...catalog[1]!,
  levels: [
    { dose: { reps: { reps: 8, tempo_seconds: 2 } }, sets: 2, variation: null },
    { dose: { reps: { reps: 10, tempo_seconds: 2 } }, sets: 3, variation: null },
    { dose: { reps: { reps: 12, tempo_seconds: 2 } }, sets: 3, variation: "Hold the squeeze for two seconds on every rep." },
  ],
};

describe("the person's own moves", () => {
  it("shows their picture as an image, and the stand-in without one", () => {
    const mine = ownMove("neck-glide", "Neck glide", { picture: "glide.svg" });
    expect(pictureOf(mine, { "neck-glide": SVG_URL })).toEqual({ src: SVG_URL });
    expect(pictureOf(mine, {})).toEqual({ drawn: GENERIC });
    const png = "data:image/png;base64,iVBORw0KGgo=";
    expect(pictureOf(mine, { "neck-glide": png })).toEqual({ src: png });
  });

  it("never shows anything but a data URL of an SVG or a PNG", () => {
    const mine = ownMove("neck-glide", "Neck glide");
    for (const url of ["javascript:alert(1)", "https://example.com/a.png", "data:text/html;base64,PHA+", "data:image/svg+xml,<svg onload=x>", ""]) {
      expect(pictureOf(mine, { "neck-glide": url }), url).toEqual({ drawn: GENERIC });
    }
  });

  it("draws our moves from our pictures, whatever the pictures say", () => {
    expect(pictureOf(catalog[0]!, { "chin-tuck": SVG_URL })).toEqual({ drawn: "chin-tuck" });
  });

  it("lists them, or hides them and keeps ours", () => {
    const moves = [...catalog, ownMove("neck-glide", "Neck glide")];
    expect(hasOwnMoves(catalog)).toBe(false);
    expect(hasOwnMoves(moves)).toBe(true);
    expect(shownMoves(moves, true)).toEqual(moves);
    expect(shownMoves(moves, false)).toEqual(catalog);
  });

  it("remembers whether they are shown, shown unless said otherwise", () => {
    const storage = memory();
    expect(readShowOwn(storage)).toBe(true);
    rememberShowOwn(storage, false);
    expect(storage.items.get(SHOW_OWN_KEY)).toBe("0");
    expect(readShowOwn(storage)).toBe(false);
    rememberShowOwn(storage, true);
    expect(readShowOwn(storage)).toBe(true);
    expect(readShowOwn(null)).toBe(true);
    const refusing = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("denied");
      },
    };
    expect(readShowOwn(refusing)).toBe(true);
    expect(() => rememberShowOwn(refusing, false)).not.toThrow();
  });

  it("says what was left out of their file, naming the file by its base name", () => {
    expect(baseName("/home/me/.config/unslouch/moves.toml")).toBe("moves.toml");
    expect(baseName("C:\\Users\\me\\moves.toml")).toBe("moves.toml");
    expect(baseName("moves.toml")).toBe("moves.toml");
    expect(
      problemLines([
        { file: "/home/me/.config/unslouch/moves.toml", index: 2, id: "broken-move", field: "cues", problem: "it needs 3 to 5 cues" },
        { file: "/home/me/.config/unslouch/moves.toml", index: 0, id: null, field: "", problem: "expected a table" },
      ]),
    ).toEqual(["moves.toml, move 2 (broken-move): cues — it needs 3 to 5 cues", "moves.toml: expected a table"]);
  });

  it("leaves the daemon's warning about them out when the library lists the problems itself", () => {
    const problem = { file: "moves.toml", index: 1, id: "x", field: "", problem: "bad" };
    const warnings: Warning[] = [{ kind: "no_tray_host" }, { kind: "custom_moves", problems: [problem] }];
    expect(warningsBesideLibrary(warnings, [problem])).toEqual([{ kind: "no_tray_host" }]);
    expect(warningsBesideLibrary(warnings, [])).toEqual(warnings);
  });
});

describe("withExcluded", () => {
  it("leaves a move out of the suggestions, or suggests it again, keeping the rest", () => {
    const settings = { ...defaults(), excluded_moves: ["wall-angel"] };
    const out = withExcluded(settings, "neck-glide", true);
    expect(out.excluded_moves).toEqual(["neck-glide", "wall-angel"]);
    expect(out.interval_minutes).toBe(settings.interval_minutes);
    expect(withExcluded(out, "neck-glide", false).excluded_moves).toEqual(["wall-angel"]);
    expect(settings.excluded_moves).toEqual(["wall-angel"]);
  });
});

describe("progression", () => {
  it("says the level, its dose with the sets, and the next level's dose and variation", () => {
    expect(progression(squeeze, 1)).toEqual({
      level: "Level 2 of 3",
      dose: "10 reps, 3 sets",
      variation: null,
      next: "Next: 12 reps, 3 sets — Hold the squeeze for two seconds on every rep.",
    });
    expect(progression(squeeze, 0).next).toBe("Next: 10 reps, 3 sets");
  });

  it("says when a move is at its top level, with that level's variation", () => {
    expect(progression(squeeze, 2)).toEqual({
      level: "Level 3 of 3",
      dose: "12 reps, 3 sets",
      variation: "Hold the squeeze for two seconds on every rep.",
      next: "Top level",
    });
    // A level past the last (a catalog that lost levels) is the last, as the daemon plans it.
    expect(progression(squeeze, 7).level).toBe("Level 3 of 3");
  });

  it("words holds, sides and single sets as a break does", () => {
    const trap: Move = {
      ...catalog[3]!,
      kind: "stretch",
      levels: [
        { dose: { timed: { seconds: 20 } }, sets: 1, variation: null },
        { dose: { hold: { hold_seconds: 15, reps: 2 } }, sets: 2, variation: null },
      ],
    };
    expect(progression(trap, 0)).toMatchObject({ dose: "Hold 20 s, each side", next: "Next: hold 15 s, 2 times, each side, 2 sets" });
  });

  it("has no level or next line for a move of one level", () => {
    expect(progression(catalog[0]!, 0)).toEqual({ level: null, dose: "Hold 3 s, 5 times", variation: null, next: null });
  });
});

describe("what Start brings", () => {
  /** A workout row: 2 sets, then 3, then one set at its top level. */
  const row: Move = {
    ...catalog.find((m) => m.id === "bent-over-row")!,
    levels: [
      { dose: { reps: { reps: 10, tempo_seconds: 3 } }, sets: 2, variation: null },
      { dose: { reps: { reps: 10, tempo_seconds: 3 } }, sets: 3, variation: null },
      { dose: { reps: { reps: 12, tempo_seconds: 3 } }, sets: 1, variation: null },
    ],
  };

  it("says a workout move's sets at its level, and the rest between them", () => {
    expect(startLine(row, 0)).toBe("2 sets of 10 reps, 45 s rest between");
    expect(startLine(row, 1)).toBe("3 sets of 10 reps, 45 s rest between");
    // Past the last level, the last, as the daemon plans it: one set, nothing to add.
    expect(startLine(row, 7)).toBeNull();
  });

  it("words holds, timed doses and sides as a break does", () => {
    const bird: Move = {
      ...row,
      per_side: true,
      levels: [{ dose: { hold: { hold_seconds: 5, reps: 6 } }, sets: 2, variation: null }],
    };
    expect(startLine(bird, 0)).toBe("2 sets: hold 5 s, 6 times, each side, 45 s rest between");
    const carry: Move = { ...row, levels: [{ dose: { timed: { seconds: 30 } }, sets: 2, variation: null }] };
    expect(startLine(carry, 0)).toBe("2 sets: keep going for 30 s, 45 s rest between");
  });

  it("has nothing to add for a desk move, done once", () => {
    const band: Move = { ...row, micro: true };
    expect(startLine(band, 1)).toBeNull();
    expect(startLine(catalog[0]!, 0)).toBeNull();
  });
});
