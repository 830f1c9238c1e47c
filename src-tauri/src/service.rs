//! What each command does, as plain async functions on [`AppState`]: integration tests call
//! these directly, without a webview, and check every reply.
//!
//! Every function validates its arguments, calls the engine once and returns a DTO that holds
//! no secret. A failure is logged and kept in the state's recent errors (see [`diagnostics`]).

use std::future::Future;

use lanyard_diagnostics::recent::ErrorRecord;

use crate::dto::{
    AccountDto, AccountsDto, ApiDto, ApiResultDto, AppInfoDto, SignInDto, SignOutDto, TokenInfoDto,
};
use crate::error::IpcError;
use crate::state::AppState;
use crate::validate;
use lanyard::{AccountId, Challenge, InteractiveRequest, SignedIn};

pub use crate::diagnostics::diagnostics;

/// Logs a failed `command` (its message only with PII logging on: it may name an account) and
/// keeps it in the recent errors.
fn note<T>(state: &AppState, command: &str, result: Result<T, IpcError>) -> Result<T, IpcError> {
    if let Err(e) = &result {
        let correlation_id = e.details.as_ref().and_then(|d| d.correlation_id.as_deref());
        tracing::warn!(
            command,
            kind = %e.kind,
            correlation_id,
            message = %lanyard::pii(&e.message),
            "command failed"
        );
        state.recent_errors().push(ErrorRecord::now(
            command,
            &e.kind,
            &e.message,
            correlation_id,
        ));
    }
    result
}

/// Runs `work` and [`note`]s its failure.
async fn noted<T>(
    state: &AppState,
    command: &str,
    work: impl Future<Output = Result<T, IpcError>>,
) -> Result<T, IpcError> {
    note(state, command, work.await)
}

/// The product name shown by the UI.
pub const PRODUCT_NAME: &str = "Lanyard";

/// The configuration summary; never fails (a configuration error is part of the answer).
pub async fn app_info(state: &AppState) -> AppInfoDto {
    let config_path = state.config_path().map(|p| p.display().to_string());
    let mut info = AppInfoDto {
        name: PRODUCT_NAME.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        config_path,
        config_error: None,
        authority: None,
        client_id: None,
        apis: Vec::new(),
        cache_protection: None,
        cache_warning: None,
        personal_account_notice: false,
        log_dir: lanyard_diagnostics::logging::current()
            .and_then(|l| l.dir.as_ref())
            .map(|d| d.display().to_string()),
    };
    match state.engine() {
        Ok(engine) => {
            let config = engine.config();
            info.authority = Some(config.authority.to_string());
            info.client_id = Some(config.client_id.clone());
            info.apis = config.apis.iter().map(ApiDto::from_config).collect();
            info.cache_protection = Some(engine.cache_protection());
            info.cache_warning = state.cache_warning().await;
            info.personal_account_notice = config.allows_personal_microsoft_accounts();
        }
        Err(e) => info.config_error = Some(e),
    }
    info
}

/// The signed-in accounts and the one to show (the last used, else the first).
pub async fn list_accounts(state: &AppState) -> Result<AccountsDto, IpcError> {
    noted(state, "list_accounts", async {
        let engine = state.engine()?;
        let accounts: Vec<AccountDto> = engine
            .accounts()
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        let last = state.preferences().last_account();
        let current_id = last
            .filter(|id| accounts.iter().any(|a| &a.id == id))
            .or_else(|| accounts.first().map(|a| a.id.clone()));
        state.note_personal(accounts.iter().flat_map(AccountDto::personal_values));
        Ok(AccountsDto {
            accounts,
            current_id,
            cache_warning: state.cache_warning().await,
        })
    })
    .await
}

/// Signs in interactively in the browser; the account becomes the remembered one.
pub async fn sign_in(state: &AppState) -> Result<SignInDto, IpcError> {
    noted(state, "sign_in", async {
        let signed_in = state.engine()?.sign_in().await?;
        Ok(signed_in_reply(state, signed_in))
    })
    .await
}

/// The reply to a finished sign-in: the account becomes the remembered one, and its names are
/// kept out of the diagnostics report.
fn signed_in_reply(state: &AppState, signed_in: SignedIn) -> SignInDto {
    state
        .preferences()
        .set_last_account(Some(signed_in.account.id.as_str()));
    let account: AccountDto = signed_in.account.into();
    state.note_personal(account.personal_values());
    SignInDto {
        account,
        token: signed_in.token.into(),
    }
}

/// Cancels the sign-in under way, if any.
pub fn cancel_sign_in(state: &AppState) -> Result<(), IpcError> {
    let cancelled = state.engine().map(|engine| engine.cancel_sign_in());
    note(state, "cancel_sign_in", cancelled)
}

/// Calls `GET <api base><path>` for the account; the account becomes the remembered one.
pub async fn call_api(
    state: &AppState,
    account_id: &str,
    api: &str,
    path: &str,
) -> Result<ApiResultDto, IpcError> {
    state.note_personal([account_id]);
    noted(state, "call_api", async {
        let engine = state.engine()?;
        let account = validate::account_id(account_id)?;
        let api = validate::api_name(engine.config(), api)?;
        let path = validate::api_path(path)?;
        let response = engine
            .call_api(&account, api, path)
            .await
            .map_err(|e| remembered(state, &account, e))?;
        // Whatever was asked earlier has been resolved.
        state.forget_challenge(&account, api);
        state.preferences().set_last_account(Some(account.as_str()));
        Ok(response.into())
    })
    .await
}

/// Keeps the challenge an engine error carries for [`grant_access`]; returns the error for IPC.
fn remembered(state: &AppState, account: &AccountId, e: lanyard::Error) -> IpcError {
    if let Some(challenge) = e.challenge() {
        state.remember_challenge(account, challenge.clone());
    }
    e.into()
}

/// Asks the user in the browser for what `api` needs for the account: the scopes and claims of
/// the challenge its last call met (incremental consent, Conditional Access), else a sign-in
/// again for that API. The account becomes the remembered one.
pub async fn grant_access(
    state: &AppState,
    account_id: &str,
    api: &str,
) -> Result<SignInDto, IpcError> {
    state.note_personal([account_id]);
    noted(state, "grant_access", async {
        let engine = state.engine()?;
        let account = validate::account_id(account_id)?;
        let api = validate::api_name(engine.config(), api)?;
        let accounts = engine.accounts().await?;
        let known = accounts.iter().find(|a| a.id == account).ok_or_else(|| {
            IpcError::new("not_found", format!("no signed-in account {account_id:?}"))
        })?;
        let challenge = state.challenge(&account, api).unwrap_or_else(|| Challenge {
            api: api.to_owned(),
            ..Challenge::default()
        });
        let request = InteractiveRequest::for_challenge(&challenge, known.username.clone());
        let signed_in = engine.sign_in_with(request).await?;
        // Someone else may have signed in in the browser: the challenge is then still open.
        if signed_in.account.id == account {
            state.forget_challenge(&account, api);
        }
        Ok(signed_in_reply(state, signed_in))
    })
    .await
}

/// Whether the identity provider answers now; the UI asks while it shows "offline".
pub async fn check_connection(state: &AppState) -> Result<(), IpcError> {
    noted(state, "check_connection", async {
        Ok(state.engine()?.check_connection().await?)
    })
    .await
}

/// Acquires the API's token silently and returns its metadata only.
pub async fn token_info(
    state: &AppState,
    account_id: &str,
    api: &str,
) -> Result<TokenInfoDto, IpcError> {
    state.note_personal([account_id]);
    noted(state, "token_info", async {
        let engine = state.engine()?;
        let account = validate::account_id(account_id)?;
        let api = validate::api_name(engine.config(), api)?;
        let grant = engine
            .acquire_token_silent(&account, api)
            .await
            .map_err(|e| remembered(state, &account, e))?;
        Ok(TokenInfoDto::of_grant(&grant))
    })
    .await
}

/// [`token_info`] without waiting: the answer when the cache holds a fresh token for the
/// account and API and nobody else holds the cache; `None` otherwise (and for arguments that
/// do not validate), and then [`token_info`] answers.
pub fn token_info_cached(state: &AppState, account_id: &str, api: &str) -> Option<TokenInfoDto> {
    let engine = state.engine().ok()?;
    let account = validate::account_id(account_id).ok()?;
    let api = validate::api_name(engine.config(), api).ok()?;
    let grant = engine.cached_token(&account, api)?;
    state.note_personal([account_id]);
    Some(TokenInfoDto::of_grant(&grant))
}

/// Makes a signed-in account the remembered one (the account picker); returns the accounts
/// with it as the current one.
pub async fn select_account(state: &AppState, account_id: &str) -> Result<AccountsDto, IpcError> {
    state.note_personal([account_id]);
    noted(state, "select_account", async {
        let engine = state.engine()?;
        let account = validate::account_id(account_id)?;
        let signed_in = engine.accounts().await?;
        if !signed_in.iter().any(|a| a.id == account) {
            return Err(IpcError::new(
                "not_found",
                format!("no signed-in account {:?}", account.as_str()),
            ));
        }
        state.preferences().set_last_account(Some(account.as_str()));
        list_accounts(state).await
    })
    .await
}

/// Removes the account and its tokens and revokes its refresh token at the identity provider
/// (when it can); other accounts stay. If it was the remembered account, another signed-in
/// account (if any) becomes the remembered one.
pub async fn sign_out(state: &AppState, account_id: &str) -> Result<SignOutDto, IpcError> {
    state.note_personal([account_id]);
    noted(state, "sign_out", async {
        let engine = state.engine()?;
        let account = validate::account_id(account_id)?;
        let outcome = engine.sign_out(&account).await?;
        let prefs = state.preferences();
        if prefs.last_account().as_deref() == Some(account.as_str()) {
            let remaining = engine.accounts().await?;
            prefs.set_last_account(remaining.first().map(|a| a.id.as_str()));
        }
        Ok(outcome.into())
    })
    .await
}
