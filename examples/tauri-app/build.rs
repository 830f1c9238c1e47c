// Generates the app's context (tauri.conf.json, the capabilities in capabilities/, the icons).
fn main() {
    tauri_build::build()
}
