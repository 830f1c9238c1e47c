//! An OAuth 2.0 / OpenID Connect sign-in engine for desktop apps and command lines, with no
//! window of its own.
//!
//! It signs a user in once in the system browser (authorization code + PKCE, loopback
//! redirect, RFC 8252), asks consent for every configured web API in that one prompt, redeems
//! the code for the first API, gets the other APIs' tokens silently with the refresh token,
//! keeps everything in an encrypted cache (its key in the OS secret store) and calls the APIs.
//! It works with the Microsoft identity platform (Entra ID, B2C, personal accounts; scope-only)
//! and with any OpenID provider that takes RFC 8707 resource indicators.
//!
//! # Walkthrough
//!
//! ## 1. Configure the provider and the APIs
//!
//! A [`Config`] names the provider (`authority`), the app's public client id and the web APIs
//! it calls. Build it in code with [`Config::builder`], or read a TOML file with
//! [`Config::load`]; either way every field is checked and an error names the field.
//!
//! ```
//! use lanyard::{Api, Config};
//!
//! let config = Config::builder("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0",
//!                              "00000000-0000-0000-0000-000000000001")
//!     .api(Api::new("customer", "https://customer.contoso.com")
//!         .scopes(["api://contoso-customer/customer.read"]))
//!     .api(Api::new("vendor", "https://vendor.contoso.com")
//!         .scopes(["api://contoso-vendor/vendor.read"])
//!         .optional_scopes(["api://contoso-vendor/vendor.reports"]))
//!     .client_info(true)
//!     .build()?;
//! assert_eq!(config.apis[0].name, "customer");
//! # Ok::<(), lanyard::Error>(())
//! ```
//!
//! ## 2. Name the app
//!
//! An [`AppIdentity`] keeps apps built on this crate apart: its display name is shown on the
//! page the browser lands on after sign-in, and its reverse-DNS id names the keyring service of
//! the cache key and the cache directory.
//!
//! ```
//! use lanyard::AppIdentity;
//!
//! let identity = AppIdentity::new("com.contoso.notes", "Contoso Notes")?;
//! assert_eq!(identity.keyring_service_name(), "com.contoso.notes.token-cache");
//! # Ok::<(), lanyard::Error>(())
//! ```
//!
//! ## 3. Sign in, get tokens, call the APIs, sign out
//!
//! [`Engine::builder`] makes the engine; by default it talks to the network with reqwest,
//! opens the system browser and keeps the cache key in the OS secret store. Every method is
//! `async`; the engine is cheap to clone and its futures are `Send`.
//!
//! ```no_run
//! use lanyard::{Api, AppIdentity, Config, Engine, TokenSource};
//!
//! # async fn run() -> Result<(), lanyard::Error> {
//! # let config = Config::builder("https://login.example.com", "client")
//! #     .api(Api::new("customer", "https://customer.example.com").scopes(["customer.read"]))
//! #     .api(Api::new("vendor", "https://vendor.example.com").scopes(["vendor.read"]))
//! #     .build()?;
//! let identity = AppIdentity::new("com.contoso.notes", "Contoso Notes")?;
//! let engine = Engine::builder(config, identity).build()?;
//!
//! // Once, interactively: the browser opens, the user signs in and consents to both APIs.
//! let signed_in = engine.sign_in().await?;
//! let account = signed_in.account.id;
//! println!("signed in as {:?}", signed_in.account.username);
//!
//! // The second API's token, silently, from the refresh token (cached afterwards).
//! let vendor = engine.acquire_token_silent(&account, "vendor").await?;
//! assert_eq!(vendor.info().source, TokenSource::Refresh);
//!
//! // An API call with a silently acquired token: status, JSON body, token metadata.
//! let answer = engine.call_api(&account, "customer", "/customers").await?;
//! println!("{} {}", answer.status, answer.body);
//!
//! // The account and its tokens leave the cache; its refresh token is revoked when the
//! // provider can.
//! let outcome = engine.sign_out(&account).await?;
//! println!("revoked: {}", outcome.revoked);
//! # Ok(())
//! # }
//! ```
//!
//! When a silent request cannot succeed without the user, the error's kind is
//! [`ErrorKind::InteractionRequired`], with an [`InteractionReason`] and, for consent and
//! Conditional Access, a [`Challenge`] that [`InteractiveRequest::for_challenge`] turns into
//! the interactive request for [`Engine::sign_in_with`]. [`AccessTokenGrant::secret`] is the
//! only way to the token itself: nothing else in the public API holds one, and no `Debug` form
//! or error message shows one.
//!
//! ## 4. Custom dependencies, for tests
//!
//! The engine's side effects are injected: HTTP ([`http::HttpTransport`]), the clock
//! ([`clock::Clock`]), the browser ([`browser::BrowserOpener`]) and the key store
//! ([`cache::KeyStore`]). Give any of them to the [`EngineBuilder`]; the others stay the
//! production ones.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::{Duration, SystemTime};
//!
//! use lanyard::browser::BrowserOpener;
//! use lanyard::cache::MemoryKeyStore;
//! use lanyard::clock::Clock;
//! use lanyard::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport};
//! use lanyard::{AccountId, Api, AppIdentity, Config, Engine, Error, ErrorKind};
//!
//! /// The network is down.
//! struct Offline;
//! impl HttpTransport for Offline {
//!     fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
//!         Box::pin(async { Err(Error::Network("offline in this test".into())) })
//!     }
//! }
//!
//! /// Always the same time.
//! struct Frozen(SystemTime);
//! impl Clock for Frozen {
//!     fn now(&self) -> SystemTime {
//!         self.0
//!     }
//! }
//!
//! /// Nobody at the keyboard.
//! struct NoBrowser;
//! impl BrowserOpener for NoBrowser {
//!     fn open(&self, _url: &url::Url) -> Result<(), Error> {
//!         Err(Error::Cancelled("no browser in this test".into()))
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! let dir = tempfile::tempdir().unwrap();
//! let config = Config::builder("https://login.example.com", "client")
//!     .api(Api::new("customer", "https://customer.example.com").scopes(["customer.read"]))
//!     .cache_dir(dir.path())
//!     .build()?;
//! let engine = Engine::builder(config, AppIdentity::new("com.contoso.tests", "Tests")?)
//!     .http(Arc::new(Offline))
//!     .clock(Arc::new(Frozen(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))))
//!     .browser(Arc::new(NoBrowser))
//!     .key_store(Arc::new(MemoryKeyStore::default())) // in memory, not the OS secret store
//!     .build()?;
//!
//! assert!(engine.accounts().await?.is_empty());
//! let err = engine
//!     .acquire_token_silent(&AccountId("alice".into()), "customer")
//!     .await
//!     .unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::InteractionRequired);
//! assert_eq!(engine.check_connection().await.unwrap_err().kind(), ErrorKind::Network);
//! # Ok(())
//! # }
//! ```
//!
//! The crate's own end-to-end tests run it against a real OpenID provider, two web APIs and the
//! OS secret store; `examples/sign_in_and_call.rs` is a whole program.

#![warn(missing_docs)]

pub mod browser;
pub mod cache;
pub mod clock;
pub mod config;
mod engine;
mod error;
pub mod http;
mod identity;
mod loopback;
mod microsoft;
mod model;
mod oidc;
pub mod pii;

/// This crate's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use config::{Api, Config, ConfigBuilder};
/// Fills caches quickly for the benchmarks (feature `bench-support`; not for apps).
#[cfg(feature = "bench-support")]
pub use engine::bench as bench_support;
pub use engine::{
    AccessTokenGrant, Deps, Engine, EngineBuilder, InteractiveRequest, SignOutOutcome, SignedIn,
};
pub use error::{Challenge, Error, ErrorKind, InteractionReason};
pub use identity::{AppIdentity, CACHE_FILE_EXTENSION};
pub use model::{AccountId, AccountInfo, ApiResponse, TokenInfo, TokenSource};
pub use oidc::JWKS_REFETCH_INTERVAL_SECS;
pub use pii::pii;

/// The README's example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
