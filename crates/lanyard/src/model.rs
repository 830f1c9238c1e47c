//! The engine's public, secret-free data: what the shell may hand to the UI and the CLI may print.

use serde::{Deserialize, Serialize};

/// Identifies a signed-in account across runs: MSAL's *home account id*.
///
/// For the Microsoft identity platform it is `uid.utid` from `client_info`; for any other
/// OpenID provider it is the ID token's `sub`. Not a secret, but not a display name either.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub String);

impl AccountId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A signed-in account, as shown to the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    /// Stable account id (home account id).
    pub id: AccountId,
    /// `preferred_username` (or `email`) from the ID token, if the provider sent one.
    pub username: Option<String>,
    /// `name` from the ID token, if the provider sent one.
    pub name: Option<String>,
    /// The issuer that signed the user in.
    pub issuer: String,
    /// The tenant (`tid`) for the Microsoft identity platform.
    pub tenant_id: Option<String>,
}

/// Where an access token came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// A still-valid token from the cache: no network.
    Cache,
    /// Redeemed silently with the refresh token.
    Refresh,
    /// Redeemed from an authorization code after an interactive sign-in.
    SignIn,
    /// A cached token that has not expired yet, used because the provider could not be reached
    /// to refresh it (offline).
    Offline,
}

impl TokenSource {
    /// A lower-case word for display.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenSource::Cache => "cache",
            TokenSource::Refresh => "refresh",
            TokenSource::SignIn => "sign_in",
            TokenSource::Offline => "offline",
        }
    }
}

/// Metadata of an access token, never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// The configured API name.
    pub api: String,
    /// The scopes the token was requested for.
    pub scopes: Vec<String>,
    /// Expiry, Unix seconds.
    pub expires_on: u64,
    /// Where the token came from.
    pub source: TokenSource,
}

/// The answer of an API call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiResponse {
    /// The configured API name.
    pub api: String,
    /// The path that was called.
    pub path: String,
    /// HTTP status.
    pub status: u16,
    /// The JSON body, or `null` when the body was empty or not JSON (see `text`).
    pub body: serde_json::Value,
    /// The body as text when it was not JSON (capped), else `None`.
    pub text: Option<String>,
    /// Metadata of the token that was sent.
    pub token: TokenInfo,
    /// Selected claims of the token that was sent, decoded (never the token itself).
    pub token_claims: Option<serde_json::Value>,
}
