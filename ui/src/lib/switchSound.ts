// A short tone at each switch of a running break (to the other side, into a rest between two
// sets and out of it, to the next move, the end), for a person who is doing the move away from
// the screen. Which tone a change of
// snapshot calls for is a pure function of the progress before and after; playing it is a thin
// call to the Web Audio API (no sound files). Whether to play at all is the `sound` setting's.
import type { BreakProgress } from "./types";

/**
 * What just happened: time to switch sides, a set is over (rest), the rest is over (the next set
 * starts), the move is over (the next one is coming), the break is over.
 */
export type SwitchCue = "side" | "rest" | "set" | "move" | "end";

/**
 * How much of the old phase may still have been showing when the change came, for the change
 * to count as the phase running out (and not the person pressing Skip move or End: they are
 * at the screen already).
 */
export const ON_TIME_MS = 1_500;

/**
 * The cue for a change of progress, or `null` for none.
 *
 * `before` is the progress last seen (`null`: no break was running, so a break that starts,
 * with its first "get ready", is silent); `after` the new one (`null`: the break is over);
 * `beforeLeftMs` what was left of `before`'s phase when `after` came.
 */
export function switchCue(before: BreakProgress | null, after: BreakProgress | null, beforeLeftMs: number): SwitchCue | null {
  if (!before || before.paused || beforeLeftMs > ON_TIME_MS) return null;
  if (!after) {
    const lastMove = before.step === before.steps - 1;
    return lastMove && before.phase === "work" ? "end" : null;
  }
  if (after.step === before.step + 1 && after.phase === "prepare") return "move";
  if (after.step !== before.step) return null;
  if (before.phase === "work" && after.phase === "switch_sides") return "side";
  if (before.phase === "work" && after.phase === "rest") return "rest";
  // The next set: after its rest (which carries the set it leads into), or straight after the
  // set before when there is no rest.
  if (before.phase === "rest" && after.phase === "work") return "set";
  if (before.phase === "work" && after.phase === "work" && after.set === before.set + 1) return "set";
  return null;
}

/** One note of a cue: its pitch, when it starts and how long it sounds, in seconds. */
export type Note = { hz: number; at: number; seconds: number };

/**
 * One beep to switch sides, one long low note to rest, two quick high ones for the next set, two
 * rising for the next move, three falling at the end.
 */
export const TONES: Record<SwitchCue, readonly Note[]> = {
  side: [{ hz: 660, at: 0, seconds: 0.18 }],
  rest: [{ hz: 440, at: 0, seconds: 0.4 }],
  set: [
    { hz: 784, at: 0, seconds: 0.1 },
    { hz: 784, at: 0.16, seconds: 0.1 },
  ],
  move: [
    { hz: 523, at: 0, seconds: 0.14 },
    { hz: 784, at: 0.18, seconds: 0.2 },
  ],
  end: [
    { hz: 784, at: 0, seconds: 0.16 },
    { hz: 659, at: 0.2, seconds: 0.16 },
    { hz: 523, at: 0.4, seconds: 0.32 },
  ],
};

/** Loudness of a tone, 0–1: a gentle signal, not an alarm. */
const VOLUME = 0.2;

/**
 * Play a cue. Each cue gets its own audio context, closed once the last note is over (also
 * when the webview kept it suspended: Tauri's webview lets a page play sound without a click,
 * a plain browser may not), so nothing stays open between switches. Does nothing where there
 * is no Web Audio (tests, old webviews).
 */
export function playCue(cue: SwitchCue): void {
  const Context = typeof window === "undefined" ? undefined : window.AudioContext;
  if (!Context) return;
  const ctx = new Context();
  const start = ctx.currentTime + 0.02;
  let end = 0;
  for (const note of TONES[cue]) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = note.hz;
    // A soft attack and release: no click at either end.
    const from = start + note.at;
    const to = from + note.seconds;
    gain.gain.setValueAtTime(0, from);
    gain.gain.linearRampToValueAtTime(VOLUME, from + 0.02);
    gain.gain.linearRampToValueAtTime(0, to);
    osc.connect(gain).connect(ctx.destination);
    osc.start(from);
    osc.stop(to + 0.02);
    end = Math.max(end, note.at + note.seconds);
  }
  if (ctx.state === "suspended") void ctx.resume().catch(() => undefined);
  setTimeout(() => void ctx.close().catch(() => undefined), (end + 0.3) * 1000);
}
