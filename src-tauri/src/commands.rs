//! The `#[tauri::command]` adapters: unpack, call one [`service`] function, return its DTO.
//! Arguments arrive in camelCase (`accountId`).

use tauri::ipc::Invoke;
use tauri::{Runtime, State};

use crate::dto::{
    AccountsDto, ApiResultDto, AppInfoDto, DiagnosticsDto, SignInDto, SignOutDto, TokenInfoDto,
};
use crate::error::IpcError;
use crate::service;
use crate::state::AppState;

/// Every command name, as registered in [`handler`] and listed in `build.rs` (keep them in
/// step; the tests below check `build.rs` and the capability file).
pub const NAMES: [&str; 11] = [
    "app_info",
    "list_accounts",
    "select_account",
    "sign_in",
    "cancel_sign_in",
    "call_api",
    "token_info",
    "sign_out",
    "grant_access",
    "check_connection",
    "diagnostics",
];

/// The handler of every command in [`NAMES`]; false for any other name.
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_info,
        list_accounts,
        select_account,
        sign_in,
        cancel_sign_in,
        call_api,
        token_info,
        sign_out,
        grant_access,
        check_connection,
        diagnostics,
    ]
}

/// The configuration summary (and the configuration error, if any).
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfoDto, IpcError> {
    Ok(service::app_info(&state).await)
}

/// The signed-in accounts.
#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<AccountsDto, IpcError> {
    service::list_accounts(&state).await
}

/// Picks the account the other commands act for (remembered across runs).
#[tauri::command]
pub async fn select_account(
    state: State<'_, AppState>,
    account_id: String,
) -> Result<AccountsDto, IpcError> {
    service::select_account(&state, &account_id).await
}

/// Interactive sign-in in the system browser.
#[tauri::command]
pub async fn sign_in(state: State<'_, AppState>) -> Result<SignInDto, IpcError> {
    service::sign_in(&state).await
}

/// Cancels the sign-in under way.
#[tauri::command]
pub fn cancel_sign_in(state: State<'_, AppState>) -> Result<(), IpcError> {
    service::cancel_sign_in(&state)
}

/// Calls an API path for an account.
#[tauri::command]
pub async fn call_api(
    state: State<'_, AppState>,
    account_id: String,
    api: String,
    path: String,
) -> Result<ApiResultDto, IpcError> {
    service::call_api(&state, &account_id, &api, &path).await
}

/// The metadata of an API's token for an account (acquired silently). A cache hit is usually
/// answered before this runs, on the main thread ([`crate::main_thread`]).
#[tauri::command]
pub async fn token_info(
    state: State<'_, AppState>,
    account_id: String,
    api: String,
) -> Result<TokenInfoDto, IpcError> {
    service::token_info(&state, &account_id, &api).await
}

/// Asks the user in the browser for what an API needs (consent, a stronger sign-in).
#[tauri::command]
pub async fn grant_access(
    state: State<'_, AppState>,
    account_id: String,
    api: String,
) -> Result<SignInDto, IpcError> {
    service::grant_access(&state, &account_id, &api).await
}

/// Whether the identity provider answers now.
#[tauri::command]
pub async fn check_connection(state: State<'_, AppState>) -> Result<(), IpcError> {
    service::check_connection(&state).await
}

/// Signs one account out (its refresh token is revoked when the provider allows).
#[tauri::command]
pub async fn sign_out(
    state: State<'_, AppState>,
    account_id: String,
) -> Result<SignOutDto, IpcError> {
    service::sign_out(&state, &account_id).await
}

/// The redacted diagnostics report (versions, configuration, log file, recent errors).
#[tauri::command]
pub async fn diagnostics(state: State<'_, AppState>) -> Result<DiagnosticsDto, IpcError> {
    Ok(service::diagnostics(&state).await)
}

#[cfg(test)]
mod tests {
    //! The security configuration matches the command list: the main window may call exactly
    //! Lanyard's commands, nothing from core or the store plugin, under a strict CSP.

    use super::NAMES;
    use serde_json::Value;

    fn read(path: &str) -> String {
        std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn the_capability_allows_exactly_the_commands() {
        let capability: Value =
            serde_json::from_str(&read("src-tauri/capabilities/main-window.json")).unwrap();
        let mut granted: Vec<&str> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().expect("plain permission identifiers"))
            .collect();
        granted.sort_unstable();
        let mut expected: Vec<String> = NAMES
            .iter()
            .map(|n| format!("allow-{}", n.replace('_', "-")))
            .collect();
        expected.sort_unstable();
        assert_eq!(granted, expected);
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        assert!(
            capability.get("remote").is_none(),
            "no remote URL may use the commands"
        );
    }

    #[test]
    fn the_build_script_lists_every_command() {
        let build = read("src-tauri/build.rs");
        for name in NAMES {
            assert!(
                build.contains(&format!("\"{name}\"")),
                "{name} is missing from build.rs"
            );
        }
    }

    /// The page fetches nothing, and the CSP allows no `ipc:` fetch either: Tauri then answers
    /// invokes over the webview's message handler (postMessage), which on WebKitGTK takes half
    /// the round trip of its custom-protocol IPC (README, "App figures").
    #[test]
    fn the_webview_is_locked_down() {
        let conf: Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
        let app = &conf["app"];
        assert_eq!(app["withGlobalTauri"], false);
        assert_eq!(
            app["security"]["capabilities"],
            serde_json::json!(["main-window"])
        );
        assert_eq!(
            app["security"]["csp"],
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        );
        assert_eq!(app["windows"][0]["label"], "main");
    }
}
