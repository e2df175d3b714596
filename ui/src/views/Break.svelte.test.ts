// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { catalog, snapshot } from "../test/fixtures";
import { FEEDBACK_MINUTES, PAINFUL_EXCLUSION_DAYS, type Request } from "../lib/types";
import Break from "./Break.svelte";

const moves = new Map(catalog.map((m) => [m.id, m]));

describe("Break", () => {
  it("shows the move's picture during the work phase, mirrored on the left side", () => {
    const send = vi.fn(async (_: Request) => {});
    const view = render(Break, {
      snapshot: snapshot({
        state: "in_break",
        routine: { steps: [{ move_id: "upper-trap-stretch", level: 0, seconds_per_side: 15, per_side: true, prepare_seconds: 5, dose: { timed: { seconds: 15 } } }] },
        break_progress: { step: 0, steps: 1, phase: "work", side: "left", phase_seconds: 15, phase_left_ms: 9000, total_left_ms: 24000, paused: false },
      }),
      moves,
      receivedAt: performance.now(),
      send,
    });
    expect(screen.getByRole("heading", { name: "Upper trapezius stretch" })).toBeTruthy();
    expect(view.container.querySelector(".picture")).not.toBeNull();
    expect(view.container.querySelector(".picture")!.innerHTML).not.toBe("");
  });

  it("after 'it hurt', sends just the moves picked, at least one, then gives the advice", async () => {
    const send = vi.fn(async (_: Request) => {});
    render(Break, {
      snapshot: snapshot({
        last_break: { outcome: "completed", moves: ["chin-tuck", "wall-angel"], at: new Date().toISOString() },
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
    expect(advice.textContent).toContain(`Stop doing Wall angel: Unslouch leaves it out for ${PAINFUL_EXCLUSION_DAYS} days.`);
    expect(advice.textContent).toContain("see a doctor or physiotherapist");
  });

  it("sends other feelings about the whole routine at once", async () => {
    const send = vi.fn(async (_: Request) => {});
    render(Break, {
      snapshot: snapshot({ last_break: { outcome: "completed", moves: ["chin-tuck"], at: new Date().toISOString() } }),
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
        snapshot: snapshot({ last_break: { outcome: "completed", moves: ["chin-tuck"], at: ended(minutesAgo) } }),
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
