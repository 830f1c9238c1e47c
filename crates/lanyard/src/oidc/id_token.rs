//! ID token validation: signature against the JWKS, `iss`, `aud`, `exp`, `nonce` (all by
//! `openidconnect`), plus the Microsoft templated issuer (`{tenantid}` ← `tid`).

use std::sync::Arc;

use openidconnect::core::{CoreJsonWebKey, CoreJsonWebKeySet};
use openidconnect::{ClaimsVerificationError, IdTokenVerifier, Nonce, SignatureVerificationError};

use super::discovery::{Provider, TENANT_PLACEHOLDER};
use super::types::{IdToken, OidcClient};
use crate::clock::Clock;
use crate::error::Error;
use crate::http::{chain, HttpTransport};

/// What Lanyard keeps from a validated ID token.
#[derive(Clone, Debug)]
pub(crate) struct VerifiedIdentity {
    pub issuer: String,
    pub subject: String,
    pub tenant_id: Option<String>,
    pub username: Option<String>,
    pub name: Option<String>,
}

/// Validates `token` for this client and `nonce`. A token signed with a key the JWKS does not
/// hold makes one re-fetch of the JWKS (rate-limited, see [`super::jwks`]); a token without
/// `kid` while several keys fit is refused (OpenID Connect Core §10.1), as are `alg: none`,
/// symmetric algorithms and any algorithm the provider does not advertise.
pub(crate) async fn verify_id_token(
    client: &OidcClient,
    provider: &Provider,
    http: &dyn HttpTransport,
    token: &IdToken,
    nonce: &Nonce,
    clock: Arc<dyn Clock>,
) -> Result<VerifiedIdentity, Error> {
    let keys = provider.keys();
    let first = verifier(client, provider, keys.current(), clock.clone());
    let claims = match token.claims(&first, nonce) {
        Err(ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        )) => match keys.refetch(http, clock.unix_now()).await? {
            Some(jwks) => token.claims(&verifier(client, provider, jwks, clock), nonce),
            None => Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )),
        },
        other => other,
    }
    .map_err(|e| Error::Protocol(format!("the ID token is not valid: {}", chain(&e))))?;
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

/// The verifier for this client with `jwks`: the checks `openidconnect` makes (signature, the
/// provider's advertised algorithms, `iss` unless templated, `aud`, `azp`, `exp`, `iat`, `nonce`).
fn verifier(
    client: &OidcClient,
    provider: &Provider,
    jwks: CoreJsonWebKeySet,
    clock: Arc<dyn Clock>,
) -> IdTokenVerifier<'static, CoreJsonWebKey> {
    IdTokenVerifier::new_public_client(
        client.client_id().clone(),
        provider.metadata().issuer().clone(),
        jwks,
    )
    .set_allowed_algs(
        provider
            .metadata()
            .id_token_signing_alg_values_supported()
            .clone(),
    )
    .require_issuer_match(!provider.issuer_is_template())
    .set_time_fn(move || chrono::DateTime::<chrono::Utc>::from(clock.now()))
}
