import { describe, expect, it } from "vitest";
import {
  HOLDS,
  HOLD_REASONS,
  NUMBER_FIELDS,
  NUMBER_GROUP,
  clockTimeError,
  errorId,
  errorTarget,
  holdReasonsWith,
  isClockTime,
  isTime,
  joinRange,
  nextRange,
  numberFieldsOf,
  parseNumber,
  problemField,
  problemsByTarget,
  splitRange,
  timeError,
  toggled,
  withDay,
} from "./settingsForm";
import { LIMITS, type SettingsError } from "./types";
import { defaults } from "../test/fixtures";

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

describe("the session's suggestion", () => {
  it("accepts a time of day as the daemon reads it, midnight as 00:00", () => {
    for (const t of ["17:00", "9:05", "00:00", "23:59", " 08:30 "]) expect(isClockTime(t), t).toBe(true);
    for (const t of ["", "24:00", "17", "17:60", "5pm", "17:00:00", "-1:00"]) expect(isClockTime(t), t).toBe(false);
  });
  it("says what is wrong with a session time", () => {
    expect(clockTimeError("17:00")).toBeNull();
    expect(clockTimeError("")).toBe("Enter a time, like 17:00.");
    expect(clockTimeError("24:00")).toBe("“24:00” is not a time like 17:00.");
  });
  it("ticks and unticks days, keeping the order of the week", () => {
    expect(withDay(["tuesday", "friday"], "monday", true)).toEqual(["monday", "tuesday", "friday"]);
    expect(withDay(["tuesday", "friday"], "sunday", true)).toEqual(["tuesday", "friday", "sunday"]);
    expect(withDay(["tuesday", "friday"], "tuesday", false)).toEqual(["friday"]);
    expect(withDay(["friday"], "friday", true)).toEqual(["friday"]);
  });
  it("shows a problem with the days or the time beside them", () => {
    expect(errorTarget("session_days")).toBe("session_days");
    expect(errorTarget("session_time")).toBe("session_time");
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

describe("problemsByTarget", () => {
  const range: SettingsError = { problem: "out_of_range", field: "interval_minutes", min: 5, max: 240, got: 500 };

  it("puts a problem beside the field it names, in words", () => {
    expect(problemsByTarget([range])).toEqual({
      interval_minutes: "Break interval must be between 5 and 240 minutes (you entered 500).",
    });
  });

  it("puts a problem with typing's pause or cap beside it, in words", () => {
    expect(
      problemsByTarget([
        { problem: "out_of_range", field: "typing_pause_seconds", min: 2, max: 30, got: 1 },
        { problem: "out_of_range", field: "typing_cap_seconds", min: 10, max: 600, got: 900 },
      ]),
    ).toEqual({
      typing_pause_seconds: "Pause in typing to wait for must be between 2 and 30 seconds (you entered 1).",
      typing_cap_seconds: "Longest wait for a pause in typing must be between 10 and 600 seconds (you entered 900).",
    });
  });

  it("spreads several problems over their own fields", () => {
    const out = problemsByTarget([
      range,
      { problem: "empty_range", field: "work_hours.monday", range: "17:00-09:00" },
      { problem: "too_few_moves" },
      { problem: "no_work_hours" },
      { problem: "not_current", got: 0, current: 1 },
    ]);
    expect(Object.keys(out).sort()).toEqual(["excluded_moves", "general", "interval_minutes", "work_hours", "work_hours.monday"]);
    expect(out["work_hours.monday"]).toBe("Monday: the hours 17:00–09:00 end before they start.");
    expect(out["excluded_moves"]).toMatch(/^Leave out fewer moves/);
    expect(out["work_hours"]).toMatch(/no day has any/);
    expect(out["general"]).toMatch(/older format/);
  });

  it("puts a problem about one range of a day at that day, and joins several at one place", () => {
    const out = problemsByTarget([
      { problem: "empty_range", field: "work_hours.friday.1", range: "18:00-17:00" },
      { problem: "overlap", field: "work_hours.friday", first: "09:00-12:00", second: "11:00-13:00" },
    ]);
    expect(out).toEqual({
      "work_hours.friday":
        "Friday: the hours 18:00–17:00 end before they start. Friday: the hours 09:00–12:00 and 11:00–13:00 overlap.",
    });
  });

  it("shows a problem about a setting the view does not have at the top", () => {
    expect(problemsByTarget([{ problem: "too_new", got: 9, max: 1 }])).toEqual({
      general: "These settings are version 9, from a newer Unslouch: this one understands up to version 1.",
    });
    expect(problemsByTarget([{ ...range, field: "tea_minutes" }])).toEqual({
      general: "This setting must be between 5 and 240 (you entered 500).",
    });
    expect(problemsByTarget([])).toEqual({});
  });

  it("knows the field of every problem, as the daemon does", () => {
    expect(problemField(range)).toBe("interval_minutes");
    expect(problemField({ problem: "overlap", field: "work_hours.sunday", first: "a", second: "b" })).toBe("work_hours.sunday");
    expect(problemField({ problem: "no_work_hours" })).toBe("work_hours");
    expect(problemField({ problem: "unknown_move", id: "x" })).toBe("excluded_moves");
    expect(problemField({ problem: "too_few_moves" })).toBe("excluded_moves");
    expect(problemField({ problem: "too_new", got: 2, max: 1 })).toBe("version");
    expect(problemField({ problem: "not_current", got: 0, current: 1 })).toBe("version");
  });
});

describe("number fields", () => {
  it("each belong to one group of the view, the weekly sessions with the routines", () => {
    const groups = ["reminders", "routines", "holds", "hold_caps"] as const;
    expect(groups.flatMap(numberFieldsOf).sort()).toEqual([...NUMBER_FIELDS].sort());
    expect(numberFieldsOf("routines")).toEqual(["weekly_sessions"]);
    expect(numberFieldsOf("holds")).toEqual(["hold_grace_seconds"]);
    expect(NUMBER_GROUP.interval_minutes).toBe("reminders");
  });

  it("put each hold's cap under its own switch, typing's pause and cap under its, and nothing else", () => {
    expect(HOLD_REASONS).toEqual(["meeting", "fullscreen", "dnd", "typing"]);
    expect(HOLD_REASONS.map((r) => HOLDS[r].flag)).toEqual([
      "hold_for_meetings",
      "hold_for_fullscreen",
      "hold_for_dnd",
      "hold_while_typing",
    ]);
    expect(HOLD_REASONS.flatMap((r) => HOLDS[r].fields)).toEqual(numberFieldsOf("hold_caps"));
    expect(numberFieldsOf("hold_caps")).toEqual([
      "meeting_cap_minutes",
      "fullscreen_cap_minutes",
      "dnd_cap_minutes",
      "typing_pause_seconds",
      "typing_cap_seconds",
    ]);
    expect(HOLDS.typing.fields).toEqual(["typing_pause_seconds", "typing_cap_seconds"]);
  });

  it("put what counts as a call (a camera, a microphone in use) under the meetings switch, and no box under the others", () => {
    expect(HOLDS.meeting.checks).toEqual(["meeting_camera", "meeting_microphone"]);
    expect(HOLD_REASONS.filter((r) => r !== "meeting").flatMap((r) => HOLDS[r].checks)).toEqual([]);
    // Each an on/off setting, on by default.
    const d = defaults();
    for (const check of HOLDS.meeting.checks) expect(d[check], check).toBe(true);
  });

  it("list typing after the delay after a hold ends, which does not follow it", () => {
    expect(holdReasonsWith(true)).toEqual(["meeting", "fullscreen", "dnd"]);
    expect(holdReasonsWith(false)).toEqual(["typing"]);
    expect([...holdReasonsWith(true), ...holdReasonsWith(false)]).toEqual(HOLD_REASONS);
  });

  it("read a cap and the delay after a hold as whole numbers, 0 included", () => {
    expect(parseNumber("meeting_cap_minutes", "0")).toEqual({ value: 0 });
    expect(parseNumber("fullscreen_cap_minutes", "600")).toEqual({ value: 600 });
    expect(parseNumber("hold_grace_seconds", "90")).toEqual({ value: 90 });
    expect(parseNumber("dnd_cap_minutes", "-5")).toHaveProperty("error");
  });

  it("read typing's pause and cap as whole numbers, leaving their ranges to the daemon", () => {
    expect(parseNumber("typing_pause_seconds", "5")).toEqual({ value: 5 });
    expect(parseNumber("typing_pause_seconds", "1")).toEqual({ value: 1 });
    expect(parseNumber("typing_cap_seconds", "120")).toEqual({ value: 120 });
    expect(parseNumber("typing_pause_seconds", "2.5")).toHaveProperty("error");
    expect(parseNumber("typing_cap_seconds", "99999999999")).toEqual({ error: "Enter a number from 10 to 600." });
  });

  it("read the weekly sessions as a whole number, leaving the range to the daemon", () => {
    expect(parseNumber("weekly_sessions", "3")).toEqual({ value: 3 });
    expect(parseNumber("weekly_sessions", "9")).toEqual({ value: 9 });
    expect(parseNumber("weekly_sessions", "1.5")).toHaveProperty("error");
  });

  it("are the daemon's, with its ranges", () => {
    expect(NUMBER_FIELDS).toEqual(Object.keys(LIMITS));
    expect(parseNumber("day_starts_at_hour", "256")).toEqual({ error: `Enter a number from ${LIMITS.day_starts_at_hour.min} to ${LIMITS.day_starts_at_hour.max}.` });
  });
});
