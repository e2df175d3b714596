// The views the single Unslouch window can show, selected by the location hash. The list of
// views is the daemon's (`VIEWS`, generated from `View::ALL` in Rust).
import { VIEWS, type View } from "./types";

export const DEFAULT_VIEW: View = "break";

function isView(value: string): value is View {
  return (VIEWS as readonly string[]).includes(value);
}

/**
 * Parses a location hash such as `#/settings` into a view.
 *
 * Accepts `#/name`, `#name`, a trailing slash and a query string
 * (`#/history?day=3`); matching is case-insensitive. Anything else,
 * including an empty hash, yields the default view, `break`.
 */
export function parseRoute(hash: string | null | undefined): View {
  if (!hash) return DEFAULT_VIEW;
  let path = hash.trim();
  if (path.startsWith("#")) path = path.slice(1);
  const query = path.search(/[?&]/);
  if (query !== -1) path = path.slice(0, query);
  path = path.replace(/^\/+/, "").replace(/\/+$/, "").toLowerCase();
  return isView(path) ? path : DEFAULT_VIEW;
}

/** The hash that selects a view, e.g. `#/history`. */
export function hrefFor(view: View): string {
  return `#/${view}`;
}
