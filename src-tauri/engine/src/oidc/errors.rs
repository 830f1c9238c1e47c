//! Maps `oauth2` token-request failures to the engine's [`Error`].
//!
//! Never includes the response body: a malformed response may still hold a token.

use oauth2::RequestTokenError;

use super::types::IdpErrorResponse;
use crate::error::{Error, InteractionReason};

/// Which grant failed (the same OAuth error means different things for each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenContext {
    /// Redeeming an authorization code.
    Code,
    /// Redeeming a refresh token.
    Refresh,
}

/// Maps a failed token request.
pub(crate) fn map_token_error(
    e: RequestTokenError<Error, IdpErrorResponse>,
    context: TokenContext,
) -> Error {
    match e {
        RequestTokenError::Request(e) => e,
        RequestTokenError::ServerResponse(r) => map_error_response(r, context),
        RequestTokenError::Parse(e, _body) => {
            let what = match e.inner().classify() {
                serde_json::error::Category::Io | serde_json::error::Category::Syntax => {
                    "is not JSON"
                }
                serde_json::error::Category::Eof => "is truncated",
                serde_json::error::Category::Data => "has a missing or mistyped field",
            };
            let path = e.path().to_string();
            if path == "." || path.is_empty() {
                Error::Protocol(format!("the token response {what}"))
            } else {
                Error::Protocol(format!("the token response {what} (at `{path}`)"))
            }
        }
        RequestTokenError::Other(message) => Error::Protocol(format!("token endpoint: {message}")),
    }
}

fn map_error_response(r: IdpErrorResponse, context: TokenContext) -> Error {
    let description = r
        .error_description
        .clone()
        .unwrap_or_else(|| r.error.clone());
    let reason = match (r.error.as_str(), r.suberror.as_deref(), context) {
        (_, Some("consent_required"), _) | ("consent_required", _, _) => {
            Some(InteractionReason::ConsentRequired)
        }
        ("interaction_required" | "login_required", _, _) => Some(InteractionReason::LoginRequired),
        ("invalid_grant", _, TokenContext::Refresh) => {
            Some(InteractionReason::RefreshTokenRejected)
        }
        _ => None,
    };
    match reason {
        Some(reason) => Error::interaction(reason, description),
        None => Error::Service {
            error: r.error,
            description: r.error_description,
            status: None,
        },
    }
}
