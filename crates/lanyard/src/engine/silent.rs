//! Silent acquisition: a valid cached token (5-minute margin), else the refresh token
//! (rotated token kept), else "interaction required" with its reason.

use oauth2::{RefreshToken, TokenResponse as _};

use super::scopes::ScopeSet;
use super::token_request::{token_params, Grant};
use super::tokens::{grant, Issued};
use super::{AccessTokenGrant, Engine};
use crate::cache::{AccessRecord, TokenCache};
use crate::config::Api;
use crate::error::{Challenge, Error, ErrorKind, InteractionReason};
use crate::microsoft;
use crate::model::{AccountId, TokenSource};
use crate::oidc::{self, client_for, map_token_error, TokenContext, TokenResponse};

/// A cached token is used only while it has at least this long to live.
pub const EXPIRY_MARGIN_SECS: u64 = 300;

/// What a silent acquisition must satisfy besides the API's configured scopes.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct SilentRequest<'a> {
    /// Scopes the token must also carry (consented incrementally).
    pub extra_scopes: &'a [String],
    /// A token the API refused with `invalid_token`: a cached token equal to it is not used, so
    /// the refresh is forced — unless another caller has already replaced it.
    pub refused: Option<&'a str>,
}

impl Engine {
    /// A valid access token for the API named `api`, without user interaction: a cached token
    /// with at least five minutes to live, else one redeemed with the account's refresh token
    /// (the rotated refresh token is stored before anything else). When the provider cannot be
    /// reached, a cached token that has not expired yet is still returned
    /// ([`TokenSource::Offline`]).
    ///
    /// Fails with [`ErrorKind::InteractionRequired`] and its [`InteractionReason`] when only the
    /// user can help (`no_account`, `no_refresh_token`, `refresh_token_rejected`,
    /// `consent_required`...).
    ///
    /// ```no_run
    /// # async fn example(engine: lanyard::Engine, account: lanyard::AccountId) -> Result<(), lanyard::Error> {
    /// use lanyard::{ErrorKind, TokenSource};
    ///
    /// match engine.acquire_token_silent(&account, "vendor").await {
    ///     Ok(grant) => {
    ///         // `grant.secret()` is the bearer token: send it, never show or log it.
    ///         let info = grant.info();
    ///         println!("{} token for {:?}, expires at {}", info.source.as_str(), info.scopes, info.expires_on);
    ///     }
    ///     Err(e) if e.kind() == ErrorKind::InteractionRequired => {
    ///         println!("sign in again: {:?}", e.interaction_reason());
    ///     }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn acquire_token_silent(
        &self,
        account: &AccountId,
        api: &str,
    ) -> Result<AccessTokenGrant, Error> {
        let api = self.inner.config.api(api)?;
        self.silent(account, api, SilentRequest::default()).await
    }

    /// A token for the configured API whose scopes include all of `scopes` (a subset request
    /// is answered by that API's cached token; MSAL's `acquire_token_silent(scopes)`). Same
    /// rules as [`Engine::acquire_token_silent`].
    pub async fn acquire_token_silent_for_scopes(
        &self,
        account: &AccountId,
        scopes: &[&str],
    ) -> Result<AccessTokenGrant, Error> {
        let api = self.inner.config.api_for_scopes(scopes)?.name.clone();
        self.acquire_token_silent(account, &api).await
    }

    /// A fresh cached token for `api`, found without waiting and without I/O beyond one `stat`
    /// of the cache file: `None` when there is none, when another task holds the cache or when
    /// another process changed it since this one read it. Then [`Engine::acquire_token_silent`]
    /// decides (and may refresh). For callers that must not wait, such as a UI thread.
    pub fn cached_token(&self, account: &AccountId, api: &str) -> Option<AccessTokenGrant> {
        let api = self.inner.config.api(api).ok()?;
        let store = self.inner.cache.try_read()?;
        self.fresh_grant(
            store.get_if_fresh()?,
            account,
            api,
            SilentRequest::default(),
        )
    }

    /// A token in `cache` that satisfies `request` for the account and `api` now.
    fn fresh_grant(
        &self,
        cache: &TokenCache,
        account: &AccountId,
        api: &Api,
        request: SilentRequest<'_>,
    ) -> Option<AccessTokenGrant> {
        let now = self.now();
        cache.account(&self.account_key(account))?;
        let cached = cache.access_token(&self.access_key(account, api))?;
        let wanted = ScopeSet::of(api).union(request.extra_scopes);
        let usable = is_fresh(cached, now)
            && wanted.is_covered_by(&cached.scopes)
            && request.refused != Some(cached.secret.secret().as_str());
        usable.then(|| grant(cached, api, TokenSource::Cache))
    }

    /// Silent acquisition for `request`: a cached token that satisfies it, else a refresh.
    pub(super) async fn silent(
        &self,
        account: &AccountId,
        api: &Api,
        request: SilentRequest<'_>,
    ) -> Result<AccessTokenGrant, Error> {
        let now = self.now();
        let account_key = self.account_key(account);
        let access_key = self.access_key(account, api);
        let refresh_key = self.refresh_key(account);
        let wanted = ScopeSet::of(api).union(request.extra_scopes);

        // Fast path: a valid token in a cache no other process has changed since this one
        // read it — no OS lock, no I/O but one `stat`.
        {
            let store = self.inner.cache.read().await;
            let found = store
                .get_if_fresh()
                .and_then(|cache| self.fresh_grant(cache, account, api, request));
            if let Some(found) = found {
                return Ok(found);
            }
        }

        // The OS lock is held across the refresh: one refresh per account and API at a time
        // across processes, and a rotated refresh token is stored before anyone can send it
        // again. Under it the cache is reloaded if another process changed it.
        let mut store = self.inner.cache.lock().await;
        let cache = store.get(now)?;
        if cache.account(&account_key).is_none() {
            return Err(Error::interaction(
                InteractionReason::NoAccount,
                format!("account {account} is not signed in"),
            ));
        }
        // Someone else may have refreshed while this one waited for the lock.
        if let Some(found) = self.fresh_grant(cache, account, api, request) {
            return Ok(found);
        }
        // Scopes consented incrementally earlier stay in the request.
        let mut scopes = wanted.clone();
        if let Some(cached) = cache.access_token(&access_key) {
            let kept: Vec<String> = cached
                .scopes
                .iter()
                .filter(|s| api.optional_scopes.contains(s))
                .cloned()
                .collect();
            scopes = scopes.union(&kept);
        }
        let refresh_token = cache
            .refresh_token(&refresh_key)
            .map(|r| r.secret.clone())
            .ok_or_else(|| {
                Error::interaction(
                    InteractionReason::NoRefreshToken,
                    "no refresh token is cached for this account",
                )
            })?;

        let result = self.refresh(&refresh_token, api, &scopes).await;
        let cache = store.get(now)?;
        match result {
            Ok(response) => {
                let now = self.now();
                let issued = Issued {
                    api,
                    scopes: &scopes,
                    response: &response,
                    source: TokenSource::Refresh,
                };
                let stored = self.store_token_response(cache, account, issued, now);
                // Saved even when the response is refused: it may carry the rotated token.
                store.save()?;
                let token = response.access_token().clone();
                Ok(AccessTokenGrant {
                    token,
                    info: stored?,
                })
            }
            Err(e) => {
                // The refresh may have taken a while: judge expiry by the time now.
                let now = self.now();
                if e.is_transient() {
                    // Offline, not answering, throttling or failing: a token that has not
                    // expired yet still works, and nothing is deleted.
                    if let Some(cached) = cache.access_token(&access_key) {
                        if cached.expires_on > now
                            && wanted.is_covered_by(&cached.scopes)
                            && request.refused != Some(cached.secret.secret().as_str())
                        {
                            tracing::warn!(api = %api.name, "refresh failed ({e}); using the cached token until it expires");
                            // "offline" when the provider could not be reached; a throttled
                            // or failing provider is online.
                            let source = match e.kind() {
                                ErrorKind::Network | ErrorKind::Timeout => TokenSource::Offline,
                                _ => TokenSource::Cache,
                            };
                            return Ok(grant(cached, api, source));
                        }
                    }
                }
                let personal = cache
                    .account(&account_key)
                    .is_some_and(|a| a.realm == microsoft::CONSUMERS_TENANT);
                // A rejected refresh token is dead. So is one refused with `invalid_target`:
                // providers that rotate refresh tokens (node-oidc-provider) have consumed it
                // before checking the resource, and sending it again would be a replay that
                // revokes the whole grant.
                let consumed =
                    matches!(&e, Error::Service { error, .. } if error == "invalid_target");
                if consumed
                    || e.interaction_reason() == Some(InteractionReason::RefreshTokenRejected)
                {
                    cache.remove_refresh_token(&refresh_key);
                    store.save()?;
                }
                if e.interaction_reason() == Some(InteractionReason::ConsentRequired) {
                    let extra: Vec<String> = scopes
                        .as_slice()
                        .iter()
                        .filter(|s| !api.scopes.contains(s))
                        .cloned()
                        .collect();
                    return Err(consent_error(e, api, extra, personal));
                }
                Err(e)
            }
        }
    }

    async fn refresh(
        &self,
        refresh_token: &RefreshToken,
        api: &Api,
        scopes: &ScopeSet,
    ) -> Result<TokenResponse, Error> {
        let provider = self.provider().await?;
        let client = client_for(provider, &self.inner.config.client_id, None);
        let mut request = client
            .exchange_refresh_token(refresh_token)
            .map_err(|e| Error::Protocol(format!("the provider has no token endpoint: {e}")))?;
        for (name, value) in token_params(&self.inner.config, api, scopes, Grant::Refresh)? {
            request = request.add_extra_param(name, value);
        }
        let http = oidc::Http(&*self.inner.deps.http);
        tracing::debug!(api = %api.name, "refreshing");
        request
            .request_async(&http)
            .await
            .map_err(|e| map_token_error(e, TokenContext::Refresh))
    }
}

/// A consent-required error with the API to grant access to; for a Microsoft personal account,
/// the expected re-consent.
pub(super) fn consent_error(
    e: Error,
    api: &Api,
    scopes: Vec<String>,
    personal_account: bool,
) -> Error {
    let challenge = Challenge {
        api: api.name.clone(),
        scopes,
        claims: None,
    };
    if personal_account {
        return Error::interaction_with(
            InteractionReason::PersonalAccountConsent,
            "Microsoft personal accounts are asked to consent again on each run of a desktop \
             app; this is expected. Grant access in the browser to continue.",
            challenge,
        );
    }
    let message = match &e {
        Error::InteractionRequired { message, .. } => message.clone(),
        other => other.to_string(),
    };
    Error::interaction_with(InteractionReason::ConsentRequired, message, challenge)
}

/// Whether a cached token may still be used: at least [`EXPIRY_MARGIN_SECS`] to live, or half
/// its lifetime for tokens that live shorter than twice the margin (so they are not refreshed
/// on every call).
pub(super) fn is_fresh(record: &AccessRecord, now: u64) -> bool {
    let lifetime = record.expires_on.saturating_sub(record.cached_at);
    let margin = EXPIRY_MARGIN_SECS.min(lifetime / 2);
    record.expires_on > now.saturating_add(margin)
}

#[cfg(test)]
mod tests;
