import { describe, expect, it } from "vitest";
import { ON_TIME_MS, switchCue, TONES } from "./switchSound";
import { progress as at } from "../test/fixtures";


// A break of two moves, the second one-sided, as the daemon's snapshots follow it.
const timeline = [
  at({ phase: "prepare", phase_seconds: 5 }),
  at({ phase: "work" }),
  at({ step: 1, phase: "prepare", phase_seconds: 5 }),
  at({ step: 1, phase: "work", side: "left" }),
  at({ step: 1, phase: "switch_sides", phase_seconds: 3 }),
  at({ step: 1, phase: "work", side: "right" }),
  null,
];

describe("switchCue", () => {
  it("is silent when a break starts: its first 'get ready' is on screen already", () => {
    expect(switchCue(null, timeline[0], 0)).toBeNull();
  });

  it("along a break that runs its course: the next move, the other side, the end, nothing else", () => {
    const cues = timeline.slice(1).map((after, i) => switchCue(timeline[i], after, 0));
    expect(cues).toEqual([null, "move", null, "side", null, "end"]);
  });

  it("is silent when the person skipped the move or ended the break (they are at the screen)", () => {
    const work = timeline[1];
    expect(switchCue(work, timeline[2], ON_TIME_MS + 1)).toBeNull();
    expect(switchCue(timeline[5], null, 10_000)).toBeNull();
    expect(switchCue(work, timeline[2], ON_TIME_MS)).toBe("move");
  });

  it("is silent when a break is ended during a move that is not the last", () => {
    expect(switchCue(timeline[1], null, 0)).toBeNull();
  });

  it("is silent for a pause, a continue or a snapshot that repeats the phase", () => {
    const work = timeline[1]!;
    expect(switchCue(work, { ...work, paused: true, phase_left_ms: 9_000 }, 11_000)).toBeNull();
    expect(switchCue({ ...work, paused: true }, work, 9_000)).toBeNull();
    expect(switchCue(work, { ...work, phase_left_ms: 12_000 }, 0)).toBeNull();
  });

  it("along a move done in sets: a rest after each set but the last, the next set after each rest", () => {
    const sets = [
      at({ phase: "prepare", phase_seconds: 5 }),
      at({ phase: "work" }),
      at({ phase: "rest", set: 1, phase_seconds: 45 }),
      at({ phase: "work", set: 1 }),
      at({ phase: "rest", set: 2, phase_seconds: 45 }),
      at({ phase: "work", set: 2 }),
      at({ step: 1, phase: "prepare", phase_seconds: 5 }),
    ];
    const cues = sets.slice(1).map((after, i) => switchCue(sets[i], after, 0));
    expect(cues).toEqual([null, "rest", "set", "rest", "set", "move"]);
  });

  it("sounds the next set of a move with no rest between its sets, and not for a skipped rest", () => {
    expect(switchCue(at({ phase: "work" }), at({ phase: "work", set: 1 }), 0)).toBe("set");
    expect(switchCue(at({ phase: "rest", set: 1 }), at({ phase: "work", set: 1 }), ON_TIME_MS + 1)).toBeNull();
  });

  it("is silent when a phase changes while paused (only a skip can do that)", () => {
    expect(switchCue({ ...timeline[1]!, paused: true, phase_left_ms: 0 }, timeline[2], 0)).toBeNull();
  });
});

describe("TONES", () => {
  it("tells the switches apart, each short", () => {
    expect([TONES.side.length, TONES.move.length, TONES.end.length]).toEqual([1, 2, 3]);
    const tunes = Object.values(TONES).map((notes) => JSON.stringify(notes.map((n) => [n.hz, n.seconds])));
    expect(new Set(tunes).size).toBe(tunes.length);
    for (const notes of Object.values(TONES)) {
      const end = Math.max(...notes.map((n) => n.at + n.seconds));
      expect(end).toBeLessThan(1);
    }
  });
});
