// Data for the component tests (never imported by the app).
import type { BreakProgress, DaySummary, Move, Settings, Snapshot, Summary } from "../lib/types";

export const defaults = (): Settings => ({
  version: 2,
  interval_minutes: 40,
  routine_seconds: 60,
  snooze_minutes: 10,
  snooze_limit: 3,
  remind_again_minutes: 5,
  natural_break_minutes: 5,
  day_starts_at_hour: 4,
  work_hours: {
    enabled: false,
    monday: ["09:00-17:30"],
    tuesday: ["09:00-17:30"],
    wednesday: ["09:00-17:30"],
    thursday: ["09:00-17:30"],
    friday: ["09:00-17:30"],
    saturday: [],
    sunday: [],
  },
  equipment: [],
  can_stand: true,
  excluded_moves: [],
  sound: true,
  start_at_login: true,
  tray_minutes: false,
  weekly_sessions: 2,
  session_days: ["tuesday", "friday"],
  session_time: "17:00",
  hold_for_meetings: true,
  meeting_camera: true,
  meeting_microphone: true,
  hold_for_fullscreen: true,
  hold_for_dnd: true,
  meeting_cap_minutes: 0,
  fullscreen_cap_minutes: 120,
  dnd_cap_minutes: 0,
  hold_grace_seconds: 120,
  hold_while_typing: true,
  typing_pause_seconds: 5,
  typing_cap_seconds: 120,
});

const move = (id: string, name: string, over: Partial<Move> = {}): Move => ({
  id,
  name,
  summary: `${name} does you good.`,
  kind: "posture",
  muscles: ["neck"],
  equipment: [],
  position: "either",
  micro: true,
  row: false,
  custom: false,
  per_side: false,
  cues: [`Start ${name}`, "Breathe", "Release"],
  cautions: ["Stop if it hurts."],
  levels: [{ dose: { hold: { hold_seconds: 3, reps: 5 } }, sets: 1, variation: null }],
  ...over,
});

export const catalog: Move[] = [
  move("chin-tuck", "Chin tuck"),
  move("shoulder-blade-squeeze", "Shoulder blade squeeze"),
  move("band-pull-apart", "Band pull-apart", { equipment: ["resistance-band"] }),
  move("upper-trap-stretch", "Upper trapezius stretch", { per_side: true }),
  move("wall-angel", "Wall angel", { equipment: ["wall"], position: "standing" }),
  move("cat-cow", "Cat-cow", { micro: false, position: "floor", cautions: [] }),
  move("bent-over-row", "Bent-over dumbbell row", { micro: false, equipment: ["dumbbells"], position: "standing" }),
];

/** One of the person's own moves (from their moves file), a desk move unless `over` says otherwise. */
export const ownMove = (id: string, name: string, over: Partial<Move> = {}): Move => move(id, name, { custom: true, ...over });

/** A picture as the daemon sends one: a tiny SVG as a base64 `data:` URL. */
export const SVG_URL = `data:image/svg+xml;base64,${btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 6 5"/>')}`;

/** `n` days ending 2026-11-20, with some breaks. */
export function days(n: number): DaySummary[] {
  const end = new Date(2026, 10, 20, 12);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(end);
    d.setDate(end.getDate() - (n - 1 - i));
    const p = (x: number) => String(x).padStart(2, "0");
    return {
      date: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`,
      completed: i % 4,
      ended_early: i % 5 === 0 ? 1 : 0,
      natural: i % 3,
      skipped: i % 7 === 0 ? 1 : 0,
      snoozed: i % 2,
      reminded: 4,
      desk_minutes: 60 + i * 17,
      longest_stretch_minutes: 50,
    };
  });
}

export function summary(n: number): Summary {
  return {
    days: days(n),
    current_streak: 3,
    best_streak: 9,
    acted_on: null,
    muscles_week: { neck: 3, "shoulder-blades": 2 },
    recent: [
      { at: "2026-11-20T14:03:00Z", what: "completed", moves: ["chin-tuck", "wall-angel"], seconds: 62, feel: "hurt" },
      { at: "2026-11-20T11:40:00Z", what: "natural", moves: [], seconds: 900, feel: null },
    ],
    moves: [
      {
        move_id: "chin-tuck",
        times: 4,
        sets: 4,
        last: { move_id: "chin-tuck", level: 0, dose: { hold: { hold_seconds: 3, reps: 5 } }, sets: 1 },
        last_at: "2026-11-20T14:03:00Z",
      },
      {
        move_id: "wall-angel",
        times: 2,
        sets: 2,
        last: { move_id: "wall-angel", level: 1, dose: { reps: { reps: 8, tempo_seconds: 5 } }, sets: 1 },
        last_at: "2026-11-20T14:03:00Z",
      },
      {
        move_id: "bent-over-row",
        times: 3,
        sets: 9,
        last: { move_id: "bent-over-row", level: 1, dose: { reps: { reps: 10, tempo_seconds: 3 } }, sets: 3 },
        last_at: "2026-11-18T17:40:00Z",
      },
      {
        move_id: "upper-trap-stretch",
        times: 1,
        sets: 1,
        last: { move_id: "upper-trap-stretch", level: 0, dose: { hold: { hold_seconds: 20, reps: 1 } }, sets: 1 },
        last_at: "2026-11-16T10:12:00Z",
      },
    ],
  };
}

export const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  status_line: "Next break in 40 min",
  state: "working",
  desk_seconds: 0,
  next_break_in_seconds: 2400,
  paused_until: null,
  breaks_today: 0,
  desk_today_seconds: 0,
  tray: "counting",
  snoozes: 0,
  can_snooze: true,
  routine: null,
  break_progress: null,
  last_break: null,
  left_out: [],
  levels: {},
  sessions_this_week: 0,
  held_by: [],
  ...over,
});

/** A running break's progress: the work of the first of two moves, 20 s long, not started. */
export const progress = (over: Partial<BreakProgress> = {}): BreakProgress => ({
  step: 0,
  steps: 2,
  phase: "work",
  side: null,
  set: 0,
  phase_seconds: 20,
  phase_left_ms: 20_000,
  total_left_ms: 40_000,
  paused: false,
  ...over,
});
