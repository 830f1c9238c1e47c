//! The refresh of a silent acquisition: the token request, and what its failure means —
//! offline (a cached token that has not expired still serves), a dead refresh token (removed),
//! consent to ask for.

use oauth2::RefreshToken;

use super::scopes::ScopeSet;
use super::silent_request::SilentRequest;
use super::store::CacheGuard;
use super::token_request::{token_params, Grant};
use super::tokens::grant;
use super::{AccessTokenGrant, Engine};
use crate::config::Api;
use crate::error::{Challenge, Error, ErrorKind, InteractionReason};
use crate::microsoft;
use crate::model::{AccountId, TokenSource};
use crate::oidc::{self, client_for, map_token_error, TokenContext, TokenResponse};

impl Engine {
    /// Redeems `refresh_token` for `api`'s token with `scopes`.
    pub(super) async fn refresh(
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

    /// After a failed refresh (for `scopes`): a cached token that still serves when the
    /// failure is transient; else the error, once a dead refresh token is removed, and with
    /// the consent to ask for when consent is missing.
    pub(super) fn refresh_failed(
        &self,
        store: &mut CacheGuard<'_>,
        account: &AccountId,
        api: &Api,
        request: SilentRequest<'_>,
        scopes: &ScopeSet,
        e: Error,
    ) -> Result<AccessTokenGrant, Error> {
        // The refresh may have taken a while: judge expiry by the time now.
        let now = self.now();
        let cache = store.get(now)?;
        if e.is_transient() {
            // Offline, not answering, throttling or failing: a token that has not expired yet
            // still works, and nothing is deleted.
            let cached = cache.access_token(&self.access_key(account, api));
            if let Some(cached) = cached.filter(|c| c.expires_on > now && request.accepts(api, c)) {
                tracing::warn!(api = %api.name, "refresh failed ({e}); using the cached token until it expires");
                // "offline" when the provider could not be reached; a throttled or failing
                // provider is online.
                let source = match e.kind() {
                    ErrorKind::Network | ErrorKind::Timeout => TokenSource::Offline,
                    _ => TokenSource::Cache,
                };
                return Ok(grant(cached, api, source));
            }
        }
        let personal = cache
            .account(&self.account_key(account))
            .is_some_and(|a| a.realm == microsoft::CONSUMERS_TENANT);
        // A rejected refresh token is dead. So is one refused with `invalid_target`: providers
        // that rotate refresh tokens (node-oidc-provider) have consumed it before checking the
        // resource, and sending it again would be a replay that revokes the whole grant.
        let consumed = matches!(&e, Error::Service { error, .. } if error == "invalid_target");
        if consumed || e.interaction_reason() == Some(InteractionReason::RefreshTokenRejected) {
            cache.remove_refresh_token(&self.refresh_key(account));
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

#[cfg(test)]
mod tests;
