// The exercise illustrations: one hand-drawn SVG per catalog move in ../illustrations/<id>.svg,
// bundled as strings so they can be inlined (and so take their colours from the page's CSS).
// `_generic.svg` is the neutral stand-in for a move without its own picture.

const files = import.meta.glob<string>("../illustrations/*.svg", {
  query: "?raw",
  import: "default",
  eager: true,
});

/** The stand-in's id: `Illustration` given it draws the neutral figure. */
export const GENERIC = "_generic";

// The id is the file name without its folder and extension. The SVG is marked as decoration:
// the wrapper that shows it carries the accessible label.
const byId = new Map<string, string>(
  Object.entries(files).map(([path, svg]) => [
    path.slice(path.lastIndexOf("/") + 1, -".svg".length),
    svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" '),
  ]),
);

/** The inline SVG markup for a move, or undefined when the move has no picture. */
export function illustrationFor(id: string): string | undefined {
  return id === GENERIC ? undefined : byId.get(id);
}

/** The neutral placeholder figure, for moves without their own picture. */
export function genericIllustration(): string {
  return byId.get(GENERIC) ?? "";
}

/** The ids of all moves that have a picture, sorted. */
export function illustrationIds(): string[] {
  return [...byId.keys()].filter((id) => id !== GENERIC).sort();
}
