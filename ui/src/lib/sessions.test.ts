import { describe, expect, it } from "vitest";
import { sessionAbout, showsWeeklyAim, weekProgress } from "./sessions";

describe("sessionAbout", () => {
  it("says what a full session is, with the weekly aim when there is one", () => {
    expect(sessionAbout(2)).toBe("About 15–25 minutes: warm-up, strength in sets, stretches. Aim: 2 a week.");
    expect(sessionAbout(0)).toBe("About 15–25 minutes: warm-up, strength in sets, stretches.");
    expect(sessionAbout(null)).toBe("About 15–25 minutes: warm-up, strength in sets, stretches.");
  });
});

describe("weekProgress", () => {
  it("counts this week's sessions against the aim, or alone without one", () => {
    expect(weekProgress(1, 2)).toBe("1 of 2 this week");
    expect(weekProgress(3, 2)).toBe("3 of 2 this week");
    expect(weekProgress(1, 0)).toBe("1 this week");
    expect(weekProgress(0, null)).toBe("0 this week");
  });
});

describe("showsWeeklyAim", () => {
  it("is only for an aim of at least one session, once known", () => {
    expect(showsWeeklyAim(2)).toBe(true);
    expect(showsWeeklyAim(0)).toBe(false);
    expect(showsWeeklyAim(undefined)).toBe(false);
    expect(showsWeeklyAim(null)).toBe(false);
  });
});
