//! What a token request sends besides its grant: the one place that shapes both the
//! authorization code redemption and the refresh, for RFC 8707 and scope-only providers.

use super::claims::claims_parameter;
use super::scopes::ScopeSet;
use crate::config::{Api, Config};
use crate::error::Error;
use crate::microsoft;

/// The grant a token request redeems.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Grant {
    /// The authorization code of an interactive sign-in.
    Code,
    /// The refresh token.
    Refresh,
}

/// The parameters of a `grant` token request for `api`'s token with `scopes`:
///
/// - RFC 8707 providers: the API's `resource`; a refresh also names the scopes it wants for it
///   (the code's scopes are those of the authorization);
/// - scope-only providers (the Microsoft identity platform): the scopes of this one API plus
///   `openid profile offline_access`, as they require one resource's scopes per request;
/// - `client_info=1` when configured (Microsoft);
/// - on a refresh, the client capabilities in `claims`, as MSAL sends them.
pub(super) fn token_params(
    config: &Config,
    api: &Api,
    scopes: &ScopeSet,
    grant: Grant,
) -> Result<Vec<(&'static str, String)>, Error> {
    let mut params = Vec::new();
    match (&api.resource, grant) {
        (Some(resource), Grant::Code) => params.push(("resource", resource.clone())),
        (Some(resource), Grant::Refresh) => {
            params.push(("scope", scopes.joined()));
            params.push(("resource", resource.clone()));
        }
        (None, _) => params.push(("scope", scopes.with_oidc().joined())),
    }
    if config.client_info {
        let (name, value) = microsoft::CLIENT_INFO_PARAM;
        params.push((name, value.to_owned()));
    }
    if grant == Grant::Refresh {
        if let Some(claims) = claims_parameter(None, &config.client_capabilities)? {
            params.push(("claims", claims));
        }
    }
    Ok(params)
}

#[cfg(test)]
mod tests;
