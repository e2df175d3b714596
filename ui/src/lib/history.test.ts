import { describe, expect, it } from "vitest";
import { breaksSummary, csvFileName, deskSummary, hoursTick } from "./history";
import type { DaySummary } from "./types";

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
