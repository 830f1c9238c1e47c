//! The one error shape that crosses IPC: `{ "kind": "...", "message": "..." }`, plus what a UI
//! needs to offer the right action: the interaction `reason`, the `api` to grant access to,
//! `retryAfterSecs` and the provider's `correlationId`. `kind` and `reason` are the engine's
//! enums ([`ErrorKind`], [`InteractionReason`]), so a UI can match on them.

use lanyard::{ErrorKind, InteractionReason};
use serde::Serialize;

/// An error as the webview sees it; `message` is words without secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    /// A machine-readable class for the UI to act on.
    pub kind: ErrorKind,
    /// What went wrong, for people.
    pub message: String,
    /// For `interaction_required`: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<InteractionReason>,
    /// For `interaction_required` with a challenge: the API whose access must be granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    /// For a throttled or unavailable service: seconds before trying again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// The provider's correlation id, for support.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

impl IpcError {
    /// An error of `kind` with `message` and no details.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        IpcError {
            kind,
            message: message.into(),
            reason: None,
            api: None,
            retry_after_secs: None,
            correlation_id: None,
        }
    }

    /// An argument the plugin refused before calling the engine.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        IpcError::new(ErrorKind::InvalidArgument, message)
    }

    /// A configuration problem.
    pub fn configuration(message: impl Into<String>) -> Self {
        IpcError::new(ErrorKind::Configuration, message)
    }

    /// Something the caller named that does not exist (an account, an API).
    pub fn not_found(message: impl Into<String>) -> Self {
        IpcError::new(ErrorKind::NotFound, message)
    }

    /// True for failures to reach the identity provider (the app is offline).
    pub fn is_offline(&self) -> bool {
        matches!(self.kind, ErrorKind::Network | ErrorKind::Timeout)
    }
}

impl From<lanyard::Error> for IpcError {
    fn from(error: lanyard::Error) -> Self {
        // The engine's messages are built to carry no token, code, verifier, state or nonce.
        IpcError {
            reason: error.interaction_reason(),
            api: error.challenge().map(|c| c.api.clone()),
            retry_after_secs: error.retry_after_secs(),
            correlation_id: error.correlation_id().map(str::to_owned),
            ..IpcError::new(error.kind(), error.to_string())
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

impl std::error::Error for IpcError {}

#[cfg(test)]
mod tests;
