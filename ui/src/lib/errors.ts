// What the page makes of a failed request: the daemon's typed `IpcError` (told by its `kind`
// tag), or anything else thrown on the way (the bridge, a bug) as an internal error with its
// text. The words for either are in lib/messages.ts.
import type { IpcError } from "./types";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Whether `e` has the shape of one of the `IpcError` variants. */
function isIpcError(e: unknown): e is IpcError {
  if (!isObject(e)) return false;
  switch (e.kind) {
    case "refused":
      return isObject(e.refusal) && typeof e.refusal.reason === "string";
    case "invalid_settings":
      return Array.isArray(e.problems) && e.problems.every((p) => isObject(p) && typeof p.problem === "string");
    case "bad_request":
    case "internal":
      return typeof e.message === "string";
    default:
      return false;
  }
}

/** What was thrown, as a typed error: the daemon's own, or an internal one with its text. */
export function asIpcError(e: unknown): IpcError {
  if (isIpcError(e)) return e;
  if (isObject(e) && typeof e.message === "string") return { kind: "internal", message: e.message };
  return { kind: "internal", message: typeof e === "string" ? e : textOf(e) };
}

/** Some text for a thrown value that is neither a string nor has a message. */
function textOf(e: unknown): string {
  if (!isObject(e)) return String(e);
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}
