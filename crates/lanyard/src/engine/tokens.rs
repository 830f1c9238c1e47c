//! Keeping what a token endpoint issued: the rotated refresh token first, then the access
//! token under its typed key, with the scopes actually granted.

use oauth2::TokenResponse as _;
use openidconnect::core::CoreTokenType;

use super::scopes::ScopeSet;
use super::{AccessTokenGrant, Engine};
use crate::cache::{AccessRecord, TokenCache};
use crate::config::Api;
use crate::error::Error;
use crate::model::{AccountId, TokenInfo, TokenSource};
use crate::oidc::TokenResponse;

/// Lifetime assumed when a token response omits `expires_in`.
const DEFAULT_EXPIRES_IN_SECS: u64 = 3600;
/// The longest `expires_in` believed: a wrong value cannot keep a revoked token in use for
/// years (and `now + expires_in` cannot overflow).
const MAX_EXPIRES_IN_SECS: u64 = 24 * 60 * 60;

/// A token response for an API, as requested.
#[derive(Clone, Copy)]
pub(super) struct Issued<'a> {
    /// The API the token is for.
    pub api: &'a Api,
    /// The scopes it was requested for.
    pub scopes: &'a ScopeSet,
    /// The token endpoint's answer.
    pub response: &'a TokenResponse,
    /// How it was obtained.
    pub source: TokenSource,
}

impl Engine {
    /// Stores `issued`'s rotated refresh token, then its access token, in `cache` for
    /// `account`; returns the access token's metadata. A refused response (not Bearer, already
    /// expired) still leaves the rotated refresh token stored.
    pub(super) fn store_token_response(
        &self,
        cache: &mut TokenCache,
        account: &AccountId,
        issued: Issued<'_>,
        now: u64,
    ) -> Result<TokenInfo, Error> {
        let Issued {
            api,
            scopes,
            response,
            source,
        } = issued;
        // The provider has already consumed the old refresh token: keep the rotated one
        // before anything else can fail.
        if let Some(rotated) = response.refresh_token() {
            cache.put_refresh_token(self.refresh_key(account), rotated.clone());
        }
        if *response.token_type() != CoreTokenType::Bearer {
            return Err(Error::Protocol(format!(
                "unexpected token_type {:?}; only Bearer is supported",
                response.token_type().as_ref()
            )));
        }
        // Absent: the usual hour. Huge: cut to a day. Zero or negative (made 0 by
        // `oidc::normalize`): already expired, refused.
        let expires_in = response
            .expires_in()
            .map_or(DEFAULT_EXPIRES_IN_SECS, |d| d.as_secs())
            .min(MAX_EXPIRES_IN_SECS);
        if expires_in == 0 {
            return Err(Error::Protocol(
                "the token response's expires_in says the access token has already expired".into(),
            ));
        }
        let expires_on = now.saturating_add(expires_in);
        let realm = cache
            .account(&self.account_key(account))
            .map(|a| a.realm.clone())
            .unwrap_or_default();
        let record = AccessRecord {
            key: self.access_key(account, api),
            secret: response.access_token().clone(),
            scopes: granted_scopes(api, scopes, response),
            resource: api.resource.clone(),
            realm,
            cached_at: now,
            expires_on,
            extended_expires_on: expires_on,
        };
        let info = grant(&record, api, source).info;
        cache.put_access_token(record);
        Ok(info)
    }
}

/// The scopes to record for a token requested for `requested`: an optional scope the response
/// says was not granted (the user unticked it) is left out, so it is asked for again when the
/// API needs it. Other scopes are kept as requested (providers write them in other forms).
fn granted_scopes(api: &Api, requested: &ScopeSet, response: &TokenResponse) -> Vec<String> {
    let requested = requested.as_slice();
    let Some(granted) = response.scopes() else {
        return requested.to_vec();
    };
    requested
        .iter()
        .filter(|s| {
            !api.optional_scopes.contains(s)
                || granted
                    .iter()
                    .any(|g| api.optional_scope(g) == Some(s.as_str()))
        })
        .cloned()
        .collect()
}

/// The grant of a cached token for `api`, obtained as `source` says.
pub(super) fn grant(record: &AccessRecord, api: &Api, source: TokenSource) -> AccessTokenGrant {
    AccessTokenGrant {
        token: record.secret.clone(),
        info: TokenInfo {
            api: api.name.clone(),
            scopes: record.scopes.clone(),
            expires_on: record.expires_on,
            source,
        },
    }
}

#[cfg(test)]
mod tests;
