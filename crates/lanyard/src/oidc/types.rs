//! The concrete `openidconnect` types Lanyard uses, with the fields the Microsoft identity
//! platform adds (`client_info`, `tid`, `suberror`, `correlation_id`).

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, ClientId, EndpointMaybeSet, EndpointNotSet, EndpointSet, ExtraTokenFields,
    IdTokenFields, RedirectUrl, StandardTokenResponse,
};
use serde::{Deserialize, Serialize};

use super::discovery::Provider;
use crate::error::Error;
use crate::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport};

/// ID token claims Lanyard reads besides the standard ones.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct ExtraClaims {
    /// Microsoft: the tenant that issued the token (fills the `{tenantid}` issuer template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<String>,
}
impl AdditionalClaims for ExtraClaims {}

/// Token response fields besides the standard ones.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct ExtraFields {
    /// Microsoft: base64url JSON `{uid, utid}` when `client_info=1` was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_info: Option<String>,
}
impl ExtraTokenFields for ExtraFields {}

/// An OAuth error response, with the fields Microsoft adds.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct IdpErrorResponse {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_uri: Option<String>,
    /// Microsoft: refines `invalid_grant` (`consent_required`, `basic_action`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suberror: Option<String>,
    /// Microsoft: request correlation id, for support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

impl std::fmt::Display for IdpErrorResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error)?;
        if let Some(d) = &self.error_description {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}
impl openidconnect::ErrorResponse for IdpErrorResponse {}

type Fields = IdTokenFields<
    ExtraClaims,
    ExtraFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// A token endpoint response.
pub(crate) type TokenResponse = StandardTokenResponse<Fields, CoreTokenType>;

/// An ID token as Lanyard parses it.
pub(crate) type IdToken = openidconnect::IdToken<
    ExtraClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// The OpenID client, with the authorize endpoint set and the token endpoint from discovery.
pub(crate) type OidcClient = openidconnect::Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    IdpErrorResponse,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A client for `provider`, sending `redirect` as its redirect URI.
pub(crate) fn client_for(
    provider: &Provider,
    client_id: &str,
    redirect: Option<RedirectUrl>,
) -> OidcClient {
    let client = OidcClient::from_provider_metadata(
        provider.metadata().clone(),
        ClientId::new(client_id.to_owned()),
        None,
    );
    match redirect {
        Some(r) => client.set_redirect_uri(r),
        None => client,
    }
}

/// Adapts the injected transport to `oauth2`'s async HTTP client. A named type rather than a
/// closure: closures here make the engine's futures `Send` only for one lifetime, which the
/// Tauri command machinery (and any multi-threaded executor) rejects.
pub(crate) struct Http<'a>(pub &'a dyn HttpTransport);

impl<'c> oauth2::AsyncHttpClient<'c> for Http<'_> {
    type Error = Error;
    type Future = BoxFuture<'c, Result<HttpResponse, Error>>;

    /// A throttled (`429`) or failed (`5xx`) answer becomes [`Error::Service`] with its status
    /// and `Retry-After` here, whatever its body (JSON, HTML, empty): `oauth2` would turn a
    /// non-JSON one into a parse error and lose both. A successful answer's `expires_in` is
    /// made readable (see [`super::normalize`]).
    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let mut response = self.0.send(request).await?;
            if let Some(e) = super::errors::http_status_error(&response) {
                return Err(e);
            }
            if response.status().is_success() {
                if let Some(body) = super::normalize::normalize_expires_in(response.body()) {
                    *response.body_mut() = body;
                }
            }
            Ok(response)
        })
    }
}
