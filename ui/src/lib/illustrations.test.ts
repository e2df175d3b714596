import { describe, expect, it } from "vitest";
import catalog from "../../../crates/core/data/catalog.toml?raw";
import { genericIllustration, illustrationFor, illustrationIds } from "./illustrations";

// The SVG sources as written, to check them against the drawing contract.
const files = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>("../illustrations/*.svg", { query: "?raw", import: "default", eager: true }),
  ).map(([path, svg]) => [path.slice(path.lastIndexOf("/") + 1, -".svg".length), svg]),
);

// A line parse of the catalog is enough: each `[[move]]` table has `id = "..."` and `micro = ...`.
function catalogMoves(): { id: string; micro: boolean }[] {
  const moves: { id: string; micro: boolean }[] = [];
  let current: { id: string; micro: boolean } | null = null;
  for (const raw of catalog.split("\n")) {
    const line = raw.trim();
    if (line === "[[move]]") {
      current = { id: "", micro: false };
      moves.push(current);
    } else if (line.startsWith("[") && line !== "[[move.levels]]") {
      current = null;
    } else if (current) {
      const id = /^id\s*=\s*"([^"]+)"/.exec(line);
      if (id) current.id = id[1];
      if (/^micro\s*=\s*true\b/.test(line)) current.micro = true;
    }
  }
  return moves;
}

const CLASSES = new Set(["body", "body-far", "prop", "ground", "arrow", "arrow-head"]);
const SHAPES = new Set(["path", "circle", "ellipse", "rect", "line", "polyline", "polygon"]);
const GEOMETRY: Record<string, string[]> = {
  path: ["d"],
  circle: ["cx", "cy", "r"],
  ellipse: ["cx", "cy", "rx", "ry"],
  rect: ["x", "y", "width", "height", "rx", "ry"],
  line: ["x1", "y1", "x2", "y2"],
  polyline: ["points"],
  polygon: ["points"],
};
// Presentation that carries no colour; `fill` is allowed only as fill="none".
const PRESENTATION = [
  "stroke-width",
  "stroke-linecap",
  "stroke-linejoin",
  "stroke-dasharray",
  "opacity",
  "transform",
  "fill",
];
const MAX_BYTES = 3 * 1024;
const ROOT = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 200">';

/** Every problem with one SVG source; empty when it keeps the contract. */
function problems(svg: string): string[] {
  const found: string[] = [];
  if (!svg.trimStart().startsWith(ROOT)) found.push("root must be exactly " + ROOT);
  if (new TextEncoder().encode(svg).length > MAX_BYTES) found.push(`larger than ${MAX_BYTES} bytes`);
  if (/<!|<\?|url\(|&/.test(svg)) found.push("comments, doctype, entities and url() are not allowed");
  const tags = [...svg.matchAll(/<\/?([A-Za-z][\w:-]*)([^>]*)>/g)];
  if (tags.length === 0) found.push("no elements");
  if (svg.replace(/<[^>]*>/g, "").trim() !== "") found.push("text outside elements");
  for (const [tag, name, rest] of tags) {
    if (tag.startsWith("</")) continue;
    const attrs = new Map<string, string>();
    const leftover = rest.replace(/\/$/, "").replace(/\s([\w:-]+)="([^"]*)"/g, (_m, k: string, v: string) => {
      if (attrs.has(k)) found.push(`<${name}> repeats ${k}`);
      attrs.set(k, v);
      return "";
    });
    if (leftover.trim() !== "") found.push(`<${name}> has unparseable attributes: ${leftover.trim()}`);
    if (name === "svg") {
      if ([...attrs.keys()].sort().join(",") !== "viewBox,xmlns") found.push("<svg> takes only xmlns and viewBox");
      continue;
    }
    let allowed: string[];
    if (name === "g") {
      allowed = PRESENTATION;
    } else if (SHAPES.has(name)) {
      allowed = ["class", ...GEOMETRY[name], ...PRESENTATION];
      const classes = (attrs.get("class") ?? "").split(/\s+/).filter(Boolean);
      if (classes.length !== 1 || !CLASSES.has(classes[0]))
        found.push(`<${name}> needs exactly one class of ${[...CLASSES].join(", ")}; has "${attrs.get("class") ?? ""}"`);
    } else {
      found.push(`<${name}> is not allowed`);
      continue;
    }
    for (const [k, v] of attrs) {
      if (!allowed.includes(k)) found.push(`<${name}> may not carry ${k}`);
      if (k === "fill" && v !== "none") found.push(`<${name}> fill="${v}": colours come from the page`);
    }
  }
  return found;
}

describe("illustrations", () => {
  const moves = catalogMoves();
  const ids = new Set(moves.map((m) => m.id));

  it("reads the catalog", () => {
    expect(moves.length).toBeGreaterThan(20);
    expect(moves.every((m) => m.id !== "")).toBe(true);
    expect(moves.filter((m) => m.micro).length).toBeGreaterThan(10);
  });

  it("has a picture for every micro-break move", () => {
    const missing = moves.filter((m) => m.micro && !(m.id in files)).map((m) => m.id);
    expect(missing).toEqual([]);
  });

  it("names every file after a catalog move (or the generic stand-in)", () => {
    const strays = Object.keys(files).filter((id) => id !== "_generic" && !ids.has(id));
    expect(strays).toEqual([]);
    expect(files).toHaveProperty("_generic");
  });

  it("keeps every file to the drawing contract", () => {
    const report = Object.entries(files)
      .map(([id, svg]) => [id, problems(svg)] as const)
      .filter(([, p]) => p.length > 0);
    expect(report).toEqual([]);
  });

  it("rejects what the contract forbids", () => {
    const ok = `${ROOT}<circle class="body" cx="1" cy="1" r="1"/></svg>`;
    expect(problems(ok)).toEqual([]);
    const bad = [
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 200" width="240"><circle class="body" r="1"/></svg>`,
      `${ROOT}<style>.body{}</style></svg>`,
      `${ROOT}<script>alert(1)</script></svg>`,
      `${ROOT}<text class="body">hi</text></svg>`,
      `${ROOT}<image class="prop" href="x.png"/></svg>`,
      `${ROOT}<circle class="body" id="a" r="1"/></svg>`,
      `${ROOT}<circle class="body" style="fill:red" r="1"/></svg>`,
      `${ROOT}<circle class="body" onclick="x()" r="1"/></svg>`,
      `${ROOT}<circle class="body" fill="#f00" r="1"/></svg>`,
      `${ROOT}<circle class="body" stroke="red" r="1"/></svg>`,
      `${ROOT}<circle r="1"/></svg>`,
      `${ROOT}<circle class="body prop" r="1"/></svg>`,
      `${ROOT}<circle class="skin" r="1"/></svg>`,
      `${ROOT}<path class="body" d="M0 0" fill="url(#g)"/></svg>`,
    ];
    for (const svg of bad) expect(problems(svg), svg).not.toEqual([]);
  });

  it("serves every picture through the module, hidden from assistive tech", () => {
    for (const m of moves.filter((m) => m.micro)) {
      const svg = illustrationFor(m.id);
      expect(svg, m.id).toBeDefined();
      expect(svg).toContain('aria-hidden="true"');
    }
    expect(illustrationIds()).toEqual(Object.keys(files).filter((id) => id !== "_generic").sort());
    expect(illustrationFor("no-such-move")).toBeUndefined();
    expect(illustrationFor("_generic")).toBeUndefined();
    expect(genericIllustration()).toContain("<svg ");
  });
});
