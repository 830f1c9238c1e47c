//! The "copy diagnostics" report of the app: versions (app, engine, Tauri, WebKit), the
//! configuration without secrets, the log file and the recent command errors, with the
//! ids, names and tenants of the accounts signed in or seen in this run redacted.

use lanyard_diagnostics::redact::Redactor;
use lanyard_diagnostics::report::{self, Report};
use serde::Serialize;
use tauri_plugin_lanyard::dto::AccountDto;
use tauri_plugin_lanyard::Lanyard;

use crate::state::AppState;

/// `diagnostics`: the redacted report for a support request (no token, no personal data).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticsDto {
    /// The report, plain text.
    pub report: String,
}

/// The report; never fails (what could not be read is said in it).
pub async fn diagnostics(state: &AppState, lanyard: &Lanyard) -> DiagnosticsDto {
    let engine = lanyard.engine();
    let mut redactor = Redactor::for_this_user().hide(lanyard.personal_values());
    let mut versions =
        report::versions("lanyard-app", env!("CARGO_PKG_VERSION")).line("tauri", tauri::VERSION);
    if let Ok(webview) = tauri::webview_version() {
        versions = versions.line("webview", webview);
    }
    let config_path = state.config_path().map(|p| p.display().to_string());
    let mut configuration = match &engine {
        Ok(engine) => {
            if let Ok(accounts) = engine.accounts().await {
                redactor = redactor.hide(
                    accounts
                        .into_iter()
                        .flat_map(|a| AccountDto::from(a).personal_values()),
                );
            }
            report::configuration(
                config_path.as_deref(),
                Some(engine.config()),
                Some(&engine.cache_protection()),
            )
        }
        Err(e) => {
            report::configuration(config_path.as_deref(), None, None).line("problem", &e.message)
        }
    };
    if let Some(warning) = lanyard.cache_warning().await {
        configuration = configuration.line("cache warning", warning);
    }
    let report = Report {
        sections: vec![
            versions,
            configuration,
            report::logging(lanyard_diagnostics::logging::current()),
            report::recent_errors(&state.recent_errors().snapshot()),
        ],
    };
    DiagnosticsDto {
        report: report.render(&redactor),
    }
}
