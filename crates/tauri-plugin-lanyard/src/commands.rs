//! The `#[tauri::command]` adapters: unpack, check the window's API scope where the command
//! names an API, call one [`Lanyard`] method, return its DTO. Arguments arrive in camelCase
//! (`accountId`).

use tauri::ipc::{Channel, CommandScope, GlobalScope, Invoke};
use tauri::{Runtime, State};

use crate::dto::{AccountsDto, ApiResultDto, InfoDto, SignInDto, SignOutDto, TokenInfoDto};
use crate::error::IpcError;
use crate::events::Event;
use crate::scope::{self, ApiScope};
use crate::Lanyard;

include!("command_list.rs");

macro_rules! names {
    ($($command:ident),*) => {
        [$(stringify!($command)),*]
    };
}

/// Every command's name, as JavaScript invokes it after `plugin:lanyard|`.
pub const NAMES: &[&str] = &with_commands!(names);

macro_rules! handler {
    ($($command:ident),*) => {
        tauri::generate_handler![$($command),*]
    };
}

/// The handler of every command in [`NAMES`]; false for any other name.
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    with_commands!(handler)
}

/// The configuration summary (and the configuration error, if any).
#[tauri::command]
async fn info(state: State<'_, Lanyard>) -> Result<InfoDto, IpcError> {
    Ok(state.info().await)
}

/// The signed-in accounts.
#[tauri::command]
async fn list_accounts(state: State<'_, Lanyard>) -> Result<AccountsDto, IpcError> {
    state.list_accounts().await
}

/// Picks the account the other commands act for (remembered by the host's account memory).
#[tauri::command]
async fn select_account(
    state: State<'_, Lanyard>,
    account_id: String,
) -> Result<AccountsDto, IpcError> {
    state.select_account(&account_id).await
}

/// Interactive sign-in in the system browser.
#[tauri::command]
async fn sign_in(state: State<'_, Lanyard>) -> Result<SignInDto, IpcError> {
    state.sign_in().await
}

/// Cancels the sign-in under way.
#[tauri::command]
fn cancel_sign_in(state: State<'_, Lanyard>) -> Result<(), IpcError> {
    state.cancel_sign_in()
}

/// Calls an API path for an account.
#[tauri::command]
async fn call_api(
    state: State<'_, Lanyard>,
    command_scope: CommandScope<ApiScope>,
    global_scope: GlobalScope<ApiScope>,
    account_id: String,
    api: String,
    path: String,
) -> Result<ApiResultDto, IpcError> {
    scope::check(&command_scope, &global_scope, &api).map_err(|e| state.refused("call_api", e))?;
    state.call_api(&account_id, &api, &path).await
}

/// The metadata of an API's token for an account (acquired silently). A cache hit is usually
/// answered before this runs, on the main thread ([`crate::main_thread`]).
#[tauri::command]
async fn token_info(
    state: State<'_, Lanyard>,
    command_scope: CommandScope<ApiScope>,
    global_scope: GlobalScope<ApiScope>,
    account_id: String,
    api: String,
) -> Result<TokenInfoDto, IpcError> {
    scope::check(&command_scope, &global_scope, &api)
        .map_err(|e| state.refused("token_info", e))?;
    state.token_info(&account_id, &api).await
}

/// Asks the user in the browser for what an API needs (consent, a stronger sign-in).
#[tauri::command]
async fn grant_access(
    state: State<'_, Lanyard>,
    command_scope: CommandScope<ApiScope>,
    global_scope: GlobalScope<ApiScope>,
    account_id: String,
    api: String,
) -> Result<SignInDto, IpcError> {
    scope::check(&command_scope, &global_scope, &api)
        .map_err(|e| state.refused("grant_access", e))?;
    state.grant_access(&account_id, &api).await
}

/// Whether the identity provider answers now.
#[tauri::command]
async fn check_connection(state: State<'_, Lanyard>) -> Result<(), IpcError> {
    state.check_connection().await
}

/// Signs one account out (its refresh token is revoked when the provider allows).
#[tauri::command]
async fn sign_out(state: State<'_, Lanyard>, account_id: String) -> Result<SignOutDto, IpcError> {
    state.sign_out(&account_id).await
}

/// Sends the plugin's events to `on_event` until `unsubscribe` (or the window goes away);
/// `tokenRefreshed` only for the APIs the window's scope allows. Returns the subscription id.
#[tauri::command]
fn subscribe(
    state: State<'_, Lanyard>,
    command_scope: CommandScope<ApiScope>,
    global_scope: GlobalScope<ApiScope>,
    on_event: Channel<Event>,
) -> u32 {
    state.subscribe(on_event, scope::Allowed::of(&command_scope, &global_scope))
}

/// Stops sending events to the subscription `id`.
#[tauri::command]
fn unsubscribe(state: State<'_, Lanyard>, id: u32) {
    state.unsubscribe(id);
}

#[cfg(test)]
mod tests;
