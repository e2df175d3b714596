// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { catalog, summary } from "../test/fixtures";
import type { Reply, Request } from "../lib/types";
import History from "./History.svelte";

function setup(sessions: { sessionsThisWeek?: number; weeklySessions?: number } = {}) {
  const send = vi.fn(async (r: Request): Promise<Reply> => {
    if (r.request === "history") return { reply: "history", summary: summary(r.days) };
    if (r.request === "export_csv") return { reply: "exported", path: `/home/me/Downloads/${r.name}`, rows: 1 };
    return { reply: "done" };
  });
  const moves = new Map(catalog.map((m) => [m.id, m]));
  const view = render(History, { send, moves, ...sessions });
  return { send, view };
}

const chart = () => screen.getByTestId("history-chart");

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

  it("asks the daemon to write the CSV file and says where it is", async () => {
    const { send } = setup();
    await fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith({ request: "export_csv", name: expect.stringMatching(/^unslouch-history-\d{4}-\d\d-\d\d\.csv$/) }),
    );
    expect(await screen.findByText(/^Saved the whole history to \/home\/me\/Downloads\/unslouch-history-\d{4}-\d\d-\d\d\.csv\.$/)).toBeTruthy();
  });
});
