//! Shared by the WebDriver tests (`tests/webdriver*.rs`): `tauri-driver` on free ports, the
//! app's environment (config, cache, a private home), sessions that always end, waits on the
//! page, the IPC reply recorder, screenshots and the token check.
//!
//! Needs an X display, a session bus with an unlocked Secret Service, `tauri-driver` and
//! `WebKitWebDriver`, the workspace binaries (`cargo build --workspace --bins`) and the built
//! UI (`npm run build`): `scripts/test.sh` provides all of it. Without a display a test is
//! skipped unless `LANYARD_WEBDRIVER_REQUIRED=1`.

#![allow(dead_code)] // Each test file uses a part.

use std::future::Future;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lanyard_engine::cache::{KeyStore, OsKeyStore, SealedFile};
use lanyard_testkit::stack::{bin_path, Stack};
use serde_json::{json, Value};
use thirtyfour::prelude::*;

use crate::common;

/// How long any one UI step may take.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(60);
/// The engine's cache file name inside the cache directory.
pub const CACHE_FILE: &str = "tokens.lanyard";
/// The app's preferences (tauri-plugin-store), under `$XDG_DATA_HOME/<identifier>/`.
pub const PREFERENCES_FILE: &str = "dev.lanyard.app/preferences.json";

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

/// True when the test can run; false (after saying why) when it is skipped. Panics if
/// `LANYARD_WEBDRIVER_REQUIRED` is set but there is no display.
pub fn should_run() -> bool {
    let display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if !display {
        assert!(
            std::env::var_os("LANYARD_WEBDRIVER_REQUIRED").is_none(),
            "LANYARD_WEBDRIVER_REQUIRED is set but there is no display (run under xvfb-run)"
        );
        eprintln!("skipped: no display (run scripts/test.sh, or set up Xvfb and a session bus)");
    }
    display
}

/// `tests/artifacts`, where screenshots go (git-ignored).
pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts")
}

/// `tauri-driver` on free ports; killed on drop.
pub struct TauriDriver {
    child: Child,
    port: u16,
}

impl TauriDriver {
    /// Starts `tauri-driver` (`$TAURI_DRIVER`, else from `PATH`) with `envs`, which the app
    /// inherits, and waits until it and WebKitWebDriver listen.
    pub fn start(envs: &[(String, String)]) -> TauriDriver {
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

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// tauri-driver's process id (the app runs below it: tauri-driver, WebKitWebDriver, app).
    pub fn pid(&self) -> u32 {
        self.child.id()
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

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits (up to 20 s) until something accepts connections on `port`.
pub fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The app's surroundings for one test: the stack's config and cache, a private home
/// (preferences, WebKit data), the scripted browser and the user it signs in as. The same
/// `AppHome` launched twice is the same installation started twice.
pub struct AppHome {
    home: tempfile::TempDir,
    config: PathBuf,
    cache_dir: PathBuf,
    browser: PathBuf,
    extra_envs: Vec<(String, String)>,
}

impl AppHome {
    /// A home for the app on `stack`, with `lanyard-test-browser` signing in as alice.
    pub fn new(stack: &Stack) -> AppHome {
        let home = tempfile::tempdir().unwrap();
        for dir in ["config", "data", "cache"] {
            std::fs::create_dir_all(home.path().join(dir)).unwrap();
        }
        let app_home = AppHome {
            config: stack.write_config().expect("config file"),
            cache_dir: stack.cache_dir(),
            browser: bin_path("lanyard-test-browser"),
            extra_envs: Vec::new(),
            home,
        };
        app_home.set_user("alice", "alice-password");
        app_home
    }

    /// One more environment variable for the app (and the browser it launches).
    pub fn with_env(mut self, key: &str, value: &str) -> AppHome {
        self.extra_envs.push((key.into(), value.into()));
        self
    }

    /// Another configuration file, with its cache directory (`LANYARD_CACHE_DIR`).
    pub fn with_config(mut self, config: PathBuf, cache_dir: PathBuf) -> AppHome {
        self.config = config;
        self.cache_dir = cache_dir;
        self
    }

    /// The browser the app launches: `program` gets the authorize URL as its only argument.
    pub fn with_browser(mut self, program: PathBuf) -> AppHome {
        self.browser = program;
        self
    }

    /// Who the scripted browser signs in as at its next launch.
    pub fn set_user(&self, user: &str, password: &str) {
        std::fs::write(self.user_file(), format!("{user} {password}\n")).expect("the user file");
    }

    /// The file `lanyard-test-browser` reads its user from (`LANYARD_TEST_USER_FILE`).
    pub fn user_file(&self) -> PathBuf {
        self.home.path().join("user")
    }

    /// The test's private directory (for scripts and marker files).
    pub fn dir(&self) -> &Path {
        self.home.path()
    }

    /// The app's `XDG_DATA_HOME` (its preferences live below).
    pub fn data_dir(&self) -> PathBuf {
        self.home.path().join("data")
    }

    /// The token cache directory.
    pub fn cache_dir(&self) -> &Path {
        &self.cache_dir
    }

    /// The environment the app runs with.
    pub fn envs(&self) -> Vec<(String, String)> {
        let dir = |d: &str| self.home.path().join(d).display().to_string();
        vec![
            ("LANYARD_CONFIG".into(), self.config.display().to_string()),
            (
                "LANYARD_CACHE_DIR".into(),
                self.cache_dir.display().to_string(),
            ),
            ("LANYARD_BROWSER".into(), self.browser.display().to_string()),
            (
                "LANYARD_TEST_USER_FILE".into(),
                self.user_file().display().to_string(),
            ),
            // The app's preferences and WebKit's data stay in the test's directory.
            ("XDG_CONFIG_HOME".into(), dir("config")),
            ("XDG_DATA_HOME".into(), dir("data")),
            ("XDG_CACHE_HOME".into(), dir("cache")),
        ]
        .into_iter()
        .chain(self.extra_envs.iter().cloned())
        .collect()
    }

    /// Starts tauri-driver for this home; each [`Driver::launch`] starts the app once.
    pub fn driver(&self) -> Driver {
        Driver {
            tauri_driver: TauriDriver::start(&self.envs()),
        }
    }

    /// Writes an executable shell script `name` into the test's directory and returns it.
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.home.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }
}

/// tauri-driver, ready to start the app.
pub struct Driver {
    tauri_driver: TauriDriver,
}

impl Driver {
    /// Starts the app (a new WebDriver session) and waits for its first view.
    pub async fn launch(&self) -> App {
        let app = env!("CARGO_BIN_EXE_lanyard-app");
        let mut caps = Capabilities::new();
        caps.set("tauri:options", json!({ "application": app, "args": [] }))
            .unwrap();
        let driver = WebDriver::new(self.tauri_driver.url(), caps)
            .await
            .expect("a WebDriver session");
        App { driver }
    }

    /// tauri-driver's process id.
    pub fn pid(&self) -> u32 {
        self.tauri_driver.pid()
    }
}

/// One run of the app (a WebDriver session).
pub struct App {
    driver: WebDriver,
}

impl App {
    /// The session, for callers that handle failures themselves (the figures bench).
    pub fn session(&self) -> &WebDriver {
        &self.driver
    }

    /// Runs `flow` on the app in a task, so that a failed assertion still ends the session
    /// (and the app): then the session is ended and the failure goes on.
    pub async fn step<T, F, Fut>(&self, flow: F) -> T
    where
        F: FnOnce(WebDriver) -> Fut,
        Fut: Future<Output = WebDriverResult<T>> + Send + 'static,
        T: Send + 'static,
    {
        let outcome = tokio::spawn(flow(self.driver.clone())).await;
        let failure = match outcome {
            Ok(Ok(value)) => return value,
            Ok(Err(e)) => format!("the app flow: {e}"),
            Err(e) if e.is_panic() => {
                let _ = self.driver.clone().quit().await;
                std::panic::resume_unwind(e.into_panic())
            }
            Err(e) => format!("the app flow did not finish: {e}"),
        };
        let _ = self.driver.clone().quit().await;
        panic!("{failure}");
    }

    /// Ends the session: the app exits.
    pub async fn quit(self) {
        let _ = self.driver.quit().await;
    }
}

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

/// The element's rendered text (`innerText`). WebDriver's own Get Element Text answered ""
/// for every element here (WebKitWebDriver 2.50 under Xvfb; with or without freezePrototype).
pub async fn text_of(el: &WebElement) -> String {
    el.prop("innerText")
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Saves `tests/artifacts/webdriver-<what>.png` once WebKit has painted (two frames).
pub async fn screenshot(driver: &WebDriver, what: &str) -> WebDriverResult<()> {
    driver
        .execute_async(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            Vec::new(),
        )
        .await?;
    std::fs::create_dir_all(artifacts_dir()).unwrap();
    driver
        .screenshot(&artifacts_dir().join(format!("webdriver-{what}.png")))
        .await
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
