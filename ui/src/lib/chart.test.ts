import { describe, expect, it } from "vitest";
import { barLayout, labelEvery, niceScale, stackSegments, tickValues } from "./chart";

describe("niceScale", () => {
  it("rounds the top up to a whole number of steps", () => {
    expect(niceScale(0)).toEqual({ top: 1, step: 1 });
    expect(niceScale(3)).toEqual({ top: 3, step: 1 });
    expect(niceScale(7)).toEqual({ top: 8, step: 2 });
    expect(niceScale(13)).toEqual({ top: 15, step: 5 });
  });
  it("takes the steps it is given (desk minutes by the hour)", () => {
    expect(niceScale(410, [30, 60, 120, 180, 240])).toEqual({ top: 480, step: 120 });
    expect(niceScale(20, [30, 60, 120])).toEqual({ top: 30, step: 30 });
  });
});

describe("tickValues", () => {
  it("runs from 0 to the top", () => {
    expect(tickValues(8, 2)).toEqual([0, 2, 4, 6, 8]);
  });
});

describe("stackSegments", () => {
  it("stacks from the bottom in the keys' order, in whole pixels that touch", () => {
    const segs = stackSegments({ a: 1, b: 0, c: 2 }, ["a", "b", "c"], 4, 100);
    expect(segs).toEqual([
      { key: "a", value: 1, y: 75, height: 25 },
      { key: "c", value: 2, y: 25, height: 50 },
    ]);
  });
  it("keeps edges on whole pixels", () => {
    const segs = stackSegments({ a: 1, b: 1, c: 1 }, ["a", "b", "c"], 3, 100);
    for (const s of segs) {
      expect(Number.isInteger(s.y)).toBe(true);
      expect(Number.isInteger(s.height)).toBe(true);
    }
    expect(segs.reduce((n, s) => n + s.height, 0)).toBe(100);
  });
  it("draws nothing for an empty day", () => {
    expect(stackSegments({ a: 0 }, ["a"], 5, 100)).toEqual([]);
  });
});

describe("barLayout and labelEvery", () => {
  it("centres whole-pixel bars in their slots", () => {
    const l = barLayout(14, 280);
    expect(l.slot).toBe(20);
    expect(l.bar).toBe(15);
    expect(l.x(0)).toBe(3);
    expect(l.x(13)).toBe(263);
  });
  it("labels fewer days when slots are narrow", () => {
    expect(labelEvery(40, 36)).toBe(1);
    expect(labelEvery(20, 36)).toBe(2);
    expect(labelEvery(9, 36)).toBe(7);
  });
});
