//! What each command does, as async methods on [`Lanyard`]: the commands call these, Rust code
//! of the host calls them through [`crate::LanyardExt`], and integration tests call them
//! without a webview and check every reply.
//!
//! Every method validates its arguments, calls the engine once and returns a DTO that holds
//! no secret. A failure is logged and handed to the host's error hook.

use std::future::Future;

use lanyard::{AccountId, Challenge, InteractiveRequest, SignedIn, TokenSource};

use crate::dto::{
    AccountDto, AccountsDto, ApiDto, ApiResultDto, InfoDto, SignInDto, SignOutDto, TokenInfoDto,
};
use crate::error::IpcError;
use crate::events::{Event, SignedInEvent, SignedOutEvent, TokenRefreshedEvent};
use crate::validate;
use crate::Lanyard;

/// Whether `command` failing with `e` says the identity provider is unreachable: a network
/// failure or timeout, except where it can mean something else — a sign-in timing out is the
/// user taking too long in the browser, and `call_api` may have failed to reach the API
/// rather than the provider.
pub(crate) fn says_provider_unreachable(command: &str, e: &IpcError) -> bool {
    match command {
        "call_api" => false,
        "sign_in" | "grant_access" => e.kind == lanyard::ErrorKind::Network,
        _ => e.is_offline(),
    }
}

impl Lanyard {
    /// Logs a failed `command` (its message only with PII logging on: it may name an
    /// account), notes whether the provider was reachable, and calls the error hook.
    fn note<T>(&self, command: &str, result: Result<T, IpcError>) -> Result<T, IpcError> {
        if let Err(e) = &result {
            tracing::warn!(
                command,
                kind = e.kind.as_str(),
                correlation_id = e.correlation_id.as_deref(),
                message = %lanyard::pii(&e.message),
                "command failed"
            );
            if says_provider_unreachable(command, e) {
                self.set_online(false);
            }
            if let Some(hook) = &self.on_error {
                hook(command, e);
            }
        }
        result
    }

    /// A command refused before it ran (e.g. an API outside the window's scope), noted as
    /// any failure is.
    pub(crate) fn refused(&self, command: &str, e: IpcError) -> IpcError {
        self.note::<()>(command, Err(e)).unwrap_err()
    }

    /// Runs `work` and [`Lanyard::note`]s its failure.
    async fn noted<T>(
        &self,
        command: &str,
        work: impl Future<Output = Result<T, IpcError>>,
    ) -> Result<T, IpcError> {
        self.note(command, work.await)
    }

    /// What a token's source says about the provider, and a refresh event.
    fn observe_token(&self, account: &AccountId, token: &TokenInfoDto) {
        match token.source {
            TokenSource::Offline => self.set_online(false),
            TokenSource::Refresh | TokenSource::SignIn => self.set_online(true),
            TokenSource::Cache => {}
        }
        if token.source == TokenSource::Refresh {
            self.emit(Event::TokenRefreshed(TokenRefreshedEvent {
                account_id: account.as_str().to_owned(),
                token: token.clone(),
            }));
        }
    }

    /// The configuration summary; never fails (a configuration error is part of the answer).
    pub async fn info(&self) -> InfoDto {
        let mut info = InfoDto {
            config_error: None,
            authority: None,
            client_id: None,
            apis: Vec::new(),
            cache_protection: None,
            cache_warning: None,
            personal_account_notice: false,
        };
        match self.engine() {
            Ok(engine) => {
                let config = engine.config();
                info.authority = Some(config.authority.to_string());
                info.client_id = Some(config.client_id.clone());
                info.apis = config.apis.iter().map(ApiDto::from_config).collect();
                info.cache_protection = Some(engine.cache_protection());
                info.cache_warning = self.cache_warning().await;
                info.personal_account_notice = config.allows_personal_microsoft_accounts();
            }
            Err(e) => info.config_error = Some(e),
        }
        info
    }

    /// The signed-in accounts and the one to show (the last used, else the first).
    pub async fn list_accounts(&self) -> Result<AccountsDto, IpcError> {
        self.noted("list_accounts", self.accounts_reply()).await
    }

    /// [`Lanyard::list_accounts`]'s answer, not noted (its callers note their own failure).
    async fn accounts_reply(&self) -> Result<AccountsDto, IpcError> {
        let engine = self.engine()?;
        let accounts: Vec<AccountDto> = engine
            .accounts()
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        let last = self.account_memory().last_account();
        let current_id = last
            .filter(|id| accounts.iter().any(|a| &a.id == id))
            .or_else(|| accounts.first().map(|a| a.id.clone()));
        self.note_personal(accounts.iter().flat_map(AccountDto::personal_values));
        Ok(AccountsDto {
            accounts,
            current_id,
            cache_warning: self.cache_warning().await,
        })
    }

    /// Signs in interactively in the browser; the account becomes the remembered one.
    pub async fn sign_in(&self) -> Result<SignInDto, IpcError> {
        self.noted("sign_in", async {
            let signed_in = self.engine()?.sign_in().await?;
            Ok(self.signed_in_reply(signed_in))
        })
        .await
    }

    /// The reply to a finished sign-in: the account becomes the remembered one, its names
    /// are noted as personal, and `lanyard://signed-in` is emitted.
    fn signed_in_reply(&self, signed_in: SignedIn) -> SignInDto {
        self.account_memory()
            .set_last_account(Some(signed_in.account.id.as_str()));
        let account: AccountDto = signed_in.account.into();
        self.note_personal(account.personal_values());
        self.set_online(true);
        self.emit(Event::SignedIn(SignedInEvent {
            account: account.clone(),
        }));
        SignInDto {
            account,
            token: signed_in.token.into(),
        }
    }

    /// Cancels the sign-in under way, if any.
    pub fn cancel_sign_in(&self) -> Result<(), IpcError> {
        let cancelled = self.engine().map(|engine| engine.cancel_sign_in());
        self.note("cancel_sign_in", cancelled)
    }

    /// Calls `GET <api base><path>` for the account; the account becomes the remembered one.
    pub async fn call_api(
        &self,
        account_id: &str,
        api: &str,
        path: &str,
    ) -> Result<ApiResultDto, IpcError> {
        self.noted("call_api", async {
            let engine = self.engine()?;
            let account = validate::account_id(account_id)?;
            self.note_personal([account.as_str()]);
            let api = validate::api_name(engine.config(), api)?;
            let path = validate::api_path(path)?;
            let response = engine
                .call_api(&account, api, path)
                .await
                .map_err(|e| self.remembered(&account, e))?;
            // Whatever was asked earlier has been resolved.
            self.forget_challenge(&account, api);
            self.account_memory()
                .set_last_account(Some(account.as_str()));
            let reply = ApiResultDto::from(response);
            self.observe_token(&account, &reply.token);
            Ok(reply)
        })
        .await
    }

    /// Keeps the challenge an engine error carries for [`Lanyard::grant_access`].
    fn remembered(&self, account: &AccountId, e: lanyard::Error) -> IpcError {
        if let Some(challenge) = e.challenge() {
            self.remember_challenge(account, challenge.clone());
        }
        e.into()
    }

    /// Asks the user in the browser for what `api` needs for the account: the scopes and
    /// claims of the challenge its last call met (incremental consent, Conditional Access),
    /// else a sign-in again for that API. The account becomes the remembered one.
    pub async fn grant_access(&self, account_id: &str, api: &str) -> Result<SignInDto, IpcError> {
        self.noted("grant_access", async {
            let engine = self.engine()?;
            let account = validate::account_id(account_id)?;
            self.note_personal([account.as_str()]);
            let api = validate::api_name(engine.config(), api)?;
            let accounts = engine.accounts().await?;
            let known = accounts.iter().find(|a| a.id == account).ok_or_else(|| {
                IpcError::not_found(format!("no signed-in account {account_id:?}"))
            })?;
            let challenge = self.challenge(&account, api).unwrap_or_else(|| Challenge {
                api: api.to_owned(),
                ..Challenge::default()
            });
            let request = InteractiveRequest::for_challenge(&challenge, known.username.clone());
            let signed_in = engine.sign_in_with(request).await?;
            // Someone else may have signed in in the browser: the challenge is then still open.
            if signed_in.account.id == account {
                self.forget_challenge(&account, api);
            }
            Ok(self.signed_in_reply(signed_in))
        })
        .await
    }

    /// Whether the identity provider answers now; a UI asks while it shows "offline".
    pub async fn check_connection(&self) -> Result<(), IpcError> {
        self.noted("check_connection", async {
            self.engine()?.check_connection().await?;
            self.set_online(true);
            Ok(())
        })
        .await
    }

    /// Acquires the API's token silently and returns its metadata only.
    pub async fn token_info(&self, account_id: &str, api: &str) -> Result<TokenInfoDto, IpcError> {
        self.noted("token_info", async {
            let engine = self.engine()?;
            let account = validate::account_id(account_id)?;
            self.note_personal([account.as_str()]);
            let api = validate::api_name(engine.config(), api)?;
            let grant = engine
                .acquire_token_silent(&account, api)
                .await
                .map_err(|e| self.remembered(&account, e))?;
            let reply = TokenInfoDto::of_grant(&grant);
            self.observe_token(&account, &reply);
            Ok(reply)
        })
        .await
    }

    /// [`Lanyard::token_info`] without waiting: the answer when the cache holds a fresh token
    /// for the account and API and nobody else holds the cache; `None` otherwise (and for
    /// arguments that do not validate), and then [`Lanyard::token_info`] answers.
    pub fn token_info_cached(&self, account_id: &str, api: &str) -> Option<TokenInfoDto> {
        let engine = self.engine().ok()?;
        let account = validate::account_id(account_id).ok()?;
        let api = validate::api_name(engine.config(), api).ok()?;
        let grant = engine.cached_token(&account, api)?;
        Some(TokenInfoDto::of_grant(&grant))
    }

    /// Makes a signed-in account the remembered one (an account picker); returns the accounts
    /// with it as the current one.
    pub async fn select_account(&self, account_id: &str) -> Result<AccountsDto, IpcError> {
        self.noted("select_account", async {
            let engine = self.engine()?;
            let account = validate::account_id(account_id)?;
            self.note_personal([account.as_str()]);
            let signed_in = engine.accounts().await?;
            if !signed_in.iter().any(|a| a.id == account) {
                return Err(IpcError::not_found(format!(
                    "no signed-in account {:?}",
                    account.as_str()
                )));
            }
            self.account_memory()
                .set_last_account(Some(account.as_str()));
            self.accounts_reply().await
        })
        .await
    }

    /// Removes the account and its tokens and revokes its refresh token at the identity
    /// provider (when it can); other accounts stay. If it was the remembered account, another
    /// signed-in account (if any) becomes the remembered one.
    pub async fn sign_out(&self, account_id: &str) -> Result<SignOutDto, IpcError> {
        self.noted("sign_out", async {
            let engine = self.engine()?;
            let account = validate::account_id(account_id)?;
            self.note_personal([account.as_str()]);
            let outcome = engine.sign_out(&account).await?;
            let reply = SignOutDto::from(outcome);
            self.emit(Event::SignedOut(SignedOutEvent {
                account_id: account.as_str().to_owned(),
                revoked: reply.revoked,
            }));
            // The account is gone either way; the memory follows when the cache can say who
            // is left.
            let memory = self.account_memory();
            if memory.last_account().as_deref() == Some(account.as_str()) {
                match engine.accounts().await {
                    Ok(remaining) => {
                        memory.set_last_account(remaining.first().map(|a| a.id.as_str()))
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot pick the next account after sign-out");
                        memory.set_last_account(None);
                    }
                }
            }
            Ok(reply)
        })
        .await
    }
}

#[cfg(test)]
mod tests;
