import { describe, expect, it } from "vitest";
import { asIpcError } from "./errors";
import type { IpcError } from "./types";

describe("asIpcError", () => {
  it("keeps the daemon's typed errors as they are, told by their kind", () => {
    const typed: IpcError[] = [
      { kind: "refused", refusal: { reason: "snooze_limit", limit: 3 } },
      { kind: "invalid_settings", problems: [{ problem: "out_of_range", field: "interval_minutes", min: 5, max: 240, got: 2 }] },
      { kind: "bad_request", message: "cannot read the message" },
      { kind: "internal", message: "disk full" },
    ];
    for (const e of typed) expect(asIpcError(e)).toBe(e);
  });
  it("makes anything else an internal error with its text", () => {
    expect(asIpcError("socket closed")).toEqual({ kind: "internal", message: "socket closed" });
    expect(asIpcError(new Error("boom"))).toEqual({ kind: "internal", message: "boom" });
    expect(asIpcError(undefined)).toEqual({ kind: "internal", message: "undefined" });
  });
  it("does not take the old or a malformed shape for a typed error", () => {
    // The old `{kind, message, field}`: no refusal, no problems.
    expect(asIpcError({ kind: "invalid_settings", message: "no", field: "interval_minutes" })).toEqual({ kind: "internal", message: "no" });
    expect(asIpcError({ kind: "refused", message: "not now" })).toEqual({ kind: "internal", message: "not now" });
    expect(asIpcError({ kind: "weird", message: "x" })).toEqual({ kind: "internal", message: "x" });
    expect(asIpcError({ kind: "invalid_settings", problems: ["interval_minutes"] }).kind).toBe("internal");
    expect(asIpcError({ kind: "bad_request" }).kind).toBe("internal");
  });
});
