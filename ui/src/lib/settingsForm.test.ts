import { describe, expect, it } from "vitest";
import { errorId, errorTarget, fieldErrors, isTime, joinRange, nextRange, parseNumber, splitRange, timeError, toggled } from "./settingsForm";

describe("parseNumber", () => {
  it("reads whole numbers, out of range too (the daemon judges ranges)", () => {
    expect(parseNumber("interval_minutes", "40")).toEqual({ value: 40 });
    expect(parseNumber("interval_minutes", " 2 ")).toEqual({ value: 2 });
    expect(parseNumber("snooze_limit", "0")).toEqual({ value: 0 });
  });
  it("refuses what the daemon could not read", () => {
    expect(parseNumber("interval_minutes", "")).toHaveProperty("error");
    expect(parseNumber("interval_minutes", "4.5")).toHaveProperty("error");
    expect(parseNumber("interval_minutes", "-3")).toHaveProperty("error");
    expect(parseNumber("interval_minutes", "1e3")).toHaveProperty("error");
    expect(parseNumber("day_starts_at_hour", "256")).toEqual({ error: "Enter a number from 0 to 23." });
    expect(parseNumber("interval_minutes", "99999999999")).toHaveProperty("error");
  });
});

describe("time ranges", () => {
  it("accepts times as the daemon reads them", () => {
    for (const t of ["09:00", "9:00", "23:59", "00:00", "24:00"]) expect(isTime(t)).toBe(true);
    for (const t of ["", "9", "09:0", "24:01", "25:00", "09:60", "9h00", "09:00:00"]) expect(isTime(t)).toBe(false);
  });
  it("splits and joins a range", () => {
    expect(splitRange("09:00-17:30")).toEqual({ start: "09:00", end: "17:30" });
    expect(splitRange("nonsense")).toEqual({ start: "nonsense", end: "" });
    expect(joinRange(" 08:30", "12:00 ")).toBe("08:30-12:00");
  });
  it("says what is wrong with a time", () => {
    expect(timeError("09:00")).toBeNull();
    expect(timeError("")).toMatch(/Enter a time/);
    expect(timeError("9.30")).toMatch(/not a time/);
  });
});

describe("errors", () => {
  it("names error elements by field, dots as dashes", () => {
    expect(errorId("interval_minutes")).toBe("error-interval_minutes");
    expect(errorId("work_hours.monday")).toBe("error-work_hours-monday");
  });
  it("shows each daemon error next to its field, or at the top", () => {
    expect(errorTarget("interval_minutes")).toBe("interval_minutes");
    expect(errorTarget("work_hours.monday")).toBe("work_hours.monday");
    expect(errorTarget("work_hours.monday.1")).toBe("work_hours.monday");
    expect(errorTarget("work_hours")).toBe("work_hours");
    expect(errorTarget("excluded_moves")).toBe("excluded_moves");
    expect(errorTarget("version")).toBe("general");
    expect(errorTarget(undefined)).toBe("general");
    expect(errorTarget("work_hours.someday")).toBe("work_hours");
  });
});

describe("toggled", () => {
  it("adds and removes set members, sorted", () => {
    expect(toggled(["wall"], "doorway", true)).toEqual(["doorway", "wall"]);
    expect(toggled(["wall", "doorway"], "wall", false)).toEqual(["doorway"]);
    expect(toggled(["wall"], "wall", true)).toEqual(["wall"]);
  });
});

describe("nextRange", () => {
  it("offers the usual day first, then the two hours after the last range", () => {
    expect(nextRange([])).toEqual({ start: "09:00", end: "17:30" });
    expect(nextRange([{ start: "08:00", end: "12:00" }])).toEqual({ start: "12:00", end: "14:00" });
    expect(nextRange([{ start: "20:00", end: "23:00" }])).toEqual({ start: "23:00", end: "24:00" });
  });
});

describe("fieldErrors", () => {
  it("puts the daemon's message at the field it names", () => {
    expect(fieldErrors("interval_minutes", "interval_minutes must be between 5 and 240, not 2")).toEqual({
      interval_minutes: "interval_minutes must be between 5 and 240, not 2",
    });
  });
  it("spreads several problems over their own fields", () => {
    const message =
      "interval_minutes must be between 5 and 240, not 2; work_hours.monday: the range 17:00-09:00 ends before it starts; excluded_moves: at least two desk moves must stay available";
    expect(fieldErrors("interval_minutes", message)).toEqual({
      interval_minutes: "interval_minutes must be between 5 and 240, not 2",
      "work_hours.monday": "work_hours.monday: the range 17:00-09:00 ends before it starts",
      excluded_moves: "excluded_moves: at least two desk moves must stay available",
    });
  });
  it("keeps a message it cannot place at the named field, or at the top", () => {
    expect(fieldErrors("work_hours.friday", "something odd")).toEqual({ "work_hours.friday": "something odd" });
    expect(fieldErrors(null, "version: this file is version 9")).toEqual({ general: "version: this file is version 9" });
  });
});
