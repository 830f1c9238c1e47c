//! Events a UI can listen to instead of polling, sent over the IPC channels of the windows that
//! subscribed (command `subscribe`, JS `onSignedIn` and the like): a window that was not granted
//! `subscribe` gets none, and `tokenRefreshed` reaches only windows whose API scope allows the
//! API (as `token_info` would). None carries a token.
//!
//! | `type` | payload | when |
//! |---|---|---|
//! | `signedIn` | [`SignedInEvent`] | an interactive sign-in (or `grant_access`) finished |
//! | `signedOut` | [`SignedOutEvent`] | an account was signed out |
//! | `tokenRefreshed` | [`TokenRefreshedEvent`] | a command got a token with the refresh token |
//! | `connection` | [`ConnectionEvent`] | the identity provider became unreachable, or reachable again |

use std::sync::Arc;

use serde::Serialize;

use crate::dto::{AccountDto, TokenInfoDto};

/// Every event the plugin sends: `{ "type": "signedIn", ...payload }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "LanyardEvent"))]
#[serde(tag = "type", rename_all = "camelCase")]
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
    /// The API the event is about, if any (a window sees it only if its scope allows the API).
    pub fn api(&self) -> Option<&str> {
        match self {
            Event::TokenRefreshed(e) => Some(&e.token.api),
            _ => None,
        }
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

/// A listener in Rust (the host's code, or a test): called with every event.
pub type EventSink = Arc<dyn Fn(Event) + Send + Sync>;
