//! Maps `oauth2` token-request failures to the engine's [`Error`].
//!
//! Never includes the response body: a malformed response may still hold a token.

use http::header;
use oauth2::RequestTokenError;

use super::types::IdpErrorResponse;
use crate::error::{Error, InteractionReason};
use crate::http::HttpResponse;
use crate::microsoft;

/// A `429` or `5xx` answer as [`Error::Service`]: its status, its `Retry-After` (delta-seconds,
/// as [`crate::http::Resilient`] rewrites it), and the OAuth `error`, `error_description` and
/// `correlation_id` when the body is an OAuth error; otherwise `throttled` / `server_error`.
/// The body is never quoted. `None` for any other status.
pub(crate) fn http_status_error(response: &HttpResponse) -> Option<Error> {
    let status = response.status().as_u16();
    if status != 429 && !(500..=599).contains(&status) {
        return None;
    }
    let retry_after_secs = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let oauth = serde_json::from_slice::<IdpErrorResponse>(response.body()).ok();
    let fallback = if status == 429 {
        "throttled"
    } else {
        "server_error"
    };
    let (error, description, correlation_id) = match oauth {
        Some(r) => (r.error, r.error_description, r.correlation_id),
        None => (fallback.to_owned(), None, None),
    };
    Some(Error::Service {
        error,
        description,
        status: Some(status),
        correlation_id,
        retry_after_secs,
    })
}

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
    match interaction_reason(&r, context) {
        Some(reason) => {
            let description = r.error_description.unwrap_or(r.error);
            Error::interaction(reason, description)
        }
        None => Error::Service {
            error: r.error,
            description: r.error_description,
            status: None,
            correlation_id: r.correlation_id,
            retry_after_secs: None,
        },
    }
}

/// The interaction an OAuth error response asks for, if any: OAuth/OIDC codes, Microsoft's
/// `suberror` values and the AADSTS codes in its `error_description`.
fn interaction_reason(r: &IdpErrorResponse, context: TokenContext) -> Option<InteractionReason> {
    let description = r.error_description.as_deref().unwrap_or("");
    let suberror = r.suberror.as_deref();
    let refresh = context == TokenContext::Refresh;
    if r.error == "consent_required"
        || microsoft::consent_required(suberror, description)
        // A refresh for scopes the grant does not hold (node-oidc-provider, RFC 6749 §6).
        || (refresh && r.error == "invalid_scope")
    {
        return Some(InteractionReason::ConsentRequired);
    }
    if microsoft::mfa_required(description) {
        return Some(InteractionReason::MfaRequired);
    }
    if r.error == "interaction_required" || microsoft::user_action_required(suberror) {
        return Some(InteractionReason::UserActionRequired);
    }
    if r.error == "login_required" {
        return Some(InteractionReason::LoginRequired);
    }
    if refresh && r.error == "invalid_grant" {
        // Expired (AADSTS700082), revoked, replayed, or `suberror: bad_token`.
        return Some(InteractionReason::RefreshTokenRejected);
    }
    None
}
