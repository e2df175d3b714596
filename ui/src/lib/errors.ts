// What the page makes of a failed request: the daemon's `{kind, message, field}`, or anything
// else thrown on the way (the bridge, a bug) as an internal error with its text.
import type { IpcError } from "./types";

const KINDS: readonly string[] = ["refused", "invalid_settings", "bad_request", "internal"];

export function asIpcError(e: unknown): IpcError {
  if (typeof e === "object" && e !== null && "message" in e && typeof e.message === "string") {
    const kind = "kind" in e && typeof e.kind === "string" && KINDS.includes(e.kind) ? (e.kind as IpcError["kind"]) : "internal";
    const field = "field" in e && typeof e.field === "string" ? e.field : null;
    return { kind, message: e.message, field };
  }
  return { kind: "internal", message: typeof e === "string" ? e : String(e), field: null };
}
