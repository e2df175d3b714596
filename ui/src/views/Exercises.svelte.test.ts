// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { catalog, defaults, ownMove, SVG_URL } from "../test/fixtures";
import Illustration from "../lib/Illustration.svelte";
import { GENERIC } from "../lib/illustrations";
import type { CustomMoveProblem, Move, Reply, Request, Settings } from "../lib/types";
import Exercises from "./Exercises.svelte";

type More = {
  moves?: Move[];
  pictures?: Record<string, string>;
  problems?: CustomMoveProblem[];
  levels?: Record<string, number>;
  sessionsThisWeek?: number;
  settings?: Settings | null;
  inBreak?: boolean;
};

function setup(
  reply: (r: Request) => Promise<Reply> = async () => ({ reply: "done" }),
  leftOut: string[] = [],
  more: More = {},
) {
  const send = vi.fn(reply);
  const navigate = vi.fn();
  const onsaved = vi.fn();
  const view = render(Exercises, { moves: catalog, leftOut, send, navigate, onsaved, ...more });
  return { send, navigate, onsaved, view };
}

/** The settings the daemon holds, with the weekly aim given. */
const withAim = (weekly_sessions: number): Settings => ({ ...defaults(), weekly_sessions });

/** Our moves and two of the person's own: one with a picture, one without. */
const mine = [
  ownMove("neck-glide", "Neck glide", { picture: "glide.svg" }),
  ownMove("towel-row", "Towel row", { micro: false, kind: "strength", position: "standing" }),
];
const withMine = [...catalog, ...mine];

const card = (container: HTMLElement, id: string) => container.querySelector<HTMLElement>(`[data-move="${id}"]`)!;

beforeEach(() => localStorage.clear());

describe("Exercises", () => {
  it("lists every move, desk moves first, each with its picture, words and folded cues", () => {
    const { view } = setup();
    const items = [...view.container.querySelectorAll<HTMLElement>("[data-move]")];
    expect(items.map((li) => li.dataset.move)).toEqual([
      "chin-tuck",
      "shoulder-blade-squeeze",
      "band-pull-apart",
      "upper-trap-stretch",
      "wall-angel",
      "cat-cow",
      "bent-over-row",
    ]);
    const micro = catalog.filter((m) => m.micro).map((m) => m.id);
    const desk = screen.getByRole("region", { name: "Desk moves" });
    expect([...desk.querySelectorAll<HTMLElement>("[data-move]")].map((li) => li.dataset.move)).toEqual(micro);
    const wall = view.container.querySelector('[data-move="wall-angel"]')!;
    expect(wall.textContent).toContain("Wall angel");
    expect(wall.textContent).toContain("Standing · Needs a wall");
    expect(wall.querySelector("details")?.open).toBe(false);
    expect(wall.querySelector("details")?.textContent).toContain("Stop if it hurts.");
    expect(wall.querySelector("svg, img, [role='img']")).not.toBeNull();
  });

  it("offers Start for every move, desk and workout, with Never suggest once the settings are known", () => {
    const { view } = setup();
    expect(view.container.querySelector('[data-move="chin-tuck"] button')).not.toBeNull();
    expect(screen.getByRole("button", { name: "Start this move: Cat-cow" })).toBeTruthy();
    expect(screen.getAllByRole("button", { name: /^Start this move/ })).toHaveLength(catalog.length);
    view.unmount();
    setup(undefined, [], { settings: defaults() });
    expect(screen.getAllByRole("button", { name: /^Start this move/ })).toHaveLength(catalog.length);
    expect(screen.getAllByRole("button", { name: /^Never suggest/ })).toHaveLength(catalog.length);
  });

  it("starts a break of just that move and goes to the break view", async () => {
    const { send, navigate } = setup();
    await fireEvent.click(screen.getByRole("button", { name: "Start this move: Wall angel" }));
    expect(send).toHaveBeenCalledWith({ request: "start_break", moves: ["wall-angel"] });
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("#/break"));
  });

  it("starts a workout move on its own, saying under Start its sets at the person's level and the rest", async () => {
    const row: Move = {
      ...catalog.find((m) => m.id === "bent-over-row")!,
      levels: [
        { dose: { reps: { reps: 10, tempo_seconds: 3 } }, sets: 2, variation: null },
        { dose: { reps: { reps: 10, tempo_seconds: 3 } }, sets: 3, variation: null },
      ],
    };
    const moves = catalog.map((m) => (m.id === row.id ? row : m));
    const { send, navigate, view } = setup(undefined, [], { moves, levels: { "bent-over-row": 1 } });
    const start = screen.getByRole("button", { name: "Start this move: Bent-over dumbbell row" });
    expect(start.textContent?.trim()).toBe("Start this move");
    const line = card(view.container, "bent-over-row").querySelector(".sets")!;
    expect(line.textContent).toBe("3 sets of 10 reps, 45 s rest between");
    expect(start.getAttribute("aria-describedby")).toBe(line.id);
    // A desk move is done once: no such line.
    expect(card(view.container, "chin-tuck").querySelector(".sets")).toBeNull();
    expect(screen.getByRole("button", { name: "Start this move: Chin tuck" }).hasAttribute("aria-describedby")).toBe(false);
    await fireEvent.click(start);
    expect(send).toHaveBeenCalledWith({ request: "start_break", moves: ["bent-over-row"] });
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("#/break"));
  });

  it("keeps a workout move that hurt from starting, and still starts one never suggested", async () => {
    const settings = { ...defaults(), excluded_moves: ["bent-over-row"] };
    const { view } = setup(undefined, ["cat-cow"], { settings });
    expect(screen.queryByRole("button", { name: "Start this move: Cat-cow" })).toBeNull();
    expect(screen.getByRole("button", { name: "Bring it back: Cat-cow" })).toBeTruthy();
    expect(card(view.container, "cat-cow").querySelector(".sets")).toBeNull();
    expect(screen.getByRole("button", { name: "Start this move: Bent-over dumbbell row" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Suggest again: Bent-over dumbbell row" })).toBeTruthy();
  });

  it("says why a move could not start, in words, and stays", async () => {
    const { navigate } = setup(async () => {
      throw { kind: "refused", refusal: { reason: "in_break" } };
    });
    await fireEvent.click(screen.getByRole("button", { name: "Start this move: Chin tuck" }));
    expect(await screen.findByText("A break is running: end it first.")).toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();
  });

  it("offers a full session at the top, says what it is and how the week stands", async () => {
    const { send, navigate, view } = setup(undefined, [], { sessionsThisWeek: 1, settings: withAim(2) });
    const button = screen.getByRole("button", { name: "Start a full session" });
    // Before the list of moves.
    const first = view.container.querySelector("[data-move]")!;
    expect(button.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(document.getElementById("session-about")!.textContent).toBe(
      "About 15–25 minutes: warm-up, strength in sets, stretches. Aim: 2 a week.",
    );
    expect(document.getElementById("session-week")!.textContent).toBe("1 of 2 this week");
    expect(button.getAttribute("aria-describedby")).toBe("session-about session-week");
    await fireEvent.click(button);
    expect(send).toHaveBeenCalledWith({ request: "start_session" });
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("#/break"));
  });

  it("cannot start a session while a break runs, and says why one could not start", async () => {
    const running = setup(undefined, [], { inBreak: true });
    const button = screen.getByRole("button", { name: "Start a full session" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await fireEvent.click(button);
    expect(running.send).not.toHaveBeenCalled();
    running.view.unmount();

    const { navigate } = setup(async () => {
      throw { kind: "internal", message: "the window program unslouch-window is missing" };
    });
    await fireEvent.click(screen.getByRole("button", { name: "Start a full session" }));
    expect(await screen.findByText("The window program unslouch-window is missing.")).toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();
  });

  it("leaves the aim out when there is none", () => {
    setup(undefined, [], { sessionsThisWeek: 1, settings: withAim(0) });
    expect(document.getElementById("session-about")!.textContent).toBe("About 15–25 minutes: warm-up, strength in sets, stretches.");
    expect(document.getElementById("session-week")!.textContent).toBe("1 this week");
  });

  it("says to ask a professional about pain before any move", () => {
    setup();
    expect(document.getElementById("professional-advice")?.textContent).toMatch(/doctor or physiotherapist/);
  });

  it("keeps a move that hurt out until the person brings it back, and cannot start it meanwhile", async () => {
    const { send, view } = setup(undefined, ["wall-angel"]);
    const wall = view.container.querySelector<HTMLElement>('[data-move="wall-angel"]')!;
    expect(wall.dataset.leftOut).toBe("true");
    expect(wall.textContent).toContain("you said it hurt");
    expect(screen.queryByRole("button", { name: "Start this move: Wall angel" })).toBeNull();
    expect(screen.getByRole("button", { name: "Start this move: Chin tuck" })).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Bring it back: Wall angel" }));
    await waitFor(() => expect(send).toHaveBeenCalledWith({ request: "bring_back", moves: ["wall-angel"] }));
    // Once the snapshot no longer lists it, Start is back, with the focus and a line saying so.
    await view.rerender({ moves: catalog, leftOut: [], send, navigate: vi.fn() });
    const start = screen.getByRole("button", { name: "Start this move: Wall angel" });
    expect(document.activeElement).toBe(start);
    expect(wall.textContent).toContain("Wall angel is back in your breaks.");
  });

  it("marks the person's own moves as theirs and shows their picture in an <img>, never as markup", () => {
    const { view } = setup(undefined, [], { moves: withMine, pictures: { "neck-glide": SVG_URL } });
    const glide = card(view.container, "neck-glide");
    expect(glide.dataset.custom).toBe("true");
    expect(glide.querySelector(".badge")?.textContent).toBe("Yours");
    const img = glide.querySelector("img")!;
    expect(img.getAttribute("src")).toBe(SVG_URL);
    expect(img.getAttribute("alt")).toBe("Neck glide");
    expect(glide.querySelector("svg")).toBeNull();
    // Ours are not marked.
    const chin = card(view.container, "chin-tuck");
    expect(chin.dataset.custom).toBeUndefined();
    expect(chin.querySelector(".badge")).toBeNull();
    expect(chin.querySelector("img")).toBeNull();
    expect(view.container.querySelectorAll('[data-custom="true"]')).toHaveLength(2);
  });

  it("draws the neutral stand-in for an own move without a picture", () => {
    const { view } = setup(undefined, [], { moves: withMine, pictures: { "neck-glide": SVG_URL } });
    const row = card(view.container, "towel-row");
    expect(row.querySelector("img")).toBeNull();
    const figure = row.querySelector<HTMLElement>("[role='img']")!;
    expect(figure.getAttribute("aria-label")).toBe("Towel row");
    const generic = render(Illustration, { id: GENERIC, label: "x" }).container.querySelector("[role='img']")!;
    expect(figure.innerHTML).toBe(generic.innerHTML);
    expect(figure.innerHTML).not.toBe(card(view.container, "chin-tuck").querySelector("[role='img']")!.innerHTML);
  });

  it("hides the person's own moves on request, and remembers it", async () => {
    const { view } = setup(undefined, [], { moves: withMine });
    const filter = screen.getByRole("checkbox", { name: "Show my own moves" }) as HTMLInputElement;
    expect(filter.checked).toBe(true);
    await fireEvent.click(filter);
    expect(view.container.querySelectorAll('[data-custom="true"]')).toHaveLength(0);
    expect(view.container.querySelectorAll("[data-move]")).toHaveLength(catalog.length);
    expect(localStorage.getItem("unslouch.show-own-moves")).toBe("0");
    view.unmount();

    const again = setup(undefined, [], { moves: withMine }).view;
    expect((screen.getByRole("checkbox", { name: "Show my own moves" }) as HTMLInputElement).checked).toBe(false);
    expect(again.container.querySelectorAll('[data-custom="true"]')).toHaveLength(0);
    await fireEvent.click(screen.getByRole("checkbox", { name: "Show my own moves" }));
    expect(again.container.querySelectorAll('[data-custom="true"]')).toHaveLength(2);
    expect(localStorage.getItem("unslouch.show-own-moves")).toBe("1");
  });

  it("offers no filter when the person has no moves of their own", () => {
    setup();
    expect(screen.queryByRole("checkbox", { name: "Show my own moves" })).toBeNull();
  });

  it("lists each own move left out of the file, at the top, by the file's base name", () => {
    const file = "/home/me/.config/unslouch/moves.toml";
    const { view } = setup(undefined, [], {
      moves: withMine,
      problems: [
        { file, index: 2, id: "broken-move", field: "cues", problem: "it needs 3 to 5 cues" },
        { file, index: 4, id: null, field: "", problem: "invalid type: string, expected a table" },
      ],
    });
    const notice = view.container.querySelector<HTMLElement>('[data-testid="move-problems"]')!;
    expect(notice.getAttribute("role")).toBe("status");
    expect(notice.querySelector(".notice-title")?.textContent).toBe("Some of your own moves were left out:");
    expect([...notice.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      "moves.toml, move 2 (broken-move): cues — it needs 3 to 5 cues",
      "moves.toml, move 4: invalid type: string, expected a table",
    ]);
    expect(notice.textContent).not.toContain("/home/me");
    // Before the moves and the session.
    const first = view.container.querySelector("[data-move]")!;
    expect(notice.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it("has no notice when nothing was left out", () => {
    const { view } = setup(undefined, [], { moves: withMine });
    expect(view.container.querySelector('[data-testid="move-problems"]')).toBeNull();
  });

  it("leaves an own move out of the suggestions and brings it back, as the settings view would", async () => {
    const settings = { ...defaults(), excluded_moves: ["wall-angel"] };
    const { send, onsaved, view } = setup(
      async (r) => (r.request === "set_settings" ? { reply: "settings", settings: r.settings, warnings: [] } : { reply: "done" }),
      [],
      { moves: withMine, settings },
    );
    const button = screen.getByRole("button", { name: "Never suggest: Towel row" });
    await fireEvent.click(button);
    const out = { ...settings, excluded_moves: ["towel-row", "wall-angel"] };
    expect(send).toHaveBeenCalledWith({ request: "set_settings", settings: out });
    await waitFor(() => expect(onsaved).toHaveBeenCalledWith(out, []));
    // The view shows what the settings in force say.
    await view.rerender({ moves: withMine, settings: out, send, onsaved });
    const row = card(view.container, "towel-row");
    expect(row.dataset.excluded).toBe("true");
    expect(row.textContent).toContain("You chose never to have it suggested in a break or session.");
    expect(row.textContent).toContain("Towel row will not be suggested.");
    // The same button, with the other words.
    expect(button.getAttribute("aria-label")).toBe("Suggest again: Towel row");
    expect(button.textContent?.trim()).toBe("Suggest again");

    await fireEvent.click(button);
    expect(send).toHaveBeenLastCalledWith({ request: "set_settings", settings: { ...settings, excluded_moves: ["wall-angel"] } });
    await waitFor(() => expect(row.textContent).toContain("Towel row can be suggested again."));
  });

  it("says why a move could not be left out, in words", async () => {
    const { view } = setup(
      async () => {
        throw { kind: "invalid_settings", problems: [{ problem: "too_few_moves" }] };
      },
      [],
      { moves: withMine, settings: defaults() },
    );
    await fireEvent.click(screen.getByRole("button", { name: "Never suggest: Neck glide" }));
    const line = await waitFor(() => {
      const p = card(view.container, "neck-glide").querySelector(".problem")!;
      expect(p.textContent).toMatch(/^Leave out fewer moves/);
      return p;
    });
    expect(line.getAttribute("role")).toBe("status");
    expect(card(view.container, "neck-glide").dataset.excluded).toBeUndefined();
  });

  it("offers no Never suggest before the settings are known", () => {
    setup(undefined, [], { moves: withMine });
    expect(screen.queryByRole("button", { name: /^Never suggest/ })).toBeNull();
  });

  it("shows the level a move is at, its dose with the sets, and what the next level asks", () => {
    const squeeze: Move = {
      ...catalog[1]!,
      levels: [
        { dose: { reps: { reps: 8, tempo_seconds: 2 } }, sets: 2, variation: null },
        { dose: { reps: { reps: 10, tempo_seconds: 2 } }, sets: 3, variation: null },
        { dose: { reps: { reps: 12, tempo_seconds: 2 } }, sets: 3, variation: "Hold the squeeze for two seconds on every rep." },
        { dose: { reps: { reps: 15, tempo_seconds: 2 } }, sets: 3, variation: null },
      ],
    };
    const moves = catalog.map((m) => (m.id === squeeze.id ? squeeze : m));
    const { view } = setup(undefined, [], { moves, levels: { "shoulder-blade-squeeze": 1 } });
    const text = (id: string, sel: string) => card(view.container, id).querySelector(sel)?.textContent?.replace(/\s+/g, " ").trim();
    expect(text("shoulder-blade-squeeze", ".dose")).toBe("Level 2 of 4: 10 reps, 3 sets");
    expect(text("shoulder-blade-squeeze", ".next")).toBe("Next: 12 reps, 3 sets — Hold the squeeze for two seconds on every rep.");
    // A move of one level, absent from the snapshot: its dose only.
    expect(text("chin-tuck", ".dose")).toBe("Hold 3 s, 5 times");
    expect(card(view.container, "chin-tuck").querySelector(".next")).toBeNull();
  });

  it("says Top level for a move at its last level, with that level's variation", async () => {
    const squeeze: Move = {
      ...catalog[1]!,
      levels: [
        { dose: { reps: { reps: 8, tempo_seconds: 2 } }, sets: 1, variation: null },
        { dose: { reps: { reps: 12, tempo_seconds: 2 } }, sets: 3, variation: "Hold the squeeze for two seconds on every rep." },
      ],
    };
    const moves = catalog.map((m) => (m.id === squeeze.id ? squeeze : m));
    const { view } = setup(undefined, [], { moves, levels: { "shoulder-blade-squeeze": 0 } });
    const squeezeCard = card(view.container, "shoulder-blade-squeeze");
    const text = (sel: string) => squeezeCard.querySelector(sel)?.textContent?.replace(/\s+/g, " ").trim();
    expect(text(".dose")).toBe("Level 1 of 2: 8 reps");
    expect(text(".next")).toBe("Next: 12 reps, 3 sets — Hold the squeeze for two seconds on every rep.");
    // "Too easy" moved it up: the snapshot says so.
    await view.rerender({ moves, levels: { "shoulder-blade-squeeze": 1 } });
    expect(text(".dose")).toBe("Level 2 of 2: 12 reps, 3 sets — Hold the squeeze for two seconds on every rep.");
    expect(text(".next")).toBe("Top level");
  });
});
