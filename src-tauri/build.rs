fn main() {
    // Our own commands get permissions (`allow-send`, `allow-catalog`, `allow-save-export`); the capability in
    // `capabilities/main.json` grants them to our one window and nothing else.
    let manifest = tauri_build::AppManifest::new().commands(&["send", "catalog", "save_export"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build step");
}
