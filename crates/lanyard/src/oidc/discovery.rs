//! OpenID Connect discovery (`/.well-known/openid-configuration`) and the JWKS.
//!
//! Done by hand on top of `openidconnect`'s metadata types rather than with
//! `ProviderMetadata::discover_async`, because the Microsoft identity platform's multi-tenant
//! authorities (`common`, `organizations`) answer with the templated issuer
//! `https://login.microsoftonline.com/{tenantid}/v2.0`, which that function rejects.

use http::{header, Method, Request, StatusCode};
use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType,
    CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{AdditionalProviderMetadata, ProviderMetadata};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

use super::jwks::Keys;
use crate::config::is_loopback_host;
use crate::error::Error;
use crate::http::HttpTransport;

/// Discovery fields besides the standard ones.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct ExtraMetadata {
    /// RFC 9207: the authorization response carries `iss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_response_iss_parameter_supported: Option<bool>,
    /// RFC 7009 token revocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint: Option<Url>,
}
impl AdditionalProviderMetadata for ExtraMetadata {}

pub(crate) type Metadata = ProviderMetadata<
    ExtraMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The Microsoft identity platform's tenant placeholder in multi-tenant issuers.
pub(crate) const TENANT_PLACEHOLDER: &str = "{tenantid}";

/// A discovered provider, its keys loaded.
#[derive(Clone, Debug)]
pub(crate) struct Provider {
    metadata: Metadata,
    keys: Keys,
}

impl Provider {
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The signing keys (re-fetched on rotation).
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// The issuer as discovered (may hold `{tenantid}`).
    pub fn issuer(&self) -> &str {
        self.metadata.issuer().as_str()
    }

    /// True for the Microsoft multi-tenant templated issuer.
    pub fn issuer_is_template(&self) -> bool {
        self.issuer().contains(TENANT_PLACEHOLDER)
    }

    /// True when the authorization response must carry `iss` (RFC 9207).
    pub fn requires_iss_parameter(&self) -> bool {
        self.metadata
            .additional_metadata()
            .authorization_response_iss_parameter_supported
            .unwrap_or(false)
    }

    /// Whether `iss` matches the issuer (template: any tenant in its place).
    pub fn issuer_matches(&self, iss: &str) -> bool {
        let expected = self.issuer();
        match expected.split_once(TENANT_PLACEHOLDER) {
            None => iss == expected,
            Some((prefix, suffix)) => iss
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(suffix))
                .is_some_and(|tenant| !tenant.is_empty() && !tenant.contains('/')),
        }
    }
}

/// Fetches the discovery document and the JWKS.
pub(crate) async fn discover(http: &dyn HttpTransport, authority: &Url) -> Result<Provider, Error> {
    let base = authority.as_str().trim_end_matches('/');
    let url = Url::parse(&format!("{base}/.well-known/openid-configuration"))
        .map_err(|e| Error::config("authority", e.to_string()))?;
    let mut metadata: Metadata = get_json(http, &url, "discovery document").await?;

    let issuer = metadata.issuer().as_str().trim_end_matches('/');
    if !issuer_accepted(base, issuer) {
        return Err(Error::Protocol(format!(
            "the discovery document's issuer {issuer:?} does not match the authority {base:?}"
        )));
    }
    for (what, endpoint) in [
        (
            "authorization_endpoint",
            Some(metadata.authorization_endpoint().url()),
        ),
        ("token_endpoint", metadata.token_endpoint().map(|u| u.url())),
        ("jwks_uri", Some(metadata.jwks_uri().url())),
    ] {
        let endpoint =
            endpoint.ok_or_else(|| Error::Protocol(format!("discovery has no {what}")))?;
        if endpoint.scheme() != "https"
            && !(endpoint.scheme() == "http" && is_loopback_host(endpoint))
        {
            return Err(Error::Protocol(format!("discovery's {what} is not https")));
        }
    }

    let keys = Keys::fetch(http, metadata.jwks_uri().url().clone()).await?;
    metadata = metadata.set_jwks(keys.current());
    Ok(Provider { metadata, keys })
}

/// Whether a discovered issuer belongs to the configured authority: the same URL; or the
/// Microsoft multi-tenant template `…/{tenantid}/v2.0` (`common`, `organizations`); or, on a
/// Microsoft authority host, the same URL with the tenant segment resolved (a tenant named by
/// domain answers with its GUID, `consumers` with the consumer tenant's). ID tokens are then
/// checked against the discovered issuer.
pub(crate) fn issuer_accepted(authority: &str, issuer: &str) -> bool {
    if issuer == authority {
        return true;
    }
    if let Some((prefix, _)) = issuer.split_once(TENANT_PLACEHOLDER) {
        return authority.starts_with(prefix);
    }
    let (Ok(a), Ok(i)) = (Url::parse(authority), Url::parse(issuer)) else {
        return false;
    };
    crate::microsoft::issuer_accepted(&a, &i)
}

pub(super) async fn get_json<T: DeserializeOwned>(
    http: &dyn HttpTransport,
    url: &Url,
    what: &str,
) -> Result<T, Error> {
    let request = Request::builder()
        .method(Method::GET)
        .uri(url.as_str())
        .header(header::ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|e| Error::Protocol(format!("cannot build the {what} request: {e}")))?;
    let response = http.send(request).await?;
    if let Some(e) = super::errors::http_status_error(&response) {
        return Err(e);
    }
    if response.status() != StatusCode::OK {
        return Err(Error::Service {
            error: format!("HTTP {}", response.status().as_u16()),
            description: Some(format!("fetching the {what} failed")),
            status: Some(response.status().as_u16()),
            correlation_id: None,
            retry_after_secs: None,
        });
    }
    serde_json::from_slice(response.body())
        .map_err(|e| Error::Protocol(format!("the {what} is not valid: {e}")))
}
