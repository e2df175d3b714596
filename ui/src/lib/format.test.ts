import { describe, expect, it } from "vitest";
import { countdown, dayLabel, dayOfMonth, describeDose, duration, hoursMinutes, localDateTime, percent, phaseLeft, routineLeft, routineLines } from "./format";
import * as format from "./format";
import type { BreakProgress, Move } from "./types";


describe("countdown", () => {
  it("shows minutes and padded seconds, rounding up", () => {
    expect(countdown(65_000)).toBe("1:05");
    expect(countdown(59_001)).toBe("1:00");
    expect(countdown(400)).toBe("0:01");
    expect(countdown(0)).toBe("0:00");
    expect(countdown(-5)).toBe("0:00");
  });
});

describe("phaseLeft", () => {
  const progress: BreakProgress = {
    step: 0, steps: 2, phase: "work", side: null, set: 0, phase_seconds: 20,
    phase_left_ms: 12_000, total_left_ms: 40_000, paused: false,
  };
  it("counts down from the snapshot while running", () => {
    expect(phaseLeft(progress, 2_500)).toBe(9_500);
    expect(phaseLeft(progress, 20_000)).toBe(0);
  });
  it("stands still while paused", () => {
    expect(phaseLeft({ ...progress, paused: true }, 5_000)).toBe(12_000);
  });
});

describe("routineLeft", () => {
  const progress: BreakProgress = {
    step: 0, steps: 2, phase: "work", side: null, set: 0, phase_seconds: 20,
    phase_left_ms: 12_000, total_left_ms: 40_000, paused: false,
  };
  it("counts the whole routine down from the snapshot while running, to zero", () => {
    expect(routineLeft(progress, 2_500)).toBe(37_500);
    expect(routineLeft(progress, 60_000)).toBe(0);
  });
  it("stands still while paused", () => {
    expect(routineLeft({ ...progress, paused: true }, 5_000)).toBe(40_000);
  });
});

describe("describeDose", () => {
  it("says holds, reps and timed doses plainly", () => {
    expect(describeDose({ hold: { hold_seconds: 3, reps: 5 } })).toBe("5 × 3 s hold");
    expect(describeDose({ reps: { reps: 8, tempo_seconds: 2 } })).toBe("8 reps");
    expect(describeDose({ timed: { seconds: 20 } })).toBe("20 s");
  });
});

describe("routineLines", () => {
  it("names each move and its dose, per side where it applies", () => {
    const moves = new Map<string, Move>([
      ["chin-tuck", { id: "chin-tuck", name: "Chin tuck" } as Move],
    ]);
    const lines = routineLines(
      {
        steps: [
          { move_id: "chin-tuck", level: 0, seconds_per_side: 20, per_side: false, prepare_seconds: 5, dose: { hold: { hold_seconds: 3, reps: 4 } }, sets: 1, rest_seconds: 0 },
          { move_id: "mystery", level: 0, seconds_per_side: 15, per_side: true, prepare_seconds: 5, dose: { timed: { seconds: 15 } }, sets: 1, rest_seconds: 0 },
        ],
        session: false,
      },
      moves,
    );
    expect(lines).toEqual([
      { name: "Chin tuck", detail: "4 × 3 s hold" },
      { name: "mystery", detail: "15 s each side" },
    ]);
  });
});

describe("the status line", () => {
  it("is the daemon's (Snapshot.status_line), not worked out here", () => {
    expect(Object.keys(format)).not.toContain("statusLine");
  });
});

describe("percent, duration, hoursMinutes", () => {
  it("writes a share as a percentage, a dash when there is none", () => {
    expect(percent(0.734)).toBe("73%");
    expect(percent(1)).toBe("100%");
    expect(percent(0)).toBe("0%");
    expect(percent(null)).toBe("—");
  });
  it("writes durations briefly", () => {
    expect(duration(45)).toBe("45 s");
    expect(duration(65)).toBe("1 min 5 s");
    expect(duration(120)).toBe("2 min");
    expect(hoursMinutes(45)).toBe("45 min");
    expect(hoursMinutes(180)).toBe("3 h");
    expect(hoursMinutes(200)).toBe("3 h 20 min");
  });
});

describe("dates", () => {
  it("writes a local date and an instant in local time", () => {
    expect(dayLabel("2026-11-20", "en-GB")).toBe("Fri 20 Nov");
    expect(dayOfMonth("2026-11-05")).toBe("5");
    const at = new Date(2026, 10, 20, 15, 3).toISOString();
    expect(localDateTime(at, "en-GB")).toBe("Fri 20 Nov, 15:03");
    expect(localDateTime("not a time")).toBe("not a time");
  });
});
