// The Rust types the window sends and receives, and the constants it shares with the daemon
// (`LIMITS`, `VIEWS`, `FEEDBACK_MINUTES`...). They are generated from the Rust code into
// `bindings.ts` (crates/bindings; a Rust test fails when that file is stale): import them from
// here.
export * from "./bindings";
