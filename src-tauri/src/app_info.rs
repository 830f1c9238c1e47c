//! `app_info`: what the Lanyard window shows about itself and its configuration.

use std::collections::BTreeMap;

use serde::Serialize;
use tauri_plugin_lanyard::dto::InfoDto;
use tauri_plugin_lanyard::Lanyard;

use crate::state::AppState;

/// The product name shown by the UI.
pub const PRODUCT_NAME: &str = "Lanyard";

/// `app_info`: the app's own details and the plugin's summary, in one object (TypeScript:
/// `AppDetailsDto & InfoDto`).
#[derive(Clone, Debug, Serialize)]
pub struct AppInfoDto {
    /// The app's own details.
    #[serde(flatten)]
    pub app: AppDetailsDto,
    /// What the plugin is configured for (authority, client id, APIs, cache), or why not.
    #[serde(flatten)]
    pub lanyard: InfoDto,
}

/// The app, its configuration file and log folder.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AppDetailsDto {
    /// The product name.
    pub name: String,
    /// The app version.
    pub version: String,
    /// The configuration file in use (or the one that failed), if any.
    pub config_path: Option<String>,
    /// The directory of the app's log files, if it logs to a file.
    pub log_dir: Option<String>,
    /// The path each API's card proposes to call.
    pub default_paths: BTreeMap<String, String>,
}

/// The demo APIs' main resources; any other API gets `/me`.
pub fn default_path(api: &str) -> &'static str {
    match api {
        "customer" => "/customers",
        "vendor" => "/orders",
        _ => "/me",
    }
}

/// The summary; never fails (a configuration error is part of the answer).
pub async fn app_info(state: &AppState, lanyard: &Lanyard) -> AppInfoDto {
    let lanyard = lanyard.info().await;
    let app = AppDetailsDto {
        name: PRODUCT_NAME.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        config_path: state.config_path().map(|p| p.display().to_string()),
        log_dir: lanyard_diagnostics::logging::current()
            .and_then(|l| l.dir.as_ref())
            .map(|d| d.display().to_string()),
        default_paths: lanyard
            .apis
            .iter()
            .map(|api| (api.name.clone(), default_path(&api.name).to_owned()))
            .collect(),
    };
    AppInfoDto { app, lanyard }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One JSON object: the app's details and the plugin's fields side by side, as
    /// `AppDetailsDto & InfoDto` says.
    #[test]
    fn the_reply_is_one_object() {
        let info = InfoDto {
            config_error: None,
            authority: Some("https://id.example/".into()),
            client_id: Some("c".into()),
            apis: Vec::new(),
            cache_protection: None,
            cache_warning: None,
            personal_account_notice: false,
        };
        let app = AppDetailsDto {
            name: PRODUCT_NAME.into(),
            version: "1".into(),
            config_path: None,
            log_dir: None,
            default_paths: BTreeMap::new(),
        };
        let json = serde_json::to_value(AppInfoDto { app, lanyard: info }).unwrap();
        assert_eq!(json["name"], "Lanyard");
        assert_eq!(json["clientId"], "c");
        assert_eq!(json["defaultPaths"], serde_json::json!({}));
        assert!(json.get("app").is_none() && json.get("lanyard").is_none());
    }

    #[test]
    fn default_paths() {
        assert_eq!(default_path("customer"), "/customers");
        assert_eq!(default_path("vendor"), "/orders");
        assert_eq!(default_path("other"), "/me");
    }
}
