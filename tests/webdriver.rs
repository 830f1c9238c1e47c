//! The real app, driven like a user through tauri-driver + WebKitWebDriver: sign in (the
//! scripted browser answers the IdP's pages), call both APIs, take a screenshot, add a second
//! account (bob), pick either account in the account picker and call as it, sign bob out and
//! keep alice, and check that no IPC reply carried any token issued in the run.
//!
//! Needs an X display, a session bus with an unlocked Secret Service, `tauri-driver` and
//! `WebKitWebDriver`, the workspace binaries (`cargo build --workspace --bins`) and the built
//! UI (`npm run build`): `scripts/test.sh` provides all of it. Run alone, without a display, it
//! is skipped unless `LANYARD_WEBDRIVER_REQUIRED=1`.

mod common;

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lanyard_engine::cache::{KeyStore, OsKeyStore, SealedFile};
use lanyard_testkit::stack::{bin_path, ProviderKind, Stack};
use serde_json::{json, Value};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

/// How long any one UI step may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);
/// The engine's cache file name inside the cache directory.
const CACHE_FILE: &str = "tokens.lanyard";
/// The app's preferences (tauri-plugin-store), under `$XDG_DATA_HOME/<identifier>/`.
const PREFERENCES_FILE: &str = "dev.lanyard.app/preferences.json";

/// Records every IPC reply. `__TAURI_INTERNALS__.invoke` is a non-writable, non-configurable
/// property (tauri `scripts/core.js`), so it cannot be wrapped; every invoke ends in a
/// `fetch` of `ipc://localhost/<command>` (`scripts/ipc-protocol.js`), which can.
const RECORDER: &str = r#"
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

/// `tauri-driver` on free ports; killed on drop.
struct TauriDriver {
    child: Child,
    port: u16,
}

impl TauriDriver {
    fn start(envs: &[(&str, String)]) -> TauriDriver {
        let port = free_port();
        let native_port = free_port();
        let program = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let mut command = Command::new(&program);
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .stdin(Stdio::null());
        // tauri:options has no `env` (tauri-driver 2.1): the app inherits these through
        // tauri-driver and WebKitWebDriver.
        for (k, v) in envs {
            command.env(k, v);
        }
        let child = command.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start {program} (cargo install tauri-driver --locked --version 2.1.0): {e}"
            )
        });
        let driver = TauriDriver { child, port };
        // tauri-driver listens before WebKitWebDriver does: wait for both.
        wait_for_port(port);
        wait_for_port(native_port);
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for TauriDriver {
    /// SIGTERM first: tauri-driver then stops WebKitWebDriver too (SIGKILL would orphan it).
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What [`wait_for`] waits for.
enum Until {
    /// The element exists.
    Present,
    /// It has some text.
    HasText,
    /// Its `data-status` is this.
    Status(&'static str),
    /// Its text is exactly this.
    TextIs(&'static str),
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
        }
    }
}

/// Waits until `#id` exists and `until` holds; returns it. On timeout, saves a screenshot
/// and panics with what the page shows.
async fn wait_for(driver: &WebDriver, id: &str, what: &str, until: Until) -> WebElement {
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
/// The element's rendered text (`innerText`). WebDriver's own Get Element Text answered ""
/// for every element here (WebKitWebDriver 2.50 under Xvfb; with or without freezePrototype).
async fn text_of(el: &WebElement) -> String {
    el.prop("innerText")
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Every secret in the sealed cache, read with the key the app stored in the Secret Service.
/// Relies on the engine's conventions: `<cache dir>/tokens.lanyard`, key id = that path.
fn cached_secrets(cache_dir: &Path) -> Vec<String> {
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

fn display_available() -> bool {
    std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
}

fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_call_both_apis() {
    if !display_available() {
        assert!(
            std::env::var_os("LANYARD_WEBDRIVER_REQUIRED").is_none(),
            "LANYARD_WEBDRIVER_REQUIRED is set but there is no display (run under xvfb-run)"
        );
        eprintln!("skipped: no display (run scripts/test.sh, or set up Xvfb and a session bus)");
        return;
    }

    let stack = Stack::start(ProviderKind::Rfc8707)
        .await
        .expect("demo stack");
    let config = stack.write_config().expect("config file");
    let home = tempfile::tempdir().unwrap();
    for dir in ["config", "data", "cache"] {
        std::fs::create_dir_all(home.path().join(dir)).unwrap();
    }
    let cache_dir = stack.cache_dir();
    // Who the scripted browser signs in as; read at each launch (alice first, then bob).
    let user_file = home.path().join("user");
    std::fs::write(&user_file, "alice alice-password\n").unwrap();
    let app = env!("CARGO_BIN_EXE_lanyard-app");
    let tauri_driver = TauriDriver::start(&[
        ("LANYARD_CONFIG", config.display().to_string()),
        ("LANYARD_CACHE_DIR", cache_dir.display().to_string()),
        (
            "LANYARD_BROWSER",
            bin_path("lanyard-test-browser").display().to_string(),
        ),
        ("LANYARD_TEST_USER_FILE", user_file.display().to_string()),
        // The app's preferences and WebKit's data stay in the test's directory.
        (
            "XDG_CONFIG_HOME",
            home.path().join("config").display().to_string(),
        ),
        (
            "XDG_DATA_HOME",
            home.path().join("data").display().to_string(),
        ),
        (
            "XDG_CACHE_HOME",
            home.path().join("cache").display().to_string(),
        ),
    ]);

    let mut caps = Capabilities::new();
    caps.set("tauri:options", json!({ "application": app, "args": [] }))
        .unwrap();
    let driver = WebDriver::new(tauri_driver.url(), caps)
        .await
        .expect("a WebDriver session");
    // Run the flow in a task so that a failed assertion still ends the session (and the app).
    let session = driver.clone();
    let data_dir = home.path().join("data");
    let outcome = tokio::spawn(async move {
        let mut secrets = drive(&session, &cache_dir).await?;
        two_accounts(&session, &cache_dir, &user_file, &data_dir, &mut secrets).await?;
        sign_out_last(&session, &secrets).await
    })
    .await;
    let _ = driver.quit().await;
    match outcome {
        Ok(result) => result.expect("the app flow"),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("the app flow did not finish: {e}"),
    }
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
    let error = driver.find(By::Id("error")).await?;
    assert!(
        error.attr("hidden").await?.is_some(),
        "error shown: {}",
        text_of(&error).await
    );

    // Screenshot once WebKit has painted the results.
    driver
        .execute_async(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            Vec::new(),
        )
        .await?;
    std::fs::create_dir_all(artifacts_dir()).unwrap();
    driver
        .screenshot(&artifacts_dir().join("webdriver-signed-in.png"))
        .await?;

    // No IPC reply holds a token, nor does the page.
    for s in cached_secrets(cache_dir) {
        if !secrets.contains(&s) {
            secrets.push(s);
        }
    }
    assert!(
        secrets.len() >= 3,
        "expected 2 access tokens and a refresh token in the cache; found {}",
        secrets.len()
    );
    let recorded = driver
        .execute("return window.__lanyardReplies;", Vec::new())
        .await?;
    let replies: Vec<Value> = recorded.convert()?;
    let commands: Vec<&str> = replies.iter().filter_map(|r| r["url"].as_str()).collect();
    for expected in ["sign_in", "call_api"] {
        assert!(
            commands.iter().any(|u| u.ends_with(expected)),
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
    common::assert_no_secret_in(&texts, &secrets);

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

/// Adds every secret now in the cache to `secrets`.
fn add_cached_secrets(cache_dir: &Path, secrets: &mut Vec<String>) {
    for s in cached_secrets(cache_dir) {
        if !secrets.contains(&s) {
            secrets.push(s);
        }
    }
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

/// Calls `api` with its default path and returns the result card's text once it says HTTP 200.
async fn call_ok(driver: &WebDriver, api: &str) -> WebDriverResult<String> {
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
    driver
        .execute_async(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            Vec::new(),
        )
        .await?;
    driver
        .screenshot(&artifacts_dir().join("webdriver-two-accounts.png"))
        .await?;

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
    let error = driver.find(By::Id("error")).await?;
    assert!(
        error.attr("hidden").await?.is_some(),
        "error shown: {}",
        text_of(&error).await
    );
    Ok(())
}

/// Checks every IPC reply and the page against every secret seen, then signs alice out: back
/// to the signed-out view.
async fn sign_out_last(driver: &WebDriver, secrets: &[String]) -> WebDriverResult<()> {
    let recorded = driver
        .execute("return window.__lanyardReplies;", Vec::new())
        .await?;
    let replies: Vec<Value> = recorded.convert()?;
    let mut texts: Vec<String> = replies
        .iter()
        .map(|r| r["body"].as_str().unwrap_or_default().to_owned())
        .collect();
    for expected in ["select_account", "sign_out"] {
        assert!(
            replies
                .iter()
                .filter_map(|r| r["url"].as_str())
                .any(|u| u.ends_with(expected)),
            "no {expected} reply was recorded"
        );
    }
    texts.push(driver.source().await?);
    common::assert_no_secret_in(&texts, secrets);

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
