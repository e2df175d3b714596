// The words about full sessions outside a running one: what a session is, and how this week's
// count stands against the weekly aim (the `weekly_sessions` setting). The daemon counts the
// sessions (the snapshot's `sessions_this_week`, weeks from Monday); the page only words them.

/** How long a full session lasts, in minutes, as the daemon plans it (its `SESSION_MINUTES`). */
export const SESSION_MINUTES = { min: 15, max: 25 } as const;

/**
 * What a full session is, in one line, with the weekly aim when there is one (`aim`: the
 * `weekly_sessions` setting; `null` before the settings are loaded, 0 for no aim).
 */
export function sessionAbout(aim: number | null): string {
  const what = `About ${SESSION_MINUTES.min}–${SESSION_MINUTES.max} minutes: warm-up, strength in sets, stretches.`;
  return aim ? `${what} Aim: ${aim} a week.` : what;
}

/** `1 of 2 this week`; `1 this week` with no weekly aim. */
export function weekProgress(done: number, aim: number | null): string {
  return aim ? `${done} of ${aim} this week` : `${done} this week`;
}

/** Whether the history shows the week's sessions against the aim: only when there is one. */
export const showsWeeklyAim = (aim: number | null | undefined): aim is number => typeof aim === "number" && aim > 0;
