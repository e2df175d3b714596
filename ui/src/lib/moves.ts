// Words for a move's position and equipment, as the exercise library writes them.
import type { Equipment, Move } from "./types";

const POSITION: Record<Move["position"], string> = {
  seated: "Seated",
  standing: "Standing",
  either: "Seated or standing",
  floor: "On the floor",
};

const EQUIPMENT: Record<Equipment, string> = {
  chair: "a chair",
  wall: "a wall",
  doorway: "a doorway",
  "resistance-band": "a resistance band",
  "door-anchor": "a door anchor for the band",
  dumbbells: "dumbbells",
  barbell: "a barbell",
  bench: "a bench",
  bar: "a pull-up bar",
};

export function positionText(position: Move["position"]): string {
  return POSITION[position] ?? position;
}

/** `No equipment`, `Needs a wall`, `Needs dumbbells and a bench`. */
export function equipmentText(equipment: readonly Equipment[]): string {
  const names = equipment.map((e) => EQUIPMENT[e] ?? e);
  if (names.length === 0) return "No equipment";
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `Needs ${list}`;
}
