//! The one error shape that crosses IPC: `{ "kind": "...", "message": "..." }`, plus what the UI
//! needs to offer the right action: the interaction `reason`, the `api` to grant access to, and
//! `retryAfterSecs`.

use serde::Serialize;

/// An error as the UI sees it. `kind` is one of the engine's kinds (`interaction_required`,
/// `service`, `network`, `timeout`, `cancelled`, `configuration`, `cache`, `protocol`,
/// `not_found`) or the shell's own `invalid_argument`; `message` is words without secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IpcError {
    /// A machine-readable class for the UI to act on.
    pub kind: String,
    /// What went wrong, for people.
    pub message: String,
    /// What the UI needs to offer the right action, when there is any (boxed: errors stay small).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub details: Option<Box<IpcErrorDetails>>,
}

/// The actionable details of an [`IpcError`]; absent fields are not sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IpcErrorDetails {
    /// For `interaction_required`: why (`consent_required`, `claims_challenge`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
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

/// The kind of an argument the shell refused before calling the engine.
pub const INVALID_ARGUMENT: &str = "invalid_argument";
/// The kind of a configuration that could not be loaded.
pub const CONFIGURATION: &str = "configuration";

impl IpcError {
    /// An error of `kind` with `message`.
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        IpcError {
            kind: kind.into(),
            message: message.into(),
            details: None,
        }
    }

    /// An argument the shell refused.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        IpcError::new(INVALID_ARGUMENT, message)
    }

    /// A configuration problem.
    pub fn configuration(message: impl Into<String>) -> Self {
        IpcError::new(CONFIGURATION, message)
    }
}

impl From<lanyard::Error> for IpcError {
    fn from(error: lanyard::Error) -> Self {
        // The engine's messages are built to carry no token, code, verifier, state or nonce.
        let details = IpcErrorDetails {
            reason: error.interaction_reason().map(|r| r.as_str().to_owned()),
            api: error.challenge().map(|c| c.api.clone()),
            retry_after_secs: error.retry_after_secs(),
            correlation_id: error.correlation_id().map(str::to_owned),
        };
        IpcError {
            details: (details != IpcErrorDetails::default()).then(|| Box::new(details)),
            ..IpcError::new(error.kind().as_str(), error.to_string())
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for IpcError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_keep_their_kind() {
        let e: IpcError = lanyard::Error::Timeout("the sign-in took too long".into()).into();
        assert_eq!(e.kind, "timeout");
        assert!(e.message.contains("too long"));
        let e: IpcError = lanyard::Error::UnknownApi("nope".into()).into();
        assert_eq!(e.kind, "not_found");
    }

    #[test]
    fn interaction_reasons_cross_as_words() {
        let e: IpcError = lanyard::Error::interaction(
            lanyard::InteractionReason::ConsentRequired,
            "consent needed",
        )
        .into();
        let json = serde_json::to_value(e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "interaction_required", "message": "sign-in required: consent needed", "reason": "consent_required"})
        );
    }

    #[test]
    fn serializes_as_kind_and_message_only() {
        let json = serde_json::to_value(IpcError::invalid_argument("bad path")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "invalid_argument", "message": "bad path"})
        );
    }
}
