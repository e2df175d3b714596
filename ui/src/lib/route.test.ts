import { describe, expect, it } from "vitest";
import { DEFAULT_VIEW, hrefFor, parseRoute } from "./route";
import { VIEWS } from "./types";

describe("parseRoute", () => {
  it("defaults to the break view", () => {
    expect(DEFAULT_VIEW).toBe("break");
    expect(parseRoute("")).toBe("break");
    expect(parseRoute("#")).toBe("break");
    expect(parseRoute("#/")).toBe("break");
    expect(parseRoute(undefined)).toBe("break");
    expect(parseRoute(null)).toBe("break");
  });

  it("parses each known view", () => {
    expect(parseRoute("#/break")).toBe("break");
    expect(parseRoute("#/settings")).toBe("settings");
    expect(parseRoute("#/history")).toBe("history");
    expect(parseRoute("#/exercises")).toBe("exercises");
  });

  it("tolerates missing or extra slashes, case and a query string", () => {
    expect(parseRoute("#settings")).toBe("settings");
    expect(parseRoute("#/history/")).toBe("history");
    expect(parseRoute("#//exercises")).toBe("exercises");
    expect(parseRoute("#/Settings")).toBe("settings");
    expect(parseRoute("#/history?day=3")).toBe("history");
    expect(parseRoute("/exercises")).toBe("exercises");
  });

  it("falls back to break for unknown views", () => {
    expect(parseRoute("#/slouch")).toBe("break");
    expect(parseRoute("#/settings/advanced")).toBe("break");
    expect(parseRoute("#/constructor")).toBe("break");
    expect(parseRoute("#/__proto__")).toBe("break");
  });

  it("round-trips every view through hrefFor", () => {
    for (const view of VIEWS) {
      expect(parseRoute(hrefFor(view))).toBe(view);
    }
    expect(hrefFor("history")).toBe("#/history");
  });
});
