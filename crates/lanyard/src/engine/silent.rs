//! Silent acquisition: a valid cached token (5-minute margin), else the refresh token
//! (rotated token kept), else "interaction required" with its reason. The steps: a cached
//! token without the OS lock; under the lock, a token another process stored, else what to
//! refresh; the refresh ([`super::refresh`]); keeping its answer or handling its failure.

use oauth2::{RefreshToken, TokenResponse as _};

use super::scopes::ScopeSet;
use super::silent_request::SilentRequest;
use super::store::CacheGuard;
use super::tokens::{grant, Issued};
use super::{AccessTokenGrant, Engine};
use crate::cache::{AccessRecord, TokenCache};
use crate::config::Api;
use crate::error::{Error, InteractionReason};
use crate::model::{AccountId, TokenSource};

/// A cached token is used only while it has at least this long to live.
pub const EXPIRY_MARGIN_SECS: u64 = 300;

/// What the locked step found.
enum Next {
    /// A token that answers the request (another process or task refreshed it meanwhile).
    Cached(AccessTokenGrant),
    /// Redeem this refresh token for these scopes.
    Refresh {
        refresh_token: RefreshToken,
        scopes: ScopeSet,
    },
}

impl Engine {
    /// A valid access token for the API named `api`, without user interaction: a cached token
    /// with at least five minutes to live, else one redeemed with the account's refresh token
    /// (the rotated refresh token is stored before anything else). When the provider cannot be
    /// reached, a cached token that has not expired yet is still returned
    /// ([`TokenSource::Offline`]).
    ///
    /// Fails with [`ErrorKind::InteractionRequired`](crate::ErrorKind::InteractionRequired) and its [`InteractionReason`] when only the
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
        cache.account(&self.account_key(account))?;
        let cached = cache.access_token(&self.access_key(account, api))?;
        let usable = is_fresh(cached, self.now()) && request.accepts(api, cached);
        usable.then(|| grant(cached, api, TokenSource::Cache))
    }

    /// Silent acquisition for `request`: a cached token that satisfies it, else a refresh.
    pub(super) async fn silent(
        &self,
        account: &AccountId,
        api: &Api,
        request: SilentRequest<'_>,
    ) -> Result<AccessTokenGrant, Error> {
        if let Some(found) = self.unlocked_grant(account, api, request).await {
            return Ok(found);
        }
        // The OS lock is held across the refresh: one refresh per account and API at a time
        // across processes, and a rotated refresh token is stored before anyone can send it
        // again. Under it the cache is reloaded if another process changed it.
        let mut store = self.inner.cache.lock().await;
        let (refresh_token, scopes) =
            match self.next_step(store.get(self.now())?, account, api, request)? {
                Next::Cached(found) => return Ok(found),
                Next::Refresh {
                    refresh_token,
                    scopes,
                } => (refresh_token, scopes),
            };
        match self.refresh(&refresh_token, api, &scopes).await {
            Ok(response) => {
                let issued = Issued {
                    api,
                    scopes: &scopes,
                    response: &response,
                    source: TokenSource::Refresh,
                };
                self.keep(&mut store, account, issued)
            }
            Err(e) => self.refresh_failed(&mut store, account, api, request, &scopes, e),
        }
    }

    /// The fast path: a valid token in a cache no other process has changed since this one
    /// read it — no OS lock, no I/O but one `stat`.
    async fn unlocked_grant(
        &self,
        account: &AccountId,
        api: &Api,
        request: SilentRequest<'_>,
    ) -> Option<AccessTokenGrant> {
        let store = self.inner.cache.read().await;
        store
            .get_if_fresh()
            .and_then(|cache| self.fresh_grant(cache, account, api, request))
    }

    /// Under the lock: the account must be signed in; a token stored while this one waited for
    /// the lock answers; else the refresh token to redeem, and the scopes to ask for (the
    /// request's, and those consented incrementally earlier).
    fn next_step(
        &self,
        cache: &TokenCache,
        account: &AccountId,
        api: &Api,
        request: SilentRequest<'_>,
    ) -> Result<Next, Error> {
        if cache.account(&self.account_key(account)).is_none() {
            return Err(Error::interaction(
                InteractionReason::NoAccount,
                format!("account {account} is not signed in"),
            ));
        }
        if let Some(found) = self.fresh_grant(cache, account, api, request) {
            return Ok(Next::Cached(found));
        }
        let mut scopes = request.wanted(api);
        if let Some(cached) = cache.access_token(&self.access_key(account, api)) {
            let kept: Vec<String> = cached
                .scopes
                .iter()
                .filter(|s| api.optional_scopes.contains(s))
                .cloned()
                .collect();
            scopes = scopes.union(&kept);
        }
        let refresh_token = cache
            .refresh_token(&self.refresh_key(account))
            .map(|r| r.secret.clone())
            .ok_or_else(|| {
                Error::interaction(
                    InteractionReason::NoRefreshToken,
                    "no refresh token is cached for this account",
                )
            })?;
        Ok(Next::Refresh {
            refresh_token,
            scopes,
        })
    }

    /// Stores a refresh's answer and saves the cache — even when the answer is refused, since
    /// it may carry the rotated refresh token.
    fn keep(
        &self,
        store: &mut CacheGuard<'_>,
        account: &AccountId,
        issued: Issued<'_>,
    ) -> Result<AccessTokenGrant, Error> {
        let now = self.now();
        let stored = self.store_token_response(store.get(now)?, account, issued, now);
        store.save()?;
        Ok(AccessTokenGrant {
            token: issued.response.access_token().clone(),
            info: stored?,
        })
    }
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
