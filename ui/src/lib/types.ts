// The Rust types the window receives, as TypeScript. Written by hand for the first break view;
// to be generated from the Rust types (ts-rs) with a staleness test.

export type StateName = "working" | "due" | "in_break" | "paused" | "off_hours" | "away";

export type Dose =
  | { hold: { hold_seconds: number; reps: number } }
  | { reps: { reps: number; tempo_seconds: number } }
  | { timed: { seconds: number } };

export interface Step {
  move_id: string;
  level: number;
  seconds_per_side: number;
  per_side: boolean;
  dose: Dose;
}

export interface Routine {
  steps: Step[];
}

export interface BreakProgress {
  step: number;
  steps: number;
  phase: "prepare" | "work" | "switch_sides";
  side: "left" | "right" | null;
  phase_seconds: number;
  phase_left_ms: number;
  total_left_ms: number;
  paused: boolean;
}

export interface FinishedBreak {
  outcome: "completed" | "ended_early";
  moves: string[];
  at: string;
}

export interface Snapshot {
  state: StateName;
  desk_seconds: number;
  next_break_in_seconds: number | null;
  paused_until: string | null;
  breaks_today: number;
  desk_today_seconds: number;
  tray: "counting" | "due" | "paused";
  snoozes: number;
  can_snooze: boolean;
  routine: Routine | null;
  break_progress: BreakProgress | null;
  last_break: FinishedBreak | null;
}

export interface Move {
  id: string;
  name: string;
  summary: string;
  kind: "warm-up" | "posture" | "strength" | "stretch";
  muscles: string[];
  equipment: string[];
  position: "seated" | "standing" | "either" | "floor";
  micro: boolean;
  per_side: boolean;
  cues: string[];
  cautions: string[];
}

export interface Catalog {
  move: Move[];
}

export type Feel = "too_easy" | "just_right" | "too_hard" | "hurt";

export type Request =
  | { request: "snapshot" }
  | { request: "get_settings" }
  | { request: "start_break"; moves: string[] | null }
  | { request: "snooze" }
  | { request: "skip" }
  | { request: "break"; control: "pause" | "continue" | "skip_move" | "end" }
  | { request: "feedback"; feel: Feel; moves: string[] };

export type Reply =
  | { reply: "done" }
  | { reply: "snapshot"; snapshot: Snapshot }
  | { reply: "settings"; settings: Record<string, unknown>; warnings: string[] };

export interface IpcError {
  kind: "refused" | "invalid_settings" | "bad_request" | "internal";
  message: string;
  field?: string;
}
