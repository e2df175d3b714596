// A debounced action: typing schedules it, leaving the field runs it at once. Timers here only
// delay sending what a person typed; nothing is scheduled from the page (see STYLE.md).

export interface Debounced {
  /** Run the action `ms` after the last call (each call restarts the wait). */
  schedule(): void;
  /** Run the action now, dropping any scheduled run. */
  now(): void;
  /** Run the action now if one is scheduled. */
  flush(): void;
  /** Drop a scheduled run. */
  cancel(): void;
  /** Whether a run is scheduled. */
  readonly pending: boolean;
}

export function debounce(action: () => void, ms: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return {
    schedule() {
      cancel();
      timer = setTimeout(() => {
        timer = null;
        action();
      }, ms);
    },
    now() {
      cancel();
      action();
    },
    flush() {
      if (timer !== null) this.now();
    },
    cancel,
    get pending() {
      return timer !== null;
    },
  };
}
