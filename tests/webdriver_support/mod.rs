//! Shared by the WebDriver tests (`tests/webdriver*.rs`): `tauri-driver` on free ports, the
//! app's environment (config, cache, a private home), sessions that always end, waits on the
//! page, the IPC reply recorder, screenshots and the token check.
//!
//! Needs an X display, a session bus with an unlocked Secret Service, `tauri-driver` and
//! `WebKitWebDriver`, the workspace binaries (`cargo build --workspace --bins`) and the built
//! UI (`npm run build`): `scripts/test.sh` provides all of it. Without a display a test is
//! skipped unless `LANYARD_WEBDRIVER_REQUIRED=1`.
//!
//! - [`driver`]: tauri-driver, sessions (one per app start) that always end;
//! - [`home`]: the app's environment (config, cache, a private home, the browser it launches);
//! - [`page`]: waits, clicks and screenshots on the app's page;
//! - [`secrets`]: the IPC reply recorder and the check that no token reached the page.

// Each test file uses a part (of the helpers and of the re-exports).
#![allow(dead_code, unused_imports)]

mod driver;
mod home;
mod page;
mod secrets;

use std::path::{Path, PathBuf};

pub use driver::{App, Driver, TauriDriver};
pub use home::AppHome;
pub use page::{
    assert_no_error, call_ok, screenshot, sign_in, text_of, wait_for, Until, STEP_TIMEOUT,
};
pub use secrets::{
    add_cached_secrets, assert_no_secret_on_page, cached_secrets, commands,
    record_sign_in_and_calls, recorded_replies, RECORDER,
};

/// The engine's cache file name inside the cache directory.
pub const CACHE_FILE: &str = "tokens.lanyard";
/// The app's preferences (tauri-plugin-store), under `$XDG_DATA_HOME/<identifier>/`.
pub const PREFERENCES_FILE: &str = "dev.lanyard.app/preferences.json";

/// True when the test can run; false (after saying why) when it is skipped. Panics if
/// `LANYARD_WEBDRIVER_REQUIRED` is set but there is no display.
pub fn should_run() -> bool {
    let display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if !display {
        assert!(
            std::env::var_os("LANYARD_WEBDRIVER_REQUIRED").is_none(),
            "LANYARD_WEBDRIVER_REQUIRED is set but there is no display (run under xvfb-run)"
        );
        eprintln!("skipped: no display (run scripts/test.sh, or set up Xvfb and a session bus)");
    }
    display
}

/// `tests/artifacts`, where screenshots go (git-ignored).
pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts")
}
