// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { catalog, summary } from "../test/fixtures";
import type { MoveRecord, Reply, Request } from "../lib/types";
import History from "./History.svelte";

function setup(sessions: { sessionsThisWeek?: number; weeklySessions?: number } = {}, records?: MoveRecord[]) {
  const send = vi.fn(async (r: Request): Promise<Reply> => {
    if (r.request === "history") return { reply: "history", summary: { ...summary(r.days), ...(records && { moves: records }) } };
    if (r.request === "export_csv") return { reply: "exported", path: `/home/me/Downloads/${r.name}`, rows: 1 };
    return { reply: "done" };
  });
  const moves = new Map(catalog.map((m) => [m.id, m]));
  const view = render(History, { send, moves, ...sessions });
  return { send, view };
}

const chart = () => screen.getByTestId("history-chart");

/** The "Per move" list's entries, each as its name, its counts and its last dose. */
const perMove = async () => {
  const section = await screen.findByTestId("per-move");
  return [...section.querySelectorAll("li")].map((li) =>
    [...li.children].map((c) => c.textContent),
  );
};

/** `n` records of moves the catalog does not hold (named by their id), most recent first. */
const records = (n: number): MoveRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    move_id: `move-${i + 1}`,
    times: 1,
    sets: 1,
    last: { move_id: `move-${i + 1}`, level: 0, dose: { reps: { reps: 10, tempo_seconds: 2 } }, sets: 1 },
    last_at: "2026-11-20T14:03:00Z",
  }));

describe("History", () => {
  it("draws one bar group per day, each with its date", async () => {
    const { send } = setup();
    expect(send).toHaveBeenCalledWith({ request: "history", days: 14 });
    await waitFor(() => expect(chart().querySelectorAll("[data-date]")).toHaveLength(14));
    const dates = [...chart().querySelectorAll("[data-date]")].map((g) => g.getAttribute("data-date"));
    expect(dates[dates.length - 1]).toBe("2026-11-20");
    expect(dates[0]).toBe("2026-11-07");
    // Described for screen readers, and every value on a whole pixel.
    expect(chart().getAttribute("role")).toBe("img");
    expect(chart().getAttribute("aria-label")).toMatch(/^Breaks over the last 14 days: \d+ completed/);
    for (const rect of chart().querySelectorAll("rect")) {
      expect(Number.isInteger(Number(rect.getAttribute("y")))).toBe(true);
      expect(Number.isInteger(Number(rect.getAttribute("height")))).toBe(true);
    }
  });

  it("switches to 30 days", async () => {
    const { send } = setup();
    await waitFor(() => expect(chart().querySelectorAll("[data-date]")).toHaveLength(14));
    await fireEvent.click(screen.getByLabelText("30 days"));
    expect(send).toHaveBeenLastCalledWith({ request: "history", days: 30 });
    await waitFor(() => expect(chart().querySelectorAll("[data-date]")).toHaveLength(30));
  });

  it("shows streaks, a dash for no reminders, muscles and the recent breaks by name", async () => {
    setup();
    await screen.findByTestId("history-chart");
    expect(screen.getByText("Current streak").nextElementSibling?.textContent).toBe("3 days");
    expect(screen.getByText("Best streak").nextElementSibling?.textContent).toBe("9 days");
    expect(screen.getByText("Reminders acted on").nextElementSibling?.textContent).toBe("—");
    expect(screen.getByText("Neck").parentElement?.textContent).toContain("3 moves");
    const rows = within(screen.getByRole("table", { name: "Recent breaks" })).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain("Chin tuck, Wall angel");
    expect(rows[1]!.textContent).toContain("1 min 2 s");
    expect(rows[1]!.textContent).toContain("Completed");
    expect(rows[1]!.textContent).toContain("Felt: It hurt");
    expect(rows[2]!.textContent).toContain("Natural break");
  });

  it("shows this week's full sessions against the weekly aim", async () => {
    setup({ sessionsThisWeek: 1, weeklySessions: 2 });
    await screen.findByTestId("history-chart");
    expect(screen.getByText(/^Full sessions this week:/).textContent).toBe("Full sessions this week: 1 of 2");
  });

  it("says nothing of full sessions without a weekly aim", async () => {
    setup({ sessionsThisWeek: 1, weeklySessions: 0 });
    await screen.findByTestId("history-chart");
    expect(screen.queryByText(/Full sessions/)).toBeNull();
  });

  it("lists each move done, most recent first, with its counts and what was done the last time", async () => {
    setup();
    const section = await screen.findByTestId("per-move");
    expect(within(section).getByRole("heading", { level: 3 }).textContent).toBe("Per move");
    expect(within(section).getByRole("list", { name: "Per move" })).toBeTruthy();
    expect(await perMove()).toEqual([
      ["Chin tuck", "4 times · 4 sets", "Last: level 1, hold 3 s, 5 times"],
      // One set: the dose alone; three sets: 3 × the dose.
      ["Wall angel", "2 times · 2 sets", "Last: level 2, 8 reps"],
      ["Bent-over dumbbell row", "3 times · 9 sets", "Last: level 2, 3 × 10 reps"],
      ["Upper trapezius stretch", "1 time · 1 set", "Last: level 1, hold 20 s each side"],
    ]);
    // Ten or fewer: no toggle.
    expect(within(section).queryByRole("button")).toBeNull();
  });

  it("shows ten moves, and all of them on request", async () => {
    setup({}, records(12));
    expect(await perMove()).toHaveLength(10);
    const toggle = screen.getByRole("button", { name: "Show all 12" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(toggle);
    const all = await perMove();
    expect(all.map((r) => r[0])).toEqual(records(12).map((r) => r.move_id));
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(toggle.textContent?.trim()).toBe("Show fewer");
    await fireEvent.click(toggle);
    expect(await perMove()).toHaveLength(10);
  });

  it("shows exactly ten moves without a toggle", async () => {
    setup({}, records(10));
    expect(await perMove()).toHaveLength(10);
    expect(screen.queryByRole("button", { name: /^Show all/ })).toBeNull();
  });

  it("leaves out the per-move section when no move was done", async () => {
    setup({}, []);
    await screen.findByTestId("history-chart");
    expect(screen.queryByTestId("per-move")).toBeNull();
    expect(screen.queryByText("Per move")).toBeNull();
  });

  it("asks the daemon to write the CSV file and says where it is", async () => {
    const { send } = setup();
    await fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith({ request: "export_csv", name: expect.stringMatching(/^unslouch-history-\d{4}-\d\d-\d\d\.csv$/) }),
    );
    expect(await screen.findByText(/^Saved the whole history to \/home\/me\/Downloads\/unslouch-history-\d{4}-\d\d-\d\d\.csv\.$/)).toBeTruthy();
  });
});
