//! The engine's one error type. The UI and CLI act on [`Error::kind`].
//!
//! Messages never contain a token, code, verifier, state or nonce: they are built from our own
//! words and from the provider's `error`/`error_description`, which carry no secrets.

use serde::Serialize;

/// Why the user has to sign in (again) interactively.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InteractionReason {
    /// No account is signed in (or the named one is unknown).
    NoAccount,
    /// The account has no refresh token for this client.
    NoRefreshToken,
    /// The provider rejected the refresh token (`invalid_grant`: expired, revoked, replayed).
    RefreshTokenRejected,
    /// The user has not consented to the requested scopes.
    ConsentRequired,
    /// The provider asks for a login (`login_required`) or other interaction.
    LoginRequired,
}

/// A machine-readable class of [`Error`], for the UI to act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The user must sign in interactively.
    InteractionRequired,
    /// The identity provider answered with an OAuth/OIDC error.
    Service,
    /// The network failed (connect, DNS, TLS, reset).
    Network,
    /// A request or the sign-in took too long.
    Timeout,
    /// The user or the app cancelled.
    Cancelled,
    /// The configuration is wrong.
    Configuration,
    /// The token cache or the key store failed.
    Cache,
    /// A response (IdP, API, redirect) broke the protocol: bad ID token, wrong state, bad JSON.
    Protocol,
    /// An unknown API name or account.
    NotFound,
    /// An argument from the caller (UI, CLI) is not acceptable, e.g. an API path.
    InvalidArgument,
}

impl ErrorKind {
    /// The snake_case name, as sent over IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InteractionRequired => "interaction_required",
            ErrorKind::Service => "service",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::Configuration => "configuration",
            ErrorKind::Cache => "cache",
            ErrorKind::Protocol => "protocol",
            ErrorKind::NotFound => "not_found",
            ErrorKind::InvalidArgument => "invalid_argument",
        }
    }
}

/// Everything that can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration file or a value in it is invalid.
    #[error("configuration: {field}: {message}")]
    Config {
        /// The offending field (dotted path), or the file.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// Interactive sign-in is needed.
    #[error("sign-in required: {message}")]
    InteractionRequired {
        /// Why.
        reason: InteractionReason,
        /// In words.
        message: String,
    },
    /// The provider returned an OAuth error response.
    #[error("the identity provider refused: {error}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Service {
        /// The OAuth `error` code.
        error: String,
        /// `error_description`, if any.
        description: Option<String>,
        /// HTTP status of the answer.
        status: Option<u16>,
    },
    /// A network failure.
    #[error("network: {0}")]
    Network(String),
    /// A timeout.
    #[error("timed out: {0}")]
    Timeout(String),
    /// Cancelled by the user or the app.
    #[error("cancelled: {0}")]
    Cancelled(String),
    /// The token cache or key store failed.
    #[error("token cache: {0}")]
    Cache(String),
    /// A response broke the protocol.
    #[error("invalid response: {0}")]
    Protocol(String),
    /// An unknown API.
    #[error("no API named {0:?} is configured")]
    UnknownApi(String),
    /// An unknown account.
    #[error("no signed-in account {0}")]
    UnknownAccount(String),
    /// A caller's argument is not acceptable.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

impl Error {
    /// The class of this error, for the UI to act on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Config { .. } => ErrorKind::Configuration,
            Error::InteractionRequired { .. } => ErrorKind::InteractionRequired,
            Error::Service { .. } => ErrorKind::Service,
            Error::Network(_) => ErrorKind::Network,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Cancelled(_) => ErrorKind::Cancelled,
            Error::Cache(_) => ErrorKind::Cache,
            Error::Protocol(_) => ErrorKind::Protocol,
            Error::UnknownApi(_) | Error::UnknownAccount(_) => ErrorKind::NotFound,
            Error::InvalidArgument(_) => ErrorKind::InvalidArgument,
        }
    }

    /// The interaction reason, for [`ErrorKind::InteractionRequired`].
    pub fn interaction_reason(&self) -> Option<InteractionReason> {
        match self {
            Error::InteractionRequired { reason, .. } => Some(*reason),
            _ => None,
        }
    }

    pub(crate) fn config(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Config {
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn interaction(reason: InteractionReason, message: impl Into<String>) -> Self {
        Error::InteractionRequired {
            reason,
            message: message.into(),
        }
    }
}
