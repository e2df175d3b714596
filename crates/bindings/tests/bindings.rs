//! The committed TypeScript declarations match the Rust types.

use std::path::PathBuf;

#[test]
fn the_committed_declarations_are_up_to_date() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(unslouch_bindings::PATH);
    let fresh = unslouch_bindings::declarations();
    if std::env::var_os("UNSLOUCH_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write the declarations");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale: the Rust types changed. Run `UNSLOUCH_BLESS=1 cargo test -p \
         unslouch-bindings` and commit the result.",
        unslouch_bindings::PATH
    );
}
