//! An API asks for more, in the real app: the vendor API switched to require a Conditional
//! Access authentication context answers with a claims challenge; the app says so with a
//! "Verify in browser" action, the (scripted) browser signs in with the claims, and the call
//! resumes by itself; then `/reports` needs a scope the first sign-in did not ask for: "Grant
//! access", consent in the browser, and the call resumes. The decoded claims (never the token)
//! show the authentication context, and the API card shows the optional scope granted. See `tests/webdriver_support` for what the WebDriver tests
//! need.

mod webdriver_support;

use lanyard_testkit::stack::{ProviderKind, Stack};
use thirtyfour::prelude::*;
use webdriver_support::{
    add_cached_secrets, assert_no_error, assert_no_secret_on_page, record_sign_in_and_calls,
    screenshot, should_run, text_of, wait_for, AppHome, Until,
};

/// Waits for the error banner to ask for `reason`, checks its action's words and presses it;
/// then waits until the vendor card shows HTTP 200 (the call resumed) and returns its text.
async fn resolve_in_browser(d: &WebDriver, reason: &str, action: &str) -> WebDriverResult<String> {
    let error = wait_for(d, "error", "the challenge", Until::HasText).await;
    assert_eq!(
        error.attr("data-kind").await?.as_deref(),
        Some("interaction_required")
    );
    assert_eq!(error.attr("data-reason").await?.as_deref(), Some(reason));
    let grant = d.find(By::Id("error-grant")).await?;
    assert_eq!(text_of(&grant).await.trim(), action);
    grant.click().await?;
    let result = wait_for(d, "result-vendor", "the resumed call", Until::Status("200")).await;
    assert_no_error(d).await?;
    Ok(text_of(&result).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_challenge_and_incremental_consent_round_trips() {
    if !should_run() {
        return;
    }
    let stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let home = AppHome::new(&stack);
    let cache_dir = home.cache_dir().to_owned();
    let driver = home.driver();
    let app = driver.launch().await;
    let first_cache = cache_dir.clone();
    let mut secrets = app
        .step(move |d| async move { record_sign_in_and_calls(&d, &first_cache, &["vendor"]).await })
        .await;

    // Conditional Access switched on at the vendor API.
    stack.vendor_policy().require_auth_context(Some("c1"));
    let second_cache = cache_dir.clone();
    secrets = app
        .step(move |d| async move {
            d.find(By::Id("call-vendor")).await?.click().await?;
            let text = resolve_in_browser(&d, "claims_challenge", "Verify in browser").await?;
            assert!(text.contains(r#""api": "vendor""#), "{text}");
            // The decoded claims show the authentication context the API asked for.
            let claims = d
                .find(By::Css("#result-vendor details[data-role='claims']"))
                .await?;
            claims.find(By::Tag("summary")).await?.click().await?;
            let shown = text_of(&claims).await;
            assert!(shown.contains("acrs") && shown.contains("c1"), "{shown}");
            screenshot(&d, "claims-challenge").await?;
            add_cached_secrets(&second_cache, &mut secrets);
            Ok(secrets)
        })
        .await;

    // A scope the first sign-in did not ask for.
    stack.vendor_policy().require_auth_context(None);
    let third_cache = cache_dir.clone();
    app.step(move |d| async move {
        let chip = "section.api[data-api='vendor'] .chip[data-scope='vendor.reports']";
        let granted =
            |d: WebDriver| async move { d.find(By::Css(chip)).await?.attr("data-granted").await };
        assert_eq!(granted(d.clone()).await?.as_deref(), Some("false"));
        let path = d.find(By::Id("path-vendor")).await?;
        path.clear().await?;
        path.send_keys("/reports").await?;
        d.find(By::Id("call-vendor")).await?.click().await?;
        let text = resolve_in_browser(&d, "consent_required", "Grant access").await?;
        assert!(text.contains("GET /reports"), "{text}");
        assert!(text.contains(r#""reports""#), "{text}");
        assert_eq!(granted(d.clone()).await?.as_deref(), Some("true"));
        screenshot(&d, "incremental-consent").await?;
        add_cached_secrets(&third_cache, &mut secrets);
        assert_no_secret_on_page(&d, &secrets).await
    })
    .await;
    app.quit().await;
}
