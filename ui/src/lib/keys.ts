// Keyboard control of a running break: Space pauses or continues, → skips the move, Esc ends.
import type { BreakProgress, Request } from "./types";

/** The request a key asks for during a break, or `null` when the key means nothing there. */
export function breakKey(key: string, progress: BreakProgress): Request | null {
  switch (key) {
    case " ":
    case "Spacebar":
      return { request: "break", control: progress.paused ? "continue" : "pause" };
    case "ArrowRight":
      return { request: "break", control: "skip_move" };
    case "Escape":
      return { request: "break", control: "end" };
    default:
      return null;
  }
}
