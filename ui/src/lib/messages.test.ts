import { describe, expect, it } from "vitest";
import { customMoveProblemText, errorText, refusalText, settingsProblemText, warningText } from "./messages";
import { LIMITS, type IpcError, type Refusal, type SettingsError, type Warning } from "./types";

// One example of every variant, keyed by its tag: a variant added in Rust and missing here is a
// type error in `npm run check`.
type ByTag<T, K extends keyof T> = { [V in T[K] & string]: Extract<T, Record<K, V>> };

const problems: ByTag<SettingsError, "problem"> = {
  out_of_range: { problem: "out_of_range", field: "interval_minutes", min: 5, max: 240, got: 500 },
  empty_range: { problem: "empty_range", field: "work_hours.monday", range: "17:00-09:00" },
  overlap: { problem: "overlap", field: "work_hours.tuesday", first: "09:00-12:00", second: "11:00-13:00" },
  no_work_hours: { problem: "no_work_hours" },
  unknown_move: { problem: "unknown_move", id: "old-move" },
  too_few_moves: { problem: "too_few_moves" },
  too_new: { problem: "too_new", got: 9, max: 1 },
  not_current: { problem: "not_current", got: 0, current: 1 },
};

const refusals: ByTag<Refusal, "reason"> = {
  not_due: { reason: "not_due" },
  snooze_limit: { reason: "snooze_limit", limit: 3 },
  not_paused: { reason: "not_paused" },
  in_break: { reason: "in_break" },
  no_break: { reason: "no_break" },
  in_the_past: { reason: "in_the_past" },
  unknown_move: { reason: "unknown_move", id: "old-move" },
  hurt: { reason: "hurt", id: "wall-angel" },
  not_left_out: { reason: "not_left_out", id: "chin-tuck" },
  no_moves: { reason: "no_moves" },
  too_many_moves: { reason: "too_many_moves", max: 12 },
};

const warnings: ByTag<Warning, "kind"> = {
  idle_unavailable: { kind: "idle_unavailable", reason: "no idle source on this desktop" },
  no_tray_host: { kind: "no_tray_host" },
  no_notifications: { kind: "no_notifications" },
  settings_file: { kind: "settings_file", detail: "the settings file could not be read; it was kept as settings.toml.bad" },
  history_file: { kind: "history_file", detail: "the history database was damaged and set aside" },
  history_unwritten: { kind: "history_unwritten", events: 2, reason: "disk full" },
  history_lost: { kind: "history_lost", events: 1 },
  window_missing: { kind: "window_missing", reason: "unslouch-window was not found" },
  custom_moves: {
    kind: "custom_moves",
    problems: [{ file: "/home/me/.config/unslouch/moves.toml", index: 2, id: "neck-glide", field: "cues", problem: "give 3 to 5 cues" }],
  },
};

const errors: ByTag<IpcError, "kind"> = {
  refused: { kind: "refused", refusal: refusals.snooze_limit },
  invalid_settings: { kind: "invalid_settings", problems: [problems.out_of_range, problems.too_few_moves] },
  bad_request: { kind: "bad_request", message: "cannot read the message" },
  internal: { kind: "internal", message: "no space left on device" },
};

/** Names settings have in the file and not in English (`equipment`, `version` are words too). */
const SETTING_NAMES = [...Object.keys(LIMITS), "work_hours", "excluded_moves", "can_stand", "start_at_login", "tray_minutes", "monday"];

/** A finished sentence for people: no file names of settings, no snake_case, no leftovers. */
function expectSentence(text: string) {
  expect(text).toMatch(/^[A-Z“]/);
  expect(text).toMatch(/[.!?]$/);
  expect(text).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
  expect(text).not.toMatch(/\bwork_hours\.|\bundefined\b|\bnull\b|NaN|\[object/);
  for (const name of SETTING_NAMES) expect(text).not.toContain(name);
}

describe("settingsProblemText", () => {
  it.each(Object.values(problems))("words $problem as a sentence without setting names", (p) => {
    expectSentence(settingsProblemText(p));
  });

  it("names the field by its label, with its unit and what was entered", () => {
    expect(settingsProblemText(problems.out_of_range)).toBe("Break interval must be between 5 and 240 minutes (you entered 500).");
    expect(settingsProblemText({ ...problems.out_of_range, field: "routine_seconds", min: 30, max: 180, got: 10 })).toBe(
      "Routine length must be between 30 and 180 seconds (you entered 10).",
    );
    expect(settingsProblemText({ ...problems.out_of_range, field: "snooze_limit", min: 0, max: 10, got: 11 })).toBe(
      "Snoozes in a row must be between 0 and 10 (you entered 11).",
    );
    expect(settingsProblemText(problems.empty_range)).toBe("Monday: the hours 17:00–09:00 end before they start.");
    expect(settingsProblemText(problems.overlap)).toBe("Tuesday: the hours 09:00–12:00 and 11:00–13:00 overlap.");
  });

  it("gives every number setting a label of its own", () => {
    const texts = Object.entries(LIMITS).map(([field, { min, max }]) =>
      settingsProblemText({ problem: "out_of_range", field, min, max, got: max + 1 }),
    );
    for (const t of texts) {
      expectSentence(t);
      expect(t).not.toMatch(/^This setting/);
    }
    expect(new Set(texts.map((t) => t.split(" must ")[0])).size).toBe(texts.length);
  });

  it("never shows the name of a setting it does not know", () => {
    const text = settingsProblemText({ problem: "out_of_range", field: "tea_minutes", min: 1, max: 2, got: 3 });
    expect(text).toBe("This setting must be between 1 and 2 (you entered 3).");
    expectSentence(settingsProblemText({ problem: "empty_range", field: "work_hours.someday", range: "10:00-09:00" }));
  });
});

describe("refusalText", () => {
  it.each(Object.values(refusals))("words $reason as a sentence", (r) => {
    expectSentence(refusalText(r));
  });

  it("carries the numbers the daemon sends", () => {
    expect(refusalText(refusals.snooze_limit)).toBe("Snoozed 3 times in a row already: start the break or skip it.");
    expect(refusalText({ reason: "snooze_limit", limit: 1 })).toMatch(/^Snoozed 1 time in a row/);
    expect(refusalText(refusals.too_many_moves)).toBe("At most 12 moves at a time.");
  });
});

describe("warningText", () => {
  it.each(Object.values(warnings))("words $kind as a sentence", (w) => {
    expectSentence(warningText(w));
  });

  it("means what the daemon's own words mean, for this window", () => {
    expect(warningText(warnings.idle_unavailable)).toBe(
      "Idle detection is unavailable (no idle source on this desktop): desk time counts all the time Unslouch runs.",
    );
    expect(warningText(warnings.no_tray_host)).toContain("launching Unslouch again opens this window");
    expect(warningText(warnings.settings_file)).toBe(
      "The settings file could not be read; it was kept as settings.toml.bad.",
    );
    expect(warningText(warnings.history_unwritten)).toBe(
      "History cannot be written (disk full): 2 events are kept in memory and tried again.",
    );
    expect(warningText(warnings.history_lost)).toBe("History could not be written for too long: 1 event was given up.");
    expect(warningText(warnings.window_missing)).toBe("Unslouch could not open its window on its own: unslouch-window was not found.");
  });

  it("says where each of the person's own moves left out is, and why", () => {
    expect(warningText(warnings.custom_moves)).toBe(
      "Some of your own moves were left out: /home/me/.config/unslouch/moves.toml, move 2 (neck-glide): cues — give 3 to 5 cues.",
    );
    const whole = { file: "moves.toml", index: 0, id: null, field: "", problem: "expected a table" };
    const noId = { file: "moves.toml", index: 3, id: null, field: "name", problem: "missing field `name`" };
    expect(warningText({ kind: "custom_moves", problems: [whole, noId] })).toBe(
      "Some of your own moves were left out: moves.toml: expected a table. moves.toml, move 3: name — missing field `name`.",
    );
  });

  it("words one of the person's own moves left out as a line: file, place, id, field, reason", () => {
    const p = { file: "moves.toml", index: 2, id: "broken-move", field: "cues", problem: "it needs 3 to 5 cues" };
    expect(customMoveProblemText(p)).toBe("moves.toml, move 2 (broken-move): cues — it needs 3 to 5 cues");
    expect(customMoveProblemText({ ...p, field: "" })).toBe("moves.toml, move 2 (broken-move): it needs 3 to 5 cues");
    expect(customMoveProblemText({ ...p, index: 0, id: null, field: "extra" })).toBe("moves.toml: extra — it needs 3 to 5 cues");
  });
});

describe("errorText", () => {
  it.each(Object.values(errors))("words a $kind error as sentences", (e) => {
    expectSentence(errorText(e));
  });

  it("puts refusals and settings problems in their words, and keeps the daemon's message", () => {
    expect(errorText(errors.refused)).toBe(refusalText(refusals.snooze_limit));
    expect(errorText(errors.invalid_settings)).toBe(
      `${settingsProblemText(problems.out_of_range)} ${settingsProblemText(problems.too_few_moves)}`,
    );
    expect(errorText(errors.internal)).toBe("No space left on device.");
    expect(errorText(errors.bad_request)).toBe("Unslouch could not read the request: cannot read the message.");
    expect(errorText({ kind: "internal", message: "" })).toBe("Something went wrong in Unslouch.");
  });

  it("has words for a variant this page does not know yet (a newer daemon)", () => {
    expectSentence(errorText({ kind: "exploded" } as unknown as IpcError));
    expectSentence(refusalText({ reason: "sleepy" } as unknown as Refusal));
    expectSentence(settingsProblemText({ problem: "too_blue" } as unknown as SettingsError));
    expectSentence(warningText({ kind: "cosmic_rays" } as unknown as Warning));
  });
});
