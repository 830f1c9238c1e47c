//! Test only: the plugin in an app whose window's capability scopes the API commands to the
//! vendor API (`capabilities/scoped.json`); `tests/scope.rs` drives it.

fn main() {
    tauri::Builder::default()
        .plugin(tauri_plugin_lanyard::init())
        .run(tauri::generate_context!())
        .expect("error while running the scoped test app");
}
