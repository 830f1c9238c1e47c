//! Turning a [`DemoApiError`] into the HTTP answer RFC 6750 asks for: status,
//! `WWW-Authenticate` challenge and a JSON error body.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::DemoApiError;

/// The `WWW-Authenticate` value for `err`, or `None` when the answer carries
/// no challenge (503, 500).
pub fn www_authenticate(realm: &str, err: &DemoApiError) -> Option<String> {
    let realm = quoted(realm);
    match err {
        DemoApiError::MissingToken => Some(format!("Bearer realm={realm}")),
        DemoApiError::InvalidToken(reason) => Some(format!(
            "Bearer realm={realm}, error=\"invalid_token\", error_description={}",
            quoted(reason)
        )),
        DemoApiError::InsufficientClaims { claims } => Some(format!(
            "Bearer realm={realm}, error=\"insufficient_claims\", claims={}",
            quoted(claims)
        )),
        DemoApiError::InsufficientScope { required } => Some(format!(
            "Bearer realm={realm}, error=\"insufficient_scope\", scope={}",
            quoted(required)
        )),
        DemoApiError::KeysUnavailable(_) | DemoApiError::Io(_) | DemoApiError::Config(_) => None,
    }
}

/// The full HTTP answer for `err` on the API whose realm is `realm`.
pub fn error_response(realm: &str, err: &DemoApiError) -> Response {
    let (status, code, description) = match err {
        DemoApiError::MissingToken => (
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a bearer access token is required".to_owned(),
        ),
        DemoApiError::InvalidToken(reason) => (
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            (*reason).to_owned(),
        ),
        DemoApiError::InsufficientClaims { .. } => (
            StatusCode::UNAUTHORIZED,
            "insufficient_claims",
            "the token does not satisfy the required authentication context".to_owned(),
        ),
        DemoApiError::InsufficientScope { required } => (
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            format!("the token lacks the scope {required}"),
        ),
        DemoApiError::KeysUnavailable(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "the identity provider's signing keys are unavailable".to_owned(),
        ),
        DemoApiError::Io(_) | DemoApiError::Config(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "internal error".to_owned(),
        ),
    };
    let mut response = json_error(status, code, &description);
    if let Some(value) = www_authenticate(realm, err) {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
    }
    response
}

/// A JSON `{ "error", "error_description" }` answer with `status`.
pub fn json_error(status: StatusCode, code: &str, description: &str) -> Response {
    (
        status,
        Json(json!({ "error": code, "error_description": description })),
    )
        .into_response()
}

/// `value` as an RFC 7230 quoted-string: backslash and double quote are
/// escaped, anything that is not printable ASCII becomes `?`.
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => out.push('?'),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
