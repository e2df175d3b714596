// The Rust types the window sends and receives. They are generated from the Rust code into
// `bindings.ts` (crates/bindings; a Rust test fails when that file is stale): import them from
// here.
export type * from "./bindings";
