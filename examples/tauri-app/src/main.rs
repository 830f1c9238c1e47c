//! The smallest Tauri app on tauri-plugin-lanyard: a page that signs in in the system browser
//! and calls two web APIs; the tokens stay in Rust.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        // Sign-in and API calls. The plugin reads its configuration (authority, client id,
        // APIs) from `plugins.lanyard` in tauri.conf.json; the page may call it because
        // capabilities/default.json grants the main window `lanyard:default`.
        .plugin(tauri_plugin_lanyard::init())
        .run(tauri::generate_context!())
        .expect("error while running the Lanyard example app");
}
