import { describe, expect, it } from "vitest";
import { breakKey } from "./keys";
import type { BreakProgress } from "./types";

const running: BreakProgress = {
  step: 0, steps: 2, phase: "work", side: null, set: 0, phase_seconds: 20,
  phase_left_ms: 9_000, total_left_ms: 30_000, paused: false,
};

describe("breakKey", () => {
  it("Space pauses a running break and continues a paused one", () => {
    expect(breakKey(" ", running)).toEqual({ request: "break", control: "pause" });
    expect(breakKey(" ", { ...running, paused: true })).toEqual({ request: "break", control: "continue" });
  });
  it("the right arrow skips the move and Escape ends the break", () => {
    expect(breakKey("ArrowRight", running)).toEqual({ request: "break", control: "skip_move" });
    expect(breakKey("Escape", running)).toEqual({ request: "break", control: "end" });
  });
  it("other keys do nothing", () => {
    expect(breakKey("a", running)).toBeNull();
    expect(breakKey("Enter", running)).toBeNull();
  });
});
