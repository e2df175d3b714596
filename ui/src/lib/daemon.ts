// The window's link to the daemon: one command that forwards a typed request, the library (our
// moves and the person's own, with their pictures and what was left out of their file), and
// the snapshots the daemon pushes. Outside the app (tests, a plain browser) there is no link.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { Library, Reply, Request, Snapshot } from "./types";

export const inApp = (): boolean => typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;

export function send(request: Request): Promise<Reply> {
  return invoke<Reply>("send", { request });
}

export function loadCatalog(): Promise<Library> {
  return invoke<Library>("catalog");
}

export function onSnapshot(handler: (s: Snapshot) => void): Promise<UnlistenFn> {
  return listen<Snapshot>("snapshot", (event) => handler(event.payload));
}
