//! The IPC reply recorder, the secrets in the sealed cache, and the check that none of them
//! reached an IPC reply or the page.

use std::path::Path;

use lanyard::cache::{KeyStore, OsKeyStore, SealedFile};
use serde_json::Value;
use thirtyfour::prelude::*;

use super::page::{call_ok, sign_in, wait_for, Until};
use super::CACHE_FILE;
use lanyard_testkit::leaks;

/// Records every IPC reply, as `{cmd, ok, body}`. The app's CSP sends every invoke over the
/// webview's message handler (Tauri's postMessage IPC): a message names its command and two
/// callback ids, and Tauri answers by running one of them from
/// `__TAURI_INTERNALS__.callbacks` (`scripts/core.js`). `invoke` and `runCallback` cannot be
/// wrapped (non-writable properties); the message handler's `postMessage` and the map's entries
/// can.
pub const RECORDER: &str = r#"
if (!window.__lanyardReplies) {
  const replies = [];
  Object.defineProperty(window, '__lanyardReplies', { value: replies });
  const callbacks = window.__TAURI_INTERNALS__.callbacks;
  const record = (id, cmd, ok) => {
    const original = callbacks.get(id);
    if (!original) return;
    callbacks.set(id, (data) => {
      replies.push({ cmd, ok, body: JSON.stringify(data) ?? '' });
      return original(data);
    });
  };
  // On the prototype: WebKit may hand out a new wrapper object for the handler after a GC.
  const proto = Object.getPrototypeOf(window.webkit.messageHandlers.ipc);
  const post = proto.postMessage;
  proto.postMessage = function (message) {
    try {
      const { cmd, callback, error } = JSON.parse(message);
      record(callback, cmd, true);
      record(error, cmd, false);
    } finally {
      return post.call(this, message);
    }
  };
}
return true;
"#;

/// The IPC replies recorded since [`RECORDER`] ran, as `{cmd, ok, body}`.
pub async fn recorded_replies(driver: &WebDriver) -> WebDriverResult<Vec<Value>> {
    let recorded = driver
        .execute("return window.__lanyardReplies || [];", Vec::new())
        .await?;
    recorded.convert()
}

/// The commands of the recorded replies (the plugin's without their `plugin:lanyard|`).
pub fn commands(replies: &[Value]) -> Vec<&str> {
    replies
        .iter()
        .filter_map(|r| r["cmd"].as_str())
        .map(|c| c.strip_prefix("plugin:lanyard|").unwrap_or(c))
        .collect()
}

/// Every secret in the sealed cache, read with the key the app stored in the Secret Service.
/// Relies on the engine's conventions: `<cache dir>/tokens.lanyard`, key id = that path.
pub fn cached_secrets(cache_dir: &Path) -> Vec<String> {
    let file = cache_dir.join(CACHE_FILE);
    let key = OsKeyStore::new(lanyard_product::KEYRING_SERVICE)
        .load(&file.display().to_string())
        .expect("the Secret Service answers")
        .expect("the app stored a cache key");
    let plain = SealedFile::new(&file)
        .load(&key)
        .expect("the cache opens")
        .expect("a cache file");
    let json: Value = serde_json::from_slice(&plain).expect("the cache is JSON");
    let mut secrets = Vec::new();
    leaks::collect_secrets(&json, &mut secrets);
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
    let replies = recorded_replies(driver).await?;
    assert!(!replies.is_empty(), "no IPC reply was recorded");
    let mut texts: Vec<String> = replies
        .iter()
        .map(|r| r["body"].as_str().unwrap_or_default().to_owned())
        .collect();
    texts.push(driver.source().await?);
    leaks::assert_no_secret_in(&texts, secrets);
    Ok(())
}
