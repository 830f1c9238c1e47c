//! Shared by the WebDriver tests (`tests/webdriver*.rs`): `tauri-driver` on free ports, the
//! app's environment (config, cache, a private home), sessions that always end, waits on the
//! page, the IPC reply recorder, screenshots and the token check.
//!
//! Needs an X display, a session bus with an unlocked Secret Service, `tauri-driver` and
//! `WebKitWebDriver`, the workspace binaries (`cargo build --workspace --bins`) and the built
//! UI (`npm run build`): `scripts/test.sh` provides all of it. Without a display a test is
//! skipped unless `LANYARD_WEBDRIVER_REQUIRED=1`.
//!
//! - `lanyard_testkit::webdriver`: tauri-driver, sessions (one per app start) that always end
//!   ([`Driver`] starts this package's `lanyard-app`);
//! - [`home`]: the app's environment (config, cache, a private home, the browser it launches);
//! - [`page`]: waits, clicks and screenshots on the app's page;
//! - [`secrets`]: the IPC reply recorder and the check that no token reached the page.

// Each test file uses a part (of the helpers and of the re-exports).
#![allow(dead_code, unused_imports)]

mod home;
mod page;
mod secrets;

use std::path::{Path, PathBuf};

pub use home::AppHome;
pub use lanyard_testkit::webdriver::{should_run, text_of, App, Driver, TauriDriver};
pub use page::{assert_no_error, call_ok, screenshot, sign_in, wait_for, Until, STEP_TIMEOUT};
pub use secrets::{
    add_cached_secrets, assert_no_secret_on_page, cached_secrets, commands,
    record_sign_in_and_calls, recorded_replies, RECORDER,
};

/// The engine's cache file name inside the cache directory.
pub const CACHE_FILE: &str = "tokens.lanyard";
/// The app's preferences (tauri-plugin-store), under `$XDG_DATA_HOME/<identifier>/`.
pub const PREFERENCES_FILE: &str = "dev.lanyard.app/preferences.json";

/// The app binary the tests start (cargo builds it before the tests).
pub const APP: &str = env!("CARGO_BIN_EXE_lanyard-app");

/// `tests/artifacts`, where screenshots go (git-ignored).
pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts")
}
