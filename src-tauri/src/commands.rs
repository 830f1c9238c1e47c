//! The `#[tauri::command]` adapters: unpack, call one [`service`] function, return its DTO.
//! Arguments arrive in camelCase (`accountId`).

use std::future::Future;

use tauri::{AppHandle, Manager, Runtime};

use crate::dto::{AccountsDto, ApiResultDto, AppInfoDto, SignInDto, TokenInfoDto};
use crate::error::IpcError;
use crate::service;
use crate::state::AppState;

/// Every command name, as registered and as listed in `build.rs` (keep them in step).
pub const NAMES: [&str; 7] = [
    "app_info",
    "list_accounts",
    "sign_in",
    "cancel_sign_in",
    "call_api",
    "token_info",
    "sign_out",
];

/// The configuration summary (and the configuration error, if any).
#[tauri::command]
pub async fn app_info<R: Runtime>(app: AppHandle<R>) -> Result<AppInfoDto, IpcError> {
    with_state(app, |s| async move { Ok(service::app_info(&s).await) }).await
}

/// The signed-in accounts.
#[tauri::command]
pub async fn list_accounts<R: Runtime>(app: AppHandle<R>) -> Result<AccountsDto, IpcError> {
    with_state(app, |s| async move { service::list_accounts(&s).await }).await
}

/// Interactive sign-in in the system browser.
#[tauri::command]
pub async fn sign_in<R: Runtime>(app: AppHandle<R>) -> Result<SignInDto, IpcError> {
    with_state(app, |s| async move { service::sign_in(&s).await }).await
}

/// Cancels the sign-in under way.
#[tauri::command]
pub fn cancel_sign_in<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> {
    service::cancel_sign_in(&app.state::<AppState>())
}

/// Calls an API path for an account.
#[tauri::command]
pub async fn call_api<R: Runtime>(
    app: AppHandle<R>,
    account_id: String,
    api: String,
    path: String,
) -> Result<ApiResultDto, IpcError> {
    with_state(app, move |s| async move {
        service::call_api(&s, &account_id, &api, &path).await
    })
    .await
}

/// The metadata of an API's token for an account (acquired silently).
#[tauri::command]
pub async fn token_info<R: Runtime>(
    app: AppHandle<R>,
    account_id: String,
    api: String,
) -> Result<TokenInfoDto, IpcError> {
    with_state(app, move |s| async move {
        service::token_info(&s, &account_id, &api).await
    })
    .await
}

/// Signs an account out.
#[tauri::command]
pub async fn sign_out<R: Runtime>(app: AppHandle<R>, account_id: String) -> Result<(), IpcError> {
    with_state(app, move |s| async move {
        service::sign_out(&s, &account_id).await
    })
    .await
}

/// Runs `job` with the app state on a thread of Tauri's blocking pool, driven by Tauri's
/// runtime, and waits for it without blocking an async worker.
///
/// Why not `job(&state).await` directly: Tauri needs an async command's future to be `Send`,
/// and the engine's futures currently are not provably so (rustc's higher-ranked `Send` check
/// fails on oauth2's `request_async` over a borrowed HTTP client). Here the engine future is
/// created and polled on one thread, so it need not be `Send`.
/// TODO(engine): once `Engine`'s futures are `Send`, call the service functions directly.
async fn with_state<R, T, F, Fut>(app: AppHandle<R>, job: F) -> Result<T, IpcError>
where
    R: Runtime,
    T: Send + 'static,
    F: FnOnce(AppStateRef<R>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, IpcError>>,
{
    let runtime = tauri::async_runtime::handle();
    tauri::async_runtime::spawn_blocking(move || runtime.block_on(job(AppStateRef(app))))
        .await
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "a command failed unexpectedly");
            Err(IpcError::new("internal", "the command failed unexpectedly"))
        })
}

/// The app state, reached through an owned app handle (so a job can own it).
pub struct AppStateRef<R: Runtime>(AppHandle<R>);

impl<R: Runtime> std::ops::Deref for AppStateRef<R> {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        self.0.state::<AppState>().inner()
    }
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
             connect-src ipc: http://ipc.localhost; object-src 'none'; base-uri 'none'; \
             frame-ancestors 'none'"
        );
        assert_eq!(app["windows"][0]["label"], "main");
    }
}
