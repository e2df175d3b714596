import { describe, expect, it } from "vitest";
import { heldText, isHeld } from "./hold";
import type { HoldReason } from "./types";

describe("heldText", () => {
  it("says what one reason is", () => {
    expect(heldText(["meeting"])).toBe("Your break is waiting: you’re in a meeting.");
    expect(heldText(["fullscreen"])).toBe("Your break is waiting: a window is fullscreen.");
    expect(heldText(["dnd"])).toBe("Your break is waiting: Do Not Disturb is on.");
    expect(heldText(["typing"])).toBe("Your break is waiting: you’re typing.");
  });
  it("joins several, always in the same order and each once", () => {
    expect(heldText(["fullscreen", "meeting"])).toBe("Your break is waiting: you’re in a meeting and a window is fullscreen.");
    expect(heldText(["dnd", "meeting", "fullscreen", "dnd"])).toBe(
      "Your break is waiting: you’re in a meeting, a window is fullscreen and Do Not Disturb is on.",
    );
  });
  it("puts typing last, whatever the daemon's order", () => {
    expect(heldText(["typing", "meeting"])).toBe("Your break is waiting: you’re in a meeting and you’re typing.");
    expect(heldText(["typing", "dnd", "fullscreen", "typing", "meeting"])).toBe(
      "Your break is waiting: you’re in a meeting, a window is fullscreen, Do Not Disturb is on and you’re typing.",
    );
  });
  it("leaves out a reason it does not know yet (a newer daemon)", () => {
    expect(heldText(["dnd", "lunch" as HoldReason])).toBe("Your break is waiting: Do Not Disturb is on.");
    expect(heldText(["lunch" as HoldReason])).toBe("Your break is waiting.");
    expect(heldText(["lunch" as HoldReason, "typing"])).toBe("Your break is waiting: you’re typing.");
  });
});

describe("isHeld", () => {
  it("is a due reminder with something holding it", () => {
    expect(isHeld({ state: "due", held_by: ["meeting"] })).toBe(true);
    expect(isHeld({ state: "due", held_by: ["typing"] })).toBe(true);
    expect(isHeld({ state: "due", held_by: [] })).toBe(false);
    // The daemon only holds due reminders; anything else is drawn as it is.
    expect(isHeld({ state: "working", held_by: ["meeting"] })).toBe(false);
  });
});
