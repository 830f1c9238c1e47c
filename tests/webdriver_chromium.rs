//! The IdP's HTML pages in a real browser engine: the app launches `lanyard-chromium-browser`
//! (headless Chromium driven through chromedriver), which fills the IdP's login form and
//! presses Allow; the app then shows alice signed in and calls both APIs. Needs the Debian
//! packages `chromium` and `chromium-driver` (scripts/install-deps.sh installs them); without
//! `chromedriver` the test is skipped unless `LANYARD_WEBDRIVER_REQUIRED=1`. See
//! `tests/webdriver_support` for the rest of what the WebDriver tests need.

mod webdriver_support;

use std::process::{Command, Stdio};

use lanyard_testkit::stack::{bin_path, ProviderKind, Stack};
use webdriver_support::{
    add_cached_secrets, artifacts_dir, assert_no_error, assert_no_secret_on_page, call_ok,
    screenshot, should_run, sign_in, wait_for, AppHome, Until, RECORDER,
};

fn chromedriver_available() -> bool {
    let program = std::env::var("LANYARD_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_through_chromium() {
    if !should_run() {
        return;
    }
    if !chromedriver_available() {
        assert!(
            std::env::var_os("LANYARD_WEBDRIVER_REQUIRED").is_none(),
            "LANYARD_WEBDRIVER_REQUIRED is set but chromedriver is missing (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: no chromedriver (apt-get install chromium chromium-driver)");
        return;
    }
    let stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let shots = artifacts_dir();
    std::fs::create_dir_all(&shots).unwrap();
    for old in ["chromium-login.png", "chromium-consent.png"] {
        let _ = std::fs::remove_file(shots.join(old));
    }
    let home = AppHome::new(&stack)
        .with_browser(bin_path("lanyard-chromium-browser"))
        .with_env("LANYARD_BROWSER_SHOTS", &shots.display().to_string());
    let cache_dir = home.cache_dir().to_owned();
    let driver = home.driver();
    let app = driver.launch().await;
    app.step(move |d| async move {
        wait_for(&d, "sign-in", "the signed-out view", Until::Present).await;
        d.execute(RECORDER, Vec::new()).await?;
        sign_in(&d, "Alice Example").await?;
        for api in ["customer", "vendor"] {
            let text = call_ok(&d, api).await?;
            assert!(text.contains(r#""subject": "alice""#), "{api}: {text}");
        }
        assert_no_error(&d).await?;
        // Chromium really showed the IdP's pages.
        for shot in ["chromium-login.png", "chromium-consent.png"] {
            let size = std::fs::metadata(shots.join(shot)).map(|m| m.len());
            assert!(
                size.is_ok_and(|n| n > 1000),
                "no Chromium screenshot {shot}"
            );
        }
        screenshot(&d, "chromium-sign-in").await?;
        let mut secrets = Vec::new();
        add_cached_secrets(&cache_dir, &mut secrets);
        assert_no_secret_on_page(&d, &secrets).await
    })
    .await;
    app.quit().await;
}
