//! The Lanyard desktop app's entry point.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    lanyard_app::run();
}
