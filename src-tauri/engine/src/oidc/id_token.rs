//! ID token validation: signature against the JWKS, `iss`, `aud`, `exp`, `nonce` (all by
//! `openidconnect`), plus the Microsoft templated issuer (`{tenantid}` ← `tid`).

use std::sync::Arc;

use openidconnect::Nonce;

use super::discovery::{Provider, TENANT_PLACEHOLDER};
use super::types::{IdToken, OidcClient};
use crate::clock::Clock;
use crate::error::Error;

/// What Lanyard keeps from a validated ID token.
#[derive(Clone, Debug)]
pub(crate) struct VerifiedIdentity {
    pub issuer: String,
    pub subject: String,
    pub tenant_id: Option<String>,
    pub username: Option<String>,
    pub name: Option<String>,
}

/// Validates `token` for this client and `nonce`.
pub(crate) fn verify_id_token(
    client: &OidcClient,
    provider: &Provider,
    token: &IdToken,
    nonce: &Nonce,
    clock: Arc<dyn Clock>,
) -> Result<VerifiedIdentity, Error> {
    let verifier = client
        .id_token_verifier()
        .require_issuer_match(!provider.issuer_is_template())
        .set_time_fn(move || chrono::DateTime::<chrono::Utc>::from(clock.now()));
    let claims = token
        .claims(&verifier, nonce)
        .map_err(|e| Error::Protocol(format!("the ID token is not valid: {e}")))?;
    let issuer = claims.issuer().as_str().to_owned();
    let tenant_id = claims.additional_claims().tid.clone();
    if provider.issuer_is_template() {
        let expected = provider
            .issuer()
            .replace(TENANT_PLACEHOLDER, tenant_id.as_deref().unwrap_or_default());
        if tenant_id.is_none() || issuer != expected {
            return Err(Error::Protocol(
                "the ID token is not valid: its issuer does not match the tenant it names".into(),
            ));
        }
    }
    Ok(VerifiedIdentity {
        issuer,
        subject: claims.subject().as_str().to_owned(),
        tenant_id,
        username: claims
            .preferred_username()
            .map(|u| u.as_str().to_owned())
            .or_else(|| claims.email().map(|e| e.as_str().to_owned())),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned()),
    })
}
