//! Test support for Lanyard.
//!
//! - [`idp`]: starts the local OpenID Connect provider (`tests/idp/server.mjs`) as a child process.
//! - [`browser`]: a scripted user who signs in on that IdP's real login and consent pages.
//! - [`fault`]: a programmable fault proxy in front of the IdP (throttling, resets, bad bodies).
//! - [`stack`]: the IdP plus both demo APIs and a private config/cache directory (on free
//!   ports, or on the demo's fixed ones).
//! - the `lanyard-test-browser` binary: the same user, as the program the app launches as its
//!   "system browser" (through the `LANYARD_BROWSER` environment variable);
//!   `lanyard-chromium-browser`: the same, in a real browser engine (headless Chromium driven
//!   through chromedriver).
//! - [`user`]: who the scripted browsers sign in as.
//! - [`leaks`]: the tokens a run issued, and checks that no reply or output holds one.
//! - [`webdriver`]: a Tauri app driven through tauri-driver + WebKitWebDriver (the app's and
//!   the example app's WebDriver tests).

pub mod browser;
pub mod fault;
pub mod idp;
pub mod leaks;
pub mod stack;
pub mod user;
pub mod webdriver;

pub use browser::{
    complete_sign_in, complete_sign_in_recording, BrowserError, Consent, SignInTrace,
};
pub use idp::{Idp, IdpError, IdpOptions};
