//! Lanyard's desktop shell: a thin Tauri layer over [`lanyard`].
//!
//! The web UI is the least trusted part: it reaches Rust only through the commands in
//! [`commands`] (each allowed one by one in `src-tauri/capabilities/`), it receives DTOs
//! ([`dto`]) that cannot hold a token, and every argument it sends is checked ([`validate`]).

pub mod commands;
pub mod config_source;
pub mod diagnostics;
pub mod dto;
pub mod error;
pub mod main_thread;
pub mod preferences;
pub mod service;
pub mod state;
pub mod validate;

use std::sync::Arc;

use tauri::Manager;

use crate::preferences::{MemoryPreferences, Preferences, StorePreferences};
use crate::state::AppState;

/// The app's log files: `lanyard-app.YYYY-MM-DD.log`.
pub const LOG_PREFIX: &str = "lanyard-app";

/// Starts the app; returns when the last window closes.
pub fn run() {
    // The log file and stderr, `LANYARD_LOG` filters (default `info`); see the README.
    lanyard_diagnostics::logging::init(lanyard_diagnostics::logging::LogSettings::from_env(
        LOG_PREFIX, true,
    ));
    tracing::info!(
        "{} {} starting",
        service::PRODUCT_NAME,
        env!("CARGO_PKG_VERSION")
    );
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .setup(|app| {
            let preferences = open_preferences(app.handle());
            let env_config = std::env::var(config_source::ENV_CONFIG).ok();
            let config_dir = app.path().app_config_dir().ok();
            let path = config_source::resolve(env_config.as_deref(), config_dir.as_deref());
            let state = AppState::load(path, preferences);
            // The cache key comes from the OS secret store over D-Bus: fetch it and decrypt the
            // cache while the webview starts, not when the UI first asks.
            if let Ok(engine) = state.engine() {
                let engine = engine.clone();
                tauri::async_runtime::spawn(async move { engine.warm_up().await });
            }
            app.manage(state);
            Ok(())
        })
        // A cache hit for `token_info` is answered where the request arrives; the rest goes
        // to the commands.
        .invoke_handler(|invoke| main_thread::answer_or(invoke, commands::handler()))
        .run(tauri::generate_context!())
        .expect("error while running the Lanyard app");
}

/// The preferences store, or preferences in memory if it cannot be opened.
fn open_preferences<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> Arc<dyn Preferences> {
    match StorePreferences::open(app) {
        Ok(store) => Arc::new(store),
        Err(e) => {
            tracing::warn!(error = %e, "preferences are not kept across runs");
            Arc::new(MemoryPreferences::default())
        }
    }
}
