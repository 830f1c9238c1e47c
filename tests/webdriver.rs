//! The real app, driven like a user through tauri-driver + WebKitWebDriver: sign in (the
//! scripted browser answers the IdP's pages), call both APIs, take a screenshot, add a second
//! account (bob), pick either account in the account picker and call as it, sign bob out and
//! keep alice, and check that no IPC reply carried any token issued in the run.
//!
//! Needs an X display, a session bus with an unlocked Secret Service, `tauri-driver` and
//! `WebKitWebDriver`, the workspace binaries (`cargo build --workspace --bins`) and the built
//! UI (`npm run build`): `scripts/test.sh` provides all of it. Run alone, without a display, it
//! is skipped unless `LANYARD_WEBDRIVER_REQUIRED=1`.

use lanyard_testkit::leaks;
mod webdriver_support;

use std::path::Path;

use lanyard_testkit::stack::{ProviderKind, Stack};
use serde_json::Value;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;
use webdriver_support::{
    add_cached_secrets, assert_no_error, assert_no_secret_on_page, cached_secrets, call_ok,
    commands, recorded_replies, screenshot, should_run, text_of, wait_for, AppHome, Until,
    PREFERENCES_FILE, RECORDER,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_call_both_apis() {
    if !should_run() {
        return;
    }
    let stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let home = AppHome::new(&stack);
    let driver = home.driver();
    let app = driver.launch().await;
    let cache_dir = home.cache_dir().to_owned();
    let user_file = home.user_file();
    let data_dir = home.data_dir();
    app.step(move |session| async move {
        let mut secrets = drive(&session, &cache_dir).await?;
        two_accounts(&session, &cache_dir, &user_file, &data_dir, &mut secrets).await?;
        sign_out_last(&session, &secrets).await
    })
    .await;
    app.quit().await;
}

/// The user's path through the app as alice; returns the secrets seen so far, and an error
/// instead of leaving the session open.
async fn drive(driver: &WebDriver, cache_dir: &Path) -> WebDriverResult<Vec<String>> {
    // Signed out at start, with a fresh cache. Record IPC replies from here on: every token is
    // issued after this point.
    let sign_in = wait_for(driver, "sign-in", "the signed-out view", Until::Present).await;
    driver.execute(RECORDER, Vec::new()).await?;

    sign_in.click().await?;
    let name = wait_for(
        driver,
        "account-name",
        "the signed-in account",
        Until::HasText,
    )
    .await;
    assert_eq!(text_of(&name).await, "Alice Example");
    // Before the vendor call rotates it, the first refresh token is in the cache.
    let mut secrets = cached_secrets(cache_dir);

    for api in ["customer", "vendor"] {
        driver
            .find(By::Id(format!("call-{api}")))
            .await?
            .click()
            .await?;
    }
    for api in ["customer", "vendor"] {
        let result = wait_for(
            driver,
            &format!("result-{api}"),
            "HTTP 200",
            Until::Status("200"),
        )
        .await;
        let text = text_of(&result).await;
        assert!(text.contains("HTTP 200"), "{api}: {text}");
    }
    let customer = text_of(&driver.find(By::Id("result-customer")).await?).await;
    assert!(
        customer.contains("from the sign-in") || customer.contains("from the cache"),
        "{customer}"
    );
    let vendor = text_of(&driver.find(By::Id("result-vendor")).await?).await;
    assert!(vendor.contains("refreshed silently"), "{vendor}");
    assert_no_error(driver).await?;
    screenshot(driver, "signed-in").await?;

    // Token info (answered from the cache on the app's main thread): metadata and decoded
    // claims; its reply is checked for secrets below with the others.
    driver.find(By::Id("token-customer")).await?.click().await?;
    let info = wait_for(
        driver,
        "result-customer",
        "the customer token's info",
        Until::TextHas("Scopes:"),
    )
    .await;
    let info = text_of(&info).await;
    assert!(info.contains("from the cache"), "{info}");
    assert!(info.contains("customer.read"), "{info}");

    // No IPC reply holds a token, nor does the page.
    add_cached_secrets(cache_dir, &mut secrets);
    assert!(
        secrets.len() >= 3,
        "expected 2 access tokens and a refresh token in the cache; found {}",
        secrets.len()
    );
    let replies = recorded_replies(driver).await?;
    let commands = commands(&replies);
    for expected in ["sign_in", "call_api", "token_info"] {
        assert!(
            commands.contains(&expected),
            "no {expected} reply was recorded; recorded: {commands:?}"
        );
    }
    let mut texts: Vec<String> = replies
        .iter()
        .map(|r| r["body"].as_str().unwrap_or_default().to_owned())
        .collect();
    // The recorder saw the real reply bodies, not empty ones.
    let ok_calls = texts
        .iter()
        .filter(|t| t.contains(r#""status":200"#))
        .count();
    assert_eq!(
        ok_calls, 2,
        "expected two recorded call_api replies with status 200"
    );
    eprintln!(
        "checked {} IPC replies and the page against {} secrets",
        texts.len(),
        secrets.len()
    );
    let page = driver.source().await?;
    texts.push(page);
    leaks::assert_no_secret_in(&texts, &secrets);

    // A path Rust refuses: the error region says so in words.
    let path = driver.find(By::Id("path-customer")).await?;
    driver
        .execute("arguments[0].value = '/a/../b';", vec![path.to_json()?])
        .await?;
    driver.find(By::Id("call-customer")).await?.click().await?;
    let error = wait_for(driver, "error", "the error region", Until::HasText).await;
    assert_eq!(error.attr("role").await?.as_deref(), Some("alert"));
    assert_eq!(
        error.attr("data-kind").await?.as_deref(),
        Some("invalid_argument")
    );
    let words = text_of(&error).await;
    assert!(words.contains("That request is not valid."), "{words}");

    Ok(secrets)
}

/// The remembered account id (`lastAccountId` in the app's preferences store).
fn remembered_account(data_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(data_dir.join(PREFERENCES_FILE)).ok()?;
    let prefs: Value = serde_json::from_str(&text).ok()?;
    prefs["lastAccountId"].as_str().map(str::to_owned)
}

/// The account picker's options as `(value, text, selected)`, and its label's text.
async fn picker(driver: &WebDriver) -> WebDriverResult<(Vec<(String, String, bool)>, String)> {
    let found = driver
        .execute(
            r#"const select = document.getElementById('account-picker');
               return {
                 options: Array.from(select.options).map(o => [o.value, o.textContent, o.selected]),
                 label: Array.from(select.labels).map(l => l.textContent).join(' '),
               };"#,
            Vec::new(),
        )
        .await?;
    let found: Value = found.convert()?;
    let options = serde_json::from_value(found["options"].clone())?;
    Ok((
        options,
        found["label"].as_str().unwrap_or_default().to_owned(),
    ))
}

/// Picks `id` in the account picker, like a user, and waits for its view.
async fn pick(driver: &WebDriver, id: &str, name: &'static str) -> WebDriverResult<()> {
    let select = driver.find(By::Id("account-picker")).await?;
    SelectElement::new(&select)
        .await?
        .select_by_value(id)
        .await?;
    wait_for(driver, "account-name", name, Until::TextIs(name)).await;
    Ok(())
}

/// "Add account" as bob, both in the picker, a call as bob and as alice, the picked account
/// remembered, then bob signed out while alice stays.
async fn two_accounts(
    driver: &WebDriver,
    cache_dir: &Path,
    user_file: &Path,
    data_dir: &Path,
    secrets: &mut Vec<String>,
) -> WebDriverResult<()> {
    std::fs::write(user_file, "bob bob-password\n").expect("the user file");
    driver.find(By::Id("add-account")).await?.click().await?;
    wait_for(
        driver,
        "account-name",
        "bob, the added account",
        Until::TextIs("Bob Example"),
    )
    .await;
    add_cached_secrets(cache_dir, secrets);
    assert_eq!(remembered_account(data_dir).as_deref(), Some("bob"));

    let (options, label) = picker(driver).await?;
    assert_eq!(label, "Account");
    let values: Vec<(&str, bool)> = options
        .iter()
        .map(|(v, _, selected)| (v.as_str(), *selected))
        .collect();
    assert_eq!(values, [("alice", false), ("bob", true)], "{options:?}");
    assert!(options[0].1.contains("alice@example.test"), "{options:?}");
    assert!(options[1].1.contains("bob@example.test"), "{options:?}");

    // The API cards act for bob.
    let text = call_ok(driver, "customer").await?;
    assert!(text.contains(r#""subject": "bob""#), "{text}");
    screenshot(driver, "two-accounts").await?;

    // Back to alice: remembered, and the cards act for her.
    pick(driver, "alice", "Alice Example").await?;
    assert_eq!(remembered_account(data_dir).as_deref(), Some("alice"));
    let text = call_ok(driver, "vendor").await?;
    assert!(text.contains(r#""subject": "alice""#), "{text}");

    // Pick bob again and sign him out: alice remains, and becomes the current account.
    pick(driver, "bob", "Bob Example").await?;
    add_cached_secrets(cache_dir, secrets);
    driver.find(By::Id("sign-out")).await?.click().await?;
    wait_for(
        driver,
        "account-name",
        "alice after bob's sign-out",
        Until::TextIs("Alice Example"),
    )
    .await;
    let (options, _) = picker(driver).await?;
    assert_eq!(options.len(), 1, "{options:?}");
    assert_eq!(options[0].0, "alice");
    assert_eq!(remembered_account(data_dir).as_deref(), Some("alice"));
    let text = call_ok(driver, "customer").await?;
    assert!(text.contains(r#""subject": "alice""#), "{text}");
    assert_no_error(driver).await?;
    Ok(())
}

/// Checks every IPC reply and the page against every secret seen, then signs alice out: back
/// to the signed-out view.
async fn sign_out_last(driver: &WebDriver, secrets: &[String]) -> WebDriverResult<()> {
    let replies = recorded_replies(driver).await?;
    for expected in ["select_account", "sign_out"] {
        assert!(
            commands(&replies).contains(&expected),
            "no {expected} reply was recorded; recorded: {:?}",
            commands(&replies)
        );
    }
    assert_no_secret_on_page(driver, secrets).await?;

    driver.find(By::Id("sign-out")).await?.click().await?;
    wait_for(
        driver,
        "sign-in",
        "the signed-out view after sign-out",
        Until::Present,
    )
    .await;
    assert!(driver.find(By::Id("account-name")).await.is_err());
    Ok(())
}
