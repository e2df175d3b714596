//! Exercises and routines: the catalog of moves (data) and the planner that builds a one-minute
//! routine from it.

mod catalog;
mod planner;
mod session;

pub use catalog::{
    Catalog, CatalogError, CustomMoveProblem, Dose, Equipment, HOLD_RELEASE_SECONDS, Kind, Level,
    Move, MoveId, Muscle, MuscleGroup, Position,
};
pub use planner::{
    Memory, PlanRequest, Routine, SETUP_SECONDS, SWITCH_SIDES_SECONDS, Side, Step,
    TRANSITION_SECONDS, plan, prepare_seconds, routine_of, tolerance,
};
pub use session::{
    REST_SECONDS, SESSION_MINUTES, STRENGTH_MOVES, STRETCHES, WARM_UP_SECONDS, for_posture, session,
};
