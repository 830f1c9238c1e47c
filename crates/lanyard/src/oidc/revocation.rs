//! RFC 7009 token revocation with `oauth2`'s revocation request, through the injected transport.
//!
//! `oauth2` refuses a revocation endpoint that is not `https` (RFC 7009 §2). The engine, like
//! for every other endpoint, also accepts `http` on a loopback host (local development and test
//! providers): such an endpoint is handed to `oauth2` under its `https` spelling, and
//! [`LoopbackHttp`] sends the request to the real `http` URL. Any other `http` endpoint is
//! refused.

use oauth2::{RefreshToken, RequestTokenError, RevocationUrl};
use openidconnect::core::{CoreRevocableToken, CoreRevocationErrorResponse};
use url::Url;

use super::discovery::Provider;
use super::types::client_for;
use crate::config::is_loopback_host;
use crate::error::Error;
use crate::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport};

/// What a revocation attempt came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Revocation {
    /// The provider accepted the request (the token is revoked, or was unknown to it).
    Revoked,
    /// Discovery advertises no `revocation_endpoint`: nothing was sent.
    Unsupported,
}

/// Revokes `token` at the provider's revocation endpoint, as the public client `client_id`.
pub(crate) async fn revoke_refresh_token(
    http: &dyn HttpTransport,
    provider: &Provider,
    client_id: &str,
    token: RefreshToken,
) -> Result<Revocation, Error> {
    let Some(endpoint) = provider
        .metadata()
        .additional_metadata()
        .revocation_endpoint
        .clone()
    else {
        return Ok(Revocation::Unsupported);
    };
    let (for_oauth2, real) = match endpoint.scheme() {
        "https" => (endpoint, None),
        "http" if is_loopback_host(&endpoint) => (https_spelling(&endpoint)?, Some(endpoint)),
        _ => {
            return Err(Error::Protocol(
                "discovery's revocation_endpoint is not https".into(),
            ))
        }
    };
    let client = client_for(provider, client_id, None)
        .set_revocation_url(RevocationUrl::from_url(for_oauth2));
    let request = client
        .revoke_token(CoreRevocableToken::from(token))
        .map_err(|e| Error::Protocol(format!("cannot build the revocation request: {e}")))?;
    let http = LoopbackHttp { inner: http, real };
    request
        .request_async(&http)
        .await
        .map_err(map_revocation_error)?;
    Ok(Revocation::Revoked)
}

/// The endpoint's `https` spelling, only for `oauth2`'s scheme check: the request itself goes
/// to the real URL (see [`LoopbackHttp`]).
fn https_spelling(endpoint: &Url) -> Result<Url, Error> {
    let mut spelled = endpoint.clone();
    spelled
        .set_scheme("https")
        .map_err(|()| Error::Protocol("discovery's revocation_endpoint is odd".into()))?;
    Ok(spelled)
}

/// The injected transport, sending the one revocation request to `real` when set.
struct LoopbackHttp<'a> {
    inner: &'a dyn HttpTransport,
    real: Option<Url>,
}

impl<'c> oauth2::AsyncHttpClient<'c> for LoopbackHttp<'_> {
    type Error = Error;
    type Future = BoxFuture<'c, Result<HttpResponse, Error>>;

    fn call(&'c self, mut request: HttpRequest) -> Self::Future {
        if let Some(real) = &self.real {
            match real.as_str().parse() {
                Ok(uri) => *request.uri_mut() = uri,
                Err(e) => {
                    let e = Error::Protocol(format!("bad revocation endpoint: {e}"));
                    return Box::pin(async move { Err(e) });
                }
            }
        }
        self.inner.send(request)
    }
}

/// Maps a failed revocation request. Never includes the response body.
fn map_revocation_error(e: RequestTokenError<Error, CoreRevocationErrorResponse>) -> Error {
    match e {
        RequestTokenError::Request(e) => e,
        RequestTokenError::ServerResponse(r) => {
            Error::service(r.error().as_ref(), r.error_description().cloned())
        }
        RequestTokenError::Parse(_, _) => {
            Error::Protocol("the revocation endpoint's error response is not valid".into())
        }
        RequestTokenError::Other(message) => Error::Protocol(format!("revocation: {message}")),
    }
}

#[cfg(test)]
mod tests;
