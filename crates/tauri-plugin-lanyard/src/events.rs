//! Events a UI can listen to instead of polling. None carries a token.
//!
//! | name | payload | when |
//! |---|---|---|
//! | `lanyard://signed-in` | [`SignedInEvent`] | an interactive sign-in (or `grant_access`) finished |
//! | `lanyard://signed-out` | [`SignedOutEvent`] | an account was signed out |
//! | `lanyard://token-refreshed` | [`TokenRefreshedEvent`] | a command got a token with the refresh token |
//! | `lanyard://connection` | [`ConnectionEvent`] | the identity provider became unreachable, or reachable again |

use serde::Serialize;

use crate::dto::{AccountDto, TokenInfoDto};

/// `lanyard://signed-in`.
pub const SIGNED_IN: &str = "lanyard://signed-in";
/// `lanyard://signed-out`.
pub const SIGNED_OUT: &str = "lanyard://signed-out";
/// `lanyard://token-refreshed`.
pub const TOKEN_REFRESHED: &str = "lanyard://token-refreshed";
/// `lanyard://connection`.
pub const CONNECTION: &str = "lanyard://connection";

/// Every event the plugin emits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// An account signed in.
    SignedIn(SignedInEvent),
    /// An account was signed out.
    SignedOut(SignedOutEvent),
    /// A token was refreshed silently.
    TokenRefreshed(TokenRefreshedEvent),
    /// The identity provider's reachability changed.
    Connection(ConnectionEvent),
}

impl Event {
    /// The event's name, as a UI listens for it.
    pub fn name(&self) -> &'static str {
        match self {
            Event::SignedIn(_) => SIGNED_IN,
            Event::SignedOut(_) => SIGNED_OUT,
            Event::TokenRefreshed(_) => TOKEN_REFRESHED,
            Event::Connection(_) => CONNECTION,
        }
    }

    /// The payload, as JSON.
    pub fn payload(&self) -> serde_json::Value {
        let value = match self {
            Event::SignedIn(e) => serde_json::to_value(e),
            Event::SignedOut(e) => serde_json::to_value(e),
            Event::TokenRefreshed(e) => serde_json::to_value(e),
            Event::Connection(e) => serde_json::to_value(e),
        };
        value.unwrap_or(serde_json::Value::Null)
    }
}

/// An account signed in (the interactive sign-in finished).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SignedInEvent {
    /// The account.
    pub account: AccountDto,
}

/// An account was signed out of this computer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SignedOutEvent {
    /// The account's id.
    pub account_id: String,
    /// True when the identity provider revoked its refresh token.
    pub revoked: bool,
}

/// A token was acquired with the refresh token (no user interaction).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TokenRefreshedEvent {
    /// The account's id.
    pub account_id: String,
    /// The new token's metadata.
    pub token: TokenInfoDto,
}

/// The identity provider became unreachable (`online: false`) or reachable again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ConnectionEvent {
    /// Whether the identity provider answers.
    pub online: bool,
}

/// Where events go: the app handle in a running plugin; a recorder in tests.
pub type EventSink = std::sync::Arc<dyn Fn(Event) + Send + Sync>;
