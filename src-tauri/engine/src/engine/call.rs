//! Calling an API with the bearer token.

use http::{header, Method, Request};
use url::Url;

use super::Engine;
use crate::config::ApiConfig;
use crate::error::Error;
use crate::model::{AccountId, ApiResponse};

/// Non-JSON response bodies are returned as text up to this many characters.
const MAX_TEXT_CHARS: usize = 4096;
/// Longest accepted API path.
const MAX_PATH_LEN: usize = 2048;

impl Engine {
    /// Calls `GET <api base>/<path>` with a silently acquired token; returns status and body.
    pub async fn call_api(
        &self,
        account: &AccountId,
        api: &str,
        path: &str,
    ) -> Result<ApiResponse, Error> {
        let api_config = self.inner.config.api(api)?;
        let url = api_url(api_config, path)?;
        let grant = self.acquire_token_silent(account, api).await?;
        let request = Request::builder()
            .method(Method::GET)
            .uri(url.as_str())
            .header(header::AUTHORIZATION, format!("Bearer {}", grant.secret()))
            .header(header::ACCEPT, "application/json")
            .body(Vec::new())
            .map_err(|e| Error::Protocol(format!("cannot build the API request: {e}")))?;
        let response = self.inner.deps.http.send(request).await?;
        let status = response.status().as_u16();
        let body = response.into_body();
        let (body, text) = if body.is_empty() {
            (serde_json::Value::Null, None)
        } else {
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
        };
        tracing::info!(api, path = %crate::pii(url.path()), status, "API call");
        Ok(ApiResponse {
            api: api.to_owned(),
            path: path.to_owned(),
            status,
            body,
            text,
            token: grant.info().clone(),
        })
    }
}

/// Joins `path` to the API's base URL; the result must stay under the base URL.
pub(crate) fn api_url(api: &ApiConfig, path: &str) -> Result<Url, Error> {
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
