//! The example app, driven like a user through tauri-driver + WebKitWebDriver, against the
//! local IdP and both demo APIs on the ports its tauri.conf.json names (7700, 7701, 7702):
//! press Sign in — the plugin opens the "system browser" with `xdg-open`, here a script that
//! runs the scripted user (`lanyard-test-browser`) — then both API results show HTTP 200,
//! the account is alice@example.test, and the page holds no token.
//!
//! Needs an X display, a session bus with an unlocked Secret Service, `tauri-driver` and
//! `WebKitWebDriver`, the workspace binaries (`cargo build --workspace --bins`), the built page
//! (`npm run build`) and free ports 7700-7702 (no `scripts/demo.sh` running):
//! `scripts/test.sh` provides the rest. Without a display it is skipped unless
//! `LANYARD_WEBDRIVER_REQUIRED=1`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lanyard_testkit::leaks;
use lanyard_testkit::stack::{ProviderKind, Stack, DEMO_PORTS};
use lanyard_testkit::webdriver::{screenshot, scripted_user_env, should_run, text_of, Driver};
use thirtyfour::prelude::*;

/// How long the sign-in and the calls may take.
const TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_call_both_apis() {
    if !should_run() {
        return;
    }
    let _stack = Stack::start_on(ProviderKind::Rfc8707, DEMO_PORTS)
        .await
        .unwrap_or_else(|e| panic!("the IdP and the demo APIs on 7700-7702: {e}"));
    let home = tempfile::tempdir().unwrap();
    let driver = Driver::start(
        env!("CARGO_BIN_EXE_lanyard-example-app"),
        &scripted_user_env(
            home.path(),
            &artifacts_dir().join("example-app-browser.log"),
        ),
    );
    let app = driver.launch().await;
    app.step(|session| async move {
        let sign_in = wait_until(&session, "sign-in", "the Sign in button", |el| async move {
            el.is_enabled().await.unwrap_or(false)
        })
        .await;
        sign_in.click().await?;

        for api in ["customer", "vendor"] {
            let status = wait_until(
                &session,
                &format!("{api}-status"),
                "an HTTP status",
                |el| async move { text_of(&el).await.trim().parse::<u16>().is_ok() },
            )
            .await;
            assert_eq!(text_of(&status).await.trim(), "200", "{api} status");
            let body = text_of(&session.find(By::Id(format!("{api}-body"))).await?).await;
            assert!(
                body.trim_start().starts_with(['{', '[']),
                "{api} JSON: {body}"
            );
        }
        let account = text_of(&session.find(By::Id("account")).await?).await;
        assert_eq!(account.trim(), "alice@example.test");
        // The page subscribed to the plugin's events: the vendor token came by refresh, after
        // the sign-in (the last event it saw).
        let event = text_of(&session.find(By::Id("last-event")).await?).await;
        assert_eq!(event.trim(), "tokenRefreshed");
        assert_no_error(&session).await;
        assert!(
            !leaks::contains_jwt(&session.source().await?),
            "the page holds a JWT"
        );
        screenshot(&session, &artifacts_dir().join("example-app.png")).await
    })
    .await;
    app.quit().await;
}

/// Waits until `#id` exists and `ready` holds for it; fails at once if the page shows an
/// error, or after [`TIMEOUT`] (with a screenshot).
async fn wait_until<F, Fut>(session: &WebDriver, id: &str, what: &str, ready: F) -> WebElement
where
    F: Fn(WebElement) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Ok(el) = session.find(By::Id(id)).await {
            if ready(el.clone()).await {
                return el;
            }
        }
        assert_no_error(session).await;
        if Instant::now() > deadline {
            let shot = artifacts_dir().join("example-app-failure.png");
            let _ = screenshot(session, &shot).await;
            panic!(
                "timed out waiting for #{id} ({what}); screenshot: {}",
                shot.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Panics with the page's error (`kind: message`) if it shows one.
async fn assert_no_error(session: &WebDriver) {
    if let Ok(error) = session.find(By::Id("error")).await {
        if error.attr("hidden").await.ok().flatten().is_none() {
            panic!("the page shows an error: {}", text_of(&error).await);
        }
    }
}

/// The repository's `tests/artifacts` (git-ignored), beside the app's screenshots.
fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/artifacts")
}
