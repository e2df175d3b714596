import { describe, expect, it } from "vitest";
import { asIpcError } from "./errors";

describe("asIpcError", () => {
  it("keeps the daemon's kind, message and field", () => {
    expect(asIpcError({ kind: "invalid_settings", message: "no", field: "interval_minutes" })).toEqual({
      kind: "invalid_settings",
      message: "no",
      field: "interval_minutes",
    });
  });
  it("makes anything else an internal error with its text", () => {
    expect(asIpcError("socket closed")).toEqual({ kind: "internal", message: "socket closed", field: null });
    expect(asIpcError(new Error("boom"))).toEqual({ kind: "internal", message: "boom", field: null });
    expect(asIpcError({ kind: "weird", message: "x" }).kind).toBe("internal");
  });
});
