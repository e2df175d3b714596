//! Exercises and routines: the catalog of moves (data) and the planner that builds a one-minute
//! routine from it.

mod catalog;
mod planner;

pub use catalog::{
    Catalog, CatalogError, Dose, Equipment, HOLD_RELEASE_SECONDS, Kind, Level, Move, MoveId,
    Muscle, MuscleGroup, Position,
};
pub use planner::{
    Memory, PAINFUL_EXCLUSION_DAYS, PlanRequest, Routine, SWITCH_SIDES_SECONDS, Side, Step,
    TRANSITION_SECONDS, plan, routine_of, tolerance,
};
