//! The app's own commands (what is Lanyard's, not the plugin's): the app summary and the
//! support report. Each unpacks, calls one function, returns its DTO.

use tauri::ipc::Invoke;
use tauri::{Runtime, State};
use tauri_plugin_lanyard::{IpcError, LanyardExt};

use crate::app_info::{self, AppInfoDto};
use crate::diagnostics::{self, DiagnosticsDto};
use crate::state::AppState;

include!("command_list.rs");

macro_rules! names {
    ($($command:ident),*) => {
        [$(stringify!($command)),*]
    };
}

/// Every app command's name.
pub const NAMES: &[&str] = &with_app_commands!(names);

macro_rules! handler {
    ($($command:ident),*) => {
        tauri::generate_handler![$($command),*]
    };
}

/// The handler of every command in [`NAMES`].
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    with_app_commands!(handler)
}

/// The app summary: name, version, configuration file, log folder, and the plugin's `info`.
#[tauri::command]
async fn app_info<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<AppInfoDto, IpcError> {
    Ok(app_info::app_info(&state, app.lanyard()).await)
}

/// The redacted diagnostics report (versions, configuration, log file, recent errors).
#[tauri::command]
async fn diagnostics<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<DiagnosticsDto, IpcError> {
    Ok(diagnostics::diagnostics(&state, app.lanyard()).await)
}

#[cfg(test)]
mod tests;
