import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { debounce } from "./debounce";

describe("debounce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once, the given time after the last call", () => {
    const action = vi.fn();
    const d = debounce(action, 400);
    d.schedule();
    vi.advanceTimersByTime(300);
    d.schedule();
    vi.advanceTimersByTime(300);
    expect(action).not.toHaveBeenCalled();
    expect(d.pending).toBe(true);
    vi.advanceTimersByTime(100);
    expect(action).toHaveBeenCalledTimes(1);
    expect(d.pending).toBe(false);
  });

  it("flush runs a scheduled action at once, and only then", () => {
    const action = vi.fn();
    const d = debounce(action, 400);
    d.flush();
    expect(action).not.toHaveBeenCalled();
    d.schedule();
    d.flush();
    expect(action).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(action).toHaveBeenCalledTimes(1);
  });

  it("now runs at once and drops a scheduled run; cancel drops it", () => {
    const action = vi.fn();
    const d = debounce(action, 400);
    d.schedule();
    d.now();
    vi.advanceTimersByTime(1000);
    expect(action).toHaveBeenCalledTimes(1);
    d.schedule();
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(action).toHaveBeenCalledTimes(1);
  });
});
