import { describe, expect, it } from "vitest";
import { equipmentText, positionText } from "./moves";

describe("move words", () => {
  it("says where a move is done", () => {
    expect(positionText("either")).toBe("Seated or standing");
    expect(positionText("floor")).toBe("On the floor");
  });
  it("lists what a move needs", () => {
    expect(equipmentText([])).toBe("No equipment");
    expect(equipmentText(["wall"])).toBe("Needs a wall");
    expect(equipmentText(["dumbbells", "bench"])).toBe("Needs dumbbells and a bench");
    expect(equipmentText(["chair", "wall", "doorway"])).toBe("Needs a chair, a wall and a doorway");
  });
});
