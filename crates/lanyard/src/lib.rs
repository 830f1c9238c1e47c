//! Lanyard's auth engine.
//!
//! Window-free and tauri-free: the desktop shell, the `lanyard` CLI, the tests and the
//! benchmarks all drive this crate directly. It signs a user in once in the system browser
//! (authorization code + PKCE, loopback redirect, RFC 8252), asks consent for every configured
//! API in that one prompt, redeems the code for the first API, gets the other APIs' tokens
//! silently with the refresh token, keeps everything in an encrypted cache and calls the APIs.
//!
//! Every side effect is injected through [`Deps`]: HTTP ([`http::HttpTransport`]), the clock
//! ([`clock::Clock`]), the browser ([`browser::BrowserOpener`]) and the key store
//! ([`cache::KeyStore`]), so tests control each of them.

pub mod browser;
pub mod cache;
pub mod clock;
pub mod config;
mod engine;
mod error;
pub mod http;
mod loopback;
mod model;
mod oidc;
pub mod pii;

/// This crate's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use config::{ApiConfig, Config};
/// Fills caches quickly for the benchmarks (feature `bench-support`; not for apps).
#[cfg(feature = "bench-support")]
pub use engine::bench as bench_support;
pub use engine::{AccessTokenGrant, Deps, Engine, InteractiveRequest, SignOutOutcome, SignedIn};
pub use error::{Challenge, Error, ErrorKind, InteractionReason};
pub use model::{AccountId, AccountInfo, ApiResponse, TokenInfo, TokenSource};
pub use oidc::JWKS_REFETCH_INTERVAL_SECS;
pub use pii::pii;
