//! The identity provider down: with it stopped before the first sign-in, Sign in fails with a
//! network error in words (role=alert) and the app stays usable; with it stopped after a
//! sign-in, the APIs are still called with the cached tokens. What the app shows for "offline"
//! is checked in one place, [`assert_offline_shown`]: the Offline banner, which goes away by
//! itself once the provider answers again (the IdP restarted on the same port). See `tests/webdriver_support` for what
//! the WebDriver tests need.

mod webdriver_support;

use lanyard_testkit::stack::{ProviderKind, Stack};
use thirtyfour::prelude::*;
use webdriver_support::{
    add_cached_secrets, assert_no_error, assert_no_secret_on_page, call_ok,
    record_sign_in_and_calls, screenshot, should_run, sign_in, text_of, wait_for, AppHome, Until,
};

/// When the app learnt that the identity provider is unreachable.
#[derive(Clone, Copy, Debug)]
enum Offline {
    /// A sign-in failed on the network.
    SignInFailed,
    /// API calls were served from the cache while the provider is down.
    ServedFromCache,
}

/// Everything the app shows today when the identity provider is unreachable. An offline
/// banner's assertions belong here.
async fn assert_offline_shown(driver: &WebDriver, when: Offline) -> WebDriverResult<()> {
    match when {
        Offline::SignInFailed => {
            let error = wait_for(driver, "error", "the error region", Until::HasText).await;
            assert_eq!(error.attr("role").await?.as_deref(), Some("alert"));
            assert_eq!(error.attr("data-kind").await?.as_deref(), Some("network"));
            let words = text_of(&error).await;
            assert!(words.contains("cannot reach the server"), "{words}");
            let banner = wait_for(driver, "offline", "the offline banner", Until::HasText).await;
            assert_eq!(banner.attr("role").await?.as_deref(), Some("status"));
            assert!(banner.attr("hidden").await?.is_none());
            let words = text_of(&banner).await;
            assert!(words.contains("Offline"), "{words}");
        }
        // Nothing is shown today: the calls simply work.
        Offline::ServedFromCache => assert_no_error(driver).await?,
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_with_the_provider_down() {
    if !should_run() {
        return;
    }
    let mut stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let home = AppHome::new(&stack);
    stack.stop_idp().await.expect("the IdP stops");
    let driver = home.driver();
    let app = driver.launch().await;
    app.step(|d| async move {
        let button = wait_for(&d, "sign-in", "the signed-out view", Until::Present).await;
        button.click().await?;
        assert_offline_shown(&d, Offline::SignInFailed).await?;
        // Still usable: back on the signed-out view, and a second try answers the same way.
        let button = wait_for(&d, "sign-in", "the signed-out view again", Until::Present).await;
        let status = text_of(&d.find(By::Id("status")).await?).await;
        assert_eq!(status.trim(), "Signed out");
        screenshot(&d, "idp-down").await?;
        // Dismiss, then try again: the same error comes back.
        d.find(By::Css("#error button[aria-label='Dismiss']"))
            .await?
            .click()
            .await?;
        assert_no_error(&d).await?;
        button.click().await?;
        assert_offline_shown(&d, Offline::SignInFailed).await
    })
    .await;

    // The network is back: the banner and the network error go away by themselves, and
    // signing in works.
    stack.restart_idp().await.expect("the IdP starts again");
    app.step(|d| async move {
        wait_for(&d, "offline", "the banner to go", Until::Hidden).await;
        assert_no_error(&d).await?;
        screenshot(&d, "back-online").await?;
        sign_in(&d, "Alice Example").await
    })
    .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_tokens_serve_calls_with_the_provider_down() {
    if !should_run() {
        return;
    }
    let mut stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let home = AppHome::new(&stack);
    let cache_dir = home.cache_dir().to_owned();
    let driver = home.driver();
    let app = driver.launch().await;
    let first_cache = cache_dir.clone();
    let mut secrets = app
        .step(move |d| async move {
            record_sign_in_and_calls(&d, &first_cache, &["customer", "vendor"]).await
        })
        .await;

    stack.stop_idp().await.expect("the IdP stops");

    app.step(move |d| async move {
        for api in ["customer", "vendor"] {
            let text = call_ok(&d, api).await?;
            assert!(text.contains("from the cache"), "{api}: {text}");
        }
        assert_offline_shown(&d, Offline::ServedFromCache).await?;
        screenshot(&d, "offline-cache").await?;
        add_cached_secrets(&cache_dir, &mut secrets);
        assert_no_secret_on_page(&d, &secrets).await
    })
    .await;
    app.quit().await;
}
