//! The Lanyard desktop app: [`tauri_plugin_lanyard`] (sign-in, silent tokens, API calls, the
//! encrypted cache) plus what is Lanyard's own — which configuration file it reads, the
//! remembered account (tauri-plugin-store), logging and the support report, and the UI.
//!
//! The web UI is the least trusted part: it reaches Rust only through the plugin's commands
//! and the app's two commands ([`commands`]), each granted in `src-tauri/capabilities/`.

pub mod app_info;
pub mod commands;
pub mod config_source;
pub mod diagnostics;
pub mod preferences;
pub mod state;

#[cfg(test)]
mod bindings;

use std::path::PathBuf;
use std::sync::Arc;

use lanyard::Config;
use lanyard_diagnostics::recent::ErrorRecord;
use tauri::Manager;
use tauri_plugin_lanyard::{AccountMemory, ErrorHook};

use crate::preferences::StorePreferences;
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
        app_info::PRODUCT_NAME,
        env!("CARGO_PKG_VERSION")
    );
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .setup(|app| {
            let env_config = std::env::var(config_source::ENV_CONFIG).ok();
            let config_dir = app.path().app_config_dir().ok();
            let path = config_source::resolve(env_config.as_deref(), config_dir.as_deref());
            let state = AppState::new(path.as_ref().ok().cloned());
            app.handle()
                .plugin(lanyard_plugin(path, account_memory(app.handle()), &state))?;
            app.manage(state);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("error while running the Lanyard app");
}

/// The plugin for the configuration at `path` (or its error), remembering the account in
/// `memory` and every failed command in the state's recent errors.
pub fn lanyard_plugin<R: tauri::Runtime>(
    path: Result<PathBuf, String>,
    memory: Arc<dyn AccountMemory>,
    state: &AppState,
) -> tauri::plugin::TauriPlugin<R, tauri_plugin_lanyard::PluginConfig> {
    let record = record_errors(state);
    let builder = tauri_plugin_lanyard::Builder::new()
        .account_memory(memory)
        .on_command_error(move |command, e| record(command, e));
    let builder = match path.and_then(|path| load_config(&path)) {
        Ok(config) => builder.config(config).identity(lanyard_product::identity()),
        Err(message) => builder.unconfigured(message),
    };
    builder.build()
}

/// The plugin's error hook: every failed command goes to the state's recent errors, for the
/// support report.
pub fn record_errors(state: &AppState) -> ErrorHook {
    let recent = state.recent_errors().clone();
    Arc::new(move |command, e| {
        recent.push(ErrorRecord::now(
            command,
            e.kind.as_str(),
            &e.message,
            e.correlation_id.as_deref(),
        ));
    })
}

/// The configuration file, read and checked, with the `LANYARD_*` overrides; the error names
/// the file and the field.
fn load_config(path: &std::path::Path) -> Result<Config, String> {
    lanyard_product::load_config(path).map_err(|e| e.to_string())
}

/// The preferences store, or the account kept in memory if it cannot be opened.
fn account_memory<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> Arc<dyn AccountMemory> {
    match StorePreferences::open(app) {
        Ok(store) => Arc::new(store),
        Err(e) => {
            tracing::warn!(error = %e, "preferences are not kept across runs");
            Arc::new(tauri_plugin_lanyard::InMemoryAccountMemory::default())
        }
    }
}
