//! The IPC reply recorder, the secrets in the sealed cache, and the check that none of them
//! reached an IPC reply or the page.

use std::path::Path;

use lanyard_engine::cache::{KeyStore, OsKeyStore, SealedFile};
use serde_json::Value;
use thirtyfour::prelude::*;

use super::page::{call_ok, sign_in, wait_for, Until};
use super::CACHE_FILE;
use crate::common;

/// Records every IPC reply. `__TAURI_INTERNALS__.invoke` is a non-writable, non-configurable
/// property (tauri `scripts/core.js`), so it cannot be wrapped; every invoke ends in a
/// `fetch` of `ipc://localhost/<command>` (`scripts/ipc-protocol.js`), which can.
pub const RECORDER: &str = r#"
if (!window.__lanyardReplies) {
  const replies = [];
  Object.defineProperty(window, '__lanyardReplies', { value: replies });
  const realFetch = window.fetch.bind(window);
  window.fetch = async function (input, init) {
    const response = await realFetch(input, init);
    const url = typeof input === 'string' ? input : String(input && input.url);
    if (url.startsWith('ipc:') || url.startsWith('http://ipc.localhost')) {
      const body = await response.clone().text();
      replies.push({ url, status: response.headers.get('Tauri-Response'), body });
    }
    return response;
  };
}
return true;
"#;

/// The IPC replies recorded since [`RECORDER`] ran, as `{url, status, body}`.
pub async fn recorded_replies(driver: &WebDriver) -> WebDriverResult<Vec<Value>> {
    let recorded = driver
        .execute("return window.__lanyardReplies || [];", Vec::new())
        .await?;
    recorded.convert()
}

/// Every secret in the sealed cache, read with the key the app stored in the Secret Service.
/// Relies on the engine's conventions: `<cache dir>/tokens.lanyard`, key id = that path.
pub fn cached_secrets(cache_dir: &Path) -> Vec<String> {
    let file = cache_dir.join(CACHE_FILE);
    let key = OsKeyStore::default()
        .load(&file.display().to_string())
        .expect("the Secret Service answers")
        .expect("the app stored a cache key");
    let plain = SealedFile::new(&file)
        .load(&key)
        .expect("the cache opens")
        .expect("a cache file");
    let json: Value = serde_json::from_slice(&plain).expect("the cache is JSON");
    let mut secrets = Vec::new();
    common::collect_secrets(&json, &mut secrets);
    secrets
}

/// Starts recording IPC replies on the signed-out view, signs alice in, calls each of `apis`
/// (HTTP 200), and returns the secrets then in the cache at `cache_dir`.
pub async fn record_sign_in_and_calls(
    driver: &WebDriver,
    cache_dir: &Path,
    apis: &[&str],
) -> WebDriverResult<Vec<String>> {
    wait_for(driver, "sign-in", "the signed-out view", Until::Present).await;
    driver.execute(RECORDER, Vec::new()).await?;
    sign_in(driver, "Alice Example").await?;
    for api in apis {
        call_ok(driver, api).await?;
    }
    let mut secrets = Vec::new();
    add_cached_secrets(cache_dir, &mut secrets);
    Ok(secrets)
}

/// Adds every secret now in the cache to `secrets`.
pub fn add_cached_secrets(cache_dir: &Path, secrets: &mut Vec<String>) {
    for s in cached_secrets(cache_dir) {
        if !secrets.contains(&s) {
            secrets.push(s);
        }
    }
}

/// Checks every recorded IPC reply and the page source against `secrets` (and for JWTs).
pub async fn assert_no_secret_on_page(
    driver: &WebDriver,
    secrets: &[String],
) -> WebDriverResult<()> {
    let mut texts: Vec<String> = recorded_replies(driver)
        .await?
        .iter()
        .map(|r| r["body"].as_str().unwrap_or_default().to_owned())
        .collect();
    texts.push(driver.source().await?);
    common::assert_no_secret_in(&texts, secrets);
    Ok(())
}
