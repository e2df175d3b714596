import { describe, expect, it } from "vitest";
import { DAY_NAMES, DAY_SHORT, GROUP_LABELS, HOLD_CHECK_LABELS, HOLD_CHECKS_LEGENDS, HOLD_LABELS, NUMBER_LABELS, TIME_LABELS, fieldLabel, fieldUnit } from "./labels";
import { HOLDS, HOLD_REASONS, holdReasonsWith } from "./settingsForm";
import { defaults } from "../test/fixtures";
import { LIMITS } from "./types";

describe("fieldLabel", () => {
  it("names every setting the view shows as it shows it", () => {
    for (const field of Object.keys(LIMITS)) expect(fieldLabel(field)).toBe(NUMBER_LABELS[field as keyof typeof LIMITS].label);
    expect(fieldLabel("interval_minutes")).toBe("Break interval");
    expect(fieldLabel("work_hours")).toBe(GROUP_LABELS.work_hours);
    expect(fieldLabel("excluded_moves")).toBe("Moves to leave out");
    expect(fieldLabel("equipment")).toBe(GROUP_LABELS.equipment);
    expect(fieldLabel("session_days")).toBe("Session days");
    expect(fieldLabel("session_time")).toBe(TIME_LABELS.session_time);
  });
  it("has a label for every setting a person can change (all but the format version)", () => {
    // The on/off switches are never the subject of a message: their labels are the view's own
    // (the holds' in HOLD_LABELS and HOLD_CHECK_LABELS, below).
    const flags = ["can_stand", "sound", "start_at_login", "tray_minutes", ...Object.keys(HOLD_LABELS), ...Object.keys(HOLD_CHECK_LABELS)];
    for (const field of Object.keys(defaults())) {
      if (field === "version" || flags.includes(field)) continue;
      expect(fieldLabel(field), field).not.toBeNull();
    }
  });
  it("names each hold's switch, and its cap and the delay after as number settings", () => {
    for (const reason of holdReasonsWith(true)) expect(HOLD_LABELS[HOLDS[reason].flag], reason).toMatch(/^Hold reminders /);
    expect(HOLD_LABELS.hold_for_meetings).toBe("Hold reminders during a call (camera or microphone in use)");
    expect(fieldLabel("meeting_cap_minutes")).toBe("Longest hold during a call");
    expect(fieldLabel("hold_grace_seconds")).toBe("Delay after a hold ends");
    expect(fieldUnit("fullscreen_cap_minutes")).toBe("minutes");
    expect(fieldUnit("hold_grace_seconds")).toBe("seconds");
  });
  it("names what counts as a call, each box under the meetings switch and the group of them", () => {
    expect(HOLD_CHECK_LABELS.meeting_camera).toBe("A camera in use");
    expect(HOLD_CHECK_LABELS.meeting_microphone).toBe("A microphone in use");
    expect(HOLD_CHECKS_LEGENDS.hold_for_meetings).toBe("Counts as a call");
    // Every box under a switch has a label, and every switch with boxes names them.
    for (const reason of HOLD_REASONS) {
      const { flag, checks } = HOLDS[reason];
      for (const check of checks) expect(HOLD_CHECK_LABELS[check], check).toMatch(/^A .+ in use$/);
      expect(HOLD_CHECKS_LEGENDS[flag] !== undefined, flag).toBe(checks.length > 0);
    }
    // Neither is the subject of a message.
    expect(fieldLabel("meeting_camera")).toBeNull();
    expect(fieldLabel("meeting_microphone")).toBeNull();
  });
  it("names typing's switch (a wait for a pause, not a hold), its pause and its cap", () => {
    expect(HOLD_LABELS[HOLDS.typing.flag]).toBe("Wait for a pause in my typing before a reminder comes");
    expect(fieldLabel("typing_pause_seconds")).toBe("Pause in typing to wait for");
    expect(fieldLabel("typing_cap_seconds")).toBe("Longest wait for a pause in typing");
    expect(fieldUnit("typing_pause_seconds")).toBe("seconds");
    expect(fieldUnit("typing_cap_seconds")).toBe("seconds");
    expect(NUMBER_LABELS.typing_pause_seconds.hint).toBe("seconds without typing or using the mouse");
    expect(NUMBER_LABELS.typing_cap_seconds.hint).toBe("seconds; then the reminder comes anyway");
  });
  it("shortens each day to three letters for the row of session days", () => {
    for (const [day, name] of Object.entries(DAY_NAMES)) expect(name.startsWith(DAY_SHORT[day as keyof typeof DAY_SHORT])).toBe(true);
  });
  it("names a day, or one range of it, by the day", () => {
    expect(fieldLabel("work_hours.monday")).toBe("Monday");
    expect(fieldLabel("work_hours.sunday.2")).toBe(DAY_NAMES.sunday);
  });
  it("has no label for what the view does not show", () => {
    for (const field of ["version", "work_hours.someday", "tea_minutes", "constructor", "__proto__", ""]) {
      expect(fieldLabel(field), field).toBeNull();
    }
  });
  it("knows the unit of each number setting", () => {
    expect(fieldUnit("interval_minutes")).toBe("minutes");
    expect(fieldUnit("routine_seconds")).toBe("seconds");
    expect(fieldUnit("snooze_limit")).toBe("");
    expect(fieldUnit("work_hours")).toBe("");
  });
});
