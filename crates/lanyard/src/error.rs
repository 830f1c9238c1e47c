//! The engine's one error type. The UI and CLI act on [`Error::kind`].
//!
//! Messages never contain a token, code, verifier, state or nonce: they are built from our own
//! words and from the provider's `error`/`error_description`, which carry no secrets.

use serde::Serialize;

/// Why the user has to sign in (again) interactively.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// The provider asks for a login (`login_required`).
    LoginRequired,
    /// Multi-factor authentication is required (Microsoft `AADSTS50076`, `AADSTS50079`).
    MfaRequired,
    /// Some other user action is required at the provider (`interaction_required`, Microsoft
    /// suberrors `basic_action`, `additional_action`, `message_only`, `user_password_expired`).
    UserActionRequired,
    /// An API answered with a Conditional Access claims challenge (`insufficient_claims`):
    /// sign in again with the `claims` it names.
    ClaimsChallenge,
    /// A Microsoft personal account must consent again, as it does on each run of a native app:
    /// expected, not a fault.
    PersonalAccountConsent,
}

impl InteractionReason {
    /// The snake_case name, as sent over IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            InteractionReason::NoAccount => "no_account",
            InteractionReason::NoRefreshToken => "no_refresh_token",
            InteractionReason::RefreshTokenRejected => "refresh_token_rejected",
            InteractionReason::ConsentRequired => "consent_required",
            InteractionReason::LoginRequired => "login_required",
            InteractionReason::MfaRequired => "mfa_required",
            InteractionReason::UserActionRequired => "user_action_required",
            InteractionReason::ClaimsChallenge => "claims_challenge",
            InteractionReason::PersonalAccountConsent => "personal_account_consent",
        }
    }
}

/// What an interactive request must ask for to resolve an [`Error::InteractionRequired`]:
/// the API, scopes not consented yet, and a claims challenge. Holds no secret.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Challenge {
    /// The configured API the challenge is for.
    pub api: String,
    /// Scopes beyond the API's configured ones that need consent (incremental consent).
    pub scopes: Vec<String>,
    /// The claims challenge JSON (decoded), to send as the `claims` parameter.
    pub claims: Option<String>,
}

/// A machine-readable class of [`Error`], for the UI to act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
        /// What the interactive request must ask for, when known.
        challenge: Option<Box<Challenge>>,
    },
    /// The provider (or an API) returned an error response, or is throttling.
    #[error("{}", service_text(error, description.as_deref(), *status, *retry_after_secs))]
    Service {
        /// The OAuth `error` code (or `throttled`, `server_error` for HTTP-level answers).
        error: String,
        /// `error_description`, if any.
        description: Option<String>,
        /// HTTP status of the answer.
        status: Option<u16>,
        /// Microsoft's `correlation_id`, for support.
        correlation_id: Option<String>,
        /// Seconds to wait before the next request (`Retry-After`), capped.
        retry_after_secs: Option<u64>,
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

    /// What an interactive request must ask for, for [`ErrorKind::InteractionRequired`].
    pub fn challenge(&self) -> Option<&Challenge> {
        match self {
            Error::InteractionRequired { challenge, .. } => challenge.as_deref(),
            _ => None,
        }
    }

    /// Seconds to wait before trying again, when the service said so.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Error::Service {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => None,
        }
    }

    /// Whether trying again later may succeed without the user: the network, a timeout, or
    /// the service throttling (`429`) or failing (`5xx`). A transient error deletes no token.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Network(_) | Error::Timeout(_) => true,
            Error::Service {
                status: Some(status),
                ..
            } => *status == 429 || (500..=599).contains(status),
            _ => false,
        }
    }

    /// The provider's correlation id, for support.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            Error::Service { correlation_id, .. } => correlation_id.as_deref(),
            _ => None,
        }
    }

    /// Interaction required for `reason`, without a challenge.
    pub fn interaction(reason: InteractionReason, message: impl Into<String>) -> Self {
        Error::InteractionRequired {
            reason,
            message: message.into(),
            challenge: None,
        }
    }

    pub(crate) fn interaction_with(
        reason: InteractionReason,
        message: impl Into<String>,
        challenge: Challenge,
    ) -> Self {
        Error::InteractionRequired {
            reason,
            message: message.into(),
            challenge: Some(Box::new(challenge)),
        }
    }

    /// An error response without HTTP-level details.
    pub(crate) fn service(error: impl Into<String>, description: Option<String>) -> Self {
        Error::Service {
            error: error.into(),
            description,
            status: None,
            correlation_id: None,
            retry_after_secs: None,
        }
    }
}

fn service_text(
    error: &str,
    description: Option<&str>,
    status: Option<u16>,
    retry_after_secs: Option<u64>,
) -> String {
    let subject = match status {
        Some(429) => "too many requests",
        Some(500..=599) => "the service is unavailable",
        _ => "the identity provider refused",
    };
    let mut text = format!("{subject}: {error}");
    if let Some(d) = description {
        text.push_str(": ");
        text.push_str(d);
    }
    if let Some(s) = retry_after_secs {
        text.push_str(&format!(" (retry in {s} s)"));
    }
    text
}
