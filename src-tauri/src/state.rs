//! What the app keeps besides the plugin's state: which configuration file it read and the
//! recent command errors for the support report.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lanyard_diagnostics::recent::RecentErrors;

/// Managed by Tauri; the app's commands take it.
#[derive(Default)]
pub struct AppState {
    config_path: Option<PathBuf>,
    recent_errors: Arc<RecentErrors>,
}

impl AppState {
    /// The state for the configuration file at `config_path` (in use, or the one that failed).
    pub fn new(config_path: Option<PathBuf>) -> Self {
        AppState {
            config_path,
            recent_errors: Arc::default(),
        }
    }

    /// The configuration file in use or that failed.
    pub fn config_path(&self) -> Option<&Path> {
        self.config_path.as_deref()
    }

    /// The last command errors (the plugin's error hook records every failed command).
    pub fn recent_errors(&self) -> &Arc<RecentErrors> {
        &self.recent_errors
    }
}
