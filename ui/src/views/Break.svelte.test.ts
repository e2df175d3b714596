// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { catalog, ownMove, snapshot, SVG_URL } from "../test/fixtures";
import { playCue } from "../lib/switchSound";
import { FEEDBACK_MINUTES, type BreakProgress, type HoldReason, type Move, type Request, type Step } from "../lib/types";
import Illustration from "../lib/Illustration.svelte";
import Break from "./Break.svelte";

// The tones are the only thing not drawn: record them instead of playing them.
vi.mock("../lib/switchSound", async (original) => ({
  ...(await original<typeof import("../lib/switchSound")>()),
  playCue: vi.fn(),
}));

// A move with all the guide's parts: five cues (the view used to show three), two cautions, a
// wall, and a harder variation at its second level.
const wallAngel: Move = {
  ...catalog.find((m) => m.id === "wall-angel")!,
  kind: "posture",
  cues: ["Heels a step from the wall", "Head, blades and hips on the wall", "Arms in a goalpost", "Slide up and down", "Stop where the wrists lift"],
  cautions: ["A small gap at the lower back is fine.", "Lower your arms if a shoulder pinches."],
  levels: [
    { dose: { reps: { reps: 6, tempo_seconds: 5 } }, sets: 1, variation: null },
    { dose: { reps: { reps: 8, tempo_seconds: 5 } }, sets: 2, variation: "Pause two breaths at the top." },
  ],
};
const moves = new Map([...catalog, wallAngel].map((m) => [m.id, m]));

const step = (over: Partial<Step> & Pick<Step, "move_id">): Step => ({
  level: 0,
  seconds_per_side: 15,
  per_side: false,
  dose: { hold: { hold_seconds: 3, reps: 5 } },
  prepare_seconds: 5,
  sets: 1,
  rest_seconds: 0,
  ...over,
});
const routine = {
  session: false,
  steps: [
    step({ move_id: "upper-trap-stretch", per_side: true, dose: { hold: { hold_seconds: 15, reps: 2 } }, seconds_per_side: 32 }),
    step({ move_id: "wall-angel", level: 1, dose: { reps: { reps: 8, tempo_seconds: 5 } }, seconds_per_side: 40 }),
  ],
};
const running = (over: Partial<BreakProgress>) =>
  snapshot({
    state: "in_break",
    routine,
    break_progress: { step: 0, steps: 2, phase: "work", side: "left", set: 0, phase_seconds: 32, phase_left_ms: 32_000, total_left_ms: 90_000, paused: false, ...over },
  });
const show = (over: Partial<BreakProgress>, props: { sound?: boolean } = {}) =>
  render(Break, { snapshot: running(over), moves, receivedAt: performance.now(), send: vi.fn(async (_: Request) => {}), ...props });

/** An element's text as it reads, spaces collapsed. */
const text = (e: Element | null) => e?.textContent?.replace(/\s+/g, " ").trim();

beforeEach(() => {
  vi.mocked(playCue).mockClear();
});

describe("Break", () => {
  it("shows the move's picture during the work phase, mirrored on the left side", () => {
    const send = vi.fn(async (_: Request) => {});
    const view = render(Break, {
      snapshot: snapshot({
        state: "in_break",
        routine: { steps: [step({ move_id: "upper-trap-stretch", per_side: true, dose: { timed: { seconds: 15 } } })], session: false },
        break_progress: { step: 0, steps: 1, phase: "work", side: "left", set: 0, phase_seconds: 15, phase_left_ms: 9000, total_left_ms: 24000, paused: false },
      }),
      moves,
      receivedAt: performance.now(),
      send,
    });
    expect(screen.getByRole("heading", { name: "Upper trapezius stretch" })).toBeTruthy();
    expect(view.container.querySelector(".picture")).not.toBeNull();
    expect(view.container.querySelector(".picture")!.innerHTML).not.toBe("");
  });

  it("shows a person's own move in its own picture, an <img> mirrored on the left side, and ours as drawn", () => {
    const glide = ownMove("neck-glide", "Neck glide", { per_side: true, picture: "glide.svg" });
    const own = (side: "left" | "right") =>
      render(Break, {
        snapshot: snapshot({
          state: "in_break",
          routine: { steps: [step({ move_id: "neck-glide", per_side: true })], session: false },
          break_progress: { step: 0, steps: 1, phase: "work", side, set: 0, phase_seconds: 15, phase_left_ms: 9000, total_left_ms: 24000, paused: false },
        }),
        moves: new Map([...moves, [glide.id, glide]]),
        pictures: { "neck-glide": SVG_URL },
        receivedAt: performance.now(),
        send: vi.fn(async (_: Request) => {}),
      });
    const left = own("left");
    const img = left.container.querySelector<HTMLImageElement>(".picture img")!;
    expect(img.getAttribute("src")).toBe(SVG_URL);
    expect(img.getAttribute("alt")).toBe("Neck glide, left side");
    expect(img.classList.contains("mirrored")).toBe(true);
    // Never inlined as markup.
    expect(left.container.querySelector(".picture svg")).toBeNull();
    left.unmount();
    const right = own("right");
    expect(right.container.querySelector(".picture img")!.classList.contains("mirrored")).toBe(false);
    right.unmount();

    // Ours, with the same pictures given: the drawing, inlined.
    const view = render(Break, {
      snapshot: running({}),
      moves,
      pictures: { "upper-trap-stretch": SVG_URL },
      receivedAt: performance.now(),
      send: vi.fn(async (_: Request) => {}),
    });
    expect(view.container.querySelector(".picture img")).toBeNull();
    const figure = view.container.querySelector(".picture [role='img']")!;
    expect(figure.getAttribute("aria-label")).toBe("Upper trapezius stretch, left side");
    expect(figure.classList.contains("mirrored")).toBe(true);
    const drawn = render(Illustration, { id: "upper-trap-stretch", label: "x" }).container.querySelector("[role='img']")!;
    expect(figure.innerHTML).toBe(drawn.innerHTML);
    expect(figure.querySelector("svg")).not.toBeNull();
  });

  it("says the dose of the move while it runs, in words to act on", () => {
    const view = show({});
    expect(text(view.container.querySelector(".dose"))).toBe("Hold 15 s, 2 times each side");
  });

  it("shows the pace, the level's variation, the cue of the moment large and every cue a tap away", async () => {
    // Wall angel, 40 s: after 12 s the third cue (the second of the four that take turns).
    const view = show({ step: 1, side: null, phase_seconds: 40, phase_left_ms: 28_000 });
    expect(text(view.container.querySelector(".dose"))).toBe("8 reps slowly, about 5 s each");
    expect(view.container.querySelector(".variation")!.textContent).toBe("Pause two breaths at the top.");
    expect(view.container.querySelector(".cue-now")!.textContent).toBe("Arms in a goalpost");
    const more = screen.getByRole("button", { name: "All 5 steps" });
    expect(more.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(more);
    const list = screen.getByRole("list", { name: "How to do it" });
    expect([...list.querySelectorAll("li")].map((li) => li.textContent)).toEqual(wallAngel.cues);
    expect(list.querySelector("[aria-current='step']")!.textContent).toBe("Arms in a goalpost");
    // The countdown stays in view with the list.
    expect(screen.getByRole("timer")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Picture" }));
    expect(screen.queryByRole("list", { name: "How to do it" })).toBeNull();
  });

  it("always shows the move's cautions and the pain rule", () => {
    show({ step: 1, side: null, phase_seconds: 40, phase_left_ms: 28_000 });
    const cautions = screen.getByRole("list", { name: "Take care" });
    expect([...cautions.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      ...wallAngel.cautions,
      "Sharp or worsening pain means stop.",
    ]);
  });

  it("names the next move while getting ready for it, and in the last seconds of the one before", () => {
    const ready = show({ step: 1, phase: "prepare", side: null, phase_seconds: 5, phase_left_ms: 4_000 });
    expect(ready.container.querySelector(".next")!.textContent).toBe("Next: Wall angel, stand by a wall");
    expect(ready.container.querySelector(".cue-now")!.textContent).toBe("Heels a step from the wall");
    ready.unmount();
    const midway = show({ side: "right", phase_left_ms: 20_000 });
    expect(midway.container.querySelector(".next")!.textContent).toBe("");
    midway.unmount();
    const ending = show({ side: "right", phase_left_ms: 4_000 });
    expect(ending.container.querySelector(".next")!.textContent).toBe("Next: Wall angel, stand by a wall");
  });

  it("sounds the switch to the other side when the sound setting is on, and not otherwise", async () => {
    for (const sound of [true, false]) {
      const view = show({ phase_left_ms: 0 }, { sound });
      await view.rerender({ snapshot: running({ phase: "switch_sides", side: null, phase_seconds: 3, phase_left_ms: 3_000 }), receivedAt: performance.now() });
      expect(vi.mocked(playCue).mock.calls).toEqual(sound ? [["side"]] : []);
      vi.mocked(playCue).mockClear();
      view.unmount();
    }
  });

  it("stays silent when a break starts", async () => {
    const view = render(Break, { snapshot: snapshot(), moves, receivedAt: performance.now(), send: vi.fn(async (_: Request) => {}), sound: true });
    await view.rerender({ snapshot: running({ phase: "prepare", side: null, phase_seconds: 5, phase_left_ms: 5_000 }), receivedAt: performance.now() });
    expect(playCue).not.toHaveBeenCalled();
  });

  it("after 'it hurt', sends just the moves picked, at least one, then gives the advice", async () => {
    const send = vi.fn(async (_: Request) => {});
    render(Break, {
      snapshot: snapshot({
        last_break: { outcome: "completed", moves: ["chin-tuck", "wall-angel"], levels: [0, 0], at: new Date().toISOString() },
      }),
      moves,
      receivedAt: performance.now(),
      send,
    });
    await fireEvent.click(screen.getByRole("button", { name: "It hurt" }));
    expect(send).not.toHaveBeenCalled();
    const leave = screen.getByRole("button", { name: "Leave these out" }) as HTMLButtonElement;
    const boxes = screen.getAllByRole("checkbox") as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([false, false]);
    expect(leave.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText("Wall angel"));
    expect(leave.disabled).toBe(false);
    await fireEvent.click(leave);
    expect(send).toHaveBeenCalledWith({ request: "feedback", feel: "hurt", moves: ["wall-angel"] });
    const advice = screen.getByRole("status");
    expect(advice.textContent).toContain("Stop doing Wall angel: Unslouch leaves it out until you bring it back in Exercises.");
    expect(advice.textContent).toContain("see a doctor or physiotherapist");
  });

  it("takes feelings move by move and says what each changes next time", async () => {
    const send = vi.fn(async (_: Request) => {});
    const laddered = new Map(moves);
    const wall = moves.get("wall-angel")!;
    laddered.set("wall-angel", {
      ...wall,
      levels: [wall.levels[0], { dose: { reps: { reps: 8, tempo_seconds: 5 } }, sets: 1, variation: "Lift your arms off the wall." }],
    });
    render(Break, {
      snapshot: snapshot({
        last_break: { outcome: "completed", moves: ["chin-tuck", "wall-angel"], levels: [0, 0], at: new Date().toISOString() },
      }),
      moves: laddered,
      receivedAt: performance.now(),
      send,
    });
    await fireEvent.click(screen.getByText("Tell me move by move"));
    await fireEvent.click(screen.getByRole("button", { name: "Just right: Chin tuck" }));
    expect(send).toHaveBeenLastCalledWith({ request: "feedback", feel: "just_right", moves: ["chin-tuck"] });
    expect(screen.queryByText(/Thanks/)).toBeNull();
    // Once per move: a second click would move its level again.
    const again = screen.getByRole("button", { name: "Too easy: Chin tuck" }) as HTMLButtonElement;
    expect(again.disabled).toBe(true);
    await fireEvent.click(again);
    expect(send).toHaveBeenCalledTimes(1);
    await fireEvent.click(screen.getByRole("button", { name: "Too easy: Wall angel" }));
    expect(send).toHaveBeenLastCalledWith({ request: "feedback", feel: "too_easy", moves: ["wall-angel"] });
    const thanks = screen.getByRole("status");
    expect(thanks.textContent).toContain("Wall angel goes up to level 2 of 2: 8 reps, slowly, about 5 s each. Lift your arms off the wall.");
    expect(thanks.textContent).not.toContain("Chin tuck");
  });

  it("sends other feelings about the whole routine at once", async () => {
    const send = vi.fn(async (_: Request) => {});
    render(Break, {
      snapshot: snapshot({ last_break: { outcome: "completed", moves: ["chin-tuck"], levels: [0], at: new Date().toISOString() } }),
      moves,
      receivedAt: performance.now(),
      send,
    });
    await fireEvent.click(screen.getByRole("button", { name: "Too easy" }));
    expect(send).toHaveBeenCalledWith({ request: "feedback", feel: "too_easy", moves: ["chin-tuck"] });
  });

  it("shows the daemon's status line as it comes, the tray's words", () => {
    render(Break, {
      snapshot: snapshot({ state: "paused", status_line: "Paused until 14:30", next_break_in_seconds: null }),
      moves,
      receivedAt: performance.now(),
      send: vi.fn(async (_: Request) => {}),
    });
    expect(screen.getByRole("heading", { name: "Paused until 14:30" })).toBeTruthy();
  });

  it("asks how a break felt only within the daemon's feedback window", () => {
    const ended = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const show = (minutesAgo: number) =>
      render(Break, {
        snapshot: snapshot({ last_break: { outcome: "completed", moves: ["chin-tuck"], levels: [0], at: ended(minutesAgo) } }),
        moves,
        receivedAt: performance.now(),
        send: vi.fn(async (_: Request) => {}),
      });
    const early = show(FEEDBACK_MINUTES - 1);
    expect(screen.queryByRole("heading", { name: "How did that feel?" })).not.toBeNull();
    early.unmount();
    show(FEEDBACK_MINUTES + 1);
    expect(screen.queryByRole("heading", { name: "How did that feel?" })).toBeNull();
    expect(screen.getByRole("heading", { name: "Next break in 40 min" })).toBeTruthy();
  });
});

describe("a reminder held back", () => {
  const held = (held_by: HoldReason[]) =>
    snapshot({
      state: "due",
      next_break_in_seconds: 0,
      tray: "due",
      routine,
      held_by,
      status_line: "Break waiting: in a meeting",
    });
  const showHeld = (held_by: HoldReason[]) => {
    const send = vi.fn(async (_: Request) => {});
    const view = render(Break, { snapshot: held(held_by), moves, receivedAt: performance.now(), send });
    return { send, view };
  };

  it("says calmly what it waits for, with no call to act and no focus taken", () => {
    const { view } = showHeld(["meeting"]);
    expect(screen.getByRole("heading", { name: "Your break is waiting: you’re in a meeting." })).toBeTruthy();
    expect(text(view.container.querySelector(".held .note"))).toBe("No notification while it waits.");
    expect(screen.queryByRole("heading", { name: "Time for a posture break" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Snooze" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Skip" })).toBeNull();
    expect(screen.getAllByRole("button").map((b) => b.textContent?.trim())).toEqual(["Start it now anyway"]);
    expect(document.activeElement).toBe(document.body);
    expect(view.container.querySelector("button.primary")).toBeNull();
  });

  it("names every reason that holds it", () => {
    showHeld(["fullscreen", "dnd"]);
    expect(screen.getByRole("heading", { name: "Your break is waiting: a window is fullscreen and Do Not Disturb is on." })).toBeTruthy();
  });

  it("says it waits for a pause in the person's typing, calmly too", () => {
    const { view } = showHeld(["typing"]);
    expect(screen.getByRole("heading", { name: "Your break is waiting: you’re typing." })).toBeTruthy();
    expect(text(view.container.querySelector(".held .note"))).toBe("No notification while it waits.");
    expect(screen.getAllByRole("button").map((b) => b.textContent?.trim())).toEqual(["Start it now anyway"]);
  });

  it("starts the break on request, as the reminder's Start does", async () => {
    const { send } = showHeld(["meeting", "fullscreen"]);
    await fireEvent.click(screen.getByRole("button", { name: "Start it now anyway" }));
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith({ request: "start_break", moves: null });
  });

  it("becomes the reminder once nothing holds it", async () => {
    const { view } = showHeld(["dnd"]);
    await view.rerender({ snapshot: held([]) });
    expect(screen.getByRole("heading", { name: "Time for a posture break" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Start it now anyway" })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Start" }));
  });
});

describe("a full session", () => {
  // A warm-up, a row in three sets with 45 s of rest between them, and a stretch.
  const bandRow: Move = {
    ...catalog.find((m) => m.id === "band-pull-apart")!,
    id: "band-row",
    name: "Band row",
    kind: "strength",
    row: true,
    cues: ["Loop the band at chest height", "Pull your elbows back", "Squeeze the blades"],
  };
  const armCircle: Move = { ...catalog.find((m) => m.id === "chin-tuck")!, id: "arm-circle", name: "Arm circle", kind: "warm-up" };
  const stretch: Move = { ...moves.get("upper-trap-stretch")!, kind: "stretch" };
  const sessionMoves = new Map([...moves, [bandRow.id, bandRow], [armCircle.id, armCircle], [stretch.id, stretch]]);
  const session = {
    session: true,
    steps: [
      step({ move_id: "arm-circle", dose: { timed: { seconds: 40 } }, seconds_per_side: 40 }),
      step({ move_id: "band-row", dose: { reps: { reps: 10, tempo_seconds: 3 } }, seconds_per_side: 30, sets: 3, rest_seconds: 45 }),
      step({ move_id: "upper-trap-stretch", per_side: true, dose: { timed: { seconds: 30 } }, seconds_per_side: 30 }),
    ],
  };
  const inSession = (over: Partial<BreakProgress>) =>
    snapshot({
      state: "in_break",
      routine: session,
      break_progress: { step: 1, steps: 3, phase: "work", side: null, set: 0, phase_seconds: 30, phase_left_ms: 30_000, total_left_ms: 754_000, paused: true, ...over },
    });
  const showSession = (over: Partial<BreakProgress>, props: { sound?: boolean } = {}) =>
    render(Break, { snapshot: inSession(over), moves: sessionMoves, receivedAt: performance.now(), send: vi.fn(async (_: Request) => {}), ...props });

  it("shows the set beside the dose, as large, for a move done in sets", () => {
    const view = showSession({ set: 1 });
    const dose = view.container.querySelector(".dose")!;
    expect(dose.querySelector(".set")!.textContent).toBe("Set 2 of 3");
    expect(text(dose)).toBe("10 reps Set 2 of 3 steady, about 3 s each");
    // The sets are counted on that line only, not again in the details.
    expect(text(dose)).not.toContain("3 sets");
  });

  it("shows no set for a move done once", () => {
    const view = showSession({ step: 0, phase_seconds: 40, phase_left_ms: 40_000 });
    expect(view.container.querySelector(".dose .set")).toBeNull();
    expect(text(view.container.querySelector(".dose"))).toBe("Keep going for 40 s");
  });

  it("rests between two sets: Rest with the countdown, and the set that comes next", () => {
    const view = showSession({ phase: "rest", set: 1, phase_seconds: 45, phase_left_ms: 32_000 });
    expect(view.container.querySelector(".phase")!.textContent).toBe("Rest");
    const dose = view.container.querySelector(".dose")!;
    expect(dose.querySelector("strong")!.textContent).toBe("Rest");
    expect(dose.querySelector(".set")).toBeNull();
    expect(screen.getByRole("timer").textContent).toBe("0:32");
    expect(view.container.querySelector(".next")!.textContent).toBe("Next: set 2 of 3 of Band row");
  });

  it("says over the move that it is a full session, with the section, the move and the time left", () => {
    const view = showSession({ set: 1 });
    expect(view.container.querySelector(".session")!.textContent).toBe("Full session · Strength · 13 min left");
    expect(view.container.querySelector(".step")!.textContent).toBe("Move 2 of 3");
    expect(screen.getByRole("region", { name: /^Full session · Strength · 13 min left Band row$/ })).toBeTruthy();
    view.unmount();
    const stretches = showSession({ step: 2, side: "left", total_left_ms: 50_000 });
    expect(stretches.container.querySelector(".session")!.textContent).toBe("Full session · Stretches · 1 min left");
  });

  it("has no session line in a micro-break", () => {
    const view = show({});
    expect(view.container.querySelector(".session")).toBeNull();
  });

  it("sounds the start and the end of a rest", async () => {
    const view = showSession({ phase_left_ms: 0, paused: false }, { sound: true });
    const at = (over: Partial<BreakProgress>) => ({ snapshot: inSession({ paused: false, ...over }), receivedAt: performance.now() });
    await view.rerender(at({ phase: "rest", set: 1, phase_seconds: 45, phase_left_ms: 45_000 }));
    await view.rerender(at({ phase: "rest", set: 1, phase_seconds: 45, phase_left_ms: 0 }));
    await view.rerender(at({ phase: "work", set: 1, phase_left_ms: 30_000 }));
    expect(vi.mocked(playCue).mock.calls).toEqual([["rest"], ["set"]]);
  });
});

describe("first run", () => {
  it("advises asking a professional about pain until the person says they have read it", async () => {
    localStorage.removeItem("unslouch.advice-seen");
    const first = render(Break, { snapshot: snapshot(), moves, receivedAt: performance.now(), send: vi.fn(async (_: Request) => {}) });
    expect(screen.getByRole("note").textContent).toContain("ask a doctor or physiotherapist");
    await fireEvent.click(screen.getByRole("button", { name: "Understood" }));
    expect(screen.queryByRole("note")).toBeNull();
    first.unmount();
    render(Break, { snapshot: snapshot(), moves, receivedAt: performance.now(), send: vi.fn(async (_: Request) => {}) });
    expect(screen.queryByRole("note")).toBeNull();
  });
});

describe("keyboard and screen readers", () => {
  it("says the phase with the move and its dose, and Esc closes the list of cues before ending", async () => {
    const send = vi.fn(async (_: Request) => {});
    const view = render(Break, { snapshot: running({}), moves, receivedAt: performance.now(), send });
    const live = [...view.container.querySelectorAll(".visually-hidden[aria-live]")].map((e) => text(e));
    expect(live.some((t) => t?.startsWith("Left side: Upper trapezius stretch, Hold"))).toBe(true);
    await fireEvent.click(screen.getByRole("button", { name: /^All \d+ steps$/ }));
    expect(view.container.querySelector("#cue-list")).not.toBeNull();
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(view.container.querySelector("#cue-list")).toBeNull();
    expect(send).not.toHaveBeenCalled();
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(send).toHaveBeenCalledWith({ request: "break", control: "end" });
  });
});
