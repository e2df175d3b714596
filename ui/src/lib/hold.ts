// A due reminder held back at a bad moment (a call, a fullscreen window, Do Not Disturb, or
// typing: it waits for a pause), in words for the break view. The daemon decides what holds a
// reminder and for how long (the `hold_*` and `typing_*` settings); it sends the reasons
// (`Snapshot::held_by`), never sentences for the window.
import type { HoldReason, Snapshot } from "./types";

/** What each reason is, as it ends "Your break is waiting: …". Listed in this order. */
const WAITING_FOR: Record<HoldReason, string> = {
  meeting: "you’re in a meeting",
  fullscreen: "a window is fullscreen",
  dnd: "Do Not Disturb is on",
  // Looked at last, as the reminder is about to show: it comes at the next pause.
  typing: "you’re typing",
};

/**
 * Whether the snapshot is a due reminder held back: no notification is out, and the view
 * should not look like one either.
 */
export function isHeld(snapshot: Pick<Snapshot, "state" | "held_by">): boolean {
  return snapshot.state === "due" && snapshot.held_by.length > 0;
}

/** `a`, `a and b`, `a, b and c`. */
const and = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

/**
 * What a held reminder waits for: `Your break is waiting: you’re in a meeting and a window is
 * fullscreen.` Each reason once, in a fixed order whatever the daemon's; a reason this page does
 * not know yet (a newer daemon) is left out of the words.
 */
export function heldText(reasons: readonly HoldReason[]): string {
  const known = (Object.keys(WAITING_FOR) as HoldReason[]).filter((r) => reasons.includes(r));
  if (known.length === 0) return "Your break is waiting.";
  return `Your break is waiting: ${and(known.map((r) => WAITING_FOR[r]))}.`;
}
