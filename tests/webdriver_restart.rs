//! The app restarted on its persisted cache: sign in once, quit the app, start it again with
//! the same cache directory, Secret Service and data directory: it shows the account signed in
//! at once, both APIs answer with tokens from the cache, and the browser was launched once
//! only (the browser the app runs is a wrapper that counts its launches, then runs the scripted
//! browser). See `tests/webdriver_support` for what the WebDriver tests need.

mod webdriver_support;

use std::path::Path;

use lanyard_testkit::stack::{bin_path, ProviderKind, Stack};
use thirtyfour::prelude::*;
use webdriver_support::{
    add_cached_secrets, assert_no_error, assert_no_secret_on_page, call_ok, screenshot, should_run,
    sign_in, wait_for, AppHome, Until, RECORDER,
};

/// How many times the app launched the browser: one line per launch in this file.
const LAUNCHES: &str = "browser-launches";

fn launches(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join(LAUNCHES))
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_signs_in_from_the_persisted_cache() {
    if !should_run() {
        return;
    }
    let stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let home = AppHome::new(&stack);
    // Counts launches (never the URL: it holds the PKCE challenge, state and nonce).
    let counter = home.script(
        "counting-browser",
        &format!(
            "echo launched >> '{}'\nexec '{}' \"$@\"",
            home.dir().join(LAUNCHES).display(),
            bin_path("lanyard-test-browser").display()
        ),
    );
    let home = home.with_browser(counter);
    let dir = home.dir().to_owned();
    let cache_dir = home.cache_dir().to_owned();
    let driver = home.driver();

    // First run: a real sign-in in the (scripted) browser, both APIs called.
    let app = driver.launch().await;
    let first_dir = dir.clone();
    let first_cache = cache_dir.clone();
    let mut secrets = app
        .step(move |d| async move {
            sign_in(&d, "Alice Example").await?;
            assert_eq!(launches(&first_dir), 1, "the sign-in launched the browser");
            for api in ["customer", "vendor"] {
                call_ok(&d, api).await?;
            }
            let mut secrets = Vec::new();
            add_cached_secrets(&first_cache, &mut secrets);
            Ok(secrets)
        })
        .await;
    app.quit().await;

    // Second run, same cache and data: signed in without a browser.
    let app = driver.launch().await;
    let second_dir = dir.clone();
    let second_cache = cache_dir.clone();
    app.step(move |d| async move {
        wait_for(
            &d,
            "account-name",
            "alice, restored from the cache",
            Until::TextIs("Alice Example"),
        )
        .await;
        assert!(
            d.find(By::Id("sign-in")).await.is_err(),
            "the signed-out view is shown"
        );
        d.execute(RECORDER, Vec::new()).await?;
        for api in ["customer", "vendor"] {
            let text = call_ok(&d, api).await?;
            assert!(
                text.contains("from the cache") || text.contains("refreshed silently"),
                "{api}: {text}"
            );
            assert!(text.contains(r#""subject": "alice""#), "{api}: {text}");
        }
        assert_no_error(&d).await?;
        assert_eq!(
            launches(&second_dir),
            1,
            "the restarted app launched the browser (signed in again)"
        );
        screenshot(&d, "restart").await?;
        add_cached_secrets(&second_cache, &mut secrets);
        assert_no_secret_on_page(&d, &secrets).await
    })
    .await;
    app.quit().await;
}
