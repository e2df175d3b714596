import { describe, expect, it } from "vitest";
import { PER_MOVE_SHOWN, breaksSummary, csvFileName, deskSummary, hoursTick, lastWords, shownRecords, timesWords } from "./history";
import type { DaySummary, Dose, MoveRecord } from "./types";

const day = (date: string, over: Partial<DaySummary> = {}): DaySummary => ({
  date, completed: 0, ended_early: 0, natural: 0, skipped: 0, snoozed: 0, reminded: 0,
  desk_minutes: 0, longest_stretch_minutes: 0, ...over,
});

describe("chart summaries", () => {
  it("sums each kind of break", () => {
    const days = [day("2026-11-19", { completed: 2, snoozed: 1 }), day("2026-11-20", { completed: 1, natural: 3, skipped: 1 })];
    expect(breaksSummary(days)).toBe(
      "Breaks over the last 2 days: 3 completed, 3 natural, 0 ended early, 1 skipped, 1 snoozed.",
    );
  });
  it("says the desk time in all and the longest day", () => {
    const days = [day("2026-11-19", { desk_minutes: 200 }), day("2026-11-20", { desk_minutes: 365 })];
    expect(deskSummary(days, "en-GB")).toBe("Desk time over the last 2 days: 9 h 25 min in all, most on Fri 20 Nov (6 h 5 min).");
    expect(deskSummary([day("2026-11-20")])).toBe("Desk time today: 0 min in all.");
  });
});

describe("hoursTick and csvFileName", () => {
  it("labels the desk axis in hours", () => {
    expect(hoursTick(0)).toBe("0");
    expect(hoursTick(120)).toBe("2 h");
    expect(hoursTick(30)).toBe("30 min");
  });
  it("names the file after the local day", () => {
    expect(csvFileName(new Date(2026, 0, 5, 23, 59))).toBe("unslouch-history-2026-01-05.csv");
  });
});

describe("per move", () => {
  const reps = (n: number): Dose => ({ reps: { reps: n, tempo_seconds: 2 } });
  const hold = (s: number, times = 1): Dose => ({ hold: { hold_seconds: s, reps: times } });
  const twoSided = { kind: "posture", per_side: false } as const;
  const oneSided = { kind: "stretch", per_side: true } as const;

  it("counts the times and the sets, one or many", () => {
    expect(timesWords({ times: 4, sets: 9 })).toBe("4 times · 9 sets");
    expect(timesWords({ times: 1, sets: 1 })).toBe("1 time · 1 set");
    expect(timesWords({ times: 1, sets: 3 })).toBe("1 time · 3 sets");
  });

  it("says the last level, 1-based, and the dose of one set without a count of sets", () => {
    expect(lastWords({ level: 0, dose: reps(10), sets: 1 }, twoSided)).toBe("Last: level 1, 10 reps");
    expect(lastWords({ level: 0, dose: reps(1), sets: 1 }, twoSided)).toBe("Last: level 1, 1 rep");
    expect(lastWords({ level: 0, dose: hold(20), sets: 1 }, oneSided)).toBe("Last: level 1, hold 20 s each side");
    expect(lastWords({ level: 2, dose: hold(3, 5), sets: 1 }, twoSided)).toBe("Last: level 3, hold 3 s, 5 times");
  });

  it("says reps in several sets as 3 × 10 reps, and other doses with their sets after", () => {
    expect(lastWords({ level: 1, dose: reps(10), sets: 3 }, twoSided)).toBe("Last: level 2, 3 × 10 reps");
    expect(lastWords({ level: 1, dose: reps(8), sets: 2 }, { kind: "strength", per_side: true })).toBe(
      "Last: level 2, 2 × 8 reps each side",
    );
    expect(lastWords({ level: 0, dose: hold(5, 6), sets: 2 }, twoSided)).toBe("Last: level 1, hold 5 s, 6 times, 2 sets");
  });

  it("holds a timed stretch and keeps other timed moves going", () => {
    const timed: Dose = { timed: { seconds: 30 } };
    expect(lastWords({ level: 0, dose: timed, sets: 1 }, oneSided)).toBe("Last: level 1, hold 30 s each side");
    expect(lastWords({ level: 0, dose: timed, sets: 1 }, { kind: "warm-up", per_side: false })).toBe(
      "Last: level 1, keep going for 30 s",
    );
  });

  it("reads a move the catalog no longer holds as two-sided, and no sets as one", () => {
    expect(lastWords({ level: 0, dose: { timed: { seconds: 45 } }, sets: 1 }, undefined)).toBe("Last: level 1, keep going for 45 s");
    expect(lastWords({ level: 0, dose: reps(10), sets: 0 }, twoSided)).toBe("Last: level 1, 10 reps");
  });

  it("lists the first ten, or all when asked", () => {
    const record = (i: number): MoveRecord => ({
      move_id: `move-${i}`,
      times: 1,
      sets: 1,
      last: { move_id: `move-${i}`, level: 0, dose: reps(10), sets: 1 },
      last_at: "2026-11-20T14:03:00Z",
    });
    const records = Array.from({ length: 12 }, (_, i) => record(i));
    expect(PER_MOVE_SHOWN).toBe(10);
    expect(shownRecords(records, false).map((r) => r.move_id)).toEqual(records.slice(0, 10).map((r) => r.move_id));
    expect(shownRecords(records, true)).toEqual(records);
    expect(shownRecords(records.slice(0, 3), false)).toHaveLength(3);
  });
});
