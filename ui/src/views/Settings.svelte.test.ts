// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { catalog, defaults } from "../test/fixtures";
import { LIMITS, type Reply, type Request, type Settings as SettingsData } from "../lib/types";
import Settings from "./Settings.svelte";

function setup(over: Partial<SettingsData> = {}, reply?: (r: Request) => Promise<Reply>) {
  const settings = { ...defaults(), ...over };
  const send = vi.fn(
    reply ??
      (async (r: Request): Promise<Reply> =>
        r.request === "set_settings" ? { reply: "settings", settings: r.settings, warnings: [] } : { reply: "done" }),
  );
  const onsaved = vi.fn();
  const view = render(Settings, { settings, warnings: [], moves: catalog, send, onsaved });
  const field = (name: string) => view.container.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
  return { send, onsaved, view, field };
}

const sentSettings = (send: ReturnType<typeof vi.fn>): SettingsData => {
  const r = send.mock.calls[send.mock.calls.length - 1]![0] as Request;
  if (r.request !== "set_settings") throw new Error(`sent ${r.request}`);
  return r.settings;
};

afterEach(() => vi.useRealTimers());

describe("Settings", () => {
  it("labels every input and names it after its setting", () => {
    const { view } = setup();
    for (const name of ["interval_minutes", "routine_seconds", "snooze_minutes", "snooze_limit", "natural_break_minutes", "can_stand", "sound", "start_at_login", "tray_minutes", "work_hours.enabled", "hold_for_meetings", "meeting_camera", "meeting_microphone", "hold_for_fullscreen", "hold_for_dnd", "meeting_cap_minutes", "fullscreen_cap_minutes", "dnd_cap_minutes", "hold_grace_seconds", "hold_while_typing", "typing_pause_seconds", "typing_cap_seconds"]) {
      const input = view.container.querySelector(`[name="${name}"]`);
      expect(input, name).not.toBeNull();
    }
    expect(screen.getByLabelText("Break interval")).toHaveProperty("name", "interval_minutes");
    expect(screen.getByLabelText("Break interval")).toHaveProperty("min", "5");
    expect(screen.getByLabelText("Break interval")).toHaveProperty("max", "240");
    expect(view.container.querySelectorAll('[name="equipment"]')).toHaveLength(4);
    // Micro moves only, by name.
    expect(view.container.querySelectorAll('[name="excluded_moves"]')).toHaveLength(5);
    expect(screen.getByLabelText("Wall angel")).toHaveProperty("value", "wall-angel");
  });

  it("sends a valid change once typing pauses, and at once on change", async () => {
    vi.useFakeTimers();
    const { send, field } = setup();
    await fireEvent.input(field("interval_minutes"), { target: { value: "3" } });
    await fireEvent.input(field("interval_minutes"), { target: { value: "30" } });
    expect(send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(400);
    expect(send).toHaveBeenCalledTimes(1);
    expect(sentSettings(send).interval_minutes).toBe(30);

    await fireEvent.change(field("snooze_limit"), { target: { value: "5" } });
    expect(send).toHaveBeenCalledTimes(2);
    expect(sentSettings(send)).toMatchObject({ interval_minutes: 30, snooze_limit: 5 });
  });

  it("shows the daemon's problem at the field in words, keeps the typed value, and clears it after a good send", async () => {
    const message = "Break interval must be between 5 and 240 minutes (you entered 2).";
    let refuse = true;
    const { field, send } = setup({}, async (r) => {
      if (refuse) {
        throw { kind: "invalid_settings", problems: [{ problem: "out_of_range", field: "interval_minutes", min: 5, max: 240, got: 2 }] };
      }
      return r.request === "set_settings" ? { reply: "settings", settings: r.settings, warnings: [] } : { reply: "done" };
    });
    const input = field("interval_minutes");
    await fireEvent.change(input, { target: { value: "2" } });
    const error = document.getElementById("error-interval_minutes")!;
    await waitFor(() => expect(error.textContent).toBe(message));
    expect(error.classList.contains("field-error")).toBe(true);
    expect(error.getAttribute("aria-live")).toBe("polite");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain("error-interval_minutes");
    expect(input.value).toBe("2");
    expect(sentSettings(send).interval_minutes).toBe(2);

    refuse = false;
    await fireEvent.change(input, { target: { value: "25" } });
    await waitFor(() => expect(error.textContent).toBe(""));
    expect(input.getAttribute("aria-invalid")).toBeNull();
  });

  it("asks for the full sessions a week in the routines, within the daemon's range", async () => {
    let refuse = true;
    const { field, send } = setup({}, async (r) => {
      if (r.request === "set_settings" && refuse) {
        const got = r.settings.weekly_sessions;
        const { min, max } = LIMITS.weekly_sessions;
        throw { kind: "invalid_settings", problems: [{ problem: "out_of_range", field: "weekly_sessions", min, max, got }] };
      }
      return r.request === "set_settings" ? { reply: "settings", settings: r.settings, warnings: [] } : { reply: "done" };
    });
    const input = screen.getByLabelText("Full sessions a week") as HTMLInputElement;
    expect(input).toBe(field("weekly_sessions"));
    expect(input.value).toBe("2");
    expect([input.min, input.max]).toEqual(["0", "5"]);
    expect(document.getElementById("hint-weekly_sessions")!.textContent).toBe("0 for no aim, 0–5");
    const routines = screen.getByRole("group", { name: "Routines" });
    expect(routines.contains(input)).toBe(true);

    await fireEvent.change(input, { target: { value: "9" } });
    expect(sentSettings(send).weekly_sessions).toBe(9);
    await waitFor(() =>
      expect(document.getElementById("error-weekly_sessions")!.textContent).toBe(
        "Full sessions a week must be between 0 and 5 (you entered 9).",
      ),
    );
    expect(input.getAttribute("aria-invalid")).toBe("true");

    refuse = false;
    await fireEvent.change(input, { target: { value: "0" } });
    expect(sentSettings(send).weekly_sessions).toBe(0);
    await waitFor(() => expect(document.getElementById("error-weekly_sessions")!.textContent).toBe(""));
  });

  it("shows the session's days and time and sends each change, the days in the order of the week", async () => {
    const { field, send, onsaved, view } = setup();
    const days = [...view.container.querySelectorAll<HTMLInputElement>('[name="session_days"]')];
    expect(days.map((d) => d.value)).toEqual(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
    expect(days.filter((d) => d.checked).map((d) => d.value)).toEqual(["tuesday", "friday"]);
    expect(screen.getByLabelText("Monday")).toBe(days[0]);
    expect(days[0]!.closest("label")!.textContent!.trim()).toBe("Mon");
    const routines = screen.getByRole("group", { name: "Routines" });
    const group = screen.getByRole("group", { name: "Session days" });
    expect(routines.contains(group)).toBe(true);
    const time = screen.getByLabelText("Session time") as HTMLInputElement;
    expect(time).toBe(field("session_time"));
    expect([time.type, time.value]).toEqual(["time", "17:00"]);

    await fireEvent.click(view.container.querySelector('[name="session_days"][value="monday"]')!);
    expect(sentSettings(send).session_days).toEqual(["monday", "tuesday", "friday"]);
    await fireEvent.click(view.container.querySelector('[name="session_days"][value="friday"]')!);
    expect(sentSettings(send).session_days).toEqual(["monday", "tuesday"]);

    await fireEvent.change(time, { target: { value: "18:30" } });
    expect(sentSettings(send)).toMatchObject({ session_days: ["monday", "tuesday"], session_time: "18:30" });
    await waitFor(() =>
      expect(onsaved).toHaveBeenLastCalledWith(expect.objectContaining({ session_days: ["monday", "tuesday"], session_time: "18:30" }), []),
    );
  });

  it("does not send a session time the daemon could not read, and says why", async () => {
    const { field, send } = setup();
    const time = field("session_time");
    await fireEvent.change(time, { target: { value: "" } });
    expect(send).not.toHaveBeenCalled();
    expect(document.getElementById("error-session_time")!.textContent!.trim()).toBe("Enter a time, like 17:00.");
    expect(time.getAttribute("aria-invalid")).toBe("true");
    await fireEvent.change(time, { target: { value: "07:45" } });
    expect(sentSettings(send).session_time).toBe("07:45");
    expect(document.getElementById("error-session_time")!.textContent!.trim()).toBe("");
    expect(time.getAttribute("aria-invalid")).toBeNull();
  });

  it("turns the session's days and time off without a weekly aim, and on again with one", async () => {
    const { field, view } = setup({ weekly_sessions: 0 });
    const inputs = () => [...view.container.querySelectorAll<HTMLInputElement>('[name="session_days"], [name="session_time"]')];
    expect(inputs()).toHaveLength(8);
    for (const input of inputs()) expect(input.disabled, input.value).toBe(true);
    expect(document.getElementById("session-hint")!.textContent!.trim()).toBe("With no weekly aim, no session is suggested.");
    // Still kept as they were, for when an aim comes back.
    expect(field("session_time").value).toBe("17:00");

    await fireEvent.change(field("weekly_sessions"), { target: { value: "1" } });
    for (const input of inputs()) expect(input.disabled, input.value).toBe(false);
    await fireEvent.change(field("weekly_sessions"), { target: { value: "0" } });
    for (const input of inputs()) expect(input.disabled, input.value).toBe(true);
  });

  it("holds reminders at bad moments: a switch for each reason, its cap under it, and the delay after", () => {
    const { field } = setup();
    const group = screen.getByRole("group", { name: "Never at a bad moment" });
    const switches = [
      ["Hold reminders during a call (camera or microphone in use)", "hold_for_meetings"],
      ["Hold reminders while a window is fullscreen", "hold_for_fullscreen"],
      ["Hold reminders during Do Not Disturb", "hold_for_dnd"],
    ] as const;
    for (const [label, name] of switches) {
      const input = screen.getByRole("switch", { name: label }) as HTMLInputElement;
      expect(input, name).toBe(field(name));
      expect(input.checked, name).toBe(true);
      expect(group.contains(input), name).toBe(true);
    }
    const caps = [
      ["Longest hold during a call", "meeting_cap_minutes", "0"],
      ["Longest hold for a fullscreen window", "fullscreen_cap_minutes", "120"],
      ["Longest hold during Do Not Disturb", "dnd_cap_minutes", "0"],
    ] as const;
    for (const [label, name, value] of caps) {
      const input = screen.getByLabelText(label) as HTMLInputElement;
      expect(input, name).toBe(field(name));
      expect([input.value, input.min, input.max, input.disabled], name).toEqual([value, "0", "480", false]);
      expect(document.getElementById(`hint-${name}`)!.textContent).toBe("minutes; 0 for as long as it lasts, 0–480");
    }
    const grace = screen.getByLabelText("Delay after a hold ends") as HTMLInputElement;
    expect(grace).toBe(field("hold_grace_seconds"));
    expect([grace.value, grace.min, grace.max]).toEqual(["120", "0", "900"]);
    expect(document.getElementById("hint-hold_grace_seconds")!.textContent).toBe("seconds before the reminder comes, 0–900");
    expect(group.contains(grace)).toBe(true);
    // Each switch, then (for a call) what counts as one, then its cap, then the delay, then
    // typing (which the delay does not follow) with its pause and its cap, in the page's order.
    const order = [...group.querySelectorAll("input")].map((i) => i.name);
    expect(order).toEqual([
      "hold_for_meetings",
      "meeting_camera",
      "meeting_microphone",
      "meeting_cap_minutes",
      "hold_for_fullscreen",
      "fullscreen_cap_minutes",
      "hold_for_dnd",
      "dnd_cap_minutes",
      "hold_grace_seconds",
      "hold_while_typing",
      "typing_pause_seconds",
      "typing_cap_seconds",
    ]);
  });

  it("takes a camera or a microphone in use for a call: a box for each under the meetings switch, above its cap", () => {
    const { field } = setup();
    const meetings = field("hold_for_meetings");
    const block = meetings.closest(".hold")!;
    const counts = screen.getByRole("group", { name: "Counts as a call" });
    expect(block.contains(counts)).toBe(true);
    for (const [label, name] of [
      ["A camera in use", "meeting_camera"],
      ["A microphone in use", "meeting_microphone"],
    ] as const) {
      const input = screen.getByRole("checkbox", { name: label }) as HTMLInputElement;
      expect(input, name).toBe(field(name));
      expect([input.checked, input.disabled], name).toEqual([true, false]);
      expect(counts.contains(input), name).toBe(true);
    }
    // The cap stays in the block, after the boxes; no other hold has any.
    expect(counts.contains(field("meeting_cap_minutes"))).toBe(false);
    expect([...block.querySelectorAll("input")].map((i) => i.name)).toEqual([
      "hold_for_meetings",
      "meeting_camera",
      "meeting_microphone",
      "meeting_cap_minutes",
    ]);
    for (const other of ["hold_for_fullscreen", "hold_for_dnd", "hold_while_typing"]) {
      expect(field(other).closest(".hold")!.querySelectorAll('input[type="checkbox"]'), other).toHaveLength(1);
    }
  });

  it("sends what counts as a call, and turns both boxes off with the meetings switch, keeping their values", async () => {
    const { field, send } = setup({ hold_for_meetings: false, meeting_camera: false, meeting_microphone: true });
    expect([field("meeting_camera").disabled, field("meeting_camera").checked]).toEqual([true, false]);
    expect([field("meeting_microphone").disabled, field("meeting_microphone").checked]).toEqual([true, true]);
    expect(field("meeting_cap_minutes").disabled).toBe(true);
    // They hang on the meetings switch only.
    await fireEvent.click(field("hold_for_fullscreen"));
    expect(field("meeting_camera").disabled).toBe(true);
    expect(sentSettings(send)).toMatchObject({ hold_for_meetings: false, meeting_camera: false, meeting_microphone: true, hold_for_fullscreen: false });

    await fireEvent.click(field("hold_for_meetings"));
    expect(sentSettings(send)).toMatchObject({ hold_for_meetings: true, meeting_camera: false, meeting_microphone: true });
    expect([field("meeting_camera").disabled, field("meeting_microphone").disabled]).toEqual([false, false]);

    await fireEvent.click(field("meeting_camera"));
    expect(sentSettings(send)).toMatchObject({ hold_for_meetings: true, meeting_camera: true, meeting_microphone: true });
    await fireEvent.click(field("meeting_microphone"));
    expect(sentSettings(send)).toMatchObject({ hold_for_meetings: true, meeting_camera: true, meeting_microphone: false });

    await fireEvent.click(field("hold_for_meetings"));
    expect(sentSettings(send)).toMatchObject({ hold_for_meetings: false, meeting_camera: true, meeting_microphone: false });
    expect([field("meeting_camera").disabled, field("meeting_camera").checked]).toEqual([true, true]);
    expect([field("meeting_microphone").disabled, field("meeting_microphone").checked]).toEqual([true, false]);
  });

  it("waits for a pause in the person's typing: a switch, the pause and the longest wait under it", () => {
    const { field } = setup();
    const group = screen.getByRole("group", { name: "Never at a bad moment" });
    const typing = screen.getByRole("switch", { name: "Wait for a pause in my typing before a reminder comes" }) as HTMLInputElement;
    expect(typing).toBe(field("hold_while_typing"));
    expect(typing.checked).toBe(true);
    expect(group.contains(typing)).toBe(true);

    const pause = screen.getByLabelText("Pause in typing to wait for") as HTMLInputElement;
    expect(pause).toBe(field("typing_pause_seconds"));
    expect([pause.value, pause.min, pause.max, pause.disabled]).toEqual(["5", "2", "30", false]);
    expect(document.getElementById("hint-typing_pause_seconds")!.textContent).toBe("seconds without typing or using the mouse, 2–30");

    const cap = screen.getByLabelText("Longest wait for a pause in typing") as HTMLInputElement;
    expect(cap).toBe(field("typing_cap_seconds"));
    expect([cap.value, cap.min, cap.max, cap.disabled]).toEqual(["120", "10", "600", false]);
    expect(document.getElementById("hint-typing_cap_seconds")!.textContent).toBe("seconds; then the reminder comes anyway, 10–600");

    // Both under the switch, in the same block as it.
    const block = typing.closest(".hold")!;
    expect(block.contains(pause) && block.contains(cap)).toBe(true);
    expect(block.contains(field("hold_grace_seconds"))).toBe(false);
  });

  it("sends typing's switch and numbers, and turns its pause and cap off with it, keeping their values", async () => {
    const { field, send } = setup({ hold_while_typing: false, typing_pause_seconds: 8, typing_cap_seconds: 300 });
    expect(field("hold_while_typing").checked).toBe(false);
    expect([field("typing_pause_seconds").disabled, field("typing_pause_seconds").value]).toEqual([true, "8"]);
    expect([field("typing_cap_seconds").disabled, field("typing_cap_seconds").value]).toEqual([true, "300"]);
    // The other holds' caps and the delay do not hang on it.
    expect(field("meeting_cap_minutes").disabled).toBe(false);
    expect(field("hold_grace_seconds").disabled).toBe(false);

    await fireEvent.click(field("hold_while_typing"));
    expect(sentSettings(send)).toMatchObject({ hold_while_typing: true, typing_pause_seconds: 8, typing_cap_seconds: 300 });
    expect(field("typing_pause_seconds").disabled).toBe(false);
    expect(field("typing_cap_seconds").disabled).toBe(false);

    await fireEvent.change(field("typing_pause_seconds"), { target: { value: "3" } });
    await fireEvent.change(field("typing_cap_seconds"), { target: { value: "60" } });
    expect(sentSettings(send)).toMatchObject({ hold_while_typing: true, typing_pause_seconds: 3, typing_cap_seconds: 60 });

    await fireEvent.click(field("hold_while_typing"));
    expect(sentSettings(send)).toMatchObject({ hold_while_typing: false, typing_pause_seconds: 3, typing_cap_seconds: 60 });
    expect([field("typing_pause_seconds").disabled, field("typing_pause_seconds").value]).toEqual([true, "3"]);
    expect([field("typing_cap_seconds").disabled, field("typing_cap_seconds").value]).toEqual([true, "60"]);
  });

  it("shows the daemon's problem with typing's pause beside it, in words", async () => {
    const { field } = setup({}, async (r) => {
      if (r.request === "set_settings") {
        throw { kind: "invalid_settings", problems: [{ problem: "out_of_range", field: "typing_pause_seconds", min: 2, max: 30, got: 1 }] };
      }
      return { reply: "done" };
    });
    await fireEvent.change(field("typing_pause_seconds"), { target: { value: "1" } });
    await waitFor(() =>
      expect(document.getElementById("error-typing_pause_seconds")!.textContent).toBe(
        "Pause in typing to wait for must be between 2 and 30 seconds (you entered 1).",
      ),
    );
    expect(field("typing_pause_seconds").getAttribute("aria-invalid")).toBe("true");
    expect(field("typing_pause_seconds").value).toBe("1");
  });

  it("sends the holds' switches and numbers, and turns a cap off with its switch, keeping its value", async () => {
    const { field, send } = setup({ hold_for_dnd: false, dnd_cap_minutes: 45 });
    expect(field("hold_for_dnd").checked).toBe(false);
    expect([field("dnd_cap_minutes").disabled, field("dnd_cap_minutes").value]).toEqual([true, "45"]);
    expect(field("meeting_cap_minutes").disabled).toBe(false);

    await fireEvent.click(field("hold_for_fullscreen"));
    expect(sentSettings(send)).toMatchObject({ hold_for_meetings: true, hold_for_fullscreen: false, hold_for_dnd: false });
    expect(field("fullscreen_cap_minutes").disabled).toBe(true);
    expect(field("fullscreen_cap_minutes").value).toBe("120");

    await fireEvent.click(field("hold_for_dnd"));
    expect(sentSettings(send)).toMatchObject({ hold_for_fullscreen: false, hold_for_dnd: true, dnd_cap_minutes: 45 });
    expect(field("dnd_cap_minutes").disabled).toBe(false);

    await fireEvent.change(field("dnd_cap_minutes"), { target: { value: "90" } });
    await fireEvent.change(field("meeting_cap_minutes"), { target: { value: "60" } });
    await fireEvent.change(field("hold_grace_seconds"), { target: { value: "0" } });
    expect(sentSettings(send)).toMatchObject({
      hold_for_meetings: true,
      hold_for_fullscreen: false,
      hold_for_dnd: true,
      meeting_cap_minutes: 60,
      fullscreen_cap_minutes: 120,
      dnd_cap_minutes: 90,
      hold_grace_seconds: 0,
    });

    await fireEvent.click(field("hold_for_fullscreen"));
    expect(sentSettings(send).hold_for_fullscreen).toBe(true);
    expect(field("fullscreen_cap_minutes").disabled).toBe(false);
  });

  it("shows the daemon's problem with a cap beside it, in words", async () => {
    const { field } = setup({}, async (r) => {
      if (r.request === "set_settings") {
        throw { kind: "invalid_settings", problems: [{ problem: "out_of_range", field: "fullscreen_cap_minutes", min: 0, max: 480, got: 500 }] };
      }
      return { reply: "done" };
    });
    await fireEvent.change(field("fullscreen_cap_minutes"), { target: { value: "500" } });
    await waitFor(() =>
      expect(document.getElementById("error-fullscreen_cap_minutes")!.textContent).toBe(
        "Longest hold for a fullscreen window must be between 0 and 480 minutes (you entered 500).",
      ),
    );
    expect(field("fullscreen_cap_minutes").getAttribute("aria-invalid")).toBe("true");
  });

  it("does not send an empty number, and says why", async () => {
    const { field, send } = setup();
    const input = field("routine_seconds");
    await fireEvent.change(input, { target: { value: "" } });
    expect(send).not.toHaveBeenCalled();
    expect(document.getElementById("error-routine_seconds")!.textContent).toBe("Enter a number.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
  });

  it("edits work hours per day and shows a day's error in that day's group", async () => {
    const message = "Monday: the hours 17:00–09:00 end before they start.";
    const { field, send } = setup({ work_hours: { ...defaults().work_hours, enabled: true } }, async (r) => {
      if (r.request === "set_settings" && r.settings.work_hours.monday[0] === "17:00-09:00") {
        throw { kind: "invalid_settings", problems: [{ problem: "empty_range", field: "work_hours.monday", range: "17:00-09:00" }] };
      }
      return { reply: "done" };
    });
    await fireEvent.change(field("work_hours.monday.0.start"), { target: { value: "17:00" } });
    await fireEvent.change(field("work_hours.monday.0.end"), { target: { value: "09:00" } });
    await waitFor(() => expect(document.getElementById("error-work_hours-monday")!.textContent).toBe(message));
    expect(field("work_hours.monday.0.start").getAttribute("aria-invalid")).toBe("true");
    expect(field("work_hours.monday.0.end").getAttribute("aria-describedby")).toBe("error-work_hours-monday");

    // A malformed time is not sent.
    const calls = send.mock.calls.length;
    await fireEvent.change(field("work_hours.tuesday.0.end"), { target: { value: "5pm" } });
    expect(send.mock.calls.length).toBe(calls);
    expect(document.getElementById("error-work_hours-tuesday")!.textContent).toMatch(/not a time/);

    // Add a range on Saturday: sent at once.
    await fireEvent.click(screen.getByRole("button", { name: "Add hours on Saturday" }));
    expect(sentSettings(send).work_hours.saturday).toEqual(["09:00-17:30"]);
    expect(field("work_hours.saturday.0.start").value).toBe("09:00");
  });

  it("sends equipment and left-out moves as sets", async () => {
    const { field, send, view } = setup();
    const wall = view.container.querySelector<HTMLInputElement>('[name="equipment"][value="wall"]')!;
    await fireEvent.click(wall);
    expect(sentSettings(send).equipment).toEqual(["wall"]);
    const chin = view.container.querySelector<HTMLInputElement>('[name="excluded_moves"][value="chin-tuck"]')!;
    await fireEvent.click(chin);
    expect(sentSettings(send).excluded_moves).toEqual(["chin-tuck"]);
    await fireEvent.click(field("sound"));
    expect(sentSettings(send).sound).toBe(false);
  });

  it("resets to defaults only after a confirmation in the page", async () => {
    const { send, field } = setup({ interval_minutes: 25, session_time: "08:15", hold_for_meetings: false, meeting_microphone: false, meeting_cap_minutes: 30, hold_while_typing: false, typing_cap_seconds: 45 }, async (r) =>
      r.request === "reset_settings" ? { reply: "settings", settings: defaults(), warnings: [] } : { reply: "done" },
    );
    expect(field("interval_minutes").value).toBe("25");
    expect(field("session_time").value).toBe("08:15");
    expect([field("meeting_cap_minutes").value, field("meeting_cap_minutes").disabled]).toEqual(["30", true]);
    expect([field("meeting_microphone").checked, field("meeting_microphone").disabled]).toEqual([false, true]);
    expect([field("typing_cap_seconds").value, field("typing_cap_seconds").disabled]).toEqual(["45", true]);
    await fireEvent.click(screen.getByRole("button", { name: "Reset to defaults…" }));
    expect(send).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole("button", { name: "Reset all settings" }));
    expect(send).toHaveBeenCalledWith({ request: "reset_settings" });
    await waitFor(() => expect(field("interval_minutes").value).toBe("40"));
    expect(field("session_time").value).toBe("17:00");
    expect(field("hold_for_meetings").checked).toBe(true);
    expect([field("meeting_cap_minutes").value, field("meeting_cap_minutes").disabled]).toEqual(["0", false]);
    expect([field("meeting_camera").checked, field("meeting_camera").disabled]).toEqual([true, false]);
    expect([field("meeting_microphone").checked, field("meeting_microphone").disabled]).toEqual([true, false]);
    expect(field("hold_while_typing").checked).toBe(true);
    expect([field("typing_pause_seconds").value, field("typing_pause_seconds").disabled]).toEqual(["5", false]);
    expect([field("typing_cap_seconds").value, field("typing_cap_seconds").disabled]).toEqual(["120", false]);
  });

  it("shows the daemon's warnings at the top, in words", async () => {
    const { field, onsaved } = setup({}, async (r) =>
      r.request === "set_settings"
        ? { reply: "settings", settings: r.settings, warnings: [{ kind: "history_lost", events: 3 }] }
        : { reply: "done" },
    );
    await fireEvent.click(field("tray_minutes"));
    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toContain("History could not be written for too long: 3 events were given up."),
    );
    expect(onsaved).toHaveBeenLastCalledWith(expect.objectContaining({ tray_minutes: true }), [{ kind: "history_lost", events: 3 }]);
  });

  it("places each of several problems beside its own field, and the rest at the top", async () => {
    const { field } = setup({ work_hours: { ...defaults().work_hours, enabled: true } }, async () => {
      throw {
        kind: "invalid_settings",
        problems: [
          { problem: "out_of_range", field: "snooze_minutes", min: 1, max: 60, got: 90 },
          { problem: "overlap", field: "work_hours.friday", first: "09:00-12:00", second: "11:00-13:00" },
          { problem: "too_few_moves" },
          { problem: "not_current", got: 0, current: 1 },
        ],
      };
    });
    await fireEvent.change(field("snooze_minutes"), { target: { value: "90" } });
    const text = (id: string) => document.getElementById(id)!.textContent;
    await waitFor(() => expect(text("error-snooze_minutes")).toBe("Snooze length must be between 1 and 60 minutes (you entered 90)."));
    expect(text("error-work_hours-friday")).toBe("Friday: the hours 09:00–12:00 and 11:00–13:00 overlap.");
    expect(text("error-excluded_moves")).toMatch(/^Leave out fewer moves/);
    expect(text("error-general")).toMatch(/older format/);
    expect(text("error-interval_minutes")).toBe("");
    expect(field("snooze_minutes").getAttribute("aria-invalid")).toBe("true");
    expect(field("work_hours.friday.0.start").getAttribute("aria-invalid")).toBe("true");
    expect(field("work_hours.monday.0.start").getAttribute("aria-invalid")).toBeNull();
    const moves = document.querySelectorAll('[name="excluded_moves"]');
    for (const box of moves) expect(box.getAttribute("aria-describedby")).toBe("error-excluded_moves");
    // No file name of a setting anywhere on the page.
    expect(document.body.textContent).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
  });

  it("shows a refusal or a broken link at the top, in words", async () => {
    const { field } = setup({}, async () => {
      throw "the daemon closed the connection";
    });
    await fireEvent.click(field("sound"));
    await waitFor(() => expect(document.getElementById("error-general")!.textContent).toBe("The daemon closed the connection."));
    expect(screen.getByText("Not saved.")).toBeTruthy();
  });
});
