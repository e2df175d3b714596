import { describe, expect, it } from "vitest";

// The page's styles as written: the global sheet and every component's.
const sources = import.meta.glob<string>(["../*.css", "../**/*.svelte"], {
  query: "?raw",
  import: "default",
  eager: true,
});

// Families CSS defines itself, which the browser resolves once to the desktop's own fonts.
const GENERIC = new Set(["system-ui", "sans-serif", "serif", "monospace", "ui-sans-serif", "ui-monospace", "inherit"]);

function declaredFamilies(): { file: string; families: string[] }[] {
  const found: { file: string; families: string[] }[] = [];
  for (const [file, text] of Object.entries(sources)) {
    for (const match of text.matchAll(/font-family\s*:\s*([^;}]+)/g)) {
      const families = match[1].split(",").map((f) => f.trim().replace(/^["']|["']$/g, ""));
      found.push({ file, families });
    }
  }
  return found;
}

describe("fonts", () => {
  it("reads the page's font declarations", () => {
    expect(declaredFamilies().some((d) => d.families.includes("system-ui"))).toBe(true);
  });

  // WebKitGTK looks each named family up in fontconfig, for every size and weight the page
  // uses, whenever a character is missing from the fonts before it; with ten names in the
  // list those searches cost 150-250 ms of the break view's first paint, in about one start
  // in three (docs/benchmarks.md, "The window"). `system-ui` is the desktop's own font on
  // every platform the window runs on.
  it("names only generic families, so the first paint searches no fonts", () => {
    for (const { file, families } of declaredFamilies()) {
      for (const family of families) expect(GENERIC.has(family), `${family} in ${file}`).toBe(true);
    }
  });
});
