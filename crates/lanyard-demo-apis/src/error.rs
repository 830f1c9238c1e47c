//! The crate's one error type.

use thiserror::Error;

/// Everything that can go wrong in a demo API: serving, fetching keys, or
/// validating a caller's token.
///
/// The token-related variants map to HTTP answers in [`crate::challenge`];
/// their messages are short and never quote token content.
#[derive(Debug, Error)]
pub enum DemoApiError {
    /// Binding or serving the listener failed.
    #[error("server I/O error: {0}")]
    Io(#[from] std::io::Error),

    /// The configuration cannot work (for example an issuer that is not an
    /// absolute http(s) URL).
    #[error("invalid configuration: {0}")]
    Config(String),

    /// The IdP's discovery document or JWKS could not be fetched or read.
    /// Answered with 503: the caller's token may well be fine.
    #[error("signing keys unavailable: {0}")]
    KeysUnavailable(String),

    /// The request carries no bearer token. Answered with 401 and a bare
    /// `Bearer realm=...` challenge (RFC 6750 §3.1).
    #[error("no bearer token in the request")]
    MissingToken,

    /// The token was rejected. Answered with 401 `invalid_token`; the reason
    /// is a fixed phrase, never token content.
    #[error("invalid token: {0}")]
    InvalidToken(&'static str),

    /// The token is valid but does not satisfy the Conditional Access authentication context
    /// the API requires. Answered with 401 `insufficient_claims` and the claims to ask for.
    #[error("the token does not satisfy the required authentication context")]
    InsufficientClaims {
        /// The `claims` challenge value (base64 JSON).
        claims: String,
    },

    /// The token is valid but lacks the scope this API requires. Answered
    /// with 403 `insufficient_scope`.
    #[error("the token lacks the required scope {required:?}")]
    InsufficientScope {
        /// The scope the API requires.
        required: String,
    },
}
