//! Calling an API with the bearer token.

use http::{header, Method, Request};
use url::Url;

use super::bearer::{self, BearerChallenge};
use super::silent_request::SilentRequest;
use super::{AccessTokenGrant, Engine};
use crate::config::Api;
use crate::error::{Challenge, Error, InteractionReason};
use crate::http::HttpResponse;
use crate::model::{AccountId, ApiResponse};

/// Non-JSON response bodies are returned as text up to this many characters.
const MAX_TEXT_CHARS: usize = 4096;
/// Longest accepted API path.
const MAX_PATH_LEN: usize = 2048;

impl Engine {
    /// Calls `GET <api base>/<path>` with a silently acquired token; returns status and body.
    ///
    /// What the API's `WWW-Authenticate` answer asks for is done at most once per call:
    /// `invalid_token` forces one refresh and one retry; `insufficient_scope` naming one of the
    /// API's `optional_scopes` gets a token with it silently (or
    /// [`InteractionReason::ConsentRequired`] with the scope to consent to) and one retry;
    /// `insufficient_claims` is [`InteractionReason::ClaimsChallenge`] with the claims to ask
    /// for interactively. Any other answer, or a second refusal, goes to the caller as it is.
    ///
    /// `path` starts with `/` and stays under the API's base URL (no `..`, no other host).
    ///
    /// ```no_run
    /// # async fn example(engine: lanyard::Engine, account: lanyard::AccountId) -> Result<(), lanyard::Error> {
    /// use lanyard::InteractiveRequest;
    ///
    /// let answer = match engine.call_api(&account, "customer", "/customers").await {
    ///     // The API wants a scope not consented yet, or a stronger sign-in: ask the user once.
    ///     Err(e) if e.challenge().is_some() => {
    ///         let challenge = e.challenge().cloned().unwrap_or_default();
    ///         engine.sign_in_with(InteractiveRequest::for_challenge(&challenge, None)).await?;
    ///         engine.call_api(&account, "customer", "/customers").await?
    ///     }
    ///     answer => answer?,
    /// };
    /// println!("{} {} (token from {})", answer.status, answer.body, answer.token.source.as_str());
    /// # Ok(()) }
    /// ```
    pub async fn call_api(
        &self,
        account: &AccountId,
        api: &str,
        path: &str,
    ) -> Result<ApiResponse, Error> {
        let api_config = self.inner.config.api(api)?;
        let url = api_url(api_config, path)?;
        let mut grant = self
            .silent(account, api_config, SilentRequest::default())
            .await?;
        let mut response = self.send(&url, &grant).await?;
        let challenge = bearer::parse(response.headers());
        let extra: Vec<String>;
        let retry = match (response.status().as_u16(), challenge) {
            (401, Some(BearerChallenge::InsufficientClaims(claims))) => {
                return Err(claims_challenge(api, claims));
            }
            (401, Some(BearerChallenge::InvalidToken)) => {
                tracing::info!(api, "the API refused the token; refreshing once");
                Some(SilentRequest {
                    extra_scopes: &[],
                    refused: Some(grant.secret()),
                })
            }
            (403, Some(BearerChallenge::InsufficientScope(named))) => {
                extra = named
                    .iter()
                    .filter_map(|s| api_config.optional_scope(s))
                    .filter(|s| !grant.info().scopes.iter().any(|have| have == s))
                    .map(str::to_owned)
                    .collect();
                (!extra.is_empty()).then(|| {
                    tracing::info!(api, "the API needs a further scope; asking for it once");
                    SilentRequest {
                        extra_scopes: &extra,
                        refused: None,
                    }
                })
            }
            _ => None,
        };
        if let Some(request) = retry {
            grant = self.silent(account, api_config, request).await?;
            response = self.send(&url, &grant).await?;
            // No second retry; but a claims challenge still needs the user, not a raw 401.
            if let (401, Some(BearerChallenge::InsufficientClaims(claims))) = (
                response.status().as_u16(),
                bearer::parse(response.headers()),
            ) {
                return Err(claims_challenge(api, claims));
            }
        }
        let status = response.status().as_u16();
        tracing::info!(api, path = %crate::pii(url.path()), status, "API call");
        let (body, text) = body_of(response.into_body());
        Ok(ApiResponse {
            api: api.to_owned(),
            path: path.to_owned(),
            status,
            body,
            text,
            token: grant.info().clone(),
            token_claims: grant.claims(),
        })
    }

    async fn send(&self, url: &Url, grant: &AccessTokenGrant) -> Result<HttpResponse, Error> {
        let request = Request::builder()
            .method(Method::GET)
            .uri(url.as_str())
            .header(header::AUTHORIZATION, format!("Bearer {}", grant.secret()))
            .header(header::ACCEPT, "application/json")
            .body(Vec::new())
            .map_err(|e| Error::Protocol(format!("cannot build the API request: {e}")))?;
        self.inner.deps.http.send(request).await
    }
}

/// The error for an API's claims challenge: the user must sign in with `claims`.
fn claims_challenge(api: &str, claims: String) -> Error {
    tracing::info!(api, "the API sent a claims challenge");
    Error::interaction_with(
        InteractionReason::ClaimsChallenge,
        format!("the {api} API asks for a stronger sign-in (Conditional Access)"),
        Challenge {
            api: api.to_owned(),
            scopes: Vec::new(),
            claims: Some(claims),
        },
    )
}

/// The body as JSON, else as text (capped).
fn body_of(body: Vec<u8>) -> (serde_json::Value, Option<String>) {
    if body.is_empty() {
        return (serde_json::Value::Null, None);
    }
    match serde_json::from_slice(&body) {
        Ok(json) => (json, None),
        Err(_) => {
            let text: String = String::from_utf8_lossy(&body)
                .chars()
                .take(MAX_TEXT_CHARS)
                .collect();
            (serde_json::Value::Null, Some(text))
        }
    }
}

/// Joins `path` to the API's base URL; the result must stay under the base URL.
pub(crate) fn api_url(api: &Api, path: &str) -> Result<Url, Error> {
    let bad = |why: &str| Error::InvalidArgument(format!("the path {path:?} {why}"));
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(bad("must start with a single /"));
    }
    if path.len() > MAX_PATH_LEN {
        return Err(bad("is too long"));
    }
    if path
        .chars()
        .any(|c| c.is_control() || c == '\\' || c == '#')
    {
        return Err(bad("has characters not allowed in a path"));
    }
    if path.split(['/', '?']).any(|seg| seg == ".." || seg == ".") {
        return Err(bad("must not contain . or .. segments"));
    }
    let mut base = api.base_url.clone();
    if !base.path().ends_with('/') {
        let with_slash = format!("{}/", base.path());
        base.set_path(&with_slash);
    }
    let url = base
        .join(&path[1..])
        .map_err(|e| bad(&format!("is not a valid path: {e}")))?;
    if url.origin() != base.origin() || !url.path().starts_with(base.path()) {
        return Err(bad("leaves the API's base URL"));
    }
    Ok(url)
}
