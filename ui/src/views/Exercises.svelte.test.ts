// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { catalog } from "../test/fixtures";
import type { Reply, Request } from "../lib/types";
import Exercises from "./Exercises.svelte";

function setup(
  reply: (r: Request) => Promise<Reply> = async () => ({ reply: "done" }),
  leftOut: string[] = [],
  more: { sessionsThisWeek?: number; weeklySessions?: number | null; inBreak?: boolean } = {},
) {
  const send = vi.fn(reply);
  const navigate = vi.fn();
  const view = render(Exercises, { moves: catalog, leftOut, send, navigate, ...more });
  return { send, navigate, view };
}

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

  it("offers Start only for desk moves", () => {
    const { view } = setup();
    expect(view.container.querySelector('[data-move="chin-tuck"] button')).not.toBeNull();
    expect(view.container.querySelector('[data-move="cat-cow"] button')).toBeNull();
    expect(screen.getAllByRole("button", { name: /^Start this move/ })).toHaveLength(5);
  });

  it("starts a break of just that move and goes to the break view", async () => {
    const { send, navigate } = setup();
    await fireEvent.click(screen.getByRole("button", { name: "Start this move: Wall angel" }));
    expect(send).toHaveBeenCalledWith({ request: "start_break", moves: ["wall-angel"] });
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("#/break"));
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
    const { send, navigate, view } = setup(undefined, [], { sessionsThisWeek: 1, weeklySessions: 2 });
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
    setup(undefined, [], { sessionsThisWeek: 1, weeklySessions: 0 });
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
});
