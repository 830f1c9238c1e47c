//! Waits, clicks and screenshots on the app's page.

use std::time::{Duration, Instant};

use lanyard_testkit::webdriver::{self, text_of};
use thirtyfour::prelude::*;

use super::artifacts_dir;

/// How long any one UI step may take.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// What [`wait_for`] waits for.
pub enum Until {
    /// The element exists.
    Present,
    /// It has some text.
    HasText,
    /// Its `data-status` is this.
    Status(&'static str),
    /// Its text is exactly this.
    TextIs(&'static str),
    /// Its text contains this.
    TextHas(&'static str),
    /// It has the `hidden` attribute.
    Hidden,
}

impl Until {
    async fn holds(&self, el: &WebElement) -> bool {
        match self {
            Until::Present => true,
            Until::HasText => !text_of(el).await.trim().is_empty(),
            Until::Status(want) => {
                el.attr("data-status").await.ok().flatten().as_deref() == Some(*want)
            }
            Until::TextIs(want) => text_of(el).await.trim() == *want,
            Until::TextHas(want) => text_of(el).await.contains(*want),
            Until::Hidden => el.attr("hidden").await.ok().flatten().is_some(),
        }
    }
}

/// Waits until `#id` exists and `until` holds; returns it. On timeout, saves a screenshot
/// and panics with what the page shows.
pub async fn wait_for(driver: &WebDriver, id: &str, what: &str, until: Until) -> WebElement {
    let deadline = Instant::now() + STEP_TIMEOUT;
    loop {
        if let Ok(el) = driver.find(By::Id(id)).await {
            if until.holds(&el).await {
                return el;
            }
        }
        if Instant::now() > deadline {
            let error = match driver.find(By::Id("error")).await {
                Ok(e) => text_of(&e).await,
                Err(_) => String::new(),
            };
            let view = match driver.find(By::Id("view")).await {
                Ok(e) => e
                    .prop("textContent")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
                Err(_) => String::new(),
            };
            std::fs::create_dir_all(artifacts_dir()).unwrap();
            let shot = artifacts_dir().join("webdriver-failure.png");
            let _ = driver.screenshot(&shot).await;
            panic!(
                "timed out waiting for #{id} ({what}); error region: {error:?}; view: {view:?}; screenshot: {}",
                shot.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Saves `tests/artifacts/webdriver-<what>.png` once WebKit has painted (two frames).
pub async fn screenshot(driver: &WebDriver, what: &str) -> WebDriverResult<()> {
    let path = artifacts_dir().join(format!("webdriver-{what}.png"));
    webdriver::screenshot(driver, &path).await
}

/// Presses Sign in on the signed-out view and waits for `name`'s signed-in view.
pub async fn sign_in(driver: &WebDriver, name: &'static str) -> WebDriverResult<()> {
    let button = wait_for(driver, "sign-in", "the signed-out view", Until::Present).await;
    button.click().await?;
    wait_for(driver, "account-name", name, Until::TextIs(name)).await;
    Ok(())
}

/// Calls `api` with its default path and returns the result card's text once it says HTTP 200.
pub async fn call_ok(driver: &WebDriver, api: &str) -> WebDriverResult<String> {
    driver
        .find(By::Id(format!("call-{api}")))
        .await?
        .click()
        .await?;
    let result = wait_for(
        driver,
        &format!("result-{api}"),
        "HTTP 200",
        Until::Status("200"),
    )
    .await;
    Ok(text_of(&result).await)
}

/// Panics if the error region is shown.
pub async fn assert_no_error(driver: &WebDriver) -> WebDriverResult<()> {
    let error = driver.find(By::Id("error")).await?;
    assert!(
        error.attr("hidden").await?.is_some(),
        "error shown: {}",
        text_of(&error).await
    );
    Ok(())
}
